// pyprefix: where Python code lives, for native profilers and C++ tracers.
// The library's version. Core.
#ifndef PYPREFIX_VERSION_HPP
#define PYPREFIX_VERSION_HPP

// The one place the version is written; CMake reads it from this line.
#define PYPREFIX_VERSION "0.1.0"

namespace pyprefix {

/// The version of pyprefix that this header belongs to, as "X.Y.Z".
///
/// Example:
///   std::printf("pyprefix %s\n", pyprefix::version);  // "pyprefix 0.1.0"
inline constexpr const char* version = PYPREFIX_VERSION;

}  // namespace pyprefix

#endif  // PYPREFIX_VERSION_HPP
