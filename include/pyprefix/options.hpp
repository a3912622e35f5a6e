// pyprefix: where Python code lives, for native profilers and C++ tracers.
// What to ask an interpreter for (pyprefix::prefixes(), report(), manifest()), and the one check
// of a request. Core (pyprefix::core): the C API's options object is built without Python.
#ifndef PYPREFIX_OPTIONS_HPP
#define PYPREFIX_OPTIONS_HPP

#include <chrono>
#include <string>
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
///   // or: options.pid = 4242;                     // as running process 4242 started
///   //     options.attach = true;                  // or as it has them now (3.14+)
/// How long a child process may take unless Options::timeout says otherwise: 20 s. The tool, the
/// C API and the Python package take it from here.
///
/// Example:
///   pyprefix::Options options;
///   options.timeout = 2 * pyprefix::default_timeout;  // a slow network file system
inline constexpr std::chrono::milliseconds default_timeout{20000};

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
  /// sys.path after start-up is not seen: for that, `attach`.
  int pid = 0;

  /// With `pid`: the list the process has now, sys.path as its program has changed it, exactly
  /// as a live call inside it gives (Python 3.14 or newer; PEP 768). Its main thread runs
  /// pyprefix's reader at its next safe point, as its user, from a private folder pyprefix makes
  /// in its temporary folder and removes; within `timeout`, or the request is withdrawn. Needs
  /// the right to attach (ptrace's rules) and remote debugging left on; works for programs that
  /// embed Python as they are, so it takes neither `python` nor `isolated`.
  bool attach = false;

  /// With `pid`: prefixes as this process reaches them ("/proc/PID/root/usr/lib/python3.11/")
  /// when that process sees another root, for tools that open the files. Otherwise as it sees them.
  bool host_paths = false;

  /// How long a child process may take before it is killed and the call fails: more than 0,
  /// one day at most.
  std::chrono::milliseconds timeout{default_timeout};

  /// The program you will run, as profilers take it (`py-spy record -- python app.py`): a
  /// Python (a path or a name on PATH), its own options, then a script, `-m MODULE`, `-c CODE`
  /// or `-`, then the program's arguments. Its Python runs in a child process in
  /// `working_directory`, with the program's options, and the list has the first sys.path entry
  /// that this start gives, as that CPython sets it: the script's real folder (a folder or zip
  /// itself), the working folder for `-m`, '' for `-c` and `-`, none with -I, -P or
  /// PYTHONSAFEPATH. The program itself never runs. Empty: no program.
  ///
  /// Example:
  ///   pyprefix::Options options;
  ///   options.program = {"/srv/venv/bin/python", "-X", "utf8", "app/main.py", "--port", "80"};
  std::vector<std::string> program;

  /// With `program`: the folder it runs in (relative PYTHONPATH entries and the script are
  /// found from there). Empty: this process's working folder.
  ///
  /// Example:
  ///   pyprefix::Options options;
  ///   options.program = {"python3", "-m", "app"};
  ///   options.working_directory = "/srv/app";  // sys.path[0] is /srv/app
  std::string working_directory;
};

/// Throws pyprefix::error when `options` cannot be asked, naming the options by their field
/// names: a pid below 0, host_paths or attach without a pid, attach with python or isolated, a
/// timeout out of range. Every call that takes
/// Options checks them this way first; the C API, the Python package and the tool apply the
/// same rules and name the options in their own spelling (`--host-paths` in the tool).
///
/// Example:
///   pyprefix::Options options;
///   options.host_paths = true;
///   pyprefix::check(options);  // throws: "host_paths goes with pid: ..."
void check(const Options& options);

}  // namespace pyprefix

#endif  // PYPREFIX_OPTIONS_HPP
