// Reading a running process from /proc/PID: its command line, environment, root and confinement.
#include "ask/process/target_process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {

Confinement TargetProcess::confinement() const {
  Confinement result;
  for (const FileDescriptor& cgroup : cgroups) result.cgroups.push_back(cgroup.get());
  for (size_t i = 0; i < namespaces.size(); ++i) result.namespaces.push_back({namespaces[i].get(), namespace_types[i]});
  result.root = root.get();
  result.working_directory = working_directory.get();
  result.identity = identity;
  result.joins_user_namespace =
      std::find(namespace_types.begin(), namespace_types.end(), CLONE_NEWUSER) != namespace_types.end();
  result.drop_capabilities = drop_capabilities;
  result.last_capability = last_capability;
  return result;
}

namespace {

// The files of one /proc/PID, all opened through one descriptor of that folder, so that a
// process that ends while it is read (and its number, reused) cannot mix two processes' answers.
class ProcFolder {
 public:
  explicit ProcFolder(const ProcessAnchor& process)
      : pid_(process.pid()), name_(process.name()), folder_(process.folder()) {}

  const std::string& name() const { return name_; }

  // A /proc file's text; its size is the kernel's to bound, but a process's environment and
  // command line are its own: 16 MiB at most (the kernel's own limit for them is smaller).
  std::string read(const char* file) const {
    int failed = 0;
    std::string text = read_small_file(folder_, file, failed, 16u << 20);
    if (failed != 0) fail(file, failed);
    return text;
  }

  // The text, or "" when the file cannot be read (it may not exist on this kernel).
  std::string read_if_there(const char* file) const {
    int failed = 0;
    return read_small_file(folder_, file, failed);
  }

  std::string link(const char* file) const {
    std::string target(256, '\0');
    for (;;) {
      const ssize_t size = readlinkat(folder_, file, target.data(), target.size());
      if (size < 0) fail(file, errno);
      if (static_cast<size_t>(size) < target.size()) {
        target.resize(static_cast<size_t>(size));
        return target;
      }
      target.resize(target.size() * 2);
    }
  }

  struct stat status(const char* file) const {
    struct stat result {};
    if (fstatat(folder_, file, &result, 0) != 0) fail(file, errno);
    return result;
  }

  // Opened at 10 or above, so that a child putting its descriptors in place at 0 to 4 before
  // it uses these (its root, working directory, executable) cannot overwrite one.
  FileDescriptor open_file(const char* file, int flags) const {
    const int opened = openat(folder_, file, flags | O_CLOEXEC);
    if (opened < 0) fail(file, errno);
    const int raised = fcntl(opened, F_DUPFD_CLOEXEC, 10);
    close(opened);
    if (raised < 0) fail(file, errno);
    return FileDescriptor(raised);
  }

  [[noreturn]] void fail(const char* file, int error_number) const {
    if (error_number == ENOENT || error_number == ESRCH) throw error(name_ + " ended while pyprefix read it");
    if (error_number == EACCES || error_number == EPERM)
      throw error("cannot read /proc/" + std::to_string(pid_) + "/" + file +
                  ": permission denied (run pyprefix as the process's user, or as root)");
    throw error("cannot read /proc/" + std::to_string(pid_) + "/" + file + ": " + std::strerror(error_number));
  }

 private:
  int pid_;
  std::string name_;
  int folder_;  // the anchor's
};

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// The namespaces a child takes on, the user namespace first (joining it gives the rights to
// join the others it owns); the PID and time namespaces are those its children would get.
struct NamespaceKind {
  const char* file;
  const char* own_file;
  int type;
};
constexpr NamespaceKind namespace_kinds[] = {
    {"ns/user", "/proc/self/ns/user", CLONE_NEWUSER},       {"ns/mnt", "/proc/self/ns/mnt", CLONE_NEWNS},
    {"ns/pid", "/proc/self/ns/pid", CLONE_NEWPID},          {"ns/net", "/proc/self/ns/net", CLONE_NEWNET},
    {"ns/ipc", "/proc/self/ns/ipc", CLONE_NEWIPC},          {"ns/uts", "/proc/self/ns/uts", CLONE_NEWUTS},
    {"ns/cgroup", "/proc/self/ns/cgroup", CLONE_NEWCGROUP}, {"ns/time", "/proc/self/ns/time", 0x00000080},
};

// The names of namespaces not ours, for a message: "net, pid".
std::string joined_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Where this process reaches the cgroup hierarchy of a /proc/PID/cgroup line
// ("ID:controllers:path"): the mount of that hierarchy (cgroup2 for "0::"), from mountinfo.
std::string cgroup_folder(std::string_view line, const std::string& mountinfo) {
  const size_t first = line.find(':'), second = line.find(':', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return {};
  const std::string controllers(line.substr(first + 1, second - first - 1));
  const std::string path(line.substr(second + 1));
  for (const std::string& mount : split(mountinfo, '\n')) {
    const std::vector<std::string> fields = split(mount, ' ');
    size_t dash = 0;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (fields.size() < 5 || dash + 3 >= fields.size() || fields[3] != "/") continue;
    const std::string& type = fields[dash + 1];
    bool matches = controllers.empty() ? type == "cgroup2" : type == "cgroup";
    if (matches && !controllers.empty()) {
      const std::vector<std::string> options = split(fields[dash + 3], ',');
      for (const std::string& controller : split(controllers, ','))
        matches = matches && std::find(options.begin(), options.end(), controller) != options.end();
    }
    if (matches) return fields[4] + (path == "/" ? "" : path);
  }
  return {};
}

// The security label (AppArmor profile, SELinux context) of a process; "" without an LSM.
std::string label(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text;
}

// `host_id` as a user namespace's uid_map or gid_map ("inside outside count" lines) names it inside.
unsigned long id_inside(const std::string& map, unsigned long host_id, const std::string& process) {
  for (const std::string& line : split(map, '\n')) {
    unsigned long inside = 0, outside = 0, count = 0;
    if (std::sscanf(line.c_str(), "%lu %lu %lu", &inside, &outside, &count) == 3 && host_id >= outside &&
        host_id - outside < count)
      return inside + (host_id - outside);
  }
  throw error(process + " runs as an id its user namespace does not map; pyprefix cannot take it on");
}

// The parts of the process's confinement the child must take on, or a one-line refusal.
void read_confinement(const ProcFolder& folder, const std::string& status, TargetProcess& target, bool runs_its_code) {
  const bool is_root = geteuid() == 0;
  check_root_can_confine(folder.name());
  int failed = 0;
  const std::string own_status = read_small_file(AT_FDCWD, "/proc/self/status", failed);
  // A seccomp filter cannot be copied from another process: refuse rather than run without it.
  const std::string seccomp = status_field(status, "Seccomp");
  if (runs_its_code && !seccomp.empty() && seccomp != "0" && status_field(own_status, "Seccomp") == "0")
    throw error(folder.name() +
                " runs under a seccomp filter, which pyprefix cannot take on; run pyprefix inside its "
                "container or service (for example `docker exec` or `nsenter`), or ask its Python "
                "with --python");
  const std::string own_label = label(read_small_file(AT_FDCWD, "/proc/self/attr/current", failed));
  const std::string its_label = label(folder.read_if_there("attr/current"));
  if (runs_its_code && !its_label.empty() && its_label != own_label && its_label != "unconfined")
    throw error(folder.name() + " runs under the security profile '" + its_label +
                "', which pyprefix cannot take on; run pyprefix under that profile (inside its container), "
                "or ask its Python with --python");

  std::vector<std::string> others;
  for (const NamespaceKind& kind : namespace_kinds) {
    struct stat own {};
    if (stat(kind.own_file, &own) != 0) continue;  // this kernel has no such namespace
    if (same_file(folder.status(kind.file), own)) continue;
    others.push_back(std::string(kind.file + 3));
    if (is_root) {
      target.namespaces.push_back(folder.open_file(kind.file, O_RDONLY));
      target.namespace_types.push_back(kind.type);
    }
  }
  if (!others.empty() && !is_root)
    throw error(folder.name() + " runs in namespaces of its own (" + joined_names(others) +
                "); only root may take them on");

  const std::string own_cgroups = read_small_file(AT_FDCWD, "/proc/self/cgroup", failed);
  const std::string mountinfo = read_small_file(AT_FDCWD, "/proc/self/mountinfo", failed, 16u << 20);
  const std::vector<std::string> ours = split(own_cgroups, '\n');
  for (const std::string& line : split(folder.read_if_there("cgroup"), '\n')) {
    if (line.empty() || std::find(ours.begin(), ours.end(), line) != ours.end()) continue;
    if (!is_root) throw error(folder.name() + " runs in a cgroup of its own; only root may take it on");
    const std::string where = cgroup_folder(line, mountinfo);
    const std::string procs = where + "/cgroup.procs";
    FileDescriptor file(where.empty() ? -1 : open(procs.c_str(), O_WRONLY | O_CLOEXEC));
    if (file.get() < 0)
      throw error(folder.name() + " runs in the cgroup '" + line + "', which pyprefix cannot join" +
                  (where.empty() ? std::string(" (its hierarchy is not mounted here)")
                                 : std::string(": ") + std::strerror(errno)));
    target.cgroups.push_back(std::move(file));
  }

  // Its user, and (as root) no capabilities, whatever that user is: root in a container has
  // none of the host's. For --attach this is checked again as the helper's identity is taken: a
  // set-user-ID exec since the first check would otherwise lend the helper another user's rights.
  require_one_identity(status, folder.name());
  const Identity identity = identity_of(status);
  if (!is_root && (identity.uid != geteuid() || identity.gid != getegid()))
    throw error(folder.name() + " runs as user " + std::to_string(identity.uid) +
                "; only that user or root may run its Python");
  if (is_root) {
    target.identity = identity;
    // In its own user namespace its user and group are that namespace's numbers for them
    // (supplementary groups stay the host's: they are set before joining it).
    if (std::find(target.namespace_types.begin(), target.namespace_types.end(), CLONE_NEWUSER) !=
        target.namespace_types.end()) {
      target.identity->uid = static_cast<uid_t>(id_inside(folder.read("uid_map"), identity.uid, folder.name()));
      target.identity->gid = static_cast<gid_t>(id_inside(folder.read("gid_map"), identity.gid, folder.name()));
    }
    target.drop_capabilities = true;
    const std::string last = read_small_file(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", failed);
    if (!last.empty()) target.last_capability = std::atoi(last.c_str());
  }
}

// What every way of asking a process needs: its environment, root, working directory and
// confinement. `runs_its_code`: a child will run the process's Python (else only pyprefix's own
// code runs confined, which no seccomp filter or security profile is needed to hold).
TargetProcess inspect_confinement(const ProcFolder& folder, int pid, bool runs_its_code) {
  TargetProcess target;
  target.pid = pid;
  const std::string status = folder.read("status");
  if (is_ended(status)) throw error(folder.name() + " has ended (it waits for its parent to collect it)");
  target.environment = split(folder.read("environ"), '\0');

  // Another root: a chroot, or another mount namespace (a container).
  struct stat own_root {
  }, own_namespace{};
  if (stat("/", &own_root) != 0 || stat("/proc/self/ns/mnt", &own_namespace) != 0)
    throw error(std::string("cannot read this process's own root: ") + std::strerror(errno));
  const bool other_root =
      !same_file(folder.status("ns/mnt"), own_namespace) || !same_file(folder.status("root"), own_root);
  if (other_root) {
    if (geteuid() != 0)
      throw error(folder.name() + " sees another file system (a container or chroot); only root may enter it");
    target.root_on_host = "/proc/" + std::to_string(pid) + "/root";
    target.root = folder.open_file("root", O_RDONLY | O_DIRECTORY);
  }
  target.working_directory = folder.open_file("cwd", O_RDONLY | O_DIRECTORY);
  read_confinement(folder, status, target, runs_its_code);
  return target;
}

}  // namespace

void check_root_can_confine(const std::string& name) {
  // Root's child enters the process's namespaces and a PID namespace of its own: both need it.
  if (geteuid() == 0 && !has_capability(capability_sys_admin))
    throw error("pyprefix runs as root without CAP_SYS_ADMIN, which its child needs to take on " + name +
                "'s confinement (a container drops it: add it, as `docker run --cap-add SYS_ADMIN` does)");
}

TargetProcess inspect_process(const ProcessAnchor& process, const std::string& python) {
  const ProcFolder folder(process);
  TargetProcess target = inspect_confinement(folder, process.pid(), true);
  const std::vector<std::string> argv = split(folder.read("cmdline"), '\0');
  if (argv.empty()) throw error(folder.name() + " has no command line (a kernel thread, or it has ended)");

  // Another program's command line is not Python's: the named Python starts as --python does,
  // found by the child on the process's PATH, with the process's rights, inside its root.
  if (!python.empty()) {
    target.first_entry.kind = FirstEntry::Kind::none;
    target.name = target.started_as = python;
    target.search = python_candidates(python, target.environment);
  } else {
    // The binary it runs, run as it is (even when an upgrade has deleted it), named by its own
    // argv[0], which keeps a venv's bin/python for Python to find the venv by, as it did.
    std::string executable = folder.link("exe");
    constexpr std::string_view deleted = " (deleted)";
    if (executable.size() > deleted.size() &&
        executable.compare(executable.size() - deleted.size(), deleted.size(), deleted) == 0)
      executable.resize(executable.size() - deleted.size());
    if (!is_python_name(executable))
      throw error(folder.name() + " runs " + executable +
                  ", which is not a Python interpreter; if it embeds Python, name that Python with --python");
    PythonCommandLine command_line = read_python_command_line(argv);
    target.flags = std::move(command_line.flags);
    target.first_entry = std::move(command_line.first_entry);
    target.name = executable;
    target.started_as = argv[0].empty() ? executable : argv[0];
    target.executable = folder.open_file("exe", O_PATH);
  }
  if (is_ended(folder.read("status"))) throw error(folder.name() + " ended while pyprefix read it");
  return target;
}

TargetProcess inspect_process_to_attach(const ProcessAnchor& process) {
  const ProcFolder folder(process);
  TargetProcess target = inspect_confinement(folder, process.pid(), false);
  target.name = folder.name();
  if (is_ended(folder.read("status"))) throw error(folder.name() + " ended while pyprefix read it");
  return target;
}

}  // namespace pyprefix::detail
