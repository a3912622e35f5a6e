#include "embedded/python_ref.hpp"

#include <pyprefix/error.hpp>

namespace pyprefix::detail {
namespace {

// str(object) as UTF-8, or a placeholder when even that fails (a __str__ may raise).
std::string describe(PyObject* object) {
  py_ref text(PyObject_Str(object));
  if (text) {
    Py_ssize_t size = 0;
    if (const char* utf8 = PyUnicode_AsUTF8AndSize(text.get(), &size)) return {utf8, static_cast<size_t>(size)};
  }
  PyErr_Clear();
  return "<unprintable>";
}

// Error messages are promised to be one line.
std::string first_line(std::string text) {
  if (auto end = text.find('\n'); end != std::string::npos) text.erase(end);
  return text;
}

}  // namespace

std::string take_python_error() {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  if (type == nullptr) return "an unknown error (no Python exception was set)";
  PyErr_NormalizeException(&type, &value, &traceback);
  py_ref owned_type(type), owned_value(value), owned_traceback(traceback);
  std::string result = reinterpret_cast<PyTypeObject*>(type)->tp_name;
  if (value != nullptr) {
    std::string text = describe(value);
    if (!text.empty()) result += ": " + text;
  }
  return first_line(std::move(result));
}

void throw_python_error(std::string_view call) { throw error(std::string(call) + " raised " + take_python_error()); }

py_ref checked(PyObject* object, std::string_view call) {
  if (object == nullptr) throw_python_error(call);
  return py_ref(object);
}

}  // namespace pyprefix::detail
