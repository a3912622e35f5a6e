// The pyprefix command: parsing its arguments, running it, its exit status.
#ifndef PYPREFIX_LIB_TOOL_COMMAND_HPP
#define PYPREFIX_LIB_TOOL_COMMAND_HPP

#include <functional>
#include <string>
#include <vector>

#include <pyprefix/manifest.hpp>
#include <pyprefix/prefixes.hpp>

namespace pyprefix::detail {

// What the program that runs the command lends it.
struct CommandHost {
  // How the command asks Python (pyprefix::report(), manifest() and interpreter() take the same
  // arguments): the tool's main() through the dispatcher with the plugin it loads only when it
  // embeds, the Python package through the library's entry points. All three are required.
  std::function<Report(const Options&)> report;
  std::function<Manifest(const Options&, std::vector<std::string>*)> manifest;
  std::function<Interpreter(const Options&)> interpreter;
  // The tool's main() alone: the command may handle SIGINT, SIGTERM and SIGHUP while it rewrites
  // files in place, stopping between chunks with nothing left behind, then dying of the signal.
  bool owns_signals = false;
  // Called between chunks of a rewrite (the Python package raises KeyboardInterrupt through it);
  // what it throws, other than pyprefix::error, leaves run_command as it is.
  std::function<void()> between_chunks;
};

// Runs `pyprefix ARGUMENTS...` (argv[0] is the program's name) on this process's stdout and
// stderr, and returns its exit status: 0 on success, 1 on a runtime error, 2 on a usage error.
// Errors are one line on stderr; nothing is thrown but what `host.between_chunks` throws.
int run_command(int argc, char** argv, const CommandHost& host = {});

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_COMMAND_HPP
