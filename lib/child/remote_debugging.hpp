// PEP 768's remote debugging interface, written from CPython's "Remote debugging attachment
// protocol" how-to: find a running 3.14+ interpreter's _PyRuntime and debug offsets in another
// process, ask its main thread to run a script file at its next safe point, and withdraw the
// request when it has not been taken. Reads and writes that process's memory only, with
// process_vm_readv/writev (the rights of ptrace attach); runs none of its code.
#ifndef PYPREFIX_LIB_CHILD_REMOTE_DEBUGGING_HPP
#define PYPREFIX_LIB_CHILD_REMOTE_DEBUGGING_HPP

#include <cstddef>
#include <cstdint>
#include <string>

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

// Where, in the other process, its main thread takes a script to run.
struct RemoteInterpreter {
  int pid = 0;
  std::string name;          // "process 4242", for messages
  std::string version;       // "3.14", from the debug offsets
  uint64_t script_path = 0;  // char[script_path_size] in the main thread's state
  uint64_t script_path_size = 0;
  uint64_t pending_call = 0;  // int32: 1 asks for the script
  uint64_t eval_breaker = 0;  // uintptr: bit 5 makes the thread look at pending calls
};

// The interpreter of process `pid`: the .PyRuntime section of the file it maps that holds one,
// the debug offsets found there and checked (the cookie, a version this pyprefix knows), its
// first interpreter and that interpreter's main thread. Throws pyprefix::error with one line:
// no such process, no Python 3.14 or newer (an older one named, with --pid without --attach
// suggested), a free-threaded build, remote debugging turned off, no right to attach (which
// rule refused: another user, Yama's ptrace_scope, a missing CAP_SYS_PTRACE), an interpreter
// that is starting or shutting down.
RemoteInterpreter find_remote_interpreter(int pid);

// Asks the main thread to run the file at `path` (as that process sees it, at most
// script_path_size - 1 bytes): the path, then the pending call, then the eval breaker's bit.
void request_script(const RemoteInterpreter& interpreter, const std::string& path);

// Withdraws the request: the path emptied first, so that a thread taking it from now on runs
// nothing, then the pending call cleared if it is still set. Returns false when the thread had
// taken the request before (it runs the script, or has run it, or found the path empty).
// Throws nothing: a process that has gone has no request left either (then true).
bool withdraw_script(const RemoteInterpreter& interpreter) noexcept;

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CHILD_REMOTE_DEBUGGING_HPP
