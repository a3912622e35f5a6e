#include "core/options_check.hpp"

#include <pyprefix/error.hpp>

namespace pyprefix {
namespace detail {

std::string option_field_name(OptionField field) {
  switch (field) {
    case OptionField::pid:
      return "pid";
    case OptionField::host_paths:
      return "host_paths";
    case OptionField::timeout:
      return "timeout";
  }
  return "an option";
}

std::string options_problem(const Options& options, OptionSpelling spell) {
  if (options.pid < 0)
    return spell(OptionField::pid) + " must be a process id above 0 (or 0 for none), not " +
           std::to_string(options.pid);
  if (options.host_paths && options.pid == 0)
    return spell(OptionField::host_paths) + " goes with " + spell(OptionField::pid) +
           ": it gives another process's paths as this host reaches them";
  if (options.timeout.count() <= 0 || options.timeout.count() > longest_timeout_ms)
    return spell(OptionField::timeout) + " must be more than 0 and at most 86400 seconds";
  return {};
}

}  // namespace detail

void check(const Options& options) {
  const std::string problem = detail::options_problem(options);
  if (!problem.empty()) throw error(problem);
}

}  // namespace pyprefix
