// ntpath's lexical rules, for the prefixes of a manifest written on Windows.
#ifndef PYPREFIX_LIB_NORMALISE_WINDOWS_PATH_HPP
#define PYPREFIX_LIB_NORMALISE_WINDOWS_PATH_HPP

#include <optional>
#include <string>
#include <string_view>

namespace pyprefix::detail {

// ntpath.normpath(path) with a "\" at the end, for an absolute Windows path: a drive letter and a
// root ("C:\", "c:/"), or a UNC share ("\\server\share\"); "\\?\" and "\\.\" device paths are
// kept as they are. Nothing for any other path (relative, "C:" alone, "\\server" without a share).
std::optional<std::string> windows_prefix(std::string_view path);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_NORMALISE_WINDOWS_PATH_HPP
