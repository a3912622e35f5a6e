// The pyprefix command: parsing its arguments, running it, its exit status.
#ifndef PYPREFIX_LIB_TOOL_COMMAND_HPP
#define PYPREFIX_LIB_TOOL_COMMAND_HPP

namespace pyprefix::detail {

// Runs `pyprefix ARGUMENTS...` (argv[0] is the program's name) on this process's stdout and
// stderr, and returns its exit status: 0 on success, 1 on a runtime error, 2 on a usage error.
// Errors are one line on stderr; nothing is thrown.
int run_command(int argc, char** argv);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_COMMAND_HPP
