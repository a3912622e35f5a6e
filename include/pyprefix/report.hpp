// pyprefix: where Python code lives, for native profilers and C++ tracers.
// A list with its provenance, as pyprefix::report() returns it and a manifest carries it. Core
// (pyprefix::core): no Python needed to use these types.
#ifndef PYPREFIX_REPORT_HPP
#define PYPREFIX_REPORT_HPP

#include <string>
#include <vector>

#include <pyprefix/prefix.hpp>

namespace pyprefix {

/// The interpreter a list was read from, as it describes itself.
///
/// Example:
///   pyprefix::Interpreter python = pyprefix::read_manifest("capture.pyprefix.json").interpreter;
///   // {"3.11.2", "/usr/bin/python3.11", "/usr", "/usr", "linux", "cpython-311", {...}}
struct Interpreter {
  std::string version;      ///< platform.python_version(), e.g. "3.11.2"
  std::string executable;   ///< sys.executable, as bytes
  std::string prefix;       ///< sys.prefix, as bytes (a venv's own folder in a venv)
  std::string base_prefix;  ///< sys.base_prefix, as bytes
  std::string platform;     ///< sys.platform, e.g. "linux"
  std::string cache_tag;    ///< sys.implementation.cache_tag, e.g. "cpython-311" (__pycache__ names)
  std::vector<std::string> extension_suffixes;  ///< importlib.machinery.EXTENSION_SUFFIXES, longest first
};

/// The list with its provenance, and what was skipped on the way (pyprefix::report() asks an
/// interpreter for one, <pyprefix/prefixes.hpp>).
///
/// Example:
///   pyprefix::Report report{pyprefix::read_prefix_file("prefixes.json"), {}, {}, {}};
///   for (const auto& line : report.diagnostics) std::fprintf(stderr, "warning: %s\n", line.c_str());
struct Report {
  std::vector<Prefix> prefixes;          ///< longest-first order, as prefixes() returns them
  std::vector<std::string> diagnostics;  ///< one line each: skipped sys.path entries, packages not found
  Interpreter interpreter;               ///< the interpreter that was asked
  std::vector<std::string> sys_path;     ///< sys.path in its own order, each entry normalised as its prefix is
};

}  // namespace pyprefix

#endif  // PYPREFIX_REPORT_HPP
