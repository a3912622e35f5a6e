// pyprefix: where Python code lives, for native profilers and C++ tracers.
#ifndef PYPREFIX_PREFIXES_HPP
#define PYPREFIX_PREFIXES_HPP

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace pyprefix {

/// What to ask the interpreter for, beyond the directories every list holds.
///
/// Example:
///   pyprefix::Options options;
///   options.packages = {"torch"};                  // also the directory torch is imported from
///   options.python = "/srv/app/.venv/bin/python";  // as that venv's Python sees it
///   options.isolated = true;                       // running none of the venv's code
///   options.timeout = std::chrono::seconds(5);     // for that child process
///   options.classify = true;                       // the stdlib and install schemes too, for kinds
///   options.resolve_symlinks = true;               // and each prefix's real path
struct Options {
  /// Top-level module names whose import roots join the list (PyTorch adds "torch"). They are
  /// located with importlib.util.find_spec and never imported; a name that is not found adds a
  /// diagnostic, not an error.
  std::vector<std::string> packages;

  /// Another Python to ask, as a path or a name looked up on PATH ("python3.12",
  /// "/srv/app/.venv/bin/python"): any CPython 3.8 or newer, run in a child process with this
  /// process's environment. Empty: the process's own interpreter (live or embedded).
  std::string python;

  /// The list `python -I` would give (environment variables and the user site ignored, a venv
  /// honoured) without running any code from the environment: .pth files are read for their
  /// directories but their import lines are not run, and sitecustomize is not imported. Runs
  /// `python`, or else the executable pyprefix was built against, in a child process.
  bool isolated = false;

  /// Also list the directories that classify paths (pyprefix::Kind): the standard library
  /// (sysconfig stdlib, platstdlib, lib-dynload) and the purelib and platlib of every POSIX
  /// install scheme. The list then holds more than torch's.
  bool classify = false;

  /// Also give each prefix that is or lies under a symlink its resolved form, in
  /// Prefix::resolved, so that a Trimmer matches paths seen either way.
  bool resolve_symlinks = false;

  /// How long a child process may take before it is killed and the call fails.
  std::chrono::milliseconds timeout{20000};
};

/// Where a prefix came from. One prefix may have several sources.
enum class Source {
  site_packages,   ///< site.getsitepackages()
  sys_path,        ///< an entry of sys.path
  user_base,       ///< site.getuserbase()
  user_site,       ///< site.getusersitepackages()
  package_root,    ///< the import root of a package named in Options::packages
  stdlib,          ///< sysconfig's stdlib, platstdlib and lib-dynload (Options::classify)
  install_scheme,  ///< purelib and platlib of each POSIX install scheme (Options::classify)
};

/// The stable name of a source, as `pyprefix list --json` prints it.
///
/// Example:
///   pyprefix::source_name(pyprefix::Source::user_site);  // "user-site"
std::string_view source_name(Source source) noexcept;

/// One entry of the list: a directory ending in "/", and every source that produced it.
///
/// Example:
///   // {path = "/usr/lib/python3/dist-packages/", sources = {site_packages, sys_path}}
struct Prefix {
  std::string path;             ///< bytes as os.fsencode gives them, ending in "/"
  std::vector<Source> sources;  ///< in the order they were first seen, no repeats
  std::string resolved;         ///< realpath(path) + "/" when it differs (Options::resolve_symlinks), else empty
};

/// The list with its provenance, and what was skipped on the way.
///
/// Example:
///   auto report = pyprefix::report({});
///   for (const auto& line : report.diagnostics) std::fprintf(stderr, "warning: %s\n", line.c_str());
struct Report {
  std::vector<Prefix> prefixes;          ///< longest-first order, as prefixes() returns them
  std::vector<std::string> diagnostics;  ///< one line each: skipped sys.path entries, packages not found
};

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

/// The interpreter prefixes() reads: its version and sys.executable.
///
/// Example:
///   auto python = pyprefix::interpreter();  // {"3.11.2", "/usr/bin/python3.11"}
struct Interpreter {
  std::string version;     ///< platform.python_version(), e.g. "3.11.2"
  std::string executable;  ///< sys.executable, as bytes
};

/// Describes the interpreter that prefixes() uses, starting it if needed. Throws pyprefix::error.
///
/// Example:
///   std::printf("Python %s\n", pyprefix::interpreter().version.c_str());
Interpreter interpreter();

/// `os.path.abspath` on POSIX, byte for byte: joins a relative path to the working directory
/// and normalises it lexically, resolving no symlink. Needs no interpreter.
///
/// Example:
///   pyprefix::abspath("/usr/lib/../lib64//");  // "/usr/lib64"
///   pyprefix::abspath("//srv/./x/");           // "//srv/x" (two leading slashes are kept)
std::string abspath(std::string_view path);

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIXES_HPP
