#include "ask/process/process_anchor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <pyprefix/error.hpp>

#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {

ProcessAnchor::ProcessAnchor(int pid) : pid_(pid), name_("process " + std::to_string(pid)) {
  if (pid <= 0) throw error("a process id must be above 0, not " + std::to_string(pid));
#ifdef SYS_pidfd_open
  pidfd_ = FileDescriptor(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd_.get() < 0 && errno == ESRCH) throw error("there is no process " + std::to_string(pid));
#endif
  const std::string path = "/proc/" + std::to_string(pid);
  folder_ = FileDescriptor(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder_.get() < 0) {
    if (errno == ENOENT) throw error("there is no process " + std::to_string(pid));
    throw error("cannot read " + path + ": " + std::strerror(errno));
  }
  // An ended process (a zombie, or one collected between the two, whose number the folder may
  // now name for a newer process) is refused: nothing of it is read.
  if (!alive()) {
    int failed = 0;
    const bool waits = is_ended(read_small_file(folder_.get(), "status", failed));
    throw error(name_ + " has ended" + (waits ? " (it waits for its parent to collect it)" : ""));
  }
}

bool ProcessAnchor::alive() const {
  if (pidfd_.get() >= 0) {
    pollfd ended{pidfd_.get(), POLLIN, 0};
    return poll(&ended, 1, 0) == 0;
  }
  // Without a pidfd, the folder: its status cannot be read once the process is collected.
  int failed = 0;
  const std::string status = read_small_file(folder_.get(), "status", failed);
  return failed == 0 && !is_ended(status);
}

FileDescriptor ProcessAnchor::open(const char* file, int flags) const {
  return FileDescriptor(openat(folder_.get(), file, flags | O_CLOEXEC));
}

}  // namespace pyprefix::detail
