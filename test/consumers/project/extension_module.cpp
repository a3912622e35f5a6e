// A consumer of pyprefix::module: a CPython extension module that calls pyprefix from inside
// the interpreter that imported it, from the importing thread or from a thread of its own.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>  // PyFrameObject for 3.8

#include <string>
#include <thread>
#include <vector>

#include <pyprefix/pyprefix.hpp>

namespace {

PyObject* as_list(const std::vector<std::string>& prefixes) {
  PyObject* list = PyList_New(0);
  for (const std::string& prefix : prefixes) {
    PyObject* item = PyBytes_FromStringAndSize(prefix.data(), static_cast<Py_ssize_t>(prefix.size()));
    if (item == nullptr || PyList_Append(list, item) != 0) {
      Py_XDECREF(item);
      Py_DECREF(list);
      return nullptr;
    }
    Py_DECREF(item);
  }
  return list;
}

// prefixes(in_thread=False, package=None) -> list of bytes. With in_thread, the call is made
// from a native thread that does not hold the GIL, while this one waits without it.
PyObject* prefixes(PyObject*, PyObject* args) {
  int in_thread = 0;
  const char* package = nullptr;
  if (!PyArg_ParseTuple(args, "|pz", &in_thread, &package)) return nullptr;
  pyprefix::Options options;
  if (package != nullptr) options.packages.push_back(package);
  std::vector<std::string> result;
  std::string failure;
  const auto call = [&] {
    try {
      result = pyprefix::prefixes(options);
    } catch (const pyprefix::error& e) {
      failure = e.what();
    }
  };
  if (in_thread) {
    Py_BEGIN_ALLOW_THREADS;
    std::thread(call).join();
    Py_END_ALLOW_THREADS;
  } else {
    call();
  }
  if (!failure.empty()) {
    PyErr_SetString(PyExc_RuntimeError, failure.c_str());
    return nullptr;
  }
  return as_list(result);
}

// A tracer's profile function, as PyEval_SetProfile installs it: on the first call event it
// asks pyprefix, from inside the callback. depth counts nested callbacks: the reader's own
// Python frames must not call back into it.
struct Profiling {
  int depth = 0, deepest = 0, events = 0;
  std::vector<std::string> seen;
  std::string failure;
} profiling;

int profile(PyObject*, PyFrameObject*, int what, PyObject*) {
  if (what != PyTrace_CALL) return 0;
  ++profiling.events;
  ++profiling.depth;
  profiling.deepest = profiling.depth > profiling.deepest ? profiling.depth : profiling.deepest;
  if (profiling.seen.empty() && profiling.failure.empty()) {
    try {
      profiling.seen = pyprefix::prefixes();
    } catch (const pyprefix::error& e) {
      profiling.failure = e.what();
    }
  }
  --profiling.depth;
  return 0;
}

// prefixes_while_profiling(function) -> (list of bytes, deepest nesting, call events): runs
// function() under the profile function above.
PyObject* prefixes_while_profiling(PyObject*, PyObject* function) {
  profiling = Profiling{};
  PyEval_SetProfile(profile, nullptr);
  PyObject* returned = PyObject_CallObject(function, nullptr);
  PyEval_SetProfile(nullptr, nullptr);
  if (returned == nullptr) return nullptr;
  Py_DECREF(returned);
  if (!profiling.failure.empty()) {
    PyErr_SetString(PyExc_RuntimeError, profiling.failure.c_str());
    return nullptr;
  }
  PyObject* list = as_list(profiling.seen);
  if (list == nullptr) return nullptr;
  return Py_BuildValue("(Nii)", list, profiling.deepest, profiling.events);
}

PyMethodDef methods[] = {
    {"prefixes", prefixes, METH_VARARGS, "pyprefix::prefixes() of this interpreter."},
    {"prefixes_while_profiling", prefixes_while_profiling, METH_O, "pyprefix::prefixes() from a profile function."},
    {nullptr, nullptr, 0, nullptr}};
PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "pyprefix_consumer", nullptr, -1, methods, nullptr, nullptr, nullptr, nullptr};

}  // namespace

PyMODINIT_FUNC PyInit_pyprefix_consumer() { return PyModule_Create(&definition); }
