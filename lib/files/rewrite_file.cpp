// Rewriting files: the Rewriter between Inputs and Outputs, gzip, and the replacement in place
// through one descriptor of the destination's folder.
#include "files/rewrite_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <utility>

#include <pyprefix/error.hpp>

#include "core/confine/file_descriptor.hpp"
#include "core/confine/proc_status.hpp"
#include "files/byte_streams.hpp"
#include "files/compressed_streams.hpp"

namespace pyprefix::detail {
namespace {

// Rewrites `input` into `output`, decompressing and compressing again (the same way, at the
// level it hints) when the input is gzip or zstd. An uncompressed input's output is never
// longer than it (the Rewriter only shortens).
void rewrite_stream(const Trimmer& trimmer, Input& input, Output& output, const RewriteOptions& options,
                    const FileRewriteOptions& file_options, std::vector<std::string>& warnings) {
  DecompressingInput source(input, file_options.max_inflated_bytes);
  std::string_view chunk = source.next();
  CompressingOutput sink(output, source.compression());
  uint64_t read = 0, written = 0;
  std::optional<Rewriter> rewriter;
  rewriter.emplace(
      trimmer,
      [&](std::string_view piece) {
        written += piece.size();
        // Text only shortens; a pstats file is written anew, as marshal version 4.
        if (!source.compressed() && written > read && rewriter->format() != RewriteFormat::pstats)
          throw error(input.name() + " would be rewritten longer than it is, which a rewrite never does");
        sink.append(piece);
      },
      options);
  try {
    for (; !chunk.empty(); chunk = source.next()) {
      if (file_options.between_chunks) file_options.between_chunks();
      read += chunk.size();
      rewriter->write(chunk);
    }
    rewriter->finish();
  } catch (const error& e) {
    // The Rewriter names its input "the input": here it has a name.
    constexpr std::string_view unnamed = "the input ";
    const std::string_view what = e.what();
    if (what.substr(0, unnamed.size()) == unnamed)
      throw error(input.name() + " " + std::string(what.substr(unnamed.size())));
    throw;
  }
  sink.finish();
  for (const std::string& line : rewriter->warnings()) warnings.push_back(input.name() + ": " + line);
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

[[noreturn]] void fail(const std::string& what, int error_number) {
  throw error(what + ": " + std::strerror(error_number));
}

// Whether a symlink found in `folder` may be followed: its own owner is this process's user or
// root, and nobody else may replace it: the folder is this user's or root's, and writable by
// nobody else or sticky (where only an entry's owner, or the folder's, may remove or rename it).
bool trusted_symlink(int folder, const struct stat& link) {
  const uid_t me = geteuid();
  if (link.st_uid != me && link.st_uid != 0) return false;
  struct stat around {};
  if (fstat(folder, &around) != 0 || (around.st_uid != me && around.st_uid != 0)) return false;
  return (around.st_mode & S_ISVTX) != 0 || (around.st_mode & 022) == 0;
}

// The temporary file's name in the folder: hidden, after the file's name, random.
std::string temporary_name(const std::string& leaf) {
  std::random_device source;
  std::uniform_int_distribution<unsigned> hex_digit(0, 15);
  std::string name = "." + leaf.substr(0, NAME_MAX - 30) + ".pyprefix-";
  for (int i = 0; i < 12; ++i) name += "0123456789abcdef"[hex_digit(source)];
  return name;
}

// Signals that would end the process are held off in this thread while a name exists that
// must be taken back (between the link and the rename: two system calls).
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&held, signal_number);
    pthread_sigmask(SIG_BLOCK, &held, &saved_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t saved_{};
};

// The new file in the destination's folder: unnamed (O_TMPFILE) until committed where the
// file system has it, else under a hidden name removed unless committed.
class Replacement {
 public:
  Replacement(int folder, const std::string& leaf, const std::string& shown) : folder_(folder), leaf_(leaf) {
    fd_ = FileDescriptor(openat(folder, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
    if (fd_.get() >= 0) return;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
      fail("cannot create a file beside " + shown + " to rewrite it", errno);
    for (int attempt = 0; attempt < 100 && fd_.get() < 0; ++attempt) {
      name_ = temporary_name(leaf);
      fd_ = FileDescriptor(openat(folder, name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (fd_.get() < 0 && errno != EEXIST) {
        const int failure = errno;
        name_.clear();
        fail("cannot create a file beside " + shown + " to rewrite it", failure);
      }
    }
    if (fd_.get() < 0) throw error("cannot create a file beside " + shown + " to rewrite it: every name is taken");
  }
  ~Replacement() {
    if (!name_.empty()) unlinkat(folder_, name_.c_str(), 0);
  }
  Replacement(const Replacement&) = delete;
  Replacement& operator=(const Replacement&) = delete;

  int fd() const { return fd_.get(); }

  // Renamed over the folder's entry `leaf`: from then on, it is the file. An unnamed file is
  // linked under a hidden name first (rename cannot replace an entry with an unnamed file).
  void commit(const std::string& shown) {
    const SignalsHeld held;
    if (name_.empty()) link_unnamed(shown);
    if (renameat(folder_, name_.c_str(), folder_, leaf_.c_str()) != 0) fail("cannot replace " + shown, errno);
    name_.clear();
  }

 private:
  void link_unnamed(const std::string& shown) {
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd_.get());
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string name = temporary_name(leaf_);
      int linked = linkat(AT_FDCWD, self, folder_, name.c_str(), AT_SYMLINK_FOLLOW);
      if (linked != 0 && errno == ENOENT)  // no /proc: root may link a descriptor directly
        linked = linkat(fd_.get(), "", folder_, name.c_str(), AT_EMPTY_PATH);
      if (linked == 0) {
        name_ = std::move(name);
        return;
      }
      if (errno != EEXIST) fail("cannot replace " + shown, errno);
    }
    throw error("cannot replace " + shown + ": every temporary name is taken");
  }

  int folder_;
  std::string leaf_, name_;  // name_: the hidden name the new file has, while it has one
  FileDescriptor fd_;
};

// The permissions a new file gets from this process's umask (read from /proc: umask() would
// change it for every thread while it is read).
mode_t new_file_mode() {
  int failed = 0;
  const std::string umask_text = status_field(read_small_file(AT_FDCWD, "/proc/self/status", failed), "Umask");
  const unsigned long mask = umask_text.empty() ? 022 : std::strtoul(umask_text.c_str(), nullptr, 8);
  return static_cast<mode_t>(0666 & ~mask);
}

// The folder and the name of `path`'s last component ("a/b/c" -> "a/b", "c"; "c" -> ".", "c").
std::pair<std::string, std::string> split_leaf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Whether the file has holes (a sparse file): its first hole is before its end.
bool has_holes(int fd, const struct stat& status) {
  const off_t hole = lseek(fd, 0, SEEK_HOLE);
  const bool sparse = hole >= 0 && hole < status.st_size;
  lseek(fd, 0, SEEK_SET);
  return sparse;
}

}  // namespace

FileDescriptor open_folder(const std::string& path) {
  const std::string shown = "'" + path + "'";
  std::vector<std::string> left;  // components still to walk, the next one last
  auto push_components = [&left](const std::string& text) {
    std::vector<std::string> parts;
    for (size_t start = 0; start <= text.size();) {
      size_t end = text.find('/', start);
      if (end == std::string::npos) end = text.size();
      if (end > start && text.compare(start, end - start, ".") != 0) parts.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    left.insert(left.end(), parts.rbegin(), parts.rend());
  };
  // The folders walked through, the current one last: ".." goes back to the one walked from,
  // never to wherever a folder moved meanwhile has its parent now.
  std::vector<FileDescriptor> walked;
  auto restart = [&](const char* from) {
    walked.clear();
    walked.emplace_back(open(from, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (walked.back().get() < 0) fail("cannot open the folder of " + shown, errno);
  };
  restart(!path.empty() && path[0] == '/' ? "/" : ".");
  push_components(path);
  for (int symlinks = 0; !left.empty();) {
    const std::string part = std::move(left.back());
    left.pop_back();
    if (part == "..") {
      if (walked.size() > 1) {
        walked.pop_back();
      } else {  // above where the walk began: "/.." is "/", and the working folder's parent is asked once
        FileDescriptor parent(openat(walked.back().get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (parent.get() < 0) fail("cannot open the folder of " + shown, errno);
        walked.back() = std::move(parent);
      }
      continue;
    }
    const int folder = walked.back().get();
    FileDescriptor next(openat(folder, part.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (next.get() < 0) fail("cannot open the folder of " + shown + " at '" + part + "'", errno);
    struct stat status {};
    if (fstat(next.get(), &status) != 0) fail("cannot open the folder of " + shown, errno);
    if (S_ISDIR(status.st_mode)) {
      walked.push_back(std::move(next));
      continue;
    }
    if (!S_ISLNK(status.st_mode)) throw error("the folder of " + shown + " is not a folder at '" + part + "'");
    // The symlink itself is checked and read through the one descriptor: no name is resolved twice.
    if (!trusted_symlink(folder, status))
      throw error("the folder of " + shown + " goes through the symlink '" + part +
                  "', which another user owns or could have placed there: pyprefix follows no such symlink "
                  "(name the folder it points to)");
    if (++symlinks > 40) throw error("the folder of " + shown + " goes through more than 40 symlinks");
    std::string target(PATH_MAX, '\0');
    const ssize_t size = readlinkat(next.get(), "", target.data(), target.size());
    if (size < 0 || static_cast<size_t>(size) >= target.size())
      fail("cannot read the symlink '" + part + "' on the way to " + shown, size < 0 ? errno : ENAMETOOLONG);
    target.resize(static_cast<size_t>(size));
    if (!target.empty() && target[0] == '/') restart("/");
    push_components(target);
  }
  return std::move(walked.back());
}

void rewrite_file(const Trimmer& trimmer, const std::string& source, const std::string& destination,
                  const RewriteOptions& options, std::vector<std::string>& warnings,
                  const FileRewriteOptions& file_options) {
  const bool in_place = source == destination;
  const std::string shown = "'" + destination + "'";
  const auto [folder_path, leaf] = split_leaf(destination);
  if (leaf.empty() || leaf == "." || leaf == "..") throw error(shown + " names a folder: pyprefix rewrites files");
  const FileDescriptor folder = open_folder(folder_path);

  // The destination as it is, if it is: a regular file, not a symlink.
  struct stat before {};
  bool existed = fstatat(folder.get(), leaf.c_str(), &before, AT_SYMLINK_NOFOLLOW) == 0;
  if (!existed && (errno != ENOENT || in_place)) fail("cannot read " + shown, errno);
  if (existed && S_ISLNK(before.st_mode))
    throw error(shown + " is a symlink: pyprefix rewrites only regular files (name the file it points to)");
  if (existed && !S_ISREG(before.st_mode))
    throw error(shown + " is not a regular file (a folder, a FIFO or a device): pyprefix rewrites only regular files");

  std::optional<Input> input;
  bool sparse = false;
  if (in_place) {
    // The very entry checked, held by O_PATH and opened for reading only once it is seen to be
    // that regular file: nothing put there since (a symlink, a device, a FIFO) is ever opened.
    const FileDescriptor entry(openat(folder.get(), leaf.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat held {};
    if (entry.get() < 0 || fstat(entry.get(), &held) != 0 || !same_file(before, held) || !S_ISREG(held.st_mode))
      throw error(shown + " was replaced while pyprefix opened it");
    if (held.st_nlink > 1)
      throw error(shown + " has " + std::to_string(held.st_nlink) +
                  " hard links, which a rewrite in place would split: rewrite it into another file instead");
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", entry.get());
    int fd = open(self, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)  // no /proc: the entry again, still not following a symlink
      fd = openat(folder.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fail("cannot read " + shown, errno);
    input.emplace(fd, shown);
    struct stat opened {};
    if (fstat(fd, &opened) != 0 || !same_file(before, opened) || !S_ISREG(opened.st_mode))
      throw error(shown + " was replaced while pyprefix opened it");
    // An access control list (or a capability, a security label) would not come along to the
    // new file: refused rather than have its rights widen.
    static constexpr struct {
      const char *attribute, *what;
    } kept_rights[] = {{"system.posix_acl_access", "an access control list"},
                       {"security.capability", "file capabilities"}};
    for (const auto& right : kept_rights)
      if (fgetxattr(fd, right.attribute, nullptr, 0) >= 0)
        throw error(shown + " has " + right.what +
                    ", which a rewrite in place would drop: rewrite it into another file instead");
    sparse = has_holes(fd, opened);
  } else {
    input.emplace(source);
  }
  Replacement replacement(folder.get(), leaf, shown);
  {
    Output output(replacement.fd(), shown);
    if (sparse) output.keep_holes();
    rewrite_stream(trimmer, *input, output, options, file_options, warnings);
    output.finish_holes();
  }
  // An existing file's mode, then its owner: as root, another user's file stays theirs. The
  // owner comes last, and setting it drops set-user-ID and set-group-ID bits (as chown does).
  // The folder's default access control list would give the new file rights the old one did
  // not have (its owner's user, say): it goes before the mode is set.
  if (fremovexattr(replacement.fd(), "system.posix_acl_access") != 0 && errno != ENODATA && errno != ENOTSUP &&
      errno != EOPNOTSUPP)
    fail("cannot set the rights of " + shown, errno);
  // Set-id bits never reach the new file, not even for the moment before its owner is set.
  if (fchmod(replacement.fd(), existed ? before.st_mode & 01777 : new_file_mode()) != 0)
    fail("cannot set the mode of " + shown, errno);
  if (existed && fchown(replacement.fd(), before.st_uid, before.st_gid) != 0 &&
      (before.st_uid != geteuid() || before.st_gid != getegid()))
    fail("cannot keep the owner of " + shown, errno);
  if (fsync(replacement.fd()) != 0) fail("cannot write " + shown, errno);
  struct stat now {};
  const bool exists_now = fstatat(folder.get(), leaf.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0;
  if (existed && !exists_now) throw error(shown + " disappeared while pyprefix rewrote it");
  if (existed ? !same_file(now, before) : exists_now) throw error(shown + " was replaced while pyprefix rewrote it");
  replacement.commit(shown);
}

std::vector<std::string> rewrite_files(const Trimmer& trimmer, const std::vector<std::string>& files,
                                       const RewriteOptions& options, const FileRewriteOptions& file_options) {
  std::vector<Input> inputs;
  for (const std::string& file : files) inputs.emplace_back(file);
  if (inputs.empty()) inputs.emplace_back("-");
  Output output;
  std::vector<std::string> warnings;
  for (Input& input : inputs) rewrite_stream(trimmer, input, output, options, file_options, warnings);
  return warnings;
}

std::vector<std::string> rewrite_files_in_place(const Trimmer& trimmer, const std::vector<std::string>& files,
                                                const RewriteOptions& options, const FileRewriteOptions& file_options) {
  std::vector<std::string> warnings;
  for (const std::string& file : files) rewrite_file(trimmer, file, file, options, warnings, file_options);
  return warnings;
}

}  // namespace pyprefix::detail
