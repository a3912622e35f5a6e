// Owning references and exception capture for the Python C API.
#ifndef PYPREFIX_LIB_EMBEDDED_PYTHON_REF_HPP
#define PYPREFIX_LIB_EMBEDDED_PYTHON_REF_HPP

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string>
#include <string_view>
#include <utility>

namespace pyprefix::detail {

// One strong reference, released on destruction. Every function here needs the GIL.
class py_ref {
 public:
  py_ref() noexcept = default;
  // Takes over a new reference (what most C API calls return); null stays null.
  explicit py_ref(PyObject* owned) noexcept : object_(owned) {}
  py_ref(py_ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  py_ref& operator=(py_ref&& other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  py_ref(const py_ref&) = delete;
  py_ref& operator=(const py_ref&) = delete;
  ~py_ref() { Py_XDECREF(object_); }

  // Adds a reference to a borrowed one, so that it outlives its container.
  static py_ref borrow(PyObject* borrowed) noexcept {
    Py_XINCREF(borrowed);
    return py_ref(borrowed);
  }

  PyObject* get() const noexcept { return object_; }
  // Hands the reference over, to a call that steals it or as a function's result; null stays null.
  PyObject* release() noexcept { return std::exchange(object_, nullptr); }
  explicit operator bool() const noexcept { return object_ != nullptr; }

 private:
  PyObject* object_ = nullptr;
};

// The pending Python exception as "Type: text", cleared. Never leaves one pending.
std::string take_python_error();

// Throws pyprefix::error("<call> raised Type: text") for the pending exception, clearing it.
[[noreturn]] void throw_python_error(std::string_view call);

// `object` when it is not null, else throws for the exception the failed `call` left pending.
py_ref checked(PyObject* object, std::string_view call);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_EMBEDDED_PYTHON_REF_HPP
