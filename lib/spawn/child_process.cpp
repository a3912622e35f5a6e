#include "spawn/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <pyprefix/error.hpp>

extern char** environ;

namespace pyprefix::detail {
namespace {

constexpr size_t max_error_output = 64u << 10;

class Pipe {
 public:
  Pipe() {
    if (pipe2(ends_, O_CLOEXEC) != 0) throw error(std::string("cannot create a pipe: ") + std::strerror(errno));
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

// What the forked child of spawn_entering() reports when a step before exec fails.
struct StepFailure {
  char step[24];
  int error;
};

// The child side of spawn_entering(): only async-signal-safe system calls, since the host may
// have other threads whose locks the fork copied. Never returns.
[[noreturn]] void enter_and_exec(const ChildRequest& request, int out, int err, int answer, int report, char** argv,
                                 char** environment) {
  auto fail = [report](const char* step) {
    StepFailure failure{};
    for (size_t i = 0; step[i] != '\0' && i + 1 < sizeof failure.step; ++i) failure.step[i] = step[i];
    failure.error = errno;
    (void)!write(report, &failure, sizeof failure);
    _exit(127);
  };
  if (setpgid(0, 0) != 0) fail("setpgid");  // a group of its own, so that timeouts kill all of it
  sigset_t signals;
  sigemptyset(&signals);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  if (sigaction(SIGPIPE, &default_action, nullptr) != 0 || sigaction(SIGCHLD, &default_action, nullptr) != 0)
    fail("sigaction");
  if (sigprocmask(SIG_SETMASK, &signals, nullptr) != 0) fail("sigprocmask");
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || (answer >= 0 && dup2(answer, 3) < 0))
    fail("dup2");
  if (const std::optional<ForeignView>& view = request.view) {
    // Its mount namespace first (that resets the root and working directory to the namespace's
    // root), then its own root within it (a chroot), then its working directory.
    // Joining a mount namespace needs file-system attributes of its own: a runtime (TSan's) may
    // have started a thread in this child that shares them.
    if (view->mount_namespace >= 0 && unshare(CLONE_FS) != 0) fail("unshare");
    if (view->mount_namespace >= 0 && setns(view->mount_namespace, CLONE_NEWNS) != 0) fail("setns");
    if (view->root >= 0 && (fchdir(view->root) != 0 || chroot(".") != 0)) fail("chroot");
    if (view->working_directory >= 0 && fchdir(view->working_directory) != 0) fail("chdir");
  }
  if (const std::optional<Identity>& identity = request.identity) {
    // Groups before the group id, and both before the user id, which gives up the right to change them.
    if (syscall(SYS_setgroups, identity->groups.size(), identity->groups.data()) != 0) fail("setgroups");
    if (syscall(SYS_setresgid, identity->gid, identity->gid, identity->gid) != 0) fail("setgid");
    if (syscall(SYS_setresuid, identity->uid, identity->uid, identity->uid) != 0) fail("setuid");
  }
  execve(argv[0], argv, environment);
  fail("execve");
  _exit(127);  // not reached
}

// fork rather than posix_spawn, for what posix_spawn cannot do: enter another process's mount
// namespace and root, and run as its user. Everything the child needs is prepared before the
// fork; a step that fails before exec comes back on a pipe and is thrown here, as posix_spawn's
// own failures are.
pid_t spawn_entering(const ChildRequest& request, Pipe& out, Pipe& err, Pipe* answer) {
  ExecVectors vectors(request);
  Pipe report;
  const pid_t child = fork();
  if (child < 0) throw error(std::string("cannot start a child process: fork: ") + std::strerror(errno));
  if (child == 0)
    enter_and_exec(request, out.write_end(), err.write_end(), answer != nullptr ? answer->write_end() : -1,
                   report.write_end(), vectors.argv(), vectors.environment());
  report.close_write();
  StepFailure failure{};
  ssize_t size;
  do size = read(report.read_end(), &failure, sizeof failure);
  while (size < 0 && errno == EINTR);
  if (size != static_cast<ssize_t>(sizeof failure)) return child;  // exec closed the pipe: it runs
  siginfo_t ended{};
  waitid(P_PID, static_cast<id_t>(child), &ended, WEXITED);  // it has exited already, or is about to
  std::string step(failure.step, strnlen(failure.step, sizeof failure.step));
  throw error("cannot run " + request.argv[0] + ": " + step + ": " + std::strerror(failure.error));
}

// posix_spawn rather than fork: safe in a multi-threaded host, and it reports a failed exec.
pid_t spawn(const ChildRequest& request, Pipe& out, Pipe& err, Pipe* answer) {
  if (request.view || request.identity) return spawn_entering(request, out, err, answer);
  SpawnSetup setup;
  SpawnSetup::check(posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0),
                    "posix_spawn_file_actions_addopen");
  SpawnSetup::check(posix_spawn_file_actions_adddup2(&setup.actions, out.write_end(), 1),
                    "posix_spawn_file_actions_adddup2");
  SpawnSetup::check(posix_spawn_file_actions_adddup2(&setup.actions, err.write_end(), 2),
                    "posix_spawn_file_actions_adddup2");
  if (answer != nullptr)
    SpawnSetup::check(posix_spawn_file_actions_adddup2(&setup.actions, answer->write_end(), 3),
                      "posix_spawn_file_actions_adddup2");
  if (request.working_directory)
    SpawnSetup::check(posix_spawn_file_actions_addchdir_np(&setup.actions, request.working_directory->c_str()),
                      "posix_spawn_file_actions_addchdir_np");
  SpawnSetup::check(posix_spawnattr_setflags(&setup.attributes,
                                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
                    "posix_spawnattr_setflags");
  // A group of its own, so that timeouts kill all of it.
  SpawnSetup::check(posix_spawnattr_setpgroup(&setup.attributes, 0), "posix_spawnattr_setpgroup");
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

// Reads the child's pipes until all close, the deadline passes or the output outgrows its limit.
ChildResult::Ending collect(const ChildRequest& request, std::vector<Stream> streams,
                            std::chrono::steady_clock::time_point deadline) {
  std::vector<pollfd> fds;
  for (const Stream& stream : streams) fds.push_back({stream.fd, POLLIN, 0});
  size_t open_pipes = fds.size(), output = 0;
  while (open_pipes > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return ChildResult::Ending::timed_out;
    if (poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR)
      throw error(std::string("poll failed: ") + std::strerror(errno));
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t size = read(fds[i].fd, buffer, sizeof buffer);
      if (size < 0 && errno == EINTR) continue;
      if (size <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_pipes;
        continue;
      }
      std::string& sink = *streams[i].sink;
      size_t keep = static_cast<size_t>(size);
      if (streams[i].counts_toward_limit) {
        output += keep;
        if (output > request.max_output) return ChildResult::Ending::too_much_output;
      } else {
        keep = std::min(keep, max_error_output - std::min(max_error_output, sink.size()));
      }
      sink.append(buffer, keep);
    }
  }
  return ChildResult::Ending::exited;
}

enum class Wait { exited, timed_out, reaped_elsewhere };

// Waits for the child until the deadline without reaping it, so that its process group id
// cannot be reused while the group is swept. ECHILD means the host took the child already.
// Its output has ended, so it is exiting already: a pidfd (Linux 5.3) wakes this thread the
// moment it has, where sleeping a millisecond between checks cost a tenth of `--python`'s time.
Wait wait_for_exit(pid_t child, std::chrono::steady_clock::time_point deadline) {
#ifdef SYS_pidfd_open
  const int exit_fd = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
#else
  const int exit_fd = -1;
#endif
  auto pause = std::chrono::microseconds(20);  // without a pidfd: checks further and further apart
  for (;;) {
    siginfo_t info{};
    Wait result = Wait::timed_out;
    bool ended = true;
    const int waited = waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT);
    if (waited == 0 && info.si_pid == child)
      result = Wait::exited;
    else if (waited != 0 && errno == ECHILD)
      result = Wait::reaped_elsewhere;
    else
      ended = std::chrono::steady_clock::now() >= deadline;
    if (ended) {
      if (exit_fd >= 0) close(exit_fd);
      return result;
    }
    if (exit_fd >= 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd exit_event{exit_fd, POLLIN, 0};
      poll(&exit_event, 1, static_cast<int>(std::max<long long>(1, left.count())));
    } else {
      usleep(static_cast<useconds_t>(pause.count()));
      pause = std::min(pause * 2, std::chrono::microseconds(1000));
    }
  }
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

}  // namespace

ChildResult run_child(const ChildRequest& request) {
  Pipe out, err, answer;
  const auto started = std::chrono::steady_clock::now();
  const pid_t child = spawn(request, out, err, request.answer_channel ? &answer : nullptr);
  out.close_write();
  err.close_write();
  answer.close_write();
  if (!request.answer_channel) answer.close_read();

  ChildResult result;
  std::vector<Stream> streams = {{out.read_end(), &result.out, true}, {err.read_end(), &result.err, false}};
  if (request.answer_channel) streams.push_back({answer.read_end(), &result.answer, true});
  result.ending = collect(request, streams, started + request.timeout);
  if (result.ending == ChildResult::Ending::exited) {
    switch (wait_for_exit(child, started + request.timeout)) {
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
  kill(-child, SIGKILL);  // the child is a zombie or still running: its group id is still ours
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
