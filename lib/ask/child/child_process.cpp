#include "ask/child/child_process.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include <pyprefix/error.hpp>

#include "core/confine/file_descriptor.hpp"

extern char** environ;

namespace pyprefix::detail {
namespace {

constexpr size_t max_error_output = 64u << 10;

// `fd` moved to 10 or above (close-on-exec), so that a child can put its descriptors in place at
// 0 to 4 without overwriting one of them. Async-signal-safe. A failure keeps `fd` as it is.
int raise_descriptor(int fd) {
  const int raised = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (raised < 0) return fd;
  close(fd);
  return raised;
}

class Pipe {
 public:
  Pipe() {
    if (pipe2(ends_, O_CLOEXEC) != 0) throw error(std::string("cannot create a pipe: ") + std::strerror(errno));
    for (int& end : ends_) end = raise_descriptor(end);
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int read_end() const { return ends_[0]; }
  int write_end() const { return ends_[1]; }
  void close_read() { close_end(0); }
  void close_write() { close_end(1); }

 private:
  void close_end(int which) {
    if (ends_[which] >= 0) close(ends_[which]);
    ends_[which] = -1;
  }
  int ends_[2] = {-1, -1};
};

// A request's argv and environment as execve takes them: NULL-terminated arrays of writable
// strings, all made before the child starts (a forked child must not allocate).
class ExecVectors {
 public:
  explicit ExecVectors(const ChildRequest& request)
      : arguments_(request.argv),
        variables_(request.environment.value_or(std::vector<std::string>{})),
        argument_pointers_(pointers(arguments_)),
        variable_pointers_(pointers(variables_)),
        inherits_environment_(!request.environment) {}
  ExecVectors(const ExecVectors&) = delete;
  ExecVectors& operator=(const ExecVectors&) = delete;

  char** argv() { return argument_pointers_.data(); }
  char** environment() { return inherits_environment_ ? environ : variable_pointers_.data(); }

 private:
  static std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (std::string& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
  }

  std::vector<std::string> arguments_, variables_;
  std::vector<char*> argument_pointers_, variable_pointers_;
  bool inherits_environment_;
};

// The spawn attributes and file actions, destroyed on every way out; each setup call is checked.
class SpawnSetup {
 public:
  SpawnSetup() {
    check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
    if (const int failure = posix_spawnattr_init(&attributes); failure != 0) {
      posix_spawn_file_actions_destroy(&actions);
      throw error(std::string("cannot start a child process: posix_spawnattr_init: ") + std::strerror(failure));
    }
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  static void check(int failure, const char* call) {
    if (failure != 0) throw error(std::string("cannot start a child process: ") + call + ": " + std::strerror(failure));
  }

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// What a forked child reports when a step before exec fails.
struct StepFailure {
  char step[24];
  int error;
};

// The descriptors a child gets, each moved to 10 or above first so that putting them in place
// (1 to 4) cannot overwrite one another.
struct ChildDescriptors {
  int null, out, err, answer, passed;  // -1: none (null: /dev/null, opened here, not in another's mounts)
};

// Only async-signal-safe calls from here to the exec: the host may have other threads whose
// locks the fork copied.
[[noreturn]] void fail_step(int report, const char* step) {
  StepFailure failure{};
  for (size_t i = 0; step[i] != '\0' && i + 1 < sizeof failure.step; ++i) failure.step[i] = step[i];
  failure.error = errno;
  (void)!write(report, &failure, sizeof failure);
  _exit(127);
}

// Every descriptor from `first` on is closed on exec: nothing of this process's reaches the program.
bool close_on_exec_from(int first) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, first, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0) return true;
#endif
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  const rlim_t end = std::min<rlim_t>(limit.rlim_cur, 1u << 20);
  for (rlim_t fd = static_cast<rlim_t>(first); fd < end; ++fd) fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  return true;
}

// Descriptors 0 to 4 as the program gets them, every other one closed on exec. (Its signals are
// the defaults already: run_confined_child() reset them all before forking it.)
void arrange_child(const ChildDescriptors& given, int report) {
  if (!close_on_exec_from(3)) fail_step(report, "close_range");
  if (dup2(given.null, 0) < 0 || dup2(given.out, 1) < 0 || dup2(given.err, 2) < 0 ||
      (given.answer >= 0 && dup2(given.answer, 3) < 0) || (given.passed >= 0 && dup2(given.passed, 4) < 0))
    fail_step(report, "dup2");
}

// Gives up every capability and the means to gain one: an empty bounding set, no ambient set,
// and root that gains none on exec (securebits, locked).
void drop_capabilities(const Confinement& confinement, int report) {
  if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                   SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) != 0)
    fail_step(report, "securebits");
  for (int capability = 0; capability <= confinement.last_capability; ++capability)
    if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 && errno != EINVAL) fail_step(report, "capbset");
}

void clear_capabilities(int report) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) fail_step(report, "ambient");
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capset, &header, none) != 0) fail_step(report, "capset");
}

// Runs the program: the open file, else the first of the search paths that exists, else argv[0].
[[noreturn]] void exec_program(const ChildRequest& request, char** argv, char** environment,
                               const std::vector<const char*>& search, int report) {
  if (request.executable >= 0) {
    syscall(SYS_execveat, request.executable, "", argv, environment, AT_EMPTY_PATH);
    fail_step(report, "execveat");
  }
  if (search.empty()) {
    execve(argv[0], argv, environment);
    fail_step(report, "execve");
  }
  int first_refusal = 0;  // as execvp: a found file that cannot run beats "not found"
  for (const char* path : search) {
    execve(path, argv, environment);
    if (errno == EACCES && first_refusal == 0) first_refusal = errno;
  }
  if (first_refusal != 0) errno = first_refusal;
  fail_step(report, "execve");
}

// Closes every descriptor but `keep`: a process that only waits holds nothing of the program's.
void close_all_but(int keep) {
  for (int fd = 0; fd < keep; ++fd) close(fd);
#ifdef SYS_close_range
  if (syscall(SYS_close_range, keep + 1, ~0U, 0) != 0)
#endif
    for (int fd = keep + 1; fd < 1024; ++fd) close(fd);
}

// Waits for `child` and ends as it did: its exit code, or its signal. Never returns.
[[noreturn]] void exit_as(pid_t child) {
  siginfo_t ended{};
  while (waitid(P_PID, static_cast<id_t>(child), &ended, WEXITED) != 0)
    if (errno != EINTR) _exit(127);
  if (ended.si_code == CLD_EXITED) _exit(ended.si_status);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(ended.si_status, &default_action, nullptr);
  kill(getpid(), ended.si_status);
  _exit(128 + ended.si_status);
}

// Forks; the parent keeps only the write end of a pipe whose closing (its death) kills the
// child (a parent-death signal, checked against the race of dying first), waits for the child
// and exits as it did. Returns in the child, with the read end, for die_with_parent().
int fork_watched(int report) {
  int alive[2];
  if (pipe2(alive, O_CLOEXEC) != 0) fail_step(report, "pipe");
  for (int& end : alive) end = raise_descriptor(end);
  const pid_t child = fork();
  if (child < 0) fail_step(report, "fork");
  if (child == 0) {
    close(alive[1]);
    return alive[0];
  }
  close_all_but(alive[1]);
  exit_as(child);
}

// Set after any change of user (which clears it): this process dies with its parent, even if
// the parent died before this line.
void die_with_parent(int alive, int report) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail_step(report, "pdeathsig");
  pollfd watcher{alive, POLLIN, 0};
  if (poll(&watcher, 1, 0) != 0) _exit(127);  // its write end is gone: the parent has died
}

// In place of an exec: descriptors 0 to 4 kept and every other one closed, as the exec would
// have; the report pipe's closing tells the parent it started.
[[noreturn]] void run_function(const ChildRequest& request, int report) {
  close(report);
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 5, ~0U, 0) != 0)
#endif
    for (int fd = 5; fd < 1024; ++fd) close(fd);
  _exit(request.run_in_place(request.in_place_data));
}

// The program's side of a confined child: inside the other process's root and working
// directory, no_new_privs, no capabilities, as its user; dies with `watcher`'s parent.
[[noreturn]] void run_confined_program(const ChildRequest& request, const ChildDescriptors& given, int report,
                                       int alive, char** argv, char** environment,
                                       const std::vector<const char*>& search) {
  const Confinement& confinement = *request.confinement;
  arrange_child(given, report);
  if (confinement.root >= 0 && (fchdir(confinement.root) != 0 || chroot(".") != 0)) fail_step(report, "chroot");
  if (confinement.working_directory >= 0 && fchdir(confinement.working_directory) != 0) fail_step(report, "chdir");
  if (confinement.working_directory < 0 && request.working_directory && chdir(request.working_directory->c_str()) != 0)
    fail_step(report, "chdir");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail_step(report, "no_new_privs");
  if (confinement.drop_capabilities) drop_capabilities(confinement, report);
  if (const std::optional<Identity>& identity = confinement.identity) {
    // Groups before the group id, and both before the user id, which gives up the right to change them.
    if (!confinement.joins_user_namespace &&
        syscall(SYS_setgroups, identity->groups.size(), identity->groups.data()) != 0)
      fail_step(report, "setgroups");
    if (syscall(SYS_setresgid, identity->gid, identity->gid, identity->gid) != 0) fail_step(report, "setgid");
    if (syscall(SYS_setresuid, identity->uid, identity->uid, identity->uid) != 0) fail_step(report, "setuid");
  }
  if (confinement.drop_capabilities) clear_capabilities(report);
  die_with_parent(alive, report);
  if (request.run_in_place != nullptr) run_function(request, report);
  exec_program(request, argv, environment, search, report);
}

const char* namespace_step(int type) {
  switch (type) {
    case CLONE_NEWUSER:
      return "setns(user)";
    case CLONE_NEWNS:
      return "setns(mnt)";
    case CLONE_NEWPID:
      return "setns(pid)";
    case CLONE_NEWNET:
      return "setns(net)";
    case CLONE_NEWIPC:
      return "setns(ipc)";
    case CLONE_NEWUTS:
      return "setns(uts)";
    case CLONE_NEWCGROUP:
      return "setns(cgroup)";
    default:
      return "setns(time)";
  }
}

// The forked child of a confined spawn: a session of its own, the other process's cgroups and
// namespaces, then (root only) a PID namespace of its own whose first process runs the program,
// so that when it ends, or this process is killed, every process it started dies with it. A
// PID namespace can only be made by a process that lives in the one it joined, hence one more
// fork when it joins the other process's. The processes before the program run none of its
// code; each waits and exits as its child did.
[[noreturn]] void run_confined_child(const ChildRequest& request, const ChildDescriptors& given, int report,
                                     char** argv, char** environment, const std::vector<const char*>& search) {
  const Confinement& confinement = *request.confinement;
  // Not dumpable: once it has joined another user namespace, that namespace's owner could
  // otherwise ptrace this process, which still has root's rights on the host's files.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail_step(report, "dumpable");
  // None of the host's signal handlers (they are not async-signal-safe) nor its blocked signals.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal_number = 1; signal_number < NSIG; ++signal_number)
    if (signal_number != SIGKILL && signal_number != SIGSTOP) sigaction(signal_number, &default_action, nullptr);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  if (sigprocmask(SIG_SETMASK, &no_signals, nullptr) != 0) fail_step(report, "sigprocmask");
  if (setsid() < 0) fail_step(report, "setsid");
  // Supplementary groups are host groups: set them while this process is still in the host's
  // user namespace (inside another, setgroups may be denied).
  if (confinement.joins_user_namespace && confinement.identity &&
      syscall(SYS_setgroups, confinement.identity->groups.size(), confinement.identity->groups.data()) != 0)
    fail_step(report, "setgroups");
  for (int cgroup : confinement.cgroups)
    if (write(cgroup, "0", 1) != 1) fail_step(report, "cgroup");
  bool joins_mounts = false, joins_pids = false;
  for (const Namespace& joined : confinement.namespaces) {
    joins_mounts = joins_mounts || joined.type == CLONE_NEWNS;
    joins_pids = joins_pids || joined.type == CLONE_NEWPID;
  }
  // Joining a mount namespace needs file-system attributes of its own: a runtime (TSan's) may
  // have started a thread in this child that shares them.
  if (joins_mounts && unshare(CLONE_FS) != 0) fail_step(report, "unshare(fs)");
  for (const Namespace& joined : confinement.namespaces)
    if (setns(joined.fd, joined.type) != 0) fail_step(report, namespace_step(joined.type));
  if (confinement.drop_capabilities) {
    if (joins_pids) die_with_parent(fork_watched(report), report);
    if (unshare(CLONE_NEWPID) != 0) fail_step(report, "unshare(pid)");
  }
  const int alive = fork_watched(report);
  run_confined_program(request, given, report, alive, argv, environment, search);
}

// Reaps the killed child: its exit code or signal, or nothing when the host took it first.
// Polls rather than blocks: with SIGCHLD ignored, a blocking waitpid would wait for every
// child of the host.
std::optional<siginfo_t> reap(pid_t child) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG) == 0) {
      if (info.si_pid == child) return info;
    } else if (errno != EINTR) {
      return std::nullopt;  // ECHILD: reaped elsewhere
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;  // stuck in the kernel: leave it
    usleep(1000);
  }
}

// fork rather than posix_spawn, for what posix_spawn cannot do: take on another process's
// confinement. Everything the child needs is prepared before the fork; a step that fails
// before exec comes back on a pipe and is thrown here, as posix_spawn's own failures are.
pid_t spawn_confined(const ChildRequest& request, const ChildDescriptors& given,
                     std::chrono::steady_clock::time_point deadline) {
  ExecVectors vectors(request);
  std::vector<const char*> search;
  for (const std::string& path : request.search) search.push_back(path.c_str());
  Pipe report;
  const pid_t child = fork();
  if (child < 0) throw error(std::string("cannot start a child process: fork: ") + std::strerror(errno));
  if (child == 0) run_confined_child(request, given, report.write_end(), vectors.argv(), vectors.environment(), search);
  report.close_write();
  StepFailure failure{};
  ssize_t size = -1;
  for (;;) {  // until exec closes the pipe or a step fails; a child stopped before that is killed
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd ready{report.read_end(), POLLIN, 0};
    if (left.count() <= 0 || (poll(&ready, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30))) == 0)) {
      kill(-child, SIGKILL);
      reap(child);
      throw error("cannot run " + request.argv[0] + ": it did not start within the timeout");
    }
    size = read(report.read_end(), &failure, sizeof failure);
    if (size >= 0 || errno != EINTR) break;
  }
  if (size != static_cast<ssize_t>(sizeof failure)) return child;  // exec closed the pipe: it runs
  kill(-child, SIGKILL);
  reap(child);
  std::string step(failure.step, strnlen(failure.step, sizeof failure.step));
  throw error("cannot run " + request.argv[0] + ": " + step + ": " + std::strerror(failure.error));
}

// posix_spawn rather than fork: safe in a multi-threaded host, and it reports a failed exec.
pid_t spawn(const ChildRequest& request, const ChildDescriptors& given,
            std::chrono::steady_clock::time_point deadline) {
  if (request.confinement) return spawn_confined(request, given, deadline);
  if (request.executable >= 0 || !request.search.empty() || request.run_in_place != nullptr) {
    ChildRequest unconfined = request;  // the same fork-based start, with nothing to take on
    unconfined.confinement.emplace();
    return spawn_confined(unconfined, given, deadline);
  }
  SpawnSetup setup;
  int first_unused = 3;
  for (const auto& [from, to] :
       {std::pair{given.null, 0}, {given.out, 1}, {given.err, 2}, {given.answer, 3}, {given.passed, 4}}) {
    if (from < 0) continue;
    SpawnSetup::check(posix_spawn_file_actions_adddup2(&setup.actions, from, to), "posix_spawn_file_actions_adddup2");
    first_unused = std::max(first_unused, to + 1);
  }
  if (given.passed >= 0 && given.answer < 0)
    SpawnSetup::check(posix_spawn_file_actions_addclose(&setup.actions, 3), "posix_spawn_file_actions_addclose");
  // Only what was passed on purpose: not the host's descriptors that lack close-on-exec.
  SpawnSetup::check(posix_spawn_file_actions_addclosefrom_np(&setup.actions, first_unused),
                    "posix_spawn_file_actions_addclosefrom_np");
  if (request.working_directory)
    SpawnSetup::check(posix_spawn_file_actions_addchdir_np(&setup.actions, request.working_directory->c_str()),
                      "posix_spawn_file_actions_addchdir_np");
  // A session of its own: no controlling terminal, and a group that timeouts kill all of.
  SpawnSetup::check(
      posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
      "posix_spawnattr_setflags");
  sigset_t signals;
  sigemptyset(&signals);
  SpawnSetup::check(posix_spawnattr_setsigmask(&setup.attributes, &signals),
                    "posix_spawnattr_setsigmask");  // not the host's blocked signals
  sigaddset(&signals, SIGPIPE);
  sigaddset(&signals, SIGCHLD);  // nor its ignored SIGPIPE, nor an ignored SIGCHLD for the child's own children
  SpawnSetup::check(posix_spawnattr_setsigdefault(&setup.attributes, &signals), "posix_spawnattr_setsigdefault");

  ExecVectors vectors(request);
  pid_t child = 0;
  const int failure =
      posix_spawn(&child, vectors.argv()[0], &setup.actions, &setup.attributes, vectors.argv(), vectors.environment());
  if (failure != 0) throw error("cannot run " + request.argv[0] + ": " + std::strerror(failure));
  return child;
}

// One pipe from the child, and how much of it to keep.
struct Stream {
  int fd;
  std::string* sink;
  bool counts_toward_limit;  // stdout and the answer do; stderr is kept up to max_error_output
};

// Keeps what came on a stream; false once the output outgrows its limit.
bool keep(const ChildRequest& request, Stream& stream, const char* data, size_t size, size_t& output) {
  if (stream.counts_toward_limit) {
    output += size;
    if (output > request.max_output) return false;
  } else {
    size = std::min(size, max_error_output - std::min(max_error_output, stream.sink->size()));
  }
  stream.sink->append(data, size);
  return true;
}

// Reads the child's pipes until it has exited (`exit_event`, a pidfd, becomes readable) and what
// it wrote is read, or, without a pidfd, until all pipes close. A descendant that keeps a pipe
// open cannot hold up a complete answer, nor add to it afterwards.
ChildResult::Ending collect(const ChildRequest& request, std::vector<Stream> streams, int exit_event,
                            std::chrono::steady_clock::time_point deadline) {
  std::vector<pollfd> fds;
  for (const Stream& stream : streams) fds.push_back({stream.fd, POLLIN, 0});
  fds.push_back({exit_event, POLLIN, 0});  // ignored when negative
  size_t open_pipes = streams.size(), output = 0;
  char buffer[65536];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return ChildResult::Ending::timed_out;
    if (poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 1 << 30))) < 0 && errno != EINTR)
      throw error(std::string("poll failed: ") + std::strerror(errno));
    for (size_t i = 0; i < streams.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t size = read(fds[i].fd, buffer, sizeof buffer);
      if (size < 0 && errno == EINTR) continue;
      if (size <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_pipes;
      } else if (!keep(request, streams[i], buffer, static_cast<size_t>(size), output)) {
        return ChildResult::Ending::too_much_output;
      }
    }
    if (exit_event < 0 && open_pipes == 0) return ChildResult::Ending::exited;
    if (exit_event >= 0 && fds.back().revents != 0) {
      // It has exited: its writes are all in the pipes. Take exactly what is there now.
      for (size_t i = 0; i < streams.size(); ++i) {
        int waiting = 0;
        if (fds[i].fd < 0 || ioctl(fds[i].fd, FIONREAD, &waiting) != 0) continue;
        for (size_t left_over = static_cast<size_t>(std::max(waiting, 0)); left_over > 0;) {
          const ssize_t size = read(fds[i].fd, buffer, std::min(left_over, sizeof buffer));
          if (size <= 0) break;
          if (!keep(request, streams[i], buffer, static_cast<size_t>(size), output))
            return ChildResult::Ending::too_much_output;
          left_over -= static_cast<size_t>(size);
        }
      }
      return ChildResult::Ending::exited;
    }
  }
}

enum class Wait { exited, timed_out, reaped_elsewhere };

// Waits for the child until the deadline without reaping it, so that its process group id
// cannot be reused while the group is swept. ECHILD means the host took the child already.
// Its output has ended, so it is exiting already: the pidfd (Linux 5.3) wakes this thread the
// moment it has, where sleeping a millisecond between checks cost a tenth of `--python`'s time.
Wait wait_for_exit(pid_t child, int exit_event, std::chrono::steady_clock::time_point deadline) {
  auto pause = std::chrono::microseconds(20);  // without a pidfd: checks further and further apart
  for (;;) {
    siginfo_t info{};
    const int waited = waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT);
    if (waited == 0 && info.si_pid == child) return Wait::exited;
    if (waited != 0 && errno == ECHILD) return Wait::reaped_elsewhere;
    if (std::chrono::steady_clock::now() >= deadline) return Wait::timed_out;
    if (exit_event >= 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd exit{exit_event, POLLIN, 0};
      poll(&exit, 1, static_cast<int>(std::clamp<long long>(left.count(), 1, 1 << 30)));
    } else {
      usleep(static_cast<useconds_t>(pause.count()));
      pause = std::min(pause * 2, std::chrono::microseconds(1000));
    }
  }
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  return std::chrono::steady_clock::now() +
         std::clamp(timeout, std::chrono::milliseconds(0), std::chrono::milliseconds(std::chrono::hours(24)));
}

ChildResult run_child(const ChildRequest& request) {
  Pipe out, err, answer;
  const auto deadline = deadline_after(request.timeout);
  FileDescriptor passed;
  if (request.passed_descriptor >= 0) {
    passed = FileDescriptor(fcntl(request.passed_descriptor, F_DUPFD_CLOEXEC, 10));
    if (passed.get() < 0) throw error(std::string("cannot pass a descriptor to a child: ") + std::strerror(errno));
  }
  const int opened_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const FileDescriptor null(opened_null < 0 ? -1 : raise_descriptor(opened_null));
  if (null.get() < 10) throw error(std::string("cannot open /dev/null: ") + std::strerror(errno));
  const ChildDescriptors given{null.get(), out.write_end(), err.write_end(),
                               request.answer_channel ? answer.write_end() : -1, passed.get()};
  const pid_t child = spawn(request, given, deadline);
  out.close_write();
  err.close_write();
  answer.close_write();
  if (!request.answer_channel) answer.close_read();
#ifdef SYS_pidfd_open
  const FileDescriptor exit_event(static_cast<int>(syscall(SYS_pidfd_open, child, 0)));
#else
  const FileDescriptor exit_event;
#endif

  ChildResult result;
  std::vector<Stream> streams = {{out.read_end(), &result.out, true}, {err.read_end(), &result.err, false}};
  if (request.answer_channel) streams.push_back({answer.read_end(), &result.answer, true});
  result.ending = collect(request, streams, exit_event.get(), deadline);
  if (result.ending == ChildResult::Ending::exited) {
    switch (wait_for_exit(child, exit_event.get(), deadline)) {
      case Wait::exited:
        break;
      case Wait::timed_out:
        result.ending = ChildResult::Ending::timed_out;
        break;
      case Wait::reaped_elsewhere:
        result.ending = ChildResult::Ending::reaped_elsewhere;
        break;
    }
  }
  // The child is a zombie or still running: its group id is still ours. A confined child's
  // program dies with it (its parent-death signal), and with that program its PID namespace.
  // (Unless the host reaped it: then its number, and its group's, may be another's by now.)
  if (result.ending != ChildResult::Ending::reaped_elsewhere) kill(-child, SIGKILL);
  const std::optional<siginfo_t> ended = reap(child);
  if (result.ending == ChildResult::Ending::exited) {
    if (!ended) {
      result.ending = ChildResult::Ending::reaped_elsewhere;
    } else if (ended->si_code == CLD_EXITED) {
      result.status = ended->si_status;
    } else {
      result.ending = ChildResult::Ending::signalled;
      result.status = ended->si_status;
    }
  }
  return result;
}

}  // namespace pyprefix::detail
