#include "core/options_check.hpp"

#include <pyprefix/error.hpp>

namespace pyprefix {
namespace detail {
namespace {

// The longest timeout any front end accepts: a day (a deadline further out must not overflow).
constexpr long long longest_timeout_ms = 86400LL * 1000;

}  // namespace

std::string option_field_name(OptionField field) {
  switch (field) {
    case OptionField::pid:
      return "pid";
    case OptionField::host_paths:
      return "host_paths";
    case OptionField::attach:
      return "attach";
    case OptionField::python:
      return "python";
    case OptionField::isolated:
      return "isolated";
    case OptionField::timeout:
      return "timeout";
    case OptionField::program:
      return "program";
    case OptionField::working_directory:
      return "working_directory";
    case OptionField::resolve_symlinks:
      return "resolve_symlinks";
  }
  return "an option";
}

std::chrono::milliseconds timeout_from_seconds(double seconds) {
  const double milliseconds = seconds * 1000 + 0.5;
  if (!(milliseconds >= 1)) return std::chrono::milliseconds(0);  // 0, negative or NaN
  if (!(milliseconds < longest_timeout_ms + 1)) return std::chrono::milliseconds::max();
  return std::chrono::milliseconds(static_cast<long long>(milliseconds));
}

std::string options_problem(const Options& options, OptionSpelling spell) {
  if (options.pid < 0)
    return spell(OptionField::pid) + " must be a process id above 0 (or 0 for none), not " +
           std::to_string(options.pid);
  if (options.host_paths && options.pid == 0)
    return spell(OptionField::host_paths) + " goes with " + spell(OptionField::pid) +
           ": it gives another process's paths as this host reaches them";
  if (options.attach && options.pid == 0)
    return spell(OptionField::attach) + " goes with " + spell(OptionField::pid) +
           ": it runs the reader inside that process";
  if (options.resolve_symlinks && options.pid != 0)
    return spell(OptionField::resolve_symlinks) + " does not go with " + spell(OptionField::pid) +
           ": it would follow that process's links with pyprefix's rights, not the process's";
  if (options.attach && (!options.python.empty() || options.isolated))
    return spell(OptionField::attach) + " takes neither " + spell(OptionField::python) + " nor " +
           spell(OptionField::isolated) + ": it reads the interpreter the process runs, as it is";
  if (!options.program.empty() && (options.pid != 0 || !options.python.empty()))
    return spell(OptionField::program) + " takes neither " + spell(OptionField::pid) + " nor " +
           spell(OptionField::python) + ": it names its Python itself";
  if (!options.program.empty() && options.program.front().empty())
    return spell(OptionField::program) + " must start with a Python, not an empty name";
  if (!options.working_directory.empty() && options.program.empty())
    return spell(OptionField::working_directory) + " goes with " + spell(OptionField::program) +
           ": it is where the program runs";
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
