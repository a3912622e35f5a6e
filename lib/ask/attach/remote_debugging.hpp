// PEP 768's remote debugging interface, written from CPython's "Remote debugging attachment
// protocol" how-to: find a running 3.14+ interpreter's _PyRuntime and debug offsets in another
// process, ask its main thread to run a script file at its next safe point, and withdraw the
// request when it has not been taken. Reads and writes that process's memory only, through its
// /proc/PID/mem opened once by the process's anchor (the rights of ptrace attach), so that every
// access after an exit, a reuse of its number or an exec fails; runs none of its code.
#ifndef PYPREFIX_LIB_ASK_ATTACH_REMOTE_DEBUGGING_HPP
#define PYPREFIX_LIB_ASK_ATTACH_REMOTE_DEBUGGING_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ask/process/process_anchor.hpp"
#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

// What differs between the versions' _Py_DebugOffsets (every field is 8 bytes): its size and
// where its debugger_support block starts. The fields before (runtime_state.finalizing at 32,
// interpreters_head at 40, interpreter_state.threads_main at 80) are where 3.14 put them.
struct DebugOffsetsLayout {
  unsigned minor;           // of Python 3
  size_t size;              // sizeof(_Py_DebugOffsets)
  size_t debugger_support;  // offsetof(_Py_DebugOffsets, debugger_support)
};

// The layout of Python 3.`minor`, or nullptr for a version this pyprefix does not know.
const DebugOffsetsLayout* debug_offsets_layout(unsigned minor);

// The other process's memory through its /proc/PID/mem descriptor: a short read or write is a
// failure, and writes go only inside `writable`.
struct RemoteMemory {
  FileDescriptor file;  // /proc/PID/mem, O_RDWR: the memory of the process it was opened for, only
  std::string name;     // "process 4242", for messages
  int pidfd = -1;       // the anchor's, to tell an exit from an exec
  std::vector<std::pair<uint64_t, uint64_t>> writable;  // the writable mappings of the interpreter's image

  void read(uint64_t address, void* into, size_t size, const char* what) const;
  void write(uint64_t address, const void* from, size_t size, const char* what) const;
  uint64_t word(uint64_t address, const char* what) const;

 private:
  void transfer(uint64_t address, void* local, size_t size, const char* what, bool writing) const;
};

// Where, in the other process, its main thread takes a script to run.
struct RemoteInterpreter {
  RemoteMemory memory;
  std::string version;       // "3.14", from the debug offsets
  uint64_t script_path = 0;  // char[script_path_size] in the main thread's state
  uint64_t script_path_size = 0;
  uint64_t pending_call = 0;             // int32: 1 asks for the script
  uint64_t eval_breaker = 0;             // uintptr: bit 5 makes the thread look at pending calls
  std::vector<std::string> diagnostics;  // mapped files skipped, one line each
};

// The interpreter of the anchored process: its memory opened, then the .PyRuntime section of the
// file it maps that holds one (files on a file system that is not local are skipped with a
// diagnostic; at most 64 MiB of headers read in all), the debug offsets found there and checked
// (the cookie, a version this pyprefix knows), its first interpreter and that interpreter's main
// thread. Throws pyprefix::error with one line: the process ended (or ran another program), no
// Python 3.14 or newer (an older one named, with --pid without --attach suggested), a
// free-threaded build, remote debugging turned off, no right to attach (which rule refused:
// another user, Yama's ptrace_scope, a missing CAP_SYS_PTRACE), an interpreter that is starting
// or shutting down, or `deadline` passed.
RemoteInterpreter find_remote_interpreter(const ProcessAnchor& process, std::chrono::steady_clock::time_point deadline);

// Asks the main thread to run the file at `path` (as that process sees it, at most
// script_path_size - 1 bytes): the path, then the pending call, then the eval breaker's bit.
void request_script(const RemoteInterpreter& interpreter, const std::string& path);

// Withdraws the request: the path emptied first, so that a thread taking it from now on runs
// nothing, then the pending call cleared if it is still set. Returns false when the thread had
// taken the request before (it runs the script, or has run it, or found the path empty).
// Throws nothing: a process that has gone has no request left either (then true).
bool withdraw_script(const RemoteInterpreter& interpreter) noexcept;

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_ATTACH_REMOTE_DEBUGGING_HPP
