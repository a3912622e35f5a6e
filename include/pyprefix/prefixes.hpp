// pyprefix: where Python code lives, for native profilers and C++ tracers.
// The one Python-tier header: asking an interpreter (pyprefix::pyprefix, pyprefix::module).
#ifndef PYPREFIX_PREFIXES_HPP
#define PYPREFIX_PREFIXES_HPP

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>

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
///   // or: options.pid = 4242;                     // as running process 4242 has them
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

  /// A running process to ask (Linux): its Python, started as the process was (the path it was
  /// started as, so a venv stays a venv; its -I -E -s -S -P flags; its environment and working
  /// directory), inside its root and mount namespace (a container; needs root), as its user.
  /// With `python` too, that Python (as the process sees it) instead of the process's own
  /// executable, for a program that embeds Python. 0: no process. What the program changed in
  /// sys.path after start-up is not seen.
  int pid = 0;

  /// With `pid`: prefixes as this process reaches them ("/proc/PID/root/usr/lib/python3.11/")
  /// when that process sees another root, for tools that open the files. Otherwise as it sees them.
  bool host_paths = false;

  /// How long a child process may take before it is killed and the call fails.
  std::chrono::milliseconds timeout{20000};
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

/// Describes the interpreter that prefixes(options) reads: the process's own (starting it if
/// needed), or Options::python's. Throws pyprefix::error.
///
/// Example:
///   std::printf("Python %s\n", pyprefix::interpreter().version.c_str());
Interpreter interpreter(const Options& options = {});

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIXES_HPP
