// The pyprefix command's arguments: what they ask for, and the usage text that says so.
#ifndef PYPREFIX_LIB_TOOL_ARGUMENTS_HPP
#define PYPREFIX_LIB_TOOL_ARGUMENTS_HPP

#include <string>
#include <vector>

#include <pyprefix/options.hpp>
#include <pyprefix/rewriter.hpp>

#include "files/rewrite_file.hpp"

namespace pyprefix::detail {

// What `pyprefix --help` prints; docs/cli.md is checked against it.
extern const char* const usage_text;

// A command line that asks for nothing pyprefix does: the message names the argument.
struct UsageError {
  std::string message;
};

// One parsed command line.
struct Command {
  enum class Action { list, manifest, trim, which, rewrite, version, help } action = Action::list;
  Options options;                 // checked with the options check, messages naming flags
  std::string saved_prefixes;      // trim, which: --prefixes FILE
  std::vector<std::string> files;  // trim's inputs, which's paths
  bool json = false;
  bool distributions = false;  // list --distributions
  RewriteOptions rewrite;      // rewrite --format, --to (its index is the command's to give)
  bool rewrite_options_given = false;
  bool in_place = false;                                     // rewrite -i
  uint64_t max_inflated_bytes = default_max_inflated_bytes;  // rewrite --max-inflated
};

// `pyprefix ARGUMENTS...` (argv[0] is the program's name) as a Command; throws UsageError.
Command parse_arguments(int argc, char** argv);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_ARGUMENTS_HPP
