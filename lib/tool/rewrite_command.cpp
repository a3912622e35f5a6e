// `pyprefix rewrite`: the Rewriter between the tool's files, gzip and the in-place rename.
#include "tool/rewrite_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

#include <pyprefix/error.hpp>

#include "tool/byte_streams.hpp"
#include "tool/gzip_stream.hpp"

namespace pyprefix::detail {
namespace {

// Rewrites `input` into `output`, inflating and deflating again when the input is gzip.
void rewrite_stream(const Trimmer& trimmer, Input& input, Output& output, const RewriteOptions& options,
                    std::vector<std::string>& warnings) {
  InflatingInput source(input);
  std::string_view chunk = source.next();
  DeflatingOutput sink(output, source.compressed());
  Rewriter rewriter(
      trimmer, [&sink](std::string_view piece) { sink.append(piece); }, options);
  for (; !chunk.empty(); chunk = source.next()) rewriter.write(chunk);
  rewriter.finish();
  sink.finish();
  for (const std::string& line : rewriter.warnings()) warnings.push_back(input.name() + ": " + line);
}

// The temporary file of the rewrite in place under way, removed by a signal that ends the
// tool; a fixed buffer, since a signal handler may call only async-signal-safe functions.
char temporary_path[PATH_MAX + 1];
volatile sig_atomic_t temporary_exists = 0;

extern "C" void remove_temporary_and_die(int signal_number) {
  if (temporary_exists != 0) unlink(temporary_path);
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

// The temporary file beside `path`: created 0600 with O_EXCL, removed unless committed.
class Temporary {
 public:
  explicit Temporary(const std::string& path) {
    const size_t slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string pattern = folder + "." + name + ".pyprefix-XXXXXX";
    if (pattern.size() > PATH_MAX) throw error("'" + path + "' has a name too long to rewrite beside it");
    std::memcpy(temporary_path, pattern.c_str(), pattern.size() + 1);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction action {};
      action.sa_handler = remove_temporary_and_die;
      sigemptyset(&action.sa_mask);
      sigaction(signal_number, &action, &saved_[signal_number == SIGINT ? 0 : signal_number == SIGTERM ? 1 : 2]);
    }
    fd_ = mkostemp(temporary_path, O_CLOEXEC);
    if (fd_ < 0) {
      const int saved_errno = errno;
      restore_signals();
      throw error("cannot create a file beside '" + path + "' to rewrite it: " + std::strerror(saved_errno));
    }
    temporary_exists = 1;
    name_ = temporary_path;
  }
  ~Temporary() {
    if (fd_ >= 0) close(fd_);
    if (temporary_exists != 0) unlink(name_.c_str());
    temporary_exists = 0;
    restore_signals();
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  // Renamed over `path`: from then on, it is the file.
  void commit(const std::string& path) {
    if (close(std::exchange(fd_, -1)) != 0) throw error("cannot write '" + path + "': " + std::strerror(errno));
    if (rename(name_.c_str(), path.c_str()) != 0) throw error("cannot replace '" + path + "': " + std::strerror(errno));
    temporary_exists = 0;
  }

 private:
  void restore_signals() {
    sigaction(SIGINT, &saved_[0], nullptr);
    sigaction(SIGTERM, &saved_[1], nullptr);
    sigaction(SIGHUP, &saved_[2], nullptr);
  }

  int fd_ = -1;
  std::string name_;
  struct sigaction saved_[3]{};
};

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// The permissions a new file gets from this process's umask (read from /proc: umask() would
// change it for every thread while it is read).
mode_t new_file_mode() {
  unsigned mask = 022;
  if (std::FILE* status = std::fopen("/proc/self/status", "re")) {
    char line[256];
    while (std::fgets(line, sizeof line, status) != nullptr)
      if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
    std::fclose(status);
  }
  return static_cast<mode_t>(0666 & ~mask);
}

// A file that exists at `path` may be replaced only when it is a regular file, not a symlink.
bool replaceable(const std::string& path, const std::string& shown, struct stat& status, bool must_exist) {
  if (lstat(path.c_str(), &status) != 0) {
    if (errno == ENOENT && !must_exist) return false;
    throw error("cannot read " + shown + ": " + std::strerror(errno));
  }
  if (S_ISLNK(status.st_mode))
    throw error(shown + " is a symlink: pyprefix rewrites only regular files (name the file it points to)");
  if (!S_ISREG(status.st_mode))
    throw error(shown + " is not a regular file (a folder, a FIFO or a device): pyprefix rewrites only regular files");
  return true;
}

}  // namespace

void rewrite_file(const Trimmer& trimmer, const std::string& source, const std::string& destination,
                  const RewriteOptions& options, std::vector<std::string>& warnings) {
  const bool in_place = source == destination;
  const std::string shown = "'" + destination + "'";
  struct stat before {};
  const bool existed = replaceable(destination, shown, before, in_place);
  std::optional<Input> input;
  if (in_place) {
    // Not following a symlink put there since, nor blocking on a FIFO: the descriptor must be
    // the file lstat saw.
    const int fd = open(source.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw error("cannot read " + shown + ": " + std::strerror(errno));
    input.emplace(fd, shown);
    struct stat opened {};
    if (fstat(fd, &opened) != 0 || !same_file(before, opened) || !S_ISREG(opened.st_mode))
      throw error(shown + " was replaced while pyprefix opened it");
  } else {
    input.emplace(source);
  }
  Temporary temporary(destination);
  {
    Output output(temporary.fd(), shown);
    rewrite_stream(trimmer, *input, output, options, warnings);
  }
  // An existing file's owner and mode stay; as root, another user's file stays theirs.
  if (existed && fchown(temporary.fd(), before.st_uid, before.st_gid) != 0 &&
      (before.st_uid != geteuid() || before.st_gid != getegid()))
    throw error("cannot keep the owner of " + shown + ": " + std::strerror(errno));
  if (fchmod(temporary.fd(), existed ? before.st_mode & 07777 : new_file_mode()) != 0)
    throw error("cannot set the mode of " + shown + ": " + std::strerror(errno));
  if (fsync(temporary.fd()) != 0) throw error("cannot write " + shown + ": " + std::strerror(errno));
  struct stat now {};
  if (existed && lstat(destination.c_str(), &now) != 0) throw error(shown + " disappeared while pyprefix rewrote it");
  if (existed && !same_file(now, before)) throw error(shown + " was replaced while pyprefix rewrote it");
  temporary.commit(destination);
}

std::vector<std::string> rewrite_files(const Trimmer& trimmer, const std::vector<std::string>& files,
                                       const RewriteOptions& options) {
  std::vector<Input> inputs;
  for (const std::string& file : files) inputs.emplace_back(file);
  if (inputs.empty()) inputs.emplace_back("-");
  Output output;
  std::vector<std::string> warnings;
  for (Input& input : inputs) rewrite_stream(trimmer, input, output, options, warnings);
  return warnings;
}

std::vector<std::string> rewrite_files_in_place(const Trimmer& trimmer, const std::vector<std::string>& files,
                                                const RewriteOptions& options) {
  std::vector<std::string> warnings;
  for (const std::string& file : files) rewrite_file(trimmer, file, file, options, warnings);
  return warnings;
}

}  // namespace pyprefix::detail
