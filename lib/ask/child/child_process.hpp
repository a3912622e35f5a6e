// Running another program, as a profiler library must: argv without a shell, in a session of its
// own, with nothing of this process's but what is passed on purpose, bounded in time and output,
// and nothing left running afterwards.
#ifndef PYPREFIX_LIB_ASK_CHILD_CHILD_PROCESS_HPP
#define PYPREFIX_LIB_ASK_CHILD_CHILD_PROCESS_HPP

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <pyprefix/options.hpp>

#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {

// One namespace of another process to join: an open /proc/PID/ns/* file and its CLONE_NEW* type.
struct Namespace {
  int fd = -1;
  int type = 0;
};

// Another process's confinement, for a child that must have no more than that process has. The
// child joins its cgroups and namespaces, then (in a PID namespace of its own below the
// process's, so that the whole tree dies with it) enters its root and working directory, sets
// no_new_privs, gives up every capability and takes on its user.
struct Confinement {
  std::vector<int> cgroups;           // cgroup.procs files of its cgroups, open for writing
  std::vector<Namespace> namespaces;  // the ones that are not this process's, the user namespace first
  int root = -1;                      // /proc/PID/root, the child's root directory; -1: this one's
  int working_directory = -1;         // /proc/PID/cwd
  std::optional<Identity> identity;   // switch to this user (needs root); ids as seen in its user namespace,
                                      // supplementary groups as the host sees them
  bool joins_user_namespace = false;  // one of `namespaces` is a user namespace
  bool drop_capabilities = false;     // root only: none left, none gained on exec, an empty bounding set
  int last_capability = 63;           // /proc/sys/kernel/cap_last_cap
};

struct ChildRequest {
  std::vector<std::string> argv;                        // argv[0] is what the program sees as its name
  std::optional<std::vector<std::string>> environment;  // NAME=value strings; this process's when empty
  std::optional<std::string> working_directory;         // this process's when empty
  int executable = -1;                     // an open file to run instead of argv[0] (execveat), argv[0] kept
  std::vector<std::string> search;         // paths to try in turn, in the child and with its rights (a PATH search)
  std::optional<Confinement> confinement;  // run with another process's confinement (fork-based)
  int passed_descriptor = -1;              // handed to the child as descriptor 4
  std::chrono::milliseconds timeout{default_timeout};
  size_t max_output = 256u << 20;  // bytes on stdout and the answer channel together
  bool answer_channel = false;     // give the child a pipe on file descriptor 3 as well
  // Instead of a program: this function, run in the child (confined as a program would be) in
  // place of the exec; what it returns is the child's exit status. The host may have other
  // threads, so it may call only async-signal-safe functions, on data prepared before.
  int (*run_in_place)(const void* data) = nullptr;
  const void* in_place_data = nullptr;
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

// Runs the child in a session of its own (no controlling terminal), with stdin from /dev/null,
// its output on pipes and no other descriptor of this process's but `passed_descriptor`, and
// collects its output until it has exited: what it wrote by then is the answer, whatever its
// descendants still hold open. Past the timeout or the output limit it is killed, with its
// process group (and, when confined, its whole PID namespace). Never blocks in waitpid for the
// host's other children, and copes with a host that reaps them all. Throws pyprefix::error when
// the program cannot be started at all.
ChildResult run_child(const ChildRequest& request);

// A duration as a message gives it: "20", "0.5" (seconds).
std::string seconds_text(std::chrono::milliseconds duration);

// A timeout as a deadline: far-off ones (beyond a day) are cut to a day rather than overflow.
std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_CHILD_CHILD_PROCESS_HPP
