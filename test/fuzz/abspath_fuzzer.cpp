// Fuzz target: pyprefix::abspath against the interpreter's own os.path.abspath, on any bytes.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include <pyprefix/prefixes.hpp>

namespace {

PyObject* os_path_abspath = nullptr;

void start_python() {
  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);  // the oracle needs no site, no environment
  config.site_import = 0;
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, PYPREFIX_PYTHON_EXECUTABLE);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) std::abort();
  PyObject* posixpath = PyImport_ImportModule("posixpath");
  os_path_abspath = posixpath != nullptr ? PyObject_GetAttrString(posixpath, "abspath") : nullptr;
  if (os_path_abspath == nullptr) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (os_path_abspath == nullptr) start_python();
  const std::string input(reinterpret_cast<const char*>(data), size);
  PyObject* result = PyObject_CallFunction(os_path_abspath, "y#", input.data(), static_cast<Py_ssize_t>(input.size()));
  if (result == nullptr || !PyBytes_Check(result)) std::abort();
  const std::string expected(PyBytes_AS_STRING(result), static_cast<size_t>(PyBytes_GET_SIZE(result)));
  Py_DECREF(result);
  if (pyprefix::abspath(input) != expected) __builtin_trap();  // a difference is a finding
  return 0;
}
