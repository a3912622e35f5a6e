// ntpath's lexical rules, for the prefixes of a manifest written on Windows.
#ifndef PYPREFIX_LIB_CORE_NORMALISE_WINDOWS_PATH_HPP
#define PYPREFIX_LIB_CORE_NORMALISE_WINDOWS_PATH_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pyprefix::detail {

// ntpath.normpath(path) with a "\" at the end, for an absolute Windows path: a drive letter and a
// root ("C:\", "c:/"), or a UNC share ("\\server\share\"); "\\?\" and "\\.\" device paths are
// kept as they are. Nothing for any other path (relative, "C:" alone, "\\server" without a share).
std::optional<std::string> windows_prefix(std::string_view path);

// The form in which Windows paths are compared, as ntpath.normcase compares them (for ASCII):
// "/" for either separator, so that the POSIX machinery finds their folder boundaries, and
// lower-case letters. `size` bytes from `from` to `to`, which may be the same place.
void fold_windows_path(const char* from, size_t size, char* to) noexcept;

// fold_windows_path() of a whole path.
std::string folded_windows_path(std::string_view path);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_NORMALISE_WINDOWS_PATH_HPP
