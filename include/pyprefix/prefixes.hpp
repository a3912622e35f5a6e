// pyprefix: where Python code lives, for native profilers and C++ tracers.
// The one Python-tier header: asking an interpreter (pyprefix::pyprefix, pyprefix::module).
#ifndef PYPREFIX_PREFIXES_HPP
#define PYPREFIX_PREFIXES_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/manifest.hpp>
#include <pyprefix/options.hpp>
#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>

namespace pyprefix {

/// The import prefixes of the process's Python, exactly as PyTorch's _prefix_regex() computes
/// them (with the documented fixes): absolute, normalised like os.path.abspath, deduplicated,
/// each ending in "/", in reverse code-point order so that the first match is the longest.
/// Uses the interpreter already running in the process, from any thread, or else starts one
/// embedded interpreter once per process. Throws pyprefix::error.
///
/// Example:
///   for (const std::string& prefix : pyprefix::prefixes()) std::puts(prefix.c_str());
///   // /usr/local/lib/python3.11/dist-packages/
///   // /usr/lib/python3/dist-packages/
///   // /usr/lib/python3.11/lib-dynload/ ...
std::vector<std::string> prefixes(const Options& options = {});

/// The same list as prefixes(), with the sources of each prefix and the diagnostics.
///
/// Example:
///   for (const auto& prefix : pyprefix::report({}).prefixes)
///     std::printf("%s (%zu sources)\n", prefix.path.c_str(), prefix.sources.size());
Report report(const Options& options = {});

/// Describes the interpreter that prefixes(options) reads: the process's own (starting it if
/// needed), or Options::python's. Throws pyprefix::error.
///
/// Example:
///   std::printf("Python %s\n", pyprefix::interpreter().version.c_str());
Interpreter interpreter(const Options& options = {});

/// What `pyprefix manifest` writes, for the same options: the list with its sources, sys.path,
/// the interpreter and the installed distributions, to trim and classify its paths later
/// without its files (write it with manifest_json()). For a running process (Options::pid) the
/// metadata is read inside the process's root with its rights, and every path is given as the
/// process sees it (as this host reaches it with Options::host_paths). The diagnostics of the
/// list and of the distribution index are appended to `diagnostics` when it is given. Throws
/// pyprefix::error.
///
/// Example:
///   std::vector<std::string> warnings;
///   const pyprefix::Manifest manifest = pyprefix::manifest({}, &warnings);
///   const std::string json = pyprefix::manifest_json(manifest);  // what `pyprefix manifest` prints
Manifest manifest(const Options& options = {}, std::vector<std::string>* diagnostics = nullptr);

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIXES_HPP
