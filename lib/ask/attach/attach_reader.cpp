#include "ask/attach/attach_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include <pyprefix/error.hpp>

#include "ask/attach/attach_script_source.hpp"
#include "ask/attach/remote_debugging.hpp"
#include "ask/child/child_process.hpp"
#include "ask/process/process_anchor.hpp"
#include "ask/process/target_process.hpp"
#include "core/confine/proc_status.hpp"
#include "core/entries/records.hpp"

namespace pyprefix::detail {
namespace {

// ---- The helper: runs forked, confined as the process is, in place of a program. ----
// Only async-signal-safe calls from here to the end of the helper (the host may have threads):
// system calls on paths and buffers prepared before the fork.

enum class Job { prepare, collect, remove };

struct HelperPlan {
  Job job = Job::prepare;
  std::vector<std::string> temporary_folders;  // prepare: where to make the folder, as the process sees them
  std::string leaf;                            // prepare: the folder's name, "pyprefix-attach-<random>"
  std::string script;                          // prepare: the script after its FOLDER line
  std::string folder;                          // collect, remove: the folder made (remove: or every
                                               // temporary folder's `leaf`, when prepare gave none)
  timespec deadline{};                         // collect: CLOCK_MONOTONIC, when to give up
  bool watches_process = false;                // collect: descriptor 4 is a pidfd of the process
};

// A path built without allocating; too long is refused rather than cut.
struct PathBuffer {
  char text[4096];
  size_t size = 0;
  bool append(const char* part, size_t length) {
    if (size + length + 1 > sizeof text) return false;
    std::memcpy(text + size, part, length);
    size += length;
    text[size] = '\0';
    return true;
  }
  bool append(const std::string& part) { return append(part.data(), part.size()); }
  bool append(const char* part) { return append(part, std::strlen(part)); }
};

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

// On stdout: 'E', the errno in decimal, ' ', the step. The parent words the line.
int report_failure(const char* step, int number) {
  char text[32];
  size_t size = sizeof text;
  text[--size] = ' ';
  unsigned value = static_cast<unsigned>(number);
  do {
    text[--size] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && size > 1);
  text[--size] = 'E';
  write_all(1, text + size, sizeof text - size);
  write_all(1, step, std::strlen(step));
  return 0;
}

bool folder_file(PathBuffer& path, const std::string& folder, const char* name) {
  path.size = 0;
  return path.append(folder) && path.append(name);
}

// Takes a C string: the helper allocates nothing.
void remove_made(const char* folder) {
  PathBuffer path;
  for (const char* name : {"/script.py", "/answer.part", "/answer"}) {
    path.size = 0;
    if (path.append(folder) && path.append(name)) unlink(path.text);
  }
  rmdir(folder);
}

// Writes `size` bytes of `text` as the inside of a Python bytes literal, every byte escaped
// (\xHH: 4 bytes each), into `out`; returns the bytes written. Allocates nothing, so that the
// helper may call it after fork.
size_t escape_bytes(const char* text, size_t size, char* out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < size; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    *out++ = '\\';
    *out++ = 'x';
    *out++ = digits[byte >> 4];
    *out++ = digits[byte & 15];
  }
  return 4 * size;
}

// The FOLDER line: the folder as a bytes literal.
bool write_folder_line(int file, const PathBuffer& folder) {
  char line[4 * sizeof folder.text + 32];
  size_t size = 0;
  for (const char* part = "FOLDER = b\""; *part != '\0'; ++part) line[size++] = *part;
  size += escape_bytes(folder.text, folder.size, line + size);
  line[size++] = '"';
  line[size++] = '\n';
  return write_all(file, line, size);
}

// Makes the private folder and the script in the first temporary folder that takes them; on
// stdout 'F' and the folder's path.
int prepare(const HelperPlan& plan) {
  umask(077);
  const char* failed_step = "making a folder in its temporary folder";
  int failure = ENOENT;
  for (const std::string& parent : plan.temporary_folders) {
    PathBuffer folder;
    if (!folder.append(parent) || !folder.append("/") || !folder.append(plan.leaf)) continue;
    if (mkdir(folder.text, 0700) != 0) {
      failed_step = "making a folder in its temporary folder";
      failure = errno;
      continue;
    }
    PathBuffer script;
    const int file = script.append(folder.text, folder.size) && script.append("/script.py")
                         ? open(script.text, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
                         : -1;
    const bool written = file >= 0 && write_folder_line(file, folder) &&
                         write_all(file, plan.script.data(), plan.script.size()) && fsync(file) == 0;
    failure = errno;
    if (file >= 0) close(file);
    if (!written) {
      unlink(script.text);
      rmdir(folder.text);
      return report_failure("writing the script", failure);
    }
    write_all(1, "F", 1);
    write_all(1, folder.text, folder.size);
    return 0;
  }
  return report_failure(failed_step, failure);
}

bool before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// Hands over the answer the process wrote (on stdout 'A' and the answer) and removes the folder;
// 'T' when the deadline comes first, 'X' when the process ends first.
int collect(const HelperPlan& plan) {
  PathBuffer answer;
  if (!folder_file(answer, plan.folder, "/answer")) return report_failure("path", ENAMETOOLONG);
  int pause_ms = 1;  // checks further apart as the wait grows: the reader takes milliseconds
  for (int checks = 0;; ++checks) {
    const int file = open(answer.text, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (file >= 0) {
      struct stat status {};
      const bool usable = fstat(file, &status) == 0 && S_ISREG(status.st_mode) && status.st_uid == geteuid() &&
                          status.st_nlink == 1 && static_cast<size_t>(status.st_size) <= max_child_answer_bytes;
      if (!usable) {
        close(file);
        remove_made(plan.folder.c_str());
        return report_failure("the answer is not a file of the process's own", EINVAL);
      }
      write_all(1, "A", 1);
      char buffer[65536];
      for (;;) {
        const ssize_t got = read(file, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || !write_all(1, buffer, static_cast<size_t>(got))) break;
      }
      close(file);
      remove_made(plan.folder.c_str());
      return 0;
    }
    if (errno != ENOENT) return report_failure("opening the answer", errno);
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!before(now, plan.deadline)) {
      write_all(1, "T", 1);
      return 0;
    }
    const long long left_ms =
        (plan.deadline.tv_sec - now.tv_sec) * 1000LL + (plan.deadline.tv_nsec - now.tv_nsec) / 1000000;
    pollfd ended{plan.watches_process ? 4 : -1, POLLIN, 0};
    if (poll(&ended, 1, static_cast<int>(std::clamp<long long>(left_ms, 1, pause_ms))) > 0 && ended.revents != 0) {
      // It has ended; an answer it wrote just before still counts.
      if (access(answer.text, F_OK) == 0) continue;
      write_all(1, "X", 1);
      return 0;
    }
    if (checks == 200) pause_ms = 10;
  }
}

int run_helper(const void* data) {
  const HelperPlan& plan = *static_cast<const HelperPlan*>(data);
  switch (plan.job) {
    case Job::prepare:
      return prepare(plan);
    case Job::collect:
      return collect(plan);
    case Job::remove:
      if (!plan.folder.empty()) remove_made(plan.folder.c_str());
      for (const std::string& parent : plan.temporary_folders) {
        PathBuffer folder;
        if (folder.append(parent) && folder.append("/") && folder.append(plan.leaf)) remove_made(folder.text);
      }
      write_all(1, "R", 1);
      return 0;
  }
  return 1;
}

// ---- The parent's side ----

std::string random_leaf() {
  std::random_device source;
  std::uniform_int_distribution<unsigned> hex_digit(0, 15);
  std::string leaf = "pyprefix-attach-";
  for (int i = 0; i < 24; ++i) leaf += "0123456789abcdef"[hex_digit(source)];
  return leaf;
}

// The process's temporary folders as tempfile.gettempdir() looks for them: $TMPDIR (when
// absolute), then /tmp, /var/tmp and /dev/shm.
std::vector<std::string> temporary_folders(const std::vector<std::string>& environment) {
  std::vector<std::string> folders;
  for (const std::string& variable : environment)
    if (variable.rfind("TMPDIR=/", 0) == 0 && variable.size() < 300) folders.push_back(variable.substr(7));
  for (const char* folder : {"/tmp", "/var/tmp", "/dev/shm"})
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
  return folders;
}

// A Python bytes literal of `text`.
std::string bytes_literal(const std::string& text) {
  std::string literal(4 * text.size() + 3, '\0');
  literal[0] = 'b';
  literal[1] = '"';
  escape_bytes(text.data(), text.size(), &literal[2]);
  literal.back() = '"';
  return literal;
}

std::string script_for(const Options& options) {
  std::string call = "\nattach_main(FOLDER, [";
  for (const std::string& package : options.packages) call += bytes_literal(package) + ".decode(), ";
  call += std::string("], ") + (options.classify ? "True" : "False") + ")\n";
  return attach_script_source + call;
}

timespec monotonic_after(std::chrono::milliseconds wait) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long nanoseconds = now.tv_nsec + (wait.count() % 1000) * 1000000LL;
  now.tv_sec += static_cast<time_t>(wait.count() / 1000 + nanoseconds / 1000000000LL);
  now.tv_nsec = static_cast<long>(nanoseconds % 1000000000LL);
  return now;
}

std::chrono::milliseconds left_until(std::chrono::steady_clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
}

bool process_is_stopped(const ProcessAnchor& process) {
  int failed = 0;
  return is_stopped(read_small_file(process.folder(), "status", failed));
}

class Helper {
 public:
  Helper(const TargetProcess& target, int process_exit) : target_(target), process_exit_(process_exit) {}

  // Runs one job; its output ('E...' turned into an error here).
  std::string run(const HelperPlan& plan, std::chrono::milliseconds timeout) const {
    ChildRequest request;
    request.argv = {"pyprefix's helper in " + target_.name};
    request.confinement = target_.confinement();
    request.run_in_place = run_helper;
    request.in_place_data = &plan;
    request.passed_descriptor = plan.watches_process ? process_exit_ : -1;
    request.timeout = timeout;
    request.max_output = max_child_answer_bytes + 1;
    const ChildResult result = run_child(request);
    const bool finished = (result.ending == ChildResult::Ending::exited && result.status == 0) ||
                          result.ending == ChildResult::Ending::reaped_elsewhere;
    if (!finished || result.out.empty())
      throw error("pyprefix's helper in " + target_.name + " failed" +
                  (result.ending == ChildResult::Ending::timed_out ? std::string(" to finish in time")
                                                                   : ": " + result.err.substr(0, 200)));
    if (result.out[0] == 'E') {
      const size_t space = result.out.find(' ');
      const int number = std::atoi(result.out.c_str() + 1);
      throw error("pyprefix's helper in " + target_.name + " failed: " + result.out.substr(space + 1) + ": " +
                  std::strerror(number));
    }
    return result.out;
  }

 private:
  const TargetProcess& target_;
  int process_exit_;
};

}  // namespace

RawEntries read_attached_entries(const Options& options) {
  const auto deadline = deadline_after(options.timeout);
  // Everything below reads and writes this one process, through descriptors taken now.
  const ProcessAnchor process(options.pid);
  check_root_can_confine(process.name());  // before any of its files is opened
  const RemoteInterpreter interpreter = find_remote_interpreter(process, deadline);
  const TargetProcess target = inspect_process_to_attach(process);
  const Helper helper(target, process.pidfd());

  HelperPlan plan;
  plan.temporary_folders = temporary_folders(target.environment);
  plan.leaf = random_leaf();
  plan.script = script_for(options);
  std::string made;
  try {
    made = helper.run(plan, left_until(deadline));
  } catch (const error&) {
    // Stopped or killed half-way, it may have made the folder: removed wherever it may be.
    HelperPlan removal = plan;
    removal.job = Job::remove;
    try {
      helper.run(removal, std::chrono::milliseconds(5000));
    } catch (const error&) {
    }
    throw;
  }
  if (made[0] != 'F') throw error("pyprefix's helper in " + target.name + " gave no folder");
  plan = HelperPlan{};
  plan.folder = made.substr(1);

  auto entries_of = [&target, &interpreter](const std::string& answer) {  // 'A' and the records
    RawEntries raw = parse_records(std::string_view(answer).substr(1), "'" + target.name + "'", child_answer_limits);
    raw.root_on_host = target.root_on_host;
    raw.diagnostics.insert(raw.diagnostics.begin(), interpreter.diagnostics.begin(), interpreter.diagnostics.end());
    return raw;
  };
  // From here on the folder is removed on every way out, and the request withdrawn first.
  bool requested = false;
  auto give_up = [&](const std::string& why) -> RawEntries {
    if (requested && !withdraw_script(interpreter)) {
      // Taken just now: the script runs, and may still answer; give it a moment rather than
      // take its file away while it opens it.
      HelperPlan late = plan;
      late.job = Job::collect;
      late.watches_process = process.pidfd() >= 0;
      late.deadline = monotonic_after(std::chrono::milliseconds(1000));
      std::string answer;
      try {
        answer = helper.run(late, std::chrono::milliseconds(3000));
      } catch (const error&) {
      }
      if (!answer.empty() && answer[0] == 'A') return entries_of(answer);
    }
    // The folder goes whatever happened; the reason given is the first one.
    HelperPlan removal = plan;
    removal.job = Job::remove;
    try {
      helper.run(removal, std::chrono::milliseconds(5000));
    } catch (const error&) {
    }
    throw error(why);
  };
  const std::string script = plan.folder + "/script.py";
  try {
    request_script(interpreter, script);
    requested = true;
  } catch (const error& failure) {
    return give_up(failure.what());
  }
  plan.job = Job::collect;
  plan.watches_process = process.pidfd() >= 0;
  // Time kept back to withdraw the request and remove the folder within the timeout.
  const auto reserve = std::min(std::chrono::milliseconds(100), options.timeout / 10);
  plan.deadline = monotonic_after(std::max(std::chrono::milliseconds(1), left_until(deadline) - reserve));
  std::string answer;
  try {
    answer = helper.run(plan, left_until(deadline) + std::chrono::milliseconds(1000));
  } catch (const error& failure) {
    return give_up(failure.what());
  }
  if (answer[0] == 'T')
    return give_up(target.name + " did not run pyprefix's reader within " + seconds_text(options.timeout) + " s: " +
                   (process_is_stopped(process) ? "it is stopped (by a signal or a debugger)"
                                                : "its main thread reached no point where Python runs code (it may be "
                                                  "blocked in a C call, such as a sleep or a lock)") +
                   "; the request was withdrawn; use --pid without --attach for the list it had at start-up");
  if (answer[0] == 'X') return give_up(target.name + " ended while pyprefix attached to it");
  if (answer[0] != 'A') return give_up("pyprefix's helper in " + target.name + " gave no answer");
  return entries_of(answer);
}

}  // namespace pyprefix::detail
