#include "embedded/interpreter_lock.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include <pyprefix/error.hpp>

#include "embedded/python_ref.hpp"

#ifndef PYPREFIX_PYTHON_EXECUTABLE
#error "PYPREFIX_PYTHON_EXECUTABLE names the interpreter to embed; CMake defines it"
#endif

namespace pyprefix::detail {
namespace {

std::mutex start_mutex;
std::string start_failure;  // guarded by start_mutex; a failed start is not retried

// Set by an atexit callback in the host, which runs before CPython marks itself finalising:
// from then on PyGILState_Ensure may block forever (3.8) or end the calling thread (3.9+).
std::atomic<bool> host_is_exiting{false};
// Calls between their shutdown check and their GIL release. The exit hook lets them finish
// before the interpreter goes on finalising, so that none is caught half-way.
std::atomic<int> calls_in_flight{0};
// Once pyprefix has used an interpreter, it never starts another: a process whose host has
// finalised its Python gets errors, not a second interpreter behind its back.
std::atomic<bool> used_an_interpreter{false};
bool exit_hook_installed = false;  // guarded by the GIL
constexpr auto longest_wait_for_calls = std::chrono::seconds(10);

bool interpreter_is_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

std::string describe(const PyStatus& status) {
  if (PyStatus_IsExit(status)) return "it exited with status " + std::to_string(status.exitcode);
  std::string text = status.err_msg != nullptr ? status.err_msg : "unknown error";
  if (status.func != nullptr) text = std::string(status.func) + ": " + text;
  return text;
}

void start_embedded_interpreter() {
  std::lock_guard<std::mutex> lock(start_mutex);
  if (!start_failure.empty()) throw error(start_failure);
  if (Py_IsInitialized()) return;

  PyConfig config;
  PyConfig_InitPythonConfig(&config);  // reads PYTHONPATH, PYTHONHOME... like `python` does
  config.parse_argv = 0;
  config.install_signal_handlers = 0;  // SIGINT belongs to the host program
  config.configure_c_stdio = 0;        // so do its stdio buffers
  // Left unset, CPython looks for `python3` on PATH, which may be another version or a venv.
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, PYPREFIX_PYTHON_EXECUTABLE);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    start_failure = "cannot start the embedded Python " PYPREFIX_PYTHON_EXECUTABLE ": " + describe(status);
    throw error(start_failure);
  }
  PyEval_SaveThread();  // later calls, from any thread, take the GIL with PyGILState_Ensure
}

// The atexit callback: runs in the finalising thread, holding the GIL. Refuses new calls, then
// hands the GIL over to the calls already in flight until they are done (or 10 s pass).
PyObject* mark_host_exiting(PyObject*, PyObject*) {
  host_is_exiting = true;
  if (calls_in_flight.load() > 0) {
    Py_BEGIN_ALLOW_THREADS;
    const auto deadline = std::chrono::steady_clock::now() + longest_wait_for_calls;
    while (calls_in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Py_END_ALLOW_THREADS;
  }
  Py_RETURN_NONE;
}

PyMethodDef exit_hook_definition = {"_pyprefix_mark_exiting", mark_host_exiting, METH_NOARGS,
                                    "Tells pyprefix that the interpreter is shutting down."};

void install_exit_hook() {
  if (exit_hook_installed) return;
  py_ref atexit_module = checked(PyImport_ImportModule("atexit"), "import atexit");
  py_ref hook = checked(PyCFunction_New(&exit_hook_definition, nullptr), "PyCFunction_New");
  checked(PyObject_CallMethod(atexit_module.get(), "register", "O", hook.get()), "atexit.register()");
  exit_hook_installed = true;
}

}  // namespace

interpreter_lock::running_interpreter::running_interpreter() {
  if (Py_IsInitialized()) return;
  if (used_an_interpreter) throw error("the Python interpreter has been finalised");
  start_embedded_interpreter();
}

interpreter_lock::call_in_flight::call_in_flight() {
  // Counted before the check, so that the exit hook either sees this call or this call sees
  // the hook's flag (both atomics are sequentially consistent).
  calls_in_flight.fetch_add(1);
  // Once the host exits, calls from threads that do not hold the GIL are refused: they could
  // block in PyGILState_Ensure. A thread that holds it (an atexit handler that registered
  // before pyprefix's hook, a profiler dumping its report) is safe until finalising starts.
  const bool holds_the_gil = Py_IsInitialized() && PyGILState_Check() != 0;
  if ((host_is_exiting && !holds_the_gil) || interpreter_is_finalizing()) {
    calls_in_flight.fetch_sub(1);
    throw error("the Python interpreter is shutting down");
  }
}

interpreter_lock::call_in_flight::~call_in_flight() { calls_in_flight.fetch_sub(1); }

interpreter_lock::held_gil::held_gil() : state(PyGILState_Ensure()) { used_an_interpreter = true; }

interpreter_lock::held_gil::~held_gil() { PyGILState_Release(state); }

interpreter_lock::interpreter_lock() { install_exit_hook(); }

}  // namespace pyprefix::detail
