// Opening a path that another process chose (a distribution's metadata, its package folders)
// the way that process would: a path "/proc/PID/root/REST" resolves REST inside that root
// (absolute symlinks too), never through /proc's magic links, and, when pyprefix is root, with
// that process's file-system user and groups. Any other path opens as it is.
#ifndef PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP
#define PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP

#include <string>

#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

// open(2) by that rule (O_CLOEXEC added); an invalid descriptor with errno set on failure. On a
// kernel without openat2 (before 5.6), a path in another root is refused (EXDEV).
FileDescriptor open_confined(const std::string& path, int flags);

// The "/proc/PID/root" that `path` lies below (the root the rule above confines it to), or ""
// for any other path. What a file there names (an absolute path, "..") must stay below it.
std::string confining_root(const std::string& path);

// The text of the regular file at `path` (opened by the rule above, without blocking on a FIFO
// or reading a device), at most `limit` bytes, each also taken from `budget`; false with errno
// set when it cannot be read, is not a regular file (EINVAL) or the budget is spent (EFBIG).
bool read_confined_file(const std::string& path, std::string& text, size_t limit, size_t& budget);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP
