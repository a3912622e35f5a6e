// Running another program, as a profiler library must: argv without a shell, no stdin, bounded
// in time and output, and nothing left running afterwards.
#ifndef PYPREFIX_LIB_SPAWN_CHILD_PROCESS_HPP
#define PYPREFIX_LIB_SPAWN_CHILD_PROCESS_HPP

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace pyprefix::detail {

// Who the child runs as: another process's user, never with more rights than it has.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups
};

// Another process's view of the file system, as open descriptors of its /proc entries.
struct ForeignView {
  int mount_namespace = -1;    // /proc/PID/ns/mnt, entered when it is not this process's; -1: stay
  int root = -1;               // /proc/PID/root, the child's root directory
  int working_directory = -1;  // /proc/PID/cwd
};

struct ChildRequest {
  std::vector<std::string> argv;                        // argv[0] is the program's path, run without a PATH search
  std::optional<std::vector<std::string>> environment;  // NAME=value strings; this process's when empty
  std::optional<std::string> working_directory;         // this process's when empty
  std::optional<ForeignView> view;                      // run inside another process's file system
  std::optional<Identity> identity;                     // switch to this user first (needs root)
  std::chrono::milliseconds timeout{20000};
  size_t max_output = 256u << 20;  // bytes on stdout and the answer channel together
  bool answer_channel = false;     // give the child a pipe on file descriptor 3 as well
};

struct ChildResult {
  // reaped_elsewhere: the child ended, but the host took its exit status first (it ignores
  // SIGCHLD, or its handler reaps every child); only the child's output can tell how it went.
  enum class Ending { exited, signalled, timed_out, too_much_output, reaped_elsewhere };
  Ending ending = Ending::exited;
  int status = 0;      // the exit code, or the signal number; 0 when reaped elsewhere
  std::string out;     // standard output
  std::string err;     // standard error, its first 64 KiB
  std::string answer;  // what came on file descriptor 3
};

// Runs the child in a process group of its own, with stdin from /dev/null, and collects its
// output until it ends; past the timeout or the output limit the whole group is killed. Never
// blocks in waitpid for the host's other children, and copes with a host that reaps them all.
// Throws pyprefix::error when the program cannot be started at all.
ChildResult run_child(const ChildRequest& request);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_SPAWN_CHILD_PROCESS_HPP
