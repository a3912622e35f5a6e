#include "child/remote_debugging.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <utility>

#include <pyprefix/error.hpp>

#include "child/mapped_images.hpp"
#include "core/confine/file_descriptor.hpp"
#include "core/confine/proc_status.hpp"

namespace pyprefix::detail {

const DebugOffsetsLayout* debug_offsets_layout(unsigned minor) {
  // Measured with offsetof on each version's Include/internal/pycore_debug_offsets.h
  // (test/child/debug_offsets_layout.c checks them against the headers where they are installed).
  static constexpr DebugOffsetsLayout layouts[] = {{14, 760, 712}, {15, 888, 840}};
  for (const DebugOffsetsLayout& layout : layouts)
    if (layout.minor == minor) return &layout;
  return nullptr;
}

namespace {

// What no real interpreter's offsets come near: a bigger one is not a debug offset.
constexpr uint64_t max_offset = 16u << 20;
constexpr uint64_t please_stop_bit = uint64_t{1} << 5;  // _PY_EVAL_PLEASE_STOP_BIT
constexpr int cap_sys_ptrace = 19;

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

bool has_capability(int capability) {
  int failed = 0;
  const std::string effective = status_field(read_small_file(AT_FDCWD, "/proc/self/status", failed), "CapEff");
  return !effective.empty() && (std::strtoull(effective.c_str(), nullptr, 16) >> capability & 1) != 0;
}

// Which rule refused the right to attach (process_vm_readv's EPERM), and what to do.
std::string why_attach_denied(int pid) {
  const int scope = yama_ptrace_scope();
  const bool can_trace_all = has_capability(cap_sys_ptrace);
  if (scope >= 3) return "Yama's ptrace_scope is 3, which lets no process attach to another (only a reboot lowers it)";
  if (geteuid() == 0 && !can_trace_all)
    return "pyprefix runs as root without CAP_SYS_PTRACE (a container drops it: add it, as `docker run --cap-add "
           "SYS_PTRACE` does)";
  int failed = 0;
  const std::string status = read_process_status(pid, failed);
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

// The other process's memory, through process_vm_readv and process_vm_writev.
class Memory {
 public:
  Memory(int pid, std::string name) : pid_(pid), name_(std::move(name)) {}

  void read(uint64_t address, void* into, size_t size, const char* what) const {
    transfer(address, into, size, what, false);
  }
  void write(uint64_t address, const void* from, size_t size, const char* what) const {
    transfer(address, const_cast<void*>(from), size, what, true);
  }
  uint64_t word(uint64_t address, const char* what) const {
    uint64_t value = 0;
    read(address, &value, sizeof value, what);
    return value;
  }

 private:
  void transfer(uint64_t address, void* local, size_t size, const char* what, bool writing) const {
    iovec here{local, size}, there{reinterpret_cast<void*>(static_cast<uintptr_t>(address)), size};
    const ssize_t done =
        writing ? process_vm_writev(pid_, &here, 1, &there, 1, 0) : process_vm_readv(pid_, &here, 1, &there, 1, 0);
    if (done == static_cast<ssize_t>(size)) return;
    const int failure = done < 0 ? errno : EFAULT;
    if (failure == ESRCH) throw error(name_ + " ended while pyprefix attached to it");
    if (failure == EPERM) throw error("cannot attach to " + name_ + ": " + why_attach_denied(pid_));
    throw error(
        "cannot " + std::string(writing ? "write " : "read ") + name_ + "'s " + what + " at " + hex(address) + ": " +
        (failure == EFAULT ? std::string("its debug offsets point outside its memory") : std::strerror(failure)));
  }

  int pid_;
  std::string name_;
};

// The file of a mapping, opened to read its headers: by /proc/PID/map_files (root), which is
// the mapped file whatever root or mount namespace the process has, else by its path here,
// checked to be the very file mapped. -1 when neither can be opened.
FileDescriptor open_mapped_file(int pid, const Mapping& mapping) {
  char link[96];
  std::snprintf(link, sizeof link, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, pid, mapping.start, mapping.end);
  constexpr int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  FileDescriptor file(open(link, flags));
  bool by_path = false;
  if (file.get() < 0) {
    file = FileDescriptor(open(mapping.path.c_str(), flags));
    by_path = true;
  }
  struct stat status {};
  if (file.get() < 0 || fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) return FileDescriptor();
  if (by_path && (status.st_ino != mapping.inode || major(status.st_dev) != mapping.device_major ||
                  minor(status.st_dev) != mapping.device_minor))
    return FileDescriptor();
  // A FUSE server answers reads of its files when it pleases: pyprefix gives it no chance to block.
  struct statfs system {};
  constexpr decltype(system.f_type) fuse_magic = 0x65735546;
  if (fstatfs(file.get(), &system) != 0 || system.f_type == fuse_magic) return FileDescriptor();
  return file;
}

bool has_python_name(const std::string& path) {
  const std::string base = path.substr(path.rfind('/') + 1);
  return base.find("python") != std::string::npos;
}

// The address of _PyRuntime: the .PyRuntime section of the first mapped file that has one, the
// files named like Python tried first (CPython's own search looks at those only), each once.
// `python_like` gets the first such file's name, for a message when none has the section;
// `holder` the name of the file that has it.
std::optional<uint64_t> find_runtime(int pid, const std::string& name, std::string& python_like, std::string& holder) {
  int failed = 0;
  const std::string maps =
      read_small_file(AT_FDCWD, ("/proc/" + std::to_string(pid) + "/maps").c_str(), failed, 64u << 20);
  if (failed == ENOENT || failed == ESRCH) throw error("there is no process " + std::to_string(pid));
  if (failed == EACCES || failed == EPERM) throw error("cannot attach to " + name + ": " + why_attach_denied(pid));
  if (failed != 0) throw error("cannot read /proc/" + std::to_string(pid) + "/maps: " + std::strerror(failed));
  const std::vector<Mapping> mappings = parse_maps(maps);
  if (mappings.empty()) throw error(name + " maps no file (it has ended, or it is a kernel thread)");
  std::set<std::pair<uint64_t, uint64_t>> tried;  // (device, inode)
  constexpr size_t max_files = 4096;
  for (const bool python_named : {true, false}) {
    for (const Mapping& mapping : mappings) {
      if (mapping.offset != 0 || has_python_name(mapping.path) != python_named || tried.size() >= max_files) continue;
      if (!tried.insert({uint64_t{mapping.device_major} << 32 | mapping.device_minor, mapping.inode}).second) continue;
      if (python_named && python_like.empty()) python_like = mapping.path;
      const FileDescriptor file = open_mapped_file(pid, mapping);
      if (file.get() < 0) continue;
      std::optional<uint64_t> offset;
      try {
        offset = section_offset(file.get(), ".PyRuntime", mapping.path);
      } catch (const error&) {
        continue;  // not an ELF image pyprefix reads: it holds no interpreter it can reach either
      }
      if (!offset) continue;
      holder = mapping.path.substr(mapping.path.rfind('/') + 1);
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

RemoteInterpreter find_remote_interpreter(int pid) {
  if (pid <= 0) throw error("a process id must be above 0, not " + std::to_string(pid));
  RemoteInterpreter found;
  found.pid = pid;
  found.name = "process " + std::to_string(pid);
  int failed = 0;
  const std::string status = read_process_status(pid, failed);
  if (failed != 0) throw error("there is no process " + std::to_string(pid));
  if (is_ended(status)) throw error(found.name + " has ended (it waits for its parent to collect it)");
  if (is_stopped(status))
    throw error(found.name + " is stopped (by a signal or a debugger): it runs no Python code until it is continued");

  std::string python_like, holder;
  const std::optional<uint64_t> runtime = find_runtime(pid, found.name, python_like, holder);
  if (!runtime) {
    if (!python_like.empty())
      throw_too_old(found.name + " runs " + python_like.substr(python_like.rfind('/') + 1) +
                    " (no .PyRuntime section)");
    throw error(found.name +
                " holds no Python interpreter that --attach can reach (no mapped file has a .PyRuntime "
                "section)");
  }
  const Memory memory(pid, found.name);
  struct {
    char cookie[8];
    uint64_t version, free_threaded;
  } head{};
  memory.read(*runtime, &head, sizeof head, "debug offsets");
  if (std::memcmp(head.cookie, "xdebugpy", 8) != 0)
    throw_too_old(found.name + " runs " + holder + " (its .PyRuntime section holds no debug offsets: 3.12 or older)");
  found.version = version_text(head.version);
  const unsigned major = head.version >> 24 & 0xff, minor = head.version >> 16 & 0xff;
  if (major == 3 && minor < 14) throw_too_old(found.name + " runs Python " + found.version);
  const DebugOffsetsLayout* layout = major == 3 ? debug_offsets_layout(minor) : nullptr;
  if (layout == nullptr)
    throw error(found.name + " runs Python " + found.version +
                ", whose debug offsets this pyprefix does not know (it knows 3.14 and 3.15)" + without_attach);
  if (head.free_threaded != 0)
    throw error(found.name + " runs a free-threaded build of Python " + found.version +
                ", which --attach does not support" + without_attach);

  std::vector<uint64_t> offsets(layout->size / 8);
  memory.read(*runtime, offsets.data(), offsets.size() * 8, "debug offsets");
  auto offset = [&](size_t position) {
    const uint64_t value = offsets[position / 8];
    if (value > max_offset)
      throw error(found.name + "'s debug offsets are not an interpreter's (one is " + hex(value) + ")");
    return value;
  };
  const size_t support = layout->debugger_support;
  if (memory.word(*runtime + offset(32), "runtime state") != 0)  // runtime_state.finalizing
    throw error(found.name + "'s interpreter is shutting down");
  const uint64_t interpreter = memory.word(*runtime + offset(40), "runtime state");  // interpreters_head
  if (interpreter == 0) throw error(found.name + " has no interpreter yet (it is starting, or has shut down)");
  int32_t enabled = 0;
  memory.read(interpreter + offset(support + 16), &enabled, sizeof enabled, "interpreter state");
  if (enabled != 1)
    throw error(found.name +
                " has remote debugging turned off (PYTHON_DISABLE_REMOTE_DEBUG, -X disable-remote-debug, "
                "or a build without it)" +
                without_attach);
  const uint64_t thread = memory.word(interpreter + offset(80), "interpreter state");  // threads_main
  if (thread == 0) throw error(found.name + "'s interpreter has no main thread");
  const uint64_t debugger = thread + offset(support + 8);  // remote_debugger_support
  found.eval_breaker = thread + offset(support);
  found.pending_call = debugger + offset(support + 24);
  found.script_path = debugger + offset(support + 32);
  found.script_path_size = offset(support + 40);
  if (found.script_path_size < 64 || found.script_path_size > 65536)
    throw error(found.name + "'s debug offsets are not an interpreter's (a script path of " +
                std::to_string(found.script_path_size) + " bytes)");
  return found;
}

void request_script(const RemoteInterpreter& interpreter, const std::string& path) {
  if (path.size() >= interpreter.script_path_size)
    throw error("the script path '" + path + "' is longer than " + interpreter.name + " takes (" +
                std::to_string(interpreter.script_path_size - 1) + " bytes)");
  const Memory memory(interpreter.pid, interpreter.name);
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
    const Memory memory(interpreter.pid, interpreter.name);
    const char empty = '\0';
    memory.write(interpreter.script_path, &empty, 1, "script path");
    int32_t pending = 0;
    memory.read(interpreter.pending_call, &pending, sizeof pending, "pending call");
    if (pending == 0) return false;
    const int32_t none = 0;
    memory.write(interpreter.pending_call, &none, sizeof none, "pending call");
    return true;
  } catch (const error&) {
    return true;  // it has gone, and its request with it
  }
}

}  // namespace pyprefix::detail
