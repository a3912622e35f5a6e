// Opening a path that another process chose (a distribution's metadata, its package folders)
// the way that process would: a path "/proc/PID/root/REST" resolves REST inside that root
// (absolute symlinks too), never through /proc's magic links, and, when pyprefix is root, with
// that process's file-system user and groups, both taken once (HeldRoot) rather than through
// its number for each file. Any other path opens as it is.
#ifndef PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP
#define PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP

#include <string>
#include <vector>

#include "core/confine/file_descriptor.hpp"
#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {

// A process's root and its user and groups, taken once through its /proc/PID folder (held by
// its caller from before anything of it was read): while a HeldRoot lives, every open of this
// thread below "/proc/PID/root" goes through them, so that the process's later exec of a
// set-user-ID or set-group-ID program, a chroot, or its end and its number's reuse change
// nothing that is read; a path below another process's root is refused. Nested ones stack.
class HeldRoot {
 public:
  // `folder`: /proc/PID, open. Throws pyprefix::error (one line) when its root or status cannot
  // be read (the process ended, or its main thread did).
  HeldRoot(int pid, int folder);
  ~HeldRoot();
  HeldRoot(const HeldRoot&) = delete;
  HeldRoot& operator=(const HeldRoot&) = delete;

  // The HeldRoot of this thread for `path`'s process, or null (also for a path below no root).
  static const HeldRoot* of(const std::string& path);

  int pid() const { return pid_; }
  int root() const { return root_.get(); }
  const Identity& identity() const { return identity_; }  // its user and groups when it was taken

 private:
  int pid_;
  FileDescriptor root_;
  Identity identity_;
  const HeldRoot* outer_;
};

// open(2) by that rule (O_CLOEXEC added); an invalid descriptor with errno set on failure. A
// path below a root no HeldRoot of this thread holds is refused (EACCES); on a kernel without
// openat2 (before 5.6), any path in another root is (EXDEV).
FileDescriptor open_confined(const std::string& path, int flags);

// One entry of a folder: its name, and its type as readdir gives it (DT_UNKNOWN where the file
// system does not say).
struct FolderEntry {
  std::string name;
  unsigned char type = 0;
};

// The entries of the folder at `path` but "." and "..", opened by the rule above and listed
// with the process's rights too (some file systems choose what a listing shows by who reads
// it), a million at most; false with errno set, and no entries, when it cannot be listed.
bool list_confined_folder(const std::string& path, std::vector<FolderEntry>& entries);

// The "/proc/PID/root" that `path` lies below (the root the rule above confines it to), or ""
// for any other path. What a file there names (an absolute path, "..") must stay below it.
std::string confining_root(const std::string& path);

// The text of the regular file at `path` (opened by the rule above, without blocking on a FIFO
// or reading a device), at most `limit` bytes, each also taken from `budget`; false with errno
// set when it cannot be read, is not a regular file (EINVAL) or the budget is spent (EFBIG).
bool read_confined_file(const std::string& path, std::string& text, size_t limit, size_t& budget);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_CONFINE_CONFINED_FILES_HPP
