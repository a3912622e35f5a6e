#include "spawn/target_process.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <pyprefix/error.hpp>

#include "normalise/posix_path.hpp"
#include "spawn/executable.hpp"

namespace pyprefix::detail {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

namespace {

// The files of one /proc/PID, all opened through one descriptor of that folder, so that a
// process that ends while it is read (and its number, reused) cannot mix two processes' answers.
class ProcFolder {
 public:
  explicit ProcFolder(int pid) : pid_(pid), name_("process " + std::to_string(pid)) {
    const std::string path = "/proc/" + std::to_string(pid);
    folder_ = FileDescriptor(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (folder_.get() < 0) {
      if (errno == ENOENT) throw error("there is no process " + std::to_string(pid));
      fail("folder", errno);
    }
  }

  const std::string& name() const { return name_; }

  std::string read(const char* file) const {
    FileDescriptor fd(openat(folder_.get(), file, O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail(file, errno);
    std::string text;
    char buffer[65536];
    for (;;) {
      const ssize_t size = ::read(fd.get(), buffer, sizeof buffer);
      if (size < 0 && errno == EINTR) continue;
      if (size < 0) fail(file, errno);
      if (size == 0) return text;
      text.append(buffer, static_cast<size_t>(size));
    }
  }

  std::string link(const char* file) const {
    std::string target(256, '\0');
    for (;;) {
      const ssize_t size = readlinkat(folder_.get(), file, target.data(), target.size());
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
    if (fstatat(folder_.get(), file, &result, 0) != 0) fail(file, errno);
    return result;
  }

  FileDescriptor open_folder(const char* file) const {
    FileDescriptor fd(openat(folder_.get(), file, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) fail(file, errno);
    return fd;
  }

  FileDescriptor open_file(const char* file) const {
    FileDescriptor fd(openat(folder_.get(), file, O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail(file, errno);
    return fd;
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
  FileDescriptor folder_;
};

std::vector<std::string> split_at_nul(const std::string& text) {
  std::vector<std::string> parts;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The value of a "Name:\tvalue" line of /proc/PID/status.
std::string status_field(const std::string& status, std::string_view name) {
  for (size_t start = 0; start < status.size();) {
    size_t end = status.find('\n', start);
    if (end == std::string::npos) end = status.size();
    const std::string_view line = std::string_view(status).substr(start, end - start);
    if (line.size() > name.size() && line.substr(0, name.size()) == name && line[name.size()] == ':') {
      const size_t value = line.find_first_not_of(" \t", name.size() + 1);
      return value == std::string_view::npos ? std::string() : std::string(line.substr(value));
    }
    start = end + 1;
  }
  return {};
}

std::vector<unsigned long> numbers(const std::string& text) {
  std::vector<unsigned long> result;
  const char* cursor = text.c_str();
  for (;;) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(cursor, &end, 10);
    if (end == cursor) return result;
    result.push_back(value);
    cursor = end;
  }
}

bool is_ended(const std::string& status) { return status_field(status, "State").rfind('Z', 0) == 0; }

// The user to run as: the process's effective user and group, or its real ones when only those
// are not root (a set-user-ID program), so never more rights than the process has.
Identity identity_of(const std::string& status) {
  const std::vector<unsigned long> uids = numbers(status_field(status, "Uid"));
  const std::vector<unsigned long> gids = numbers(status_field(status, "Gid"));
  if (uids.size() < 2 || gids.size() < 2) throw error("cannot read the user of a process from its /proc status");
  Identity identity;
  identity.uid = static_cast<uid_t>(uids[1] == 0 && uids[0] != 0 ? uids[0] : uids[1]);
  identity.gid = static_cast<gid_t>(gids[1] == 0 && gids[0] != 0 ? gids[0] : gids[1]);
  for (unsigned long group : numbers(status_field(status, "Groups")))
    identity.groups.push_back(static_cast<gid_t>(group));
  return identity;
}

// Whether an executable's file name is a CPython interpreter's: python, python3, python3.12,
// python3.13t, python3.11d.
bool is_python_name(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.substr(0, 6) != "python") return false;
  size_t i = 6;
  while (i < name.size() && ((name[i] >= '0' && name[i] <= '9') || name[i] == '.')) ++i;
  while (i < name.size() && name[i] >= 'a' && name[i] <= 'z') ++i;
  return i == name.size();
}

// Python's own command-line rules (Python/getopt.c): which of the flags that change sys.path it
// was given, and how its sys.path[0] came about.
void read_command_line(const std::vector<std::string>& argv, TargetProcess& target) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& argument = argv[i];
    if (argument == "--") {
      if (i + 1 < argv.size()) target.first_entry = {FirstEntry::Kind::script, argv[i + 1]};
      return;
    }
    if (argument.rfind("--", 0) == 0) {
      if (argument == "--check-hash-based-pycs") ++i;  // the one long option with a value
      continue;
    }
    if (argument == "-" || argument.empty() || argument[0] != '-') {
      if (argument != "-") target.first_entry = {FirstEntry::Kind::script, argument};
      return;  // the rest is the script's
    }
    for (size_t j = 1; j < argument.size(); ++j) {
      const char option = argument[j];
      if (option == 'c') return;  // "-c" and "-" keep the '' of FirstEntry's default
      if (option == 'm') {
        target.first_entry.kind = FirstEntry::Kind::module;
        return;
      }
      if (option == 'W' || option == 'X') {
        if (j + 1 == argument.size()) ++i;  // the value is the next argument
        break;
      }
      if (std::strchr("IEsSP", option) != nullptr) {
        const std::string flag{'-', option};
        bool known = false;
        for (const std::string& seen : target.flags) known = known || seen == flag;
        if (!known) target.flags.push_back(flag);
      }
    }
  }
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

}  // namespace

TargetProcess inspect_process(int pid, const std::string& python) {
  if (pid <= 0) throw error("--pid takes a process id above 0, not " + std::to_string(pid));
  const ProcFolder folder(pid);
  TargetProcess target;
  target.pid = pid;
  const std::string status = folder.read("status");
  if (is_ended(status)) throw error(folder.name() + " has ended (it waits for its parent to collect it)");
  const std::vector<std::string> argv = split_at_nul(folder.read("cmdline"));
  if (argv.empty()) throw error(folder.name() + " has no command line (a kernel thread, or it has ended)");
  target.environment = split_at_nul(folder.read("environ"));
  const std::string executable_link = folder.link("exe");
  const struct stat executable_file = folder.status("exe");

  // Another root: a chroot, or another mount namespace (a container).
  struct stat own_root {
  }, own_namespace{};
  if (stat("/", &own_root) != 0 || stat("/proc/self/ns/mnt", &own_namespace) != 0)
    throw error(std::string("cannot read this process's own root: ") + std::strerror(errno));
  const bool other_namespace = !same_file(folder.status("ns/mnt"), own_namespace);
  const bool other_root = other_namespace || !same_file(folder.status("root"), own_root);
  ProcessView view;
  view.working_directory = folder.link("cwd");
  if (other_root) {
    if (geteuid() != 0)
      throw error(folder.name() + " sees another file system (a container or chroot); only root may enter it");
    view.root_on_host = "/proc/" + std::to_string(pid) + "/root";
    // In a chroot of this namespace the links name host paths: the process sees them below its root.
    const std::string root_link = folder.link("root");
    if (!other_namespace && root_link != "/" && view.working_directory.rfind(root_link + "/", 0) == 0)
      view.working_directory.erase(0, root_link.size());
    if (other_namespace) target.mount_namespace = folder.open_file("ns/mnt");
    target.root = folder.open_folder("root");
    target.root_on_host = view.root_on_host;
  }
  target.working_directory = folder.open_folder("cwd");

  const Identity identity = identity_of(status);
  if (identity.uid != geteuid() || identity.gid != getegid()) {
    if (geteuid() != 0)
      throw error(folder.name() + " runs as user " + std::to_string(identity.uid) +
                  "; only that user or root may run its Python");
    target.identity = identity;
  }

  // Another program's command line is not Python's: the named Python starts as --python does.
  if (python.empty())
    read_command_line(argv, target);
  else
    target.first_entry.kind = FirstEntry::Kind::none;
  std::string search_path = "/bin:/usr/bin";  // what execvp uses when PATH is unset
  for (const std::string& variable : target.environment)
    if (variable.rfind("PATH=", 0) == 0) search_path = variable.substr(5);
  if (!python.empty()) {
    target.executable = find_executable(python, search_path, view);
  } else {
    if (!is_python_name(executable_link))
      throw error(folder.name() + " runs " + executable_link +
                  ", which is not a Python interpreter; if it embeds Python, name that Python with --python");
    // Its argv[0], found as its PATH and working directory find it, keeps a venv's bin/python,
    // which /proc/PID/exe (the resolved binary) loses; it must lead to that binary.
    try {
      const std::string started_as = find_executable(argv[0], search_path, view);
      struct stat file {};
      if (stat((view.root_on_host + started_as).c_str(), &file) == 0 && same_file(file, executable_file))
        target.executable = abspath(started_as, view.working_directory);
    } catch (const error&) {
      // Not found as it would be: the executable itself, below.
    }
    if (target.executable.empty()) {
      target.diagnostics.push_back(folder.name() + " was started as '" + argv[0] + "', which does not lead to " +
                                   executable_link + "; asking " + executable_link +
                                   " (a venv it was started from is not seen)");
      target.executable = executable_link;
    }
  }
  if (is_ended(folder.read("status"))) throw error(folder.name() + " ended while pyprefix read it");
  return target;
}

}  // namespace pyprefix::detail
