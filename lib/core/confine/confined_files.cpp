#include "core/confine/confined_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

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

// This thread's file-system user and groups as another process's (`identity`, from its /proc
// status), and no effective capability, while it lives; for root only (`identity` not null): anyone else reads
// as the process's own user already, the only one it may inspect. The capabilities go too:
// setfsuid drops only the file-system ones, and others (CAP_SYS_PTRACE, CAP_SYSLOG) decide what
// a file of /proc shows to the one who opens it. Raw system calls throughout: glibc's wrappers
// would change every thread of the process.
class ThreadCredentials {
 public:
  explicit ThreadCredentials(const Identity* switching_to) {
    if (switching_to == nullptr) return;
    const Identity& identity = *switching_to;
    own_groups_ = getgroups(0, nullptr);
    groups_.resize(static_cast<size_t>(own_groups_ > 0 ? own_groups_ : 0));
    if (own_groups_ < 0 || getgroups(own_groups_, groups_.data()) != own_groups_) return;
    if (syscall(SYS_capget, &capability_header_, own_capabilities_) != 0) return;
    if (syscall(SYS_setgroups, identity.groups.size(), identity.groups.data()) != 0) return;
    syscall(SYS_setfsgid, identity.gid);
    syscall(SYS_setfsuid, identity.uid);
    switched_ = true;
    // Neither says when it fails (each returns the old id; without CAP_SETUID, or for an id this
    // namespace does not map, nothing changes): what took is read back (-1 changes nothing).
    if (syscall(SYS_setfsuid, static_cast<uid_t>(-1)) != static_cast<long>(identity.uid) ||
        syscall(SYS_setfsgid, static_cast<gid_t>(-1)) != static_cast<long>(identity.gid))
      return;
    // Last: changing the ids above needs capabilities. Permitted ones stay, to be taken back.
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
    for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
      none[i].permitted = own_capabilities_[i].permitted;
      none[i].inheritable = own_capabilities_[i].inheritable;
    }
    capabilities_dropped_ = syscall(SYS_capset, &capability_header_, none) == 0;
  }
  // The process's user and groups, and no capability: this thread may read as that process.
  bool granted() const { return switched_ && capabilities_dropped_; }
  ~ThreadCredentials() {
    const int saved_errno = errno;
    // Capabilities first: changing the ids back needs them. Never keep another's rights.
    if (capabilities_dropped_ && syscall(SYS_capset, &capability_header_, own_capabilities_) != 0) std::abort();
    if (switched_) {
      syscall(SYS_setfsuid, 0);
      syscall(SYS_setfsgid, getegid());
      if (syscall(SYS_setgroups, groups_.size(), groups_.data()) != 0) std::abort();
    }
    errno = saved_errno;
  }
  ThreadCredentials(const ThreadCredentials&) = delete;
  ThreadCredentials& operator=(const ThreadCredentials&) = delete;

 private:
  bool switched_ = false;
  bool capabilities_dropped_ = false;
  int own_groups_ = 0;
  std::vector<gid_t> groups_;
  __user_cap_header_struct capability_header_{_LINUX_CAPABILITY_VERSION_3, 0};  // 0: this thread
  __user_cap_data_struct own_capabilities_[_LINUX_CAPABILITY_U32S_3] = {};
};

// Kernel file systems whose files say things about the machine and its processes: never a
// distribution's metadata, whatever link leads there.
bool is_kernel_file_system(int fd) {
  struct statfs where {};
  if (fstatfs(fd, &where) != 0) return true;
  switch (static_cast<unsigned long>(where.f_type)) {
    case PROC_SUPER_MAGIC:
    case SYSFS_MAGIC:
    case DEBUGFS_MAGIC:
    case TRACEFS_MAGIC:
    case SECURITYFS_MAGIC:
    case BPF_FS_MAGIC:
    case CGROUP_SUPER_MAGIC:
    case CGROUP2_SUPER_MAGIC:
    case EFIVARFS_MAGIC:
    case PSTOREFS_MAGIC:
      return true;
    default:
      return false;
  }
}

// `rest` opened below the held root, as open_confined() says (its caller holds the rights).
FileDescriptor open_below(const HeldRoot& held, const std::string& rest, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
#ifdef SYS_openat2
  const long fd = syscall(SYS_openat2, held.root(), rest.c_str(), &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) errno = EXDEV;
#else
  const long fd = -1;
  errno = EXDEV;
#endif
  return FileDescriptor(static_cast<int>(fd));
}

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
  const std::string status = read_small_file(folder, "status", failed);
  if (failed != 0) throw error("cannot read the status of " + name + ": " + std::strerror(failed));
  require_one_identity(status, name);
  identity_ = identity_of(status);
  // Root reads its files as its user, or not at all: said once here, rather than as files missing.
  if (geteuid() == 0 && !ThreadCredentials(&identity_).granted())
    throw error("cannot read the files of " + name +
                " as its user: this root could not take its user and groups (that needs CAP_SETUID and "
                "CAP_SETGID, and ids this user namespace maps)");
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

namespace {

// The HeldRoot for `path` (below a process's root) or null (any other path), and false with
// errno set when it is below a root no HeldRoot of this thread holds.
bool held_root_for(const std::string& path, std::string& rest, const HeldRoot*& held) {
  held = nullptr;
  if (root_of(path, rest) == 0) return true;
  held = HeldRoot::of(path);
  if (held != nullptr) return true;
  errno = EACCES;  // its number alone names no process for certain
  return false;
}

// `path` opened by open_confined()'s rule, the process's rights kept while this lives: what a
// listing or a read of some file systems shows (FUSE, CIFS, /proc) is decided by who does it.
class ConfinedOpen {
 public:
  ConfinedOpen(const std::string& path, int flags)
      : known_(held_root_for(path, rest_, held_)),
        as_root_(held_ != nullptr && geteuid() == 0),
        rights_(as_root_ ? &held_->identity() : nullptr) {
    if (!known_) return;
    if (as_root_ && !rights_.granted()) {  // never with root's rights
      errno = EACCES;
      return;
    }
    file_ = held_ != nullptr ? open_below(*held_, rest_, flags) : FileDescriptor(open(path.c_str(), flags | O_CLOEXEC));
    if (file_.get() >= 0 && held_ != nullptr && is_kernel_file_system(file_.get())) {
      file_.reset();
      errno = EINVAL;
    }
  }
  FileDescriptor& file() { return file_; }  // invalid, errno set, when it could not be opened

 private:
  std::string rest_;
  const HeldRoot* held_ = nullptr;
  bool known_;
  bool as_root_;
  ThreadCredentials rights_;
  FileDescriptor file_;
};

}  // namespace

FileDescriptor open_confined(const std::string& path, int flags) {
  ConfinedOpen opened(path, flags);
  return std::move(opened.file());
}

bool list_confined_folder(const std::string& path, std::vector<FolderEntry>& entries) {
  entries.clear();
  ConfinedOpen opened(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
  if (opened.file().get() < 0) return false;
  const std::unique_ptr<DIR, int (*)(DIR*)> listing(fdopendir(opened.file().get()), closedir);
  if (!listing) return false;
  opened.file().release();                   // the DIR owns it now
  constexpr size_t most_entries = 1u << 20;  // another user's folder: bounded like its files
  for (;;) {
    errno = 0;
    const dirent* entry = readdir(listing.get());
    if (entry == nullptr) break;
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (entries.size() == most_entries) {
      entries.clear();  // nothing rather than a part
      errno = EFBIG;
      return false;
    }
    entries.push_back({std::string(name), entry->d_type});
  }
  if (errno == 0) return true;
  const int failed = errno;
  entries.clear();
  errno = failed;
  return false;
}

bool read_confined_file(const std::string& path, std::string& text, size_t limit, size_t& budget) {
  ConfinedOpen opened(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  const FileDescriptor& file = opened.file();
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
