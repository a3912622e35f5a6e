#include "ask/attach/remote_debugging.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <pyprefix/error.hpp>

#include "ask/attach/mapped_images.hpp"
#include "core/confine/file_descriptor.hpp"
#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {

const DebugOffsetsLayout* debug_offsets_layout(unsigned minor) {
  // Measured with offsetof on each version's Include/internal/pycore_debug_offsets.h
  // (test/ask/child/debug_offsets_layout.c checks them against the headers where they are installed).
  static constexpr DebugOffsetsLayout layouts[] = {{14, 760, 712}, {15, 888, 840}};
  for (const DebugOffsetsLayout& layout : layouts)
    if (layout.minor == minor) return &layout;
  return nullptr;
}

namespace {

// What no real interpreter's offsets come near: a bigger one is not a debug offset.
constexpr uint64_t max_offset = 16u << 20;
constexpr uint64_t please_stop_bit = uint64_t{1} << 5;  // _PY_EVAL_PLEASE_STOP_BIT
constexpr long openat2_call = 437;                      // the same number on every architecture (Linux 5.6)
constexpr uint64_t resolve_no_magiclinks = 0x02, resolve_no_symlinks = 0x04, resolve_in_root = 0x10;

std::string hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%" PRIx64, value);
  return text;
}

int yama_ptrace_scope() {
  int failed = 0;
  const std::string scope = read_small_file(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope", failed);
  return scope.empty() ? 0 : std::atoi(scope.c_str());
}

// Which rule refused the right to attach (opening /proc/PID/mem: EACCES or EPERM), and what to do.
std::string why_attach_denied(const ProcessAnchor& process) {
  const int scope = yama_ptrace_scope();
  const bool can_trace_all = has_capability(capability_sys_ptrace);
  if (scope >= 3) return "Yama's ptrace_scope is 3, which lets no process attach to another (only a reboot lowers it)";
  if (geteuid() == 0 && !can_trace_all)
    return "pyprefix runs as root without CAP_SYS_PTRACE (a container drops it: add it, and CAP_SYS_ADMIN for "
           "its helper, as `docker run --cap-add SYS_PTRACE --cap-add SYS_ADMIN` does)";
  int failed = 0;
  const std::string status = read_small_file(process.folder(), "status", failed);
  if (!can_trace_all && !status.empty()) {
    const Identity identity = identity_of(status);
    if (identity.uid != geteuid())
      return "it runs as user " + std::to_string(identity.uid) + ": only that user or root may attach to it";
  }
  if (scope == 2 && !can_trace_all)
    return "Yama's ptrace_scope is 2: only a process with CAP_SYS_PTRACE may attach (run pyprefix as root)";
  if (scope == 1 && !can_trace_all)
    return "Yama's ptrace_scope is 1: a process may attach only to its own descendants (run pyprefix as root, or "
           "set kernel.yama.ptrace_scope to 0)";
  return "permission denied (it may not be dumpable, as a set-user-ID program is not; run pyprefix as root)";
}

std::string ended_text(const std::string& name) { return name + " ended while pyprefix attached to it"; }

// Why the memory descriptor gives nothing more: the process ended, or it runs another program
// (an exec replaced the memory the descriptor was opened for), as its pidfd tells.
std::string gone_text(const std::string& name, int pidfd) {
  pollfd ended{pidfd, POLLIN, 0};
  if (pidfd < 0 || poll(&ended, 1, 0) != 0) return ended_text(name);
  return name + " began to run another program while pyprefix attached to it";
}

std::string timeout_text(const std::string& name) {
  return "pyprefix could not find the interpreter of " + name + " within the timeout (it maps too many files)";
}

// The file of a mapping, opened to read its headers: by /proc/PID/map_files (root), which is
// the mapped file whatever root or mount namespace the process has. Only where map_files is
// refused (a user attaching to a process of its own) by its path inside the process's root
// (openat2 with RESOLVE_IN_ROOT), following no symlink, as O_PATH first: it is opened for reading
// only once it is seen to be the very regular file mapped, so that no device or FIFO the
// process put at that path is ever opened. A mapping that changed since maps was read (ENOENT),
// or a deleted file, is skipped. -1 when the file is not opened.
FileDescriptor open_mapped_file(const ProcessAnchor& process, const Mapping& mapping) {
  char link[64];
  std::snprintf(link, sizeof link, "map_files/%" PRIx64 "-%" PRIx64, mapping.start, mapping.end);
  constexpr int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY;
  FileDescriptor file = process.open(link, flags);  // a magic link: it names the mapped file
  if (file.get() < 0) {
    if (errno != EPERM && errno != EACCES) return FileDescriptor();
    constexpr std::string_view deleted = " (deleted)";
    const bool is_deleted = mapping.path.size() >= deleted.size() &&
                            mapping.path.compare(mapping.path.size() - deleted.size(), deleted.size(), deleted) == 0;
    if (is_deleted || mapping.path.empty() || mapping.path[0] != '/') return FileDescriptor();
    const FileDescriptor root = process.open("root", O_PATH | O_DIRECTORY);
    if (root.get() < 0) return FileDescriptor();
    // openat2(2)'s struct open_how and RESOLVE_ flags, which not every C library declares.
    struct {
      uint64_t flags, mode, resolve;
    } how{static_cast<uint64_t>(O_PATH | O_NOFOLLOW | O_CLOEXEC), 0,
          resolve_no_magiclinks | resolve_no_symlinks | resolve_in_root};
    const FileDescriptor path(
        static_cast<int>(syscall(openat2_call, root.get(), mapping.path.c_str(), &how, sizeof how)));
    struct stat seen {};
    if (path.get() < 0 || fstat(path.get(), &seen) != 0 || !S_ISREG(seen.st_mode) || seen.st_ino != mapping.inode ||
        major(seen.st_dev) != mapping.device_major || minor(seen.st_dev) != mapping.device_minor)
      return FileDescriptor();
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", path.get());
    file = FileDescriptor(open(self, flags | O_CLOEXEC));
  }
  struct stat status {};
  if (file.get() < 0 || fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode) || status.st_ino != mapping.inode ||
      major(status.st_dev) != mapping.device_major || minor(status.st_dev) != mapping.device_minor)
    return FileDescriptor();
  return file;
}

bool has_python_name(const std::string& path) {
  const std::string base = path.substr(path.rfind('/') + 1);
  return base.find("python") != std::string::npos;
}

// The address of _PyRuntime: the .PyRuntime section of the first mapped file that has one, the
// files named like Python tried first (CPython's own search looks at those only), each once, and
// only on a file system that no server takes part in (whose device the process's or this
// process's mountinfo names as local): opening a FUSE file asks its server, which may never
// answer. Each file is opened through /proc/PID/map_files, else by its path inside the
// process's root with no symlink followed; `python_like` gets the first Python-named file's name,
// for a message when none has the section; `holder` the mapping that has it.
std::optional<uint64_t> find_runtime(const ProcessAnchor& process, const std::vector<Mapping>& mappings,
                                     std::chrono::steady_clock::time_point deadline, std::string& python_like,
                                     const Mapping*& holder, std::vector<std::string>& diagnostics) {
  int failed = 0;
  const std::string mountinfo = read_small_file(process.folder(), "mountinfo", failed, 16u << 20) + "\n" +
                                read_small_file(AT_FDCWD, "/proc/self/mountinfo", failed, 16u << 20);
  std::set<std::pair<uint64_t, uint64_t>> tried;  // (device, inode)
  constexpr size_t max_files = 4096;
  ReadBudget budget{64u << 20};
  for (const bool python_named : {true, false}) {
    for (const Mapping& mapping : mappings) {
      if (mapping.offset != 0 || has_python_name(mapping.path) != python_named || tried.size() >= max_files) continue;
      if (!tried.insert({uint64_t{mapping.device_major} << 32 | mapping.device_minor, mapping.inode}).second) continue;
      if (std::chrono::steady_clock::now() >= deadline) throw error(timeout_text(process.name()));
      if (python_named && python_like.empty()) python_like = mapping.path;
      const std::string type = file_system_of(mountinfo, mapping.device_major, mapping.device_minor);
      if (!is_local_file_system(type)) {
        diagnostics.push_back(
            "--attach: skipped " + mapping.path + ", which lies on " +
            (type.empty() ? std::string("a file system pyprefix cannot name") : "a " + type + " file system") +
            " (opening it could wait on a server)");
        continue;
      }
      const FileDescriptor file = open_mapped_file(process, mapping);
      if (file.get() < 0) continue;
      std::optional<uint64_t> offset;
      try {
        offset = section_offset(file.get(), ".PyRuntime", mapping.path, budget);
      } catch (const error&) {
        if (budget.left == 0) throw error(process.name() + "'s mapped files have headers larger than pyprefix reads");
        continue;  // not an ELF image pyprefix reads: it holds no interpreter it can reach either
      }
      if (!offset) continue;
      holder = &mapping;
      return mapping.start + *offset;
    }
  }
  return std::nullopt;
}

std::string version_text(uint64_t version_hex) {
  return std::to_string(version_hex >> 24 & 0xff) + "." + std::to_string(version_hex >> 16 & 0xff);
}

const char* without_attach = "; use --pid without --attach for the list it had at start-up";

[[noreturn]] void throw_too_old(const std::string& what_it_runs) {
  throw error(what_it_runs +
              ", which has no remote debugging interface: --attach needs Python 3.14 or newer (PEP 768)" +
              without_attach);
}

}  // namespace

void RemoteMemory::read(uint64_t address, void* into, size_t size, const char* what) const {
  transfer(address, into, size, what, false);
}

void RemoteMemory::write(uint64_t address, const void* from, size_t size, const char* what) const {
  // /proc/PID/mem writes even where the page is read-only: only the interpreter's own writable
  // data is written, whatever addresses the process's memory gave.
  const bool inside = std::any_of(writable.begin(), writable.end(), [&](const std::pair<uint64_t, uint64_t>& range) {
    return address >= range.first && address <= range.second && size <= range.second - address;
  });
  if (!inside)
    throw error("cannot write " + name + "'s " + what + " at " + hex(address) +
                ": it lies outside the writable data of the image that holds its interpreter");
  transfer(address, const_cast<void*>(from), size, what, true);
}

uint64_t RemoteMemory::word(uint64_t address, const char* what) const {
  uint64_t value = 0;
  read(address, &value, sizeof value, what);
  return value;
}

void RemoteMemory::transfer(uint64_t address, void* local, size_t size, const char* what, bool writing) const {
  if (address > static_cast<uint64_t>(std::numeric_limits<off_t>::max()) - size)
    throw error("cannot " + std::string(writing ? "write " : "read ") + name + "'s " + what + " at " + hex(address) +
                ": its debug offsets point outside its memory");
  const ssize_t done = writing ? pwrite(file.get(), local, size, static_cast<off_t>(address))
                               : pread(file.get(), local, size, static_cast<off_t>(address));
  if (done == static_cast<ssize_t>(size)) return;
  // The descriptor holds the memory of the process it was opened for: after an exit or an exec,
  // it reads and writes nothing.
  if (done == 0 || (done < 0 && errno == ESRCH)) throw error(gone_text(name, pidfd));
  const int failure = done < 0 ? errno : EIO;
  throw error("cannot " + std::string(writing ? "write " : "read ") + name + "'s " + what + " at " + hex(address) +
              ": " +
              (failure == EIO || failure == EFAULT ? std::string("its debug offsets point outside its memory")
                                                   : std::strerror(failure)));
}

RemoteInterpreter find_remote_interpreter(const ProcessAnchor& process,
                                          std::chrono::steady_clock::time_point deadline) {
  RemoteInterpreter found;
  found.memory.name = process.name();
  found.memory.pidfd = process.pidfd();
  const std::string& name = process.name();
  int failed = 0;
  const std::string status = read_small_file(process.folder(), "status", failed);
  if (failed != 0) throw error(ended_text(name));
  if (is_ended(status)) throw error(name + " has ended (it waits for its parent to collect it)");
  if (is_stopped(status))
    throw error(name + " is stopped (by a signal or a debugger): it runs no Python code until it is continued");

  // The memory first: a descriptor tied to this process's memory, not to its number.
  found.memory.file = process.open("mem", O_RDWR);
  if (found.memory.file.get() < 0) {
    if (errno == ENOENT || errno == ESRCH) throw error(ended_text(name));
    if (errno == EACCES || errno == EPERM) throw error("cannot attach to " + name + ": " + why_attach_denied(process));
    throw error("cannot open the memory of " + name + ": " + std::strerror(errno));
  }
  // A set-user-ID program (or one that became one by exec meanwhile) runs with rights its user
  // does not have, and its script would be that user's to change: refused.
  const std::string now = read_small_file(process.folder(), "status", failed);
  if (!has_one_identity(now))
    throw error(name + " runs with more than one user or group id (Uid: " + status_field(now, "Uid") +
                ", Gid: " + status_field(now, "Gid") +
                "; a set-user-ID or set-group-ID program): --attach would run its script with rights its user "
                "does not have" +
                without_attach);
  const std::string maps = read_small_file(process.folder(), "maps", failed, 64u << 20);
  if (failed == ENOENT || failed == ESRCH) throw error(ended_text(name));
  if (failed == EACCES || failed == EPERM) throw error("cannot attach to " + name + ": " + why_attach_denied(process));
  if (failed != 0) throw error("cannot read the memory map of " + name + ": " + std::strerror(failed));
  const std::vector<Mapping> mappings = parse_maps(maps);
  if (mappings.empty()) throw error(name + " maps no file (it has ended, or it is a kernel thread)");

  std::string python_like;
  const Mapping* holder = nullptr;
  const std::optional<uint64_t> runtime =
      find_runtime(process, mappings, deadline, python_like, holder, found.diagnostics);
  if (!runtime) {
    if (!python_like.empty())
      throw_too_old(name + " runs " + python_like.substr(python_like.rfind('/') + 1) + " (no .PyRuntime section)");
    throw error(name +
                " holds no Python interpreter that --attach can reach (no mapped file has a .PyRuntime "
                "section)");
  }
  for (const Mapping& mapping : mappings)
    if (mapping.writable && mapping.inode == holder->inode && mapping.device_major == holder->device_major &&
        mapping.device_minor == holder->device_minor)
      found.memory.writable.emplace_back(mapping.start, mapping.end);
  const std::string holder_name = holder->path.substr(holder->path.rfind('/') + 1);
  const RemoteMemory& memory = found.memory;
  struct {
    char cookie[8];
    uint64_t version, free_threaded;
  } head{};
  memory.read(*runtime, &head, sizeof head, "debug offsets");
  if (std::memcmp(head.cookie, "xdebugpy", 8) != 0)
    throw_too_old(name + " runs " + holder_name + " (its .PyRuntime section holds no debug offsets: 3.12 or older)");
  found.version = version_text(head.version);
  const unsigned major = head.version >> 24 & 0xff, minor = head.version >> 16 & 0xff;
  if (major == 3 && minor < 14) throw_too_old(name + " runs Python " + found.version);
  const DebugOffsetsLayout* layout = major == 3 ? debug_offsets_layout(minor) : nullptr;
  if (layout == nullptr)
    throw error(name + " runs Python " + found.version +
                ", whose debug offsets this pyprefix does not know (it knows 3.14 and 3.15)" + without_attach);
  if (head.free_threaded != 0)
    throw error(name + " runs a free-threaded build of Python " + found.version + ", which --attach does not support" +
                without_attach);

  std::vector<uint64_t> offsets(layout->size / 8);
  memory.read(*runtime, offsets.data(), offsets.size() * 8, "debug offsets");
  auto offset = [&](size_t position) {
    const uint64_t value = offsets[position / 8];
    if (value > max_offset) throw error(name + "'s debug offsets are not an interpreter's (one is " + hex(value) + ")");
    return value;
  };
  const size_t support = layout->debugger_support;
  if (memory.word(*runtime + offset(32), "runtime state") != 0)  // runtime_state.finalizing
    throw error(name + "'s interpreter is shutting down");
  const uint64_t interpreter = memory.word(*runtime + offset(40), "runtime state");  // interpreters_head
  if (interpreter == 0) throw error(name + " has no interpreter yet (it is starting, or has shut down)");
  int32_t enabled = 0;
  memory.read(interpreter + offset(support + 16), &enabled, sizeof enabled, "interpreter state");
  if (enabled != 1)
    throw error(name +
                " has remote debugging turned off (PYTHON_DISABLE_REMOTE_DEBUG, -X disable-remote-debug, "
                "or a build without it)" +
                without_attach);
  const uint64_t thread = memory.word(interpreter + offset(80), "interpreter state");  // threads_main
  if (thread == 0) throw error(name + "'s interpreter has no main thread");
  const uint64_t debugger = thread + offset(support + 8);  // remote_debugger_support
  found.eval_breaker = thread + offset(support);
  found.pending_call = debugger + offset(support + 24);
  found.script_path = debugger + offset(support + 32);
  found.script_path_size = offset(support + 40);
  if (found.script_path_size < 64 || found.script_path_size > 65536)
    throw error(name + "'s debug offsets are not an interpreter's (a script path of " +
                std::to_string(found.script_path_size) + " bytes)");
  return found;
}

void request_script(const RemoteInterpreter& interpreter, const std::string& path) {
  const RemoteMemory& memory = interpreter.memory;
  if (path.size() >= interpreter.script_path_size)
    throw error("the script path '" + path + "' is longer than " + memory.name + " takes (" +
                std::to_string(interpreter.script_path_size - 1) + " bytes)");
  memory.write(interpreter.script_path, path.c_str(), path.size() + 1, "script path");
  const int32_t pending = 1;
  memory.write(interpreter.pending_call, &pending, sizeof pending, "pending call");
  // Read, set, write, as CPython's own sys.remote_exec() does: a bit the thread sets in between is lost,
  // and it sets it again when it next needs it.
  const uint64_t breaker = memory.word(interpreter.eval_breaker, "eval breaker");
  const uint64_t stopping = breaker | please_stop_bit;
  memory.write(interpreter.eval_breaker, &stopping, sizeof stopping, "eval breaker");
}

bool withdraw_script(const RemoteInterpreter& interpreter) noexcept {
  try {
    const RemoteMemory& memory = interpreter.memory;
    const char empty = '\0';
    memory.write(interpreter.script_path, &empty, 1, "script path");
    int32_t pending = 0;
    memory.read(interpreter.pending_call, &pending, sizeof pending, "pending call");
    if (pending == 0) return false;
    const int32_t none = 0;
    memory.write(interpreter.pending_call, &none, sizeof none, "pending call");
    return true;
  } catch (const error&) {
    return true;  // it has gone, or runs another program: its request is gone with its memory
  }
}

}  // namespace pyprefix::detail
