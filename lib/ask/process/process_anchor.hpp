// A running process held by descriptors taken before anything of it is read: its pidfd, then
// its /proc/PID folder, checked to be the same process. Every later read (status, maps, mem)
// goes through the folder, so that after the process ends and its number is reused, or after
// it runs another program, a read fails instead of reaching another process.
#ifndef PYPREFIX_LIB_ASK_PROCESS_PROCESS_ANCHOR_HPP
#define PYPREFIX_LIB_ASK_PROCESS_PROCESS_ANCHOR_HPP

#include <string>

#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

class ProcessAnchor {
 public:
  // Takes process `pid`: its pidfd (where the kernel has pidfd_open), then /proc/PID, then the
  // pidfd checked alive, so that the folder is that process's. Throws pyprefix::error with one
  // line: a pid that is not above 0, no such process, a thread's id, one that ended meanwhile.
  explicit ProcessAnchor(int pid);

  int pid() const { return pid_; }
  const std::string& name() const { return name_; }  // "process 4242", for messages
  int folder() const { return folder_.get(); }       // /proc/PID, O_DIRECTORY
  int pidfd() const { return pidfd_.get(); }         // -1 on a kernel without pidfd_open
  // False once the process has ended (as its pidfd tells) or its main thread has (its folder).
  // A process alive now was alive since the anchor was taken: its number named no other.
  bool alive() const;

  // /proc/PID/`file` opened relative to the folder, or -1 with errno set.
  FileDescriptor open(const char* file, int flags) const;

 private:
  // alive(), by a status read through the folder (`failed`: its errno, or 0).
  bool alive_by(const std::string& status, int failed) const;

  int pid_;
  std::string name_;
  FileDescriptor pidfd_, folder_;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_PROCESS_PROCESS_ANCHOR_HPP
