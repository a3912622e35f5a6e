// pyprefix: where Python code lives, for native profilers and C++ tracers.
// pyprefix::error, what every call throws when it cannot answer: one printable line. Core.
#ifndef PYPREFIX_ERROR_HPP
#define PYPREFIX_ERROR_HPP

#include <stdexcept>

namespace pyprefix {

/// The one exception pyprefix throws. `what()` is a single line of printable text (control bytes,
/// which another process's names may hold, come as `\xNN`); when Python raised, it names
/// the Python call, the exception type and its text, and no Python exception is left pending.
///
/// Example:
///   try {
///     auto list = pyprefix::read_prefix_file("prefixes.json");
///   } catch (const pyprefix::error& e) {
///     std::fprintf(stderr, "%s\n", e.what());  // "cannot open 'prefixes.json': No such file or directory"
///   }
class error : public std::runtime_error {
 public:
  explicit error(const std::string& what);
  explicit error(const char* what);
};

}  // namespace pyprefix

#endif  // PYPREFIX_ERROR_HPP
