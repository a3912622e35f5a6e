// Which interpreter pyprefix talks to, and holding its GIL while it does.
#ifndef PYPREFIX_LIB_INTERPRETER_INTERPRETER_LOCK_HPP
#define PYPREFIX_LIB_INTERPRETER_INTERPRETER_LOCK_HPP

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
class interpreter_lock {
 public:
  interpreter_lock();
  ~interpreter_lock();
  interpreter_lock(const interpreter_lock&) = delete;
  interpreter_lock& operator=(const interpreter_lock&) = delete;

 private:
  PyGILState_STATE state_;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_INTERPRETER_INTERPRETER_LOCK_HPP
