// posixpath's lexical rules, on bytes, byte for byte.
#ifndef PYPREFIX_LIB_CORE_NORMALISE_POSIX_PATH_HPP
#define PYPREFIX_LIB_CORE_NORMALISE_POSIX_PATH_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// posixpath.abspath(path) with `cwd` (absolute, as os.getcwdb() gives it) for the working
// directory. Boost.Filesystem's absolute().lexically_normal() differs on ".", "a/", "/..", "//"
// and trailing separators, hence these rules of our own.
std::string abspath(std::string_view path, std::string_view cwd);

// The working directory as os.getcwdb() gives it. Throws pyprefix::error.
std::string current_directory();

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_NORMALISE_POSIX_PATH_HPP
