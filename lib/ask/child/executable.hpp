// Finding the Python executable a caller names.
#ifndef PYPREFIX_LIB_ASK_CHILD_EXECUTABLE_HPP
#define PYPREFIX_LIB_ASK_CHILD_EXECUTABLE_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// The path to run for `name`, found as a shell finds a command: a name holding "/" is used as
// it is (relative to the working directory), any other is looked up in PATH. Symlinks are not
// resolved: a venv's bin/python must stay itself for Python to find the venv. Throws
// pyprefix::error naming the problem: not found, a directory, not executable.
std::string find_executable(const std::string& name);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_CHILD_EXECUTABLE_HPP
