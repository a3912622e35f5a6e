// Finding the Python executable a caller names.
#ifndef PYPREFIX_LIB_SPAWN_EXECUTABLE_HPP
#define PYPREFIX_LIB_SPAWN_EXECUTABLE_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// The path to run for `name`, found as a shell finds a command: a name holding "/" is used as
// it is (relative to the working directory), any other is looked up in PATH. Symlinks are not
// resolved: a venv's bin/python must stay itself for Python to find the venv. Throws
// pyprefix::error naming the problem: not found, a directory, not executable.
std::string find_executable(const std::string& name);

// Where another process's paths are found from this one: its root as this process reaches it
// ("/proc/PID/root", or "" when it is ours) and its working directory as it sees it.
struct ProcessView {
  std::string root_on_host;
  std::string working_directory;
};

// find_executable() as another process would find `name`: on its `search_path`, relative names
// and folders taken from its working directory, checked where this process reaches them. The
// result is the path as that process sees it, absolute.
std::string find_executable(const std::string& name, std::string_view search_path, const ProcessView& view);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_SPAWN_EXECUTABLE_HPP
