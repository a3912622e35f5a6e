// A tiny native tracer: records every Python call with PyEval_SetProfile and prints it the way
// PyTorch's profiler names frames, `json/encoder.py(183): encode`, with pyprefix shortening
// the file names and telling library frames from the application's.
//
//   tracer SCRIPT.py     runs the script under the tracer, one line per call on stdout
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>  // PyFrameObject's fields before 3.9

#include <cstdio>
#include <string>

#include <pyprefix/pyprefix.hpp>

namespace {

const pyprefix::Trimmer* trimmer = nullptr;

// Called by the interpreter, with the GIL held, for every call, return and exception.
int record_call(PyObject*, PyFrameObject* frame, int event, PyObject*) {
  if (event != PyTrace_CALL) return 0;
#if PY_VERSION_HEX >= 0x03090000
  PyCodeObject* code = PyFrame_GetCode(frame);  // a new reference
#else
  PyCodeObject* code = frame->f_code;
  Py_INCREF(code);
#endif
  PyObject* file = PyUnicode_EncodeFSDefault(code->co_filename);  // the bytes, as co_filename holds them
  const char* name = PyUnicode_AsUTF8(code->co_name);
  if (file != nullptr && name != nullptr) {
    const pyprefix::Match where =
        trimmer->match({PyBytes_AS_STRING(file), static_cast<size_t>(PyBytes_GET_SIZE(file))});
    std::printf("%.*s(%d): %s [%s]\n", static_cast<int>(where.short_path.size()), where.short_path.data(),
                code->co_firstlineno, name, std::string(pyprefix::kind_name(where.kind)).c_str());
  }
  PyErr_Clear();  // a tracer must not leave an exception behind
  Py_XDECREF(file);
  Py_DECREF(code);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tracer SCRIPT.py\n");
    return 2;
  }
  try {
    // Starts the embedded interpreter on first use; the prefixes are computed once, up front.
    pyprefix::Options options;
    options.classify = true;
    static const pyprefix::Trimmer prefixes(pyprefix::report(options).prefixes);
    trimmer = &prefixes;
  } catch (const pyprefix::error& e) {
    std::fprintf(stderr, "tracer: %s\n", e.what());
    return 1;
  }
  PyGILState_STATE gil = PyGILState_Ensure();
  PyObject* globals = PyDict_New();
  PyObject* path = PyUnicode_DecodeFSDefault(argv[1]);
  PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
  PyDict_SetItemString(globals, "path", path);
  PyEval_SetProfile(record_call, nullptr);
  PyObject* ran = PyRun_String("exec(compile(open(path).read(), path, 'exec'), {'__name__': '__main__'})",
                               Py_file_input, globals, globals);
  PyEval_SetProfile(nullptr, nullptr);
  const int status = ran != nullptr ? 0 : 1;
  if (ran == nullptr) PyErr_Print();
  Py_XDECREF(ran);
  Py_DECREF(path);
  Py_DECREF(globals);
  PyGILState_Release(gil);
  std::fflush(stdout);
  return status;
}
