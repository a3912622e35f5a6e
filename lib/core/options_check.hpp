// The one check of pyprefix::Options: every front end applies these rules and names the
// options its own way (field names in C++, C and Python; flags in the tool).
#ifndef PYPREFIX_LIB_CORE_OPTIONS_CHECK_HPP
#define PYPREFIX_LIB_CORE_OPTIONS_CHECK_HPP

#include <chrono>
#include <string>

#include <pyprefix/options.hpp>

namespace pyprefix::detail {

// The fields of Options that a rule names.
enum class OptionField {
  pid,
  host_paths,
  attach,
  python,
  isolated,
  timeout,
  program,
  working_directory,
  resolve_symlinks
};

// How a front end spells a field: "host_paths", "--host-paths".
using OptionSpelling = std::string (*)(OptionField field);

// The field's name in Options (and in the C and Python APIs).
std::string option_field_name(OptionField field);

// The first rule `options` breaks, one line naming the options as `spell` does; "" when none.
std::string options_problem(const Options& options, OptionSpelling spell = option_field_name);

// A timeout given in seconds (the tool's and the Python package's unit), to the millisecond.
// A value out of range stays out of range, never overflowed, so that the options check refuses
// it; NaN becomes 0.
std::chrono::milliseconds timeout_from_seconds(double seconds);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_OPTIONS_CHECK_HPP
