/* The layout of _Py_DebugOffsets as the build's Python's own internal header has it, for
 * mapped_images_test.cpp to compare with pyprefix's table (lib/ask/attach/remote_debugging.cpp). */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_debug_offsets.h>
#include <stddef.h>

const unsigned long pyprefix_header_layout[] = {
    PY_MINOR_VERSION,
    sizeof(_Py_DebugOffsets),
    offsetof(_Py_DebugOffsets, debugger_support),
    offsetof(_Py_DebugOffsets, version),
    offsetof(_Py_DebugOffsets, free_threaded),
    offsetof(_Py_DebugOffsets, runtime_state.finalizing),
    offsetof(_Py_DebugOffsets, runtime_state.interpreters_head),
    offsetof(_Py_DebugOffsets, interpreter_state.threads_main),
    offsetof(_Py_DebugOffsets, debugger_support.eval_breaker),
    offsetof(_Py_DebugOffsets, debugger_support.remote_debugger_support),
    offsetof(_Py_DebugOffsets, debugger_support.remote_debugging_enabled),
    offsetof(_Py_DebugOffsets, debugger_support.debugger_pending_call),
    offsetof(_Py_DebugOffsets, debugger_support.debugger_script_path),
    offsetof(_Py_DebugOffsets, debugger_support.debugger_script_path_size),
};
