// A running process pyprefix did not start -> how to run its Python as it would start: the
// executable it was started as, its flags, environment, working directory, root and user, read
// from /proc/PID.
#ifndef PYPREFIX_LIB_SPAWN_TARGET_PROCESS_HPP
#define PYPREFIX_LIB_SPAWN_TARGET_PROCESS_HPP

#include <string>
#include <vector>

#include "spawn/child_process.hpp"

namespace pyprefix::detail {

// An open file descriptor, closed with its owner.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_ = -1;
};

// How sys.path[0] came about in the process, for the child to set the same: a script's folder,
// the working directory of `-m`, or the '' of `-c`, `-` and the interactive prompt.
struct FirstEntry {
  enum class Kind { script, module, command, none } kind = Kind::command;  // none: not a Python's command line
  std::string script;  // the script (or folder, or zip) as its command line names it
};

struct TargetProcess {
  int pid = 0;
  std::string executable;          // the Python to run, as the process sees its path
  std::vector<std::string> flags;  // of -I -E -s -S -P, those it was started with
  FirstEntry first_entry;
  std::vector<std::string> environment;  // its environment at start-up, NAME=value
  std::string root_on_host;              // "/proc/PID/root" when it sees another root than ours, else ""
  std::vector<std::string> diagnostics;  // e.g. its argv[0] did not lead to its executable
  FileDescriptor mount_namespace, root, working_directory;
  std::optional<Identity> identity;  // the user to run as, when it is not ours

  // The descriptors for ChildRequest::view.
  ForeignView view() const { return {mount_namespace.get(), root.get(), working_directory.get()}; }
};

// Reads /proc/`pid`. `python`, when not empty, replaces the process's own executable (for a
// program that embeds Python): a path or a name on the process's PATH, as it sees them.
// Throws pyprefix::error with one line: no such process, one that has exited, not a Python,
// no right to read it or to run as its user.
TargetProcess inspect_process(int pid, const std::string& python);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_SPAWN_TARGET_PROCESS_HPP
