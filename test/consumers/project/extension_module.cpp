// A consumer of pyprefix::module: a CPython extension module that calls pyprefix from inside
// the interpreter that imported it, from the importing thread or from a thread of its own.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

// prefixes(in_thread=False) -> list of bytes. With in_thread, the call is made from a native
// thread that does not hold the GIL, while this one waits without it.
PyObject* prefixes(PyObject*, PyObject* args) {
  int in_thread = 0;
  if (!PyArg_ParseTuple(args, "|p", &in_thread)) return nullptr;
  std::vector<std::string> result;
  std::string failure;
  const auto call = [&] {
    try {
      result = pyprefix::prefixes();
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

PyMethodDef methods[] = {{"prefixes", prefixes, METH_VARARGS, "pyprefix::prefixes() of this interpreter."},
                         {nullptr, nullptr, 0, nullptr}};
PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "pyprefix_consumer", nullptr, -1, methods, nullptr, nullptr, nullptr, nullptr};

}  // namespace

PyMODINIT_FUNC PyInit_pyprefix_consumer() { return PyModule_Create(&definition); }
