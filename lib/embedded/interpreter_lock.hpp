// Which interpreter pyprefix talks to, and holding its GIL while it does.
#ifndef PYPREFIX_LIB_EMBEDDED_INTERPRETER_LOCK_HPP
#define PYPREFIX_LIB_EMBEDDED_INTERPRETER_LOCK_HPP

#define PY_SSIZE_T_CLEAN
#include <Python.h>

namespace pyprefix::detail {

// Holds the GIL of the process's interpreter for its lifetime, from any thread.
//
// When the process already runs Python (pyprefix linked into an extension module or into a
// tracer inside a Python application) that interpreter is used: it is never started a second
// time nor finalised. Otherwise one interpreter is embedded on first use, configured as the
// Python pyprefix was built against, and kept for every later call with its GIL released
// between calls. Throws pyprefix::error when it cannot start or the host is shutting down;
// never catches the forced unwind that CPython uses to end threads during finalisation.
//
// Each step is a member, so that whatever throws later (pyprefix::error, std::bad_alloc) the
// steps already taken are undone in reverse: the GIL released, the call no longer in flight.
class interpreter_lock {
 public:
  interpreter_lock();
  interpreter_lock(const interpreter_lock&) = delete;
  interpreter_lock& operator=(const interpreter_lock&) = delete;

 private:
  // Starts the embedded interpreter when none runs (and none has run before).
  struct running_interpreter {
    running_interpreter();
  };
  // Counts the call as in flight, or throws when the host is shutting down.
  struct call_in_flight {
    call_in_flight();
    ~call_in_flight();
    call_in_flight(const call_in_flight&) = delete;
    call_in_flight& operator=(const call_in_flight&) = delete;
  };
  // PyGILState_Ensure, and its release.
  struct held_gil {
    held_gil();
    ~held_gil();
    held_gil(const held_gil&) = delete;
    held_gil& operator=(const held_gil&) = delete;
    PyGILState_STATE state;
  };

  running_interpreter running_;
  call_in_flight counted_;
  held_gil gil_;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_EMBEDDED_INTERPRETER_LOCK_HPP
