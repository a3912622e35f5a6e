// CPython's command-line rules, for a process pyprefix did not start: whether it runs a Python,
// which flags that change sys.path it was given, how its sys.path[0] came about, and where a
// Python named on its PATH would be found. Pure functions of strings: no /proc, no Python.
#ifndef PYPREFIX_LIB_ASK_CHILD_PYTHON_COMMAND_LINE_HPP
#define PYPREFIX_LIB_ASK_CHILD_PYTHON_COMMAND_LINE_HPP

#include <string>
#include <string_view>
#include <vector>

namespace pyprefix::detail {

// How sys.path[0] came about in the process, for the child to set the same: a script's folder,
// the working directory of `-m`, or the '' of `-c`, `-` and the interactive prompt.
struct FirstEntry {
  enum class Kind { script, module, command, none } kind = Kind::command;  // none: not a Python's command line
  std::string script;  // the script (or folder, or zip) as its command line names it
};

// What a Python's argv says about its sys.path.
struct PythonCommandLine {
  std::vector<std::string> flags;  // of -I -E -s -S -P, those given, each once, in first-seen order
  FirstEntry first_entry;
  // Every interpreter option before the script, -c, -m or `-`, as given (values of -W and -X
  // included; "-Im" gives "-I"), to start another interpreter as this one started.
  std::vector<std::string> options;
};

// Whether an executable's file name is a CPython interpreter's: python, python3, python3.12,
// python3.13t, python3.11d (the folder does not count).
bool is_python_name(std::string_view path);

// Python's own reading of `argv` (argv[0] the program), as Python/getopt.c reads it: options up
// to the first of -c, -m, `-`, `--` or a script; -W and -X take a value, joined or next.
PythonCommandLine read_python_command_line(const std::vector<std::string>& argv);

// NAME in each folder of a PATH-style `search_path`, in order; an empty folder is ".".
std::vector<std::string> search_candidates(const std::string& name, std::string_view search_path);

// The paths execvp would try for `python` in a process with `environment` (NAME=value
// strings): `python` itself when it holds a '/', else each folder of its PATH (an empty one is
// "."; no PATH is "/bin:/usr/bin"; of two PATHs, the first, as for getenv), in order.
std::vector<std::string> python_candidates(const std::string& python, const std::vector<std::string>& environment);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_CHILD_PYTHON_COMMAND_LINE_HPP
