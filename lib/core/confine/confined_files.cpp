#include "core/confine/confined_files.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <pyprefix/error.hpp>

#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {
namespace {

// "/proc/PID/root/REST" -> PID and REST; 0 for any other path.
int root_of(const std::string& path, std::string& rest) {
  constexpr std::string_view proc = "/proc/";
  if (path.compare(0, proc.size(), proc) != 0) return 0;
  size_t at = proc.size();
  int pid = 0;
  while (at < path.size() && path[at] >= '0' && path[at] <= '9' && pid < (1 << 26)) pid = pid * 10 + (path[at++] - '0');
  constexpr std::string_view root = "/root";
  if (pid == 0 || path.compare(at, root.size(), root) != 0) return 0;
  at += root.size();
  if (at != path.size() && path[at] != '/') return 0;
  rest = path.substr(at);
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  if (rest.empty()) rest = ".";
  return pid;
}

// This thread's file-system user and groups as another process's (from its /proc status) while
// it lives; for root only (`switching`): anyone else reads as the process's own user already,
// the only one it may inspect.
class ThreadCredentials {
 public:
  ThreadCredentials(const std::string& status, bool switching) {
    if (!switching) return;
    Identity identity;
    try {
      identity = identity_of(status);
    } catch (const error&) {
      return;
    }
    own_groups_ = getgroups(0, nullptr);
    groups_.resize(static_cast<size_t>(own_groups_ > 0 ? own_groups_ : 0));
    if (own_groups_ < 0 || getgroups(own_groups_, groups_.data()) != own_groups_) return;
    // Raw system calls: glibc's wrappers would change every thread of the process.
    if (syscall(SYS_setgroups, identity.groups.size(), identity.groups.data()) != 0) return;
    syscall(SYS_setfsgid, identity.gid);
    syscall(SYS_setfsuid, identity.uid);
    switched_ = true;
  }
  bool switched() const { return switched_; }
  ~ThreadCredentials() {
    if (!switched_) return;
    const int saved_errno = errno;
    syscall(SYS_setfsuid, 0);
    syscall(SYS_setfsgid, getegid());
    if (syscall(SYS_setgroups, groups_.size(), groups_.data()) != 0) std::abort();  // never keep another's groups
    errno = saved_errno;
  }
  ThreadCredentials(const ThreadCredentials&) = delete;
  ThreadCredentials& operator=(const ThreadCredentials&) = delete;

 private:
  bool switched_ = false;
  int own_groups_ = 0;
  std::vector<gid_t> groups_;
};

}  // namespace

std::string confining_root(const std::string& path) {
  std::string rest;
  if (root_of(path, rest) == 0) return "";
  return path.substr(0, path.find("/root") + 5);
}

namespace {
// The HeldRoot innermost on this thread: its own, scoped state (set and restored by HeldRoot).
thread_local const HeldRoot* innermost_held_root = nullptr;
}  // namespace

HeldRoot::HeldRoot(int pid, int folder) : pid_(pid), outer_(innermost_held_root) {
  const std::string name = "process " + std::to_string(pid);
  root_ = FileDescriptor(openat(folder, "root", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (root_.get() < 0) throw error("cannot open the root of " + name + ": " + std::strerror(errno));
  int failed = 0;
  status_ = read_small_file(folder, "status", failed);
  if (failed != 0) throw error("cannot read the status of " + name + ": " + std::strerror(failed));
  innermost_held_root = this;
}

HeldRoot::~HeldRoot() { innermost_held_root = outer_; }

const HeldRoot* HeldRoot::of(const std::string& path) {
  std::string rest;
  const int pid = root_of(path, rest);
  if (pid == 0) return nullptr;
  for (const HeldRoot* held = innermost_held_root; held != nullptr; held = held->outer_)
    if (held->pid_ == pid) return held;
  return nullptr;
}

FileDescriptor open_confined(const std::string& path, int flags) {
  std::string rest;
  const int pid = root_of(path, rest);
  if (pid == 0) return FileDescriptor(open(path.c_str(), flags | O_CLOEXEC));
  const HeldRoot* held = HeldRoot::of(path);
  if (held == nullptr) {  // its number alone names no process for certain
    errno = EACCES;
    return FileDescriptor();
  }
  const bool as_root = geteuid() == 0;
  const ThreadCredentials as_that_process(held->status(), as_root);
  if (as_root && !as_that_process.switched()) {  // never read it with root's rights
    errno = EACCES;
    return FileDescriptor();
  }
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
#ifdef SYS_openat2
  const long fd = syscall(SYS_openat2, held->root(), rest.c_str(), &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) errno = EXDEV;
#else
  const long fd = -1;
  errno = EXDEV;
#endif
  return FileDescriptor(static_cast<int>(fd));
}

bool read_confined_file(const std::string& path, std::string& text, size_t limit, size_t& budget) {
  const FileDescriptor file = open_confined(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (file.get() < 0) return false;
  struct stat status {};
  if (fstat(file.get(), &status) != 0) return false;
  if (!S_ISREG(status.st_mode)) {
    errno = EINVAL;
    return false;
  }
  text.clear();
  char buffer[1 << 16];
  for (;;) {
    const ssize_t size = read(file.get(), buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0) return false;
    if (size == 0) return true;
    if (static_cast<size_t>(size) > budget) {
      budget = 0;
      errno = EFBIG;
      return false;
    }
    budget -= static_cast<size_t>(size);
    text.append(buffer, static_cast<size_t>(size));
    if (text.size() >= limit) {
      text.resize(limit);
      return true;
    }
  }
}

}  // namespace pyprefix::detail
