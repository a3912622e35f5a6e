#include "embedded/live_reader.hpp"

#include <cstdio>

#include <pyprefix/error.hpp>

#include "core/entries/compiled_cache.hpp"
#include "core/entries/reader_source.hpp"
#include "core/entries/records.hpp"
#include "embedded/python_ref.hpp"

#include <marshal.h>  // after Python.h, which it needs

namespace pyprefix::detail {
namespace {

constexpr const char* cache_key = "pyprefix.reader.read";

// The reader's code: from the cache (under `cache` + the interpreter's magic tag and number)
// where an earlier start kept it, else compiled (and kept there). A file that does not load is
// compiled over.
py_ref reader_code(const std::string& cache) {
  FileDescriptor folder = cache.empty() ? FileDescriptor() : open_compiled_cache();
  std::string name;
  if (folder.get() >= 0) {
    char magic[16];
    const unsigned long number = static_cast<unsigned long>(PyImport_GetMagicNumber());
    std::snprintf(magic, sizeof magic, "%02lx%02lx%02lx%02lx", number & 0xff, (number >> 8) & 0xff,
                  (number >> 16) & 0xff, (number >> 24) & 0xff);
    name = cache + "-" + PyImport_GetMagicTag() + "-" + magic + ".bin";
    if (const std::optional<std::string> bytes = read_cached(folder.get(), name)) {
      PyObject* loaded = PyMarshal_ReadObjectFromString(bytes->data(), static_cast<Py_ssize_t>(bytes->size()));
      if (loaded != nullptr && PyCode_Check(loaded)) return py_ref(loaded);
      Py_XDECREF(loaded);
      PyErr_Clear();
    }
  }
  py_ref code =
      checked(Py_CompileString(reader_source, "<pyprefix reader>", Py_file_input), "compiling pyprefix's reader");
  if (folder.get() >= 0) {
    if (PyObject* bytes = PyMarshal_WriteObjectToString(code.get(), Py_MARSHAL_VERSION)) {
      write_cached(folder.get(), name,
                   std::string_view(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes))));
      Py_DECREF(bytes);
    }
    PyErr_Clear();  // no cache: compiled again next time
  }
  return code;
}

// The reader's read() for the running interpreter, as a new reference: compiled once (or
// loaded from `cache`) and kept in the interpreter's own state dictionary, which dies with
// that interpreter.
py_ref reader_function(const std::string& cache) {
#if PY_VERSION_HEX >= 0x03090000
  PyInterpreterState* interpreter = PyThreadState_GetInterpreter(PyThreadState_Get());
#else
  PyInterpreterState* interpreter = PyThreadState_Get()->interp;
#endif
  PyObject* state = PyInterpreterState_GetDict(interpreter);  // borrowed
  if (state == nullptr) throw error("the Python interpreter has no state dictionary for pyprefix's reader");
  if (PyObject* cached = PyDict_GetItemString(state, cache_key)) return py_ref::borrow(cached);

  py_ref code = reader_code(cache);
  py_ref globals = checked(PyDict_New(), "dict()");
  py_ref builtins = checked(PyImport_ImportModule("builtins"), "import builtins");
  py_ref name = checked(PyUnicode_FromString("pyprefix_reader"), "str()");
  if (PyDict_SetItemString(globals.get(), "__builtins__", builtins.get()) != 0 ||
      PyDict_SetItemString(globals.get(), "__name__", name.get()) != 0)
    throw_python_error("setting up pyprefix's reader");
  checked(PyEval_EvalCode(code.get(), globals.get(), globals.get()), "running pyprefix's reader");
  PyObject* read = PyDict_GetItemString(globals.get(), "read");  // borrowed
  if (read == nullptr) throw error("pyprefix's reader defines no read()");
  if (PyDict_SetItemString(state, cache_key, read) != 0) throw_python_error("caching pyprefix's reader");
  return py_ref::borrow(read);
}

}  // namespace

RawEntries read_live_entries(const Options& options, bool with_facts) {
  RawEntries raw;
  read_live_answer(options, with_facts, {},
                   [&raw](std::string_view answer) { raw = parse_records(answer, "the running Python"); });
  return raw;
}

void read_live_answer(const Options& options, bool with_facts, const std::string& cache,
                      const std::function<void(std::string_view)>& use) {
  py_ref read = reader_function(cache);
  // Names as a child's argv would give them: decoded from the file-system encoding.
  py_ref names = checked(PyTuple_New(static_cast<Py_ssize_t>(options.packages.size())), "tuple()");
  for (size_t i = 0; i < options.packages.size(); ++i) {
    const std::string& name = options.packages[i];
    PyObject* text = PyUnicode_DecodeFSDefaultAndSize(name.data(), static_cast<Py_ssize_t>(name.size()));
    if (text == nullptr) throw_python_error("os.fsdecode(package name)");
    PyTuple_SET_ITEM(names.get(), static_cast<Py_ssize_t>(i), text);  // steals the reference
  }
  py_ref answer = checked(PyObject_CallFunctionObjArgs(read.get(), names.get(), options.classify ? Py_True : Py_False,
                                                       with_facts ? Py_True : Py_False, nullptr),
                          "pyprefix's reader");
  if (!PyBytes_Check(answer.get())) throw error("pyprefix's reader returned no bytes");
  use(std::string_view(PyBytes_AS_STRING(answer.get()), static_cast<size_t>(PyBytes_GET_SIZE(answer.get()))));
}

}  // namespace pyprefix::detail
