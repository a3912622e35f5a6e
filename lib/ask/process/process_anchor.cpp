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
  // A thread's id names a /proc folder too (its process's root and user, under another name).
  int failed = 0;
  const std::string status = read_small_file(folder_.get(), "status", failed);
  if (failed == 0 && status_field(status, "Tgid") != std::to_string(pid))
    throw error("there is no process " + std::to_string(pid) + ": it is a thread of process " +
                status_field(status, "Tgid"));
  // An ended process (a zombie, or one collected between the two, whose number the folder may
  // now name for a newer process) is refused: nothing of it is read.
  if (!alive_by(status, failed))
    throw error(name_ + " has ended" + (is_ended(status) ? " (it waits for its parent to collect it)" : ""));
}

bool ProcessAnchor::alive() const {
  int failed = 0;
  const std::string status = read_small_file(folder_.get(), "status", failed);
  return alive_by(status, failed);
}

bool ProcessAnchor::alive_by(const std::string& status, int failed) const {
  if (pidfd_.get() >= 0) {
    pollfd ended{pidfd_.get(), POLLIN, 0};
    if (poll(&ended, 1, 0) != 0) return false;
  }
  // The folder too: its status cannot be read once the process is collected, and says Z once
  // its main thread has ended (which a pidfd does not tell while other threads run).
  return failed == 0 && !is_ended(status);
}

FileDescriptor ProcessAnchor::open(const char* file, int flags) const {
  return FileDescriptor(openat(folder_.get(), file, flags | O_CLOEXEC));
}

}  // namespace pyprefix::detail
