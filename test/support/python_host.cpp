#include "support/python_host.hpp"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdexcept>

namespace pyprefix::test {
namespace {

class Gil {
 public:
  Gil() : state_(PyGILState_Ensure()) {}
  ~Gil() { PyGILState_Release(state_); }
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

 private:
  PyGILState_STATE state_;
};

[[noreturn]] void fail_with_traceback(const std::string& what) {
  PyErr_Print();  // the traceback, on stderr, for whoever reads the test log
  throw std::runtime_error(what + " raised a Python exception (traceback above)");
}

}  // namespace

PythonHost::PythonHost() {
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, PYPREFIX_PYTHON_EXECUTABLE);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) throw std::runtime_error("the test host cannot start Python");
  PyEval_SaveThread();  // like a host whose other threads run while pyprefix is called
}

PythonHost::~PythonHost() { finalize(); }

void PythonHost::finalize() {
  if (finalized_) return;
  finalized_ = true;
  PyGILState_Ensure();
  Py_FinalizeEx();
}

std::vector<std::string> python(const std::string& code, const std::vector<std::string>& args) {
  Gil gil;
  PyObject* main_module = PyImport_AddModule("__main__");  // borrowed
  PyObject* globals = main_module != nullptr ? PyModule_GetDict(main_module) : nullptr;
  if (globals == nullptr) fail_with_traceback("__main__");
  PyObject* arguments = PyList_New(0);
  for (const std::string& arg : args) {
    PyObject* item = PyBytes_FromStringAndSize(arg.data(), static_cast<Py_ssize_t>(arg.size()));
    PyList_Append(arguments, item);
    Py_DECREF(item);
  }
  PyDict_SetItemString(globals, "args", arguments);
  Py_DECREF(arguments);
  PyDict_SetItemString(globals, "result", Py_None);
  PyObject* ran = PyRun_String(code.c_str(), Py_file_input, globals, globals);
  if (ran == nullptr) fail_with_traceback(code);
  Py_DECREF(ran);

  std::vector<std::string> results;
  PyObject* result = PyDict_GetItemString(globals, "result");  // borrowed
  if (result == nullptr || result == Py_None) return results;
  PyObject* items = PySequence_Fast(result, "result must be a list");
  if (items == nullptr) fail_with_traceback("result");
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(items, i);
    PyObject* bytes = PyBytes_Check(item) ? (Py_INCREF(item), item) : PyUnicode_EncodeFSDefault(item);
    if (bytes == nullptr) fail_with_traceback("os.fsencode(result item)");
    results.emplace_back(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
    Py_DECREF(bytes);
  }
  Py_DECREF(items);
  return results;
}

bool no_python_exception_pending() {
  Gil gil;
  return PyErr_Occurred() == nullptr;
}

}  // namespace pyprefix::test

namespace pyprefix::test {

std::vector<std::string> reference_prefixes(const std::string& packages_expression) {
  return python(
      "namespace = {'__name__': 'reference'}\n"
      "exec(compile(open('" PYPREFIX_TEST_REFERENCE
      "').read(), 'prefixes.py', 'exec'), namespace)\n"
      "result = namespace['prefixes'](" +
      packages_expression + ")\n");
}

}  // namespace pyprefix::test
