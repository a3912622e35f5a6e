// pyprefix._pyprefix: the CPython extension module under the Python package pyprefix (C API,
// no pybind11). It links pyprefix_module: the interpreter that imports it provides libpython.
// lib/python/pyprefix/__init__.py shapes its results into the public API.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pyprefix/pyprefix.hpp>

#include "core/interpreter_fields.hpp"
#include "core/normalise/windows_path.hpp"
#include "core/options_check.hpp"
#include "core/rewrite/format_names.hpp"
#include "core/sources.hpp"
#include "embedded/python_ref.hpp"
#include "files/rewrite_file.hpp"
#include "tool/command.hpp"

namespace {

using pyprefix::detail::py_ref;

// Every reference made here is a py_ref (trim()'s cache slots too): a function hands its result
// over with release(), and a failure half-way releases what was built. The one count kept by
// hand is the reference a heap type's instance holds to its type, dropped in its dealloc.

PyObject* error_type = nullptr;  // pyprefix.Error: the module's reference, kept for raising it

// A Python str for file-name bytes, as os.fsdecode gives it (surrogate escapes round-trip).
py_ref file_name(std::string_view bytes) {
  return py_ref(PyUnicode_DecodeFSDefaultAndSize(bytes.data(), static_cast<Py_ssize_t>(bytes.size())));
}

// A str for UTF-8 text, invalid bytes handled by the codec error handler `errors`.
py_ref text(std::string_view utf8, const char* errors) {
  return py_ref(PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), errors));
}

// `text` (its bytes kept as surrogate escapes) when `present`, else None.
py_ref text_or_none(std::string_view utf8, bool present) {
  return present ? text(utf8, "surrogateescape") : py_ref::borrow(Py_None);
}

// A list or tuple of `make(item)` for each item; null, with the exception set, when any failed.
enum class Sequence { list, tuple };
template <Sequence kind, typename Items, typename Make>
py_ref sequence_of(const Items& items, Make make) {
  const auto size = static_cast<Py_ssize_t>(items.size());
  py_ref sequence(kind == Sequence::list ? PyList_New(size) : PyTuple_New(size));
  Py_ssize_t i = 0;
  for (const auto& item : items) {
    if (!sequence) break;
    py_ref made = make(item);
    if (!made) return py_ref();
    if constexpr (kind == Sequence::list)
      PyList_SET_ITEM(sequence.get(), i++, made.release());
    else
      PyTuple_SET_ITEM(sequence.get(), i++, made.release());
  }
  return sequence;
}

// A tuple of the parts, which it references; null when one of them is.
template <typename... Parts>
py_ref tuple_of(const Parts&... parts) {
  if (!(... && static_cast<bool>(parts))) return py_ref();
  return py_ref(PyTuple_Pack(sizeof...(Parts), parts.get()...));
}

// os.fsencode(os.fspath(object)) as bytes in `out`: str, bytes or os.PathLike. False with a
// TypeError (or ValueError for a NUL, unless allowed) set otherwise.
bool path_bytes(PyObject* object, std::string& out, const char* what, bool allow_nul = false) {
  if (PyUnicode_Check(object) && PyUnicode_IS_ASCII(object)) {  // the common case: a view, no encoding
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(object, &size);
    if (data == nullptr) return false;
    out.assign(data, static_cast<size_t>(size));
  } else if (PyBytes_Check(object)) {
    out.assign(PyBytes_AS_STRING(object), static_cast<size_t>(PyBytes_GET_SIZE(object)));
  } else if (PyUnicode_Check(object)) {
    const py_ref bytes(PyUnicode_EncodeFSDefault(object));  // os.fsencode: surrogate escapes back to bytes
    if (!bytes) return false;
    out.assign(PyBytes_AS_STRING(bytes.get()), static_cast<size_t>(PyBytes_GET_SIZE(bytes.get())));
  } else {
    if (!PyObject_HasAttrString(reinterpret_cast<PyObject*>(Py_TYPE(object)), "__fspath__")) {
      PyErr_Format(PyExc_TypeError, "%s must be str, bytes or os.PathLike, not %.200s", what, Py_TYPE(object)->tp_name);
      return false;
    }
    const py_ref path(PyOS_FSPath(object));
    return path && path_bytes(path.get(), out, what, allow_nul);
  }
  if (!allow_nul && out.find('\0') != std::string::npos) {
    PyErr_Format(PyExc_ValueError, "%s must not contain a NUL character", what);
    return false;
  }
  return true;
}

// Raises pyprefix.Error with the library's one-line message.
PyObject* raise_error(const pyprefix::error& e) {
  PyErr_SetString(error_type, e.what());
  return nullptr;
}

// Options from the keyword arguments of prefixes(), report() and interpreter().
bool parse_options(PyObject* packages, PyObject* python, int isolated, int classify, int resolve_symlinks,
                   double timeout, pyprefix::Options& options) {
  if (packages != nullptr && packages != Py_None) {
    if (PyUnicode_Check(packages) || PyBytes_Check(packages)) {
      PyErr_SetString(PyExc_TypeError, "packages must be an iterable of str, such as ('torch',), not a str");
      return false;
    }
    const py_ref iterator(PyObject_GetIter(packages));
    if (!iterator) {
      PyErr_Format(PyExc_TypeError, "packages must be an iterable of str, not %.200s", Py_TYPE(packages)->tp_name);
      return false;
    }
    while (const py_ref name{PyIter_Next(iterator.get())}) {
      if (!PyUnicode_Check(name.get())) {
        PyErr_Format(PyExc_TypeError, "package names must be str, not %.200s", Py_TYPE(name.get())->tp_name);
        return false;
      }
      std::string bytes;
      if (!path_bytes(name.get(), bytes, "a package name")) return false;
      options.packages.push_back(std::move(bytes));
    }
    if (PyErr_Occurred()) return false;
  }
  if (python != nullptr && python != Py_None && !path_bytes(python, options.python, "python")) return false;
  options.isolated = isolated != 0;
  options.classify = classify != 0;
  options.resolve_symlinks = resolve_symlinks != 0;
  options.timeout = pyprefix::detail::timeout_from_seconds(timeout);  // its range: the options check's
  return true;
}

// Thrown from between a rewrite's chunks when a Python signal handler raised: Python's exception
// is set, and the call returns NULL with it. Not a std::exception, so that nothing on the way
// turns it into an error line.
struct PythonExceptionSet {};

// Runs Python's signal handlers between a rewrite's chunks (the GIL is held): Ctrl-C raises
// KeyboardInterrupt at once, and the rewrite stops with every file as it was.
void run_python_signal_handlers() {
  if (PyErr_CheckSignals() != 0) throw PythonExceptionSet{};
}

// Runs `ask` and turns what it throws into a Python exception (pyprefix.Error, MemoryError),
// so that no C++ exception reaches CPython. The GIL stays held, also while a child process
// answers: looking the executable up on PATH and spawning it read the environment, which
// another Python thread may be changing (os.environ calls setenv) unless it waits for the GIL.
template <class Ask>
bool ask_python(Ask&& ask) {
  try {
    ask();
    return true;
  } catch (const PythonExceptionSet&) {
    // Python's exception (KeyboardInterrupt, from a signal handler) is already set.
  } catch (const pyprefix::error& e) {
    PyErr_SetString(error_type, e.what());
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(error_type, e.what());
  }
  return false;
}

// Options from the arguments of a call: (packages, python, isolated, classify,
// resolve_symlinks, timeout, pid, attach, program, working_directory), positional or by
// keyword, parsed with `format`.
bool parse_call(PyObject* args, PyObject* kwargs, const char* format, pyprefix::Options& options) {
  static const char* keywords[] = {"packages", "python", "isolated", "classify", "resolve_symlinks",
                                   "timeout",  "pid",    "attach",   "program",  "working_directory",
                                   nullptr};
  PyObject *packages = nullptr, *python = nullptr, *program = nullptr, *working_directory = nullptr;
  int isolated = 0, classify = 0, resolve_symlinks = 0, pid = 0, attach = 0;
  double timeout = std::chrono::duration<double>(pyprefix::default_timeout).count();
  if (PyArg_ParseTupleAndKeywords(args, kwargs, format, const_cast<char**>(keywords), &packages, &python, &isolated,
                                  &classify, &resolve_symlinks, &timeout, &pid, &attach, &program,
                                  &working_directory) == 0)
    return false;
  options.pid = pid;
  options.attach = attach != 0;
  if (program != nullptr && program != Py_None) {
    if (PyUnicode_Check(program) || PyBytes_Check(program)) {
      PyErr_SetString(PyExc_TypeError, "program must be a sequence of arguments, such as ['python3', 'app.py']");
      return false;
    }
    const py_ref items(PySequence_Fast(program, "program must be a sequence of arguments"));
    if (!items) return false;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items.get()); ++i) {
      std::string bytes;
      if (!path_bytes(PySequence_Fast_GET_ITEM(items.get(), i), bytes, "a program argument")) return false;
      options.program.push_back(std::move(bytes));
    }
  }
  if (working_directory != nullptr && working_directory != Py_None &&
      !path_bytes(working_directory, options.working_directory, "working_directory"))
    return false;
  if (!parse_options(packages, python, isolated, classify, resolve_symlinks, timeout, options)) return false;
  // The options check's rules, before anything runs; the keywords are the fields' names.
  const std::string problem = pyprefix::detail::options_problem(options);
  if (!problem.empty()) PyErr_SetString(PyExc_ValueError, problem.c_str());
  return problem.empty();
}

// The interpreter as the tuple of Python's pyprefix.Interpreter: every field of the one table
// (lib/core/interpreter_fields.hpp), file names as os.fsdecode gives them, then the extension
// suffixes as a list.
py_ref interpreter_tuple(const pyprefix::Interpreter& python) {
  using pyprefix::detail::interpreter_fields;
  constexpr Py_ssize_t text_fields = static_cast<Py_ssize_t>(std::size(interpreter_fields));
  py_ref tuple(PyTuple_New(text_fields + 1));
  for (Py_ssize_t i = 0; tuple && i < text_fields; ++i) {
    const pyprefix::detail::InterpreterField& field = interpreter_fields[i];
    const std::string& value = python.*field.member;
    py_ref item =
        field.form == pyprefix::detail::FieldForm::file_name ? file_name(value) : text(value, "backslashreplace");
    if (!item) return py_ref();
    PyTuple_SET_ITEM(tuple.get(), i, item.release());
  }
  py_ref suffixes =
      tuple ? sequence_of<Sequence::list>(python.extension_suffixes,
                                          [](const std::string& suffix) { return text(suffix, "backslashreplace"); })
            : py_ref();
  if (!suffixes) return py_ref();
  PyTuple_SET_ITEM(tuple.get(), text_fields, suffixes.release());
  return tuple;
}

// (path, (source, ...), resolved or None), the paths str.
py_ref prefix_tuple(const pyprefix::Prefix& prefix) {
  const py_ref path = file_name(prefix.path);
  const py_ref sources = path ? sequence_of<Sequence::tuple>(prefix.sources,
                                                             [](pyprefix::Source source) {
                                                               const std::string_view name =
                                                                   pyprefix::source_name(source);
                                                               return text(name, "strict");
                                                             })
                              : py_ref();
  const py_ref resolved = !sources                  ? py_ref()
                          : prefix.resolved.empty() ? py_ref::borrow(Py_None)
                                                    : file_name(prefix.resolved);
  return tuple_of(path, sources, resolved);
}

// [(path, (source, ...), resolved or None)].
py_ref prefix_list(const std::vector<pyprefix::Prefix>& prefixes) {
  return sequence_of<Sequence::list>(prefixes, prefix_tuple);
}

// _report(packages=(), python=None, isolated=False, classify=False, resolve_symlinks=False,
// timeout=DEFAULT_TIMEOUT) -> ([(path, (source, ...), resolved or None)], [diagnostic], (version,
// executable, prefix, base_prefix, platform)), every path a str.
PyObject* report(PyObject*, PyObject* args, PyObject* kwargs) {
  pyprefix::Options options;
  if (!parse_call(args, kwargs, "|OOpppdipOO:report", options)) return nullptr;
  pyprefix::Report result;
  if (!ask_python([&] { result = pyprefix::report(options); })) return nullptr;
  const py_ref prefixes = prefix_list(result.prefixes);
  const py_ref diagnostics =
      prefixes ? sequence_of<Sequence::list>(result.diagnostics,
                                             [](const std::string& line) { return text(line, "backslashreplace"); })
               : py_ref();
  const py_ref interpreter = diagnostics ? interpreter_tuple(result.interpreter) : py_ref();
  return tuple_of(prefixes, diagnostics, interpreter).release();
}

// _prefixes(...) -> [str]: report()'s prefixes alone, without building the rest.
PyObject* prefixes(PyObject*, PyObject* args, PyObject* kwargs) {
  pyprefix::Options options;
  if (!parse_call(args, kwargs, "|OOpppdipOO:prefixes", options)) return nullptr;
  std::vector<std::string> result;
  if (!ask_python([&] { result = pyprefix::prefixes(options); })) return nullptr;
  return sequence_of<Sequence::list>(result, [](const std::string& path) { return file_name(path); }).release();
}

// _manifest(...) -> str: what `pyprefix manifest` writes for the same options (ASCII JSON).
PyObject* manifest(PyObject*, PyObject* args, PyObject* kwargs) {
  pyprefix::Options options;
  if (!parse_call(args, kwargs, "|OOpppdipOO:manifest", options)) return nullptr;
  std::string json;
  if (!ask_python([&] { json = pyprefix::manifest_json(pyprefix::manifest(options)); })) return nullptr;
  return text(json, "strict").release();
}

// abspath(path) -> os.path.abspath(path), str for str and os.PathLike, bytes for bytes.
PyObject* abspath(PyObject*, PyObject* path) {
  std::string bytes;
  if (!path_bytes(path, bytes, "path")) return nullptr;
  std::string normal;
  try {
    normal = pyprefix::abspath(bytes);
  } catch (const pyprefix::error& e) {
    return raise_error(e);
  }
  if (PyBytes_Check(path)) return PyBytes_FromStringAndSize(normal.data(), static_cast<Py_ssize_t>(normal.size()));
  return file_name(normal).release();
}

// _main(argv) -> exit status: the pyprefix command, on this process's stdout and stderr.
PyObject* main_command(PyObject*, PyObject* argv_list) {
  if (!PyList_Check(argv_list)) {
    PyErr_SetString(PyExc_TypeError, "argv must be a list of str");
    return nullptr;
  }
  std::vector<std::string> arguments;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(argv_list); ++i) {
    std::string bytes;
    if (!path_bytes(PyList_GET_ITEM(argv_list, i), bytes, "an argument")) return nullptr;
    arguments.push_back(std::move(bytes));
  }
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int status = 1;
  pyprefix::detail::CommandHost host;
  host.report = [](const pyprefix::Options& options) { return pyprefix::report(options); };
  host.manifest = [](const pyprefix::Options& options, std::vector<std::string>* diagnostics) {
    return pyprefix::manifest(options, diagnostics);
  };
  host.interpreter = [](const pyprefix::Options& options) { return pyprefix::interpreter(options); };
  host.between_chunks = run_python_signal_handlers;
  if (!ask_python(
          [&] { status = pyprefix::detail::run_command(static_cast<int>(arguments.size()), argv.data(), host); }))
    return nullptr;
  return PyLong_FromLong(status);
}

// trim()'s memory of its recent answers, by the identity of the path object: a profiler trims
// the same co_filename objects over and over, and a hit costs a pointer compare instead of a
// match and a new str. Direct-mapped, so a miss costs one slot write. Each slot holds strong
// references, so a cached path cannot be freed and its address reused while it is cached;
// str objects are immutable, so the same object always trims the same way. Used under the GIL.
constexpr size_t trim_cache_slots = 4096;
struct TrimCacheSlot {
  py_ref path;
  py_ref short_path;
};

// The Trimmer type: pyprefix::Trimmer behind trim() and _match(); immutable once built.
struct TrimmerObject {
  PyObject_HEAD pyprefix::Trimmer* trimmer;
  TrimCacheSlot* cache;  // trim_cache_slots of them
};

void clear_cache(TrimmerObject* object) {
  if (object->cache == nullptr) return;
  for (size_t i = 0; i < trim_cache_slots; ++i) object->cache[i] = TrimCacheSlot{};
}

// A Prefix for one item of Trimmer(prefixes): a (path, sources, resolved) tuple such as
// report() gives, or a bare path.
bool prefix_of(PyObject* item, pyprefix::Prefix& prefix) {
  if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 3) {
    if (!path_bytes(PyTuple_GET_ITEM(item, 0), prefix.path, "a prefix")) return false;
    const py_ref iterator(PyObject_GetIter(PyTuple_GET_ITEM(item, 1)));
    if (!iterator) return false;
    while (const py_ref source{PyIter_Next(iterator.get())}) {
      const char* name = PyUnicode_Check(source.get()) ? PyUnicode_AsUTF8(source.get()) : nullptr;
      const auto known = name != nullptr ? pyprefix::detail::source_named(name) : std::nullopt;
      if (!known) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_ValueError, "unknown source %R", source.get());
        return false;
      }
      prefix.sources.push_back(*known);
    }
    if (PyErr_Occurred()) return false;
    PyObject* resolved = PyTuple_GET_ITEM(item, 2);
    return resolved == Py_None || path_bytes(resolved, prefix.resolved, "a resolved prefix");
  }
  return path_bytes(item, prefix.path, "a prefix");
}

int trimmer_init(PyObject* self, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"prefixes", "path_flavour", nullptr};
  PyObject* items = nullptr;
  const char* flavour_name = "posix";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|s:Trimmer", const_cast<char**>(keywords), &items, &flavour_name))
    return -1;
  const bool windows = std::strcmp(flavour_name, "windows") == 0;
  if (!windows && std::strcmp(flavour_name, "posix") != 0) {
    PyErr_Format(PyExc_ValueError, "path_flavour must be 'posix' or 'windows', not '%s'", flavour_name);
    return -1;
  }
  if (PyUnicode_Check(items) || PyBytes_Check(items)) {
    PyErr_SetString(PyExc_TypeError, "prefixes must be an iterable of paths, not a single path");
    return -1;
  }
  const py_ref iterator(PyObject_GetIter(items));
  if (!iterator) return -1;
  std::vector<pyprefix::Prefix> prefixes;
  while (const py_ref item{PyIter_Next(iterator.get())}) {
    pyprefix::Prefix prefix;
    if (!prefix_of(item.get(), prefix)) return -1;
    // A Windows prefix is normalised as a manifest's is (ntpath.normpath, a "\\" at the end).
    const std::optional<std::string> windows_form =
        windows ? pyprefix::detail::windows_prefix(prefix.path) : std::nullopt;
    if (windows ? !windows_form : prefix.path.empty() || prefix.path.front() != '/') {
      PyErr_Format(PyExc_ValueError, "prefixes must be absolute %spaths, not '%s'", windows ? "Windows " : "",
                   prefix.path.c_str());
      return -1;
    }
    if (windows_form) prefix.path = *windows_form;
    prefixes.push_back(std::move(prefix));
  }
  if (PyErr_Occurred()) return -1;
  auto* object = reinterpret_cast<TrimmerObject*>(self);
  pyprefix::Trimmer* built = nullptr;
  if (!ask_python([&] {
        built =
            new pyprefix::Trimmer(prefixes, windows ? pyprefix::PathFlavour::windows : pyprefix::PathFlavour::posix);
        if (object->cache == nullptr) object->cache = new TrimCacheSlot[trim_cache_slots];
      })) {
    delete built;
    return -1;
  }
  delete object->trimmer;
  object->trimmer = built;
  clear_cache(object);
  return 0;
}

void trimmer_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  auto* object = reinterpret_cast<TrimmerObject*>(self);
  clear_cache(object);
  delete[] object->cache;
  delete object->trimmer;
  type->tp_free(self);
  Py_DECREF(type);  // an instance of a heap type holds a reference to it
}

// The path's bytes for matching: a view of the str's UTF-8 when it has one (no copy), else
// os.fsencode in `storage`. Also says how to build results of the caller's type.
struct MatchInput {
  std::string_view bytes;
  std::string storage;
  bool is_bytes = false;
  bool is_ascii = false;
};

bool match_input(PyObject* path, MatchInput& input) {
  if (PyUnicode_Check(path)) {
    // An ASCII str (nearly every co_filename) holds its bytes as they are: read them in place.
    input.is_ascii = PyUnicode_IS_READY(path) && PyUnicode_IS_ASCII(path);
    if (input.is_ascii) {
      input.bytes = std::string_view(reinterpret_cast<const char*>(PyUnicode_1BYTE_DATA(path)),
                                     static_cast<size_t>(PyUnicode_GET_LENGTH(path)));
      return true;
    }
  } else if (PyBytes_Check(path)) {
    input.is_bytes = true;
    input.bytes = std::string_view(PyBytes_AS_STRING(path), static_cast<size_t>(PyBytes_GET_SIZE(path)));
    return true;
  }
  // Trimming is string work: a NUL, like any byte, passes through (as in `pyprefix trim`).
  if (!path_bytes(path, input.storage, "path", true)) return false;
  input.bytes = input.storage;
  return true;
}

// path[skip bytes:] in the type of `path`: the same object when nothing is skipped.
py_ref rest_of(PyObject* path, const MatchInput& input, size_t skip) {
  if (skip == 0 && (PyUnicode_CheckExact(path) || PyBytes_CheckExact(path))) return py_ref::borrow(path);
  const std::string_view rest = input.bytes.substr(skip);
  if (input.is_bytes) return py_ref(PyBytes_FromStringAndSize(rest.data(), static_cast<Py_ssize_t>(rest.size())));
  if (input.is_ascii)
    return py_ref(PyUnicode_Substring(path, static_cast<Py_ssize_t>(skip), PyUnicode_GET_LENGTH(path)));
  return file_name(rest);
}

PyObject* trimmer_trim(PyObject* self, PyObject* path) {
  auto* object = reinterpret_cast<TrimmerObject*>(self);
  TrimCacheSlot* slot = nullptr;
  if (object->cache != nullptr && PyUnicode_CheckExact(path)) {
    slot = &object->cache[(reinterpret_cast<std::uintptr_t>(path) >> 4) % trim_cache_slots];
    if (slot->path.get() == path) return py_ref::borrow(slot->short_path.get()).release();
  }
  MatchInput input;
  if (!match_input(path, input)) return nullptr;
  const size_t skip = object->trimmer != nullptr ? input.bytes.size() - object->trimmer->trim(input.bytes).size() : 0;
  py_ref short_path = rest_of(path, input, skip);
  if (slot != nullptr && short_path) {
    // The slot's old objects are released after it holds the new ones (their deallocation
    // may run code that trims again).
    slot->path = py_ref::borrow(path);
    slot->short_path = py_ref::borrow(short_path.get());
  }
  return short_path.release();
}

// _match(path) -> (short, prefix or None, kind name), short and prefix in the type of path.
PyObject* trimmer_match(PyObject* self, PyObject* path) {
  MatchInput input;
  if (!match_input(path, input)) return nullptr;
  const pyprefix::Trimmer* trimmer = reinterpret_cast<TrimmerObject*>(self)->trimmer;
  const pyprefix::Match match = trimmer != nullptr ? trimmer->match(input.bytes) : pyprefix::Match{input.bytes, {}, {}};
  const size_t skip = input.bytes.size() - match.short_path.size();
  const py_ref short_path = rest_of(path, input, skip);
  const py_ref prefix =
      !short_path            ? py_ref()
      : match.prefix.empty() ? py_ref::borrow(Py_None)
      : input.is_bytes
          ? py_ref(PyBytes_FromStringAndSize(match.prefix.data(), static_cast<Py_ssize_t>(match.prefix.size())))
          : file_name(match.prefix);
  const py_ref kind = prefix ? text(pyprefix::kind_name(match.kind), "strict") : py_ref();
  return tuple_of(short_path, prefix, kind).release();
}

// The CodeIndex type: pyprefix::CodeIndex of a report, behind _which(), _distributions() and
// _diagnostics(); immutable once built.
struct CodeIndexObject {
  PyObject_HEAD pyprefix::CodeIndex* index;
};

PyObject* code_index_type = nullptr;  // the CodeIndex type, for telling its instances; the module's reference

// The Trimmer of a Trimmer object; one that matches nothing when __init__ has not run.
const pyprefix::Trimmer& trimmer_of(PyObject* self) {
  static const pyprefix::Trimmer matches_nothing(std::vector<std::string>{});
  const pyprefix::Trimmer* trimmer = reinterpret_cast<TrimmerObject*>(self)->trimmer;
  return trimmer != nullptr ? *trimmer : matches_nothing;
}

// RewriteOptions from _rewrite()'s and _rewrite_file()'s arguments: a format name and an
// index (a CodeIndex: Python files become module names) or None.
bool rewrite_options(const char* format, PyObject* index, pyprefix::RewriteOptions& options) {
  const std::optional<pyprefix::RewriteFormat> named = pyprefix::detail::rewrite_format_named(format);
  if (!named) {
    PyErr_Format(PyExc_ValueError, "format must be %s, not '%s'", pyprefix::detail::rewrite_format_list().c_str(),
                 format);
    return false;
  }
  options.format = *named;
  if (index == Py_None) return true;
  if (!PyObject_TypeCheck(index, reinterpret_cast<PyTypeObject*>(code_index_type))) {
    PyErr_Format(PyExc_TypeError, "index must be a pyprefix.CodeIndex or None, not %.200s", Py_TYPE(index)->tp_name);
    return false;
  }
  options.index = reinterpret_cast<CodeIndexObject*>(index)->index;
  options.to = options.index != nullptr ? pyprefix::RewriteTo::module : pyprefix::RewriteTo::short_path;
  return true;
}

// The Rewriter's warnings as a list of str.
py_ref warning_list(const std::vector<std::string>& warnings) {
  return sequence_of<Sequence::list>(warnings, [](const std::string& line) { return text(line, "backslashreplace"); });
}

// _rewrite(data: bytes, format, index) -> (bytes, [warning]).
PyObject* trimmer_rewrite(PyObject* self, PyObject* args) {
  const char* data = nullptr;
  Py_ssize_t size = 0;
  const char* format = "detect";
  PyObject* index = Py_None;
  if (PyArg_ParseTuple(args, "y#sO:_rewrite", &data, &size, &format, &index) == 0) return nullptr;
  pyprefix::RewriteOptions options;
  if (!rewrite_options(format, index, options)) return nullptr;
  std::string out;
  std::vector<std::string> warnings;
  if (!ask_python([&] {
        out = pyprefix::rewrite(trimmer_of(self), {data, static_cast<size_t>(size)}, options, &warnings);
      }))
    return nullptr;
  const py_ref bytes(PyBytes_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size())));
  const py_ref lines = bytes ? warning_list(warnings) : py_ref();
  return tuple_of(bytes, lines).release();
}

// _rewrite_file(source, destination, format, index) -> [warning]: the file rewritten into
// `destination` (the same path: in place), through a new file renamed over it.
PyObject* trimmer_rewrite_file(PyObject* self, PyObject* args) {
  PyObject *source = nullptr, *destination = nullptr, *index = Py_None;
  const char* format = "detect";
  if (PyArg_ParseTuple(args, "OOsO:_rewrite_file", &source, &destination, &format, &index) == 0) return nullptr;
  std::string source_path, destination_path;
  if (!path_bytes(source, source_path, "source") || !path_bytes(destination, destination_path, "destination"))
    return nullptr;
  pyprefix::RewriteOptions options;
  if (!rewrite_options(format, index, options)) return nullptr;
  std::vector<std::string> warnings;
  pyprefix::detail::FileRewriteOptions file_options;
  file_options.between_chunks = run_python_signal_handlers;
  if (!ask_python([&] {
        pyprefix::detail::rewrite_file(trimmer_of(self), source_path, destination_path, options, warnings,
                                       file_options);
      }))
    return nullptr;
  return warning_list(warnings).release();
}

PyMethodDef trimmer_methods[] = {
    {"trim", trimmer_trim, METH_O, "trim(path) -> path without its longest matching prefix (str or bytes, as given)"},
    {"_match", trimmer_match, METH_O, "_match(path) -> (short path, prefix or None, kind name)"},
    {"_rewrite", trimmer_rewrite, METH_VARARGS, "_rewrite(data, format, index) -> (bytes, [warning])"},
    {"_rewrite_file", trimmer_rewrite_file, METH_VARARGS,
     "_rewrite_file(source, destination, format, index) -> [warning]"},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot trimmer_slots[] = {
    {Py_tp_doc, const_cast<char*>("Trimmer(prefixes): shortens and classifies paths by the longest matching prefix.")},
    {Py_tp_init, reinterpret_cast<void*>(trimmer_init)},
    {Py_tp_dealloc, reinterpret_cast<void*>(trimmer_dealloc)},
    {Py_tp_methods, trimmer_methods},
    {Py_tp_new, reinterpret_cast<void*>(PyType_GenericNew)},
    {0, nullptr}};

PyType_Spec trimmer_spec = {"pyprefix._pyprefix.Trimmer", sizeof(TrimmerObject), 0,
                            Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, trimmer_slots};

int code_index_init(PyObject* self, PyObject* args, PyObject* kwargs) {
  pyprefix::Options options;
  if (!parse_call(args, kwargs, "|OOpppdipOO:CodeIndex", options)) return -1;
  pyprefix::CodeIndex* index = nullptr;
  // A running process's index comes from its manifest, read while the process is held and
  // confined to it (a report of its paths would have them read here, on this host).
  if (!ask_python([&] {
        index = options.pid != 0 ? new pyprefix::CodeIndex(pyprefix::manifest(options))
                                 : new pyprefix::CodeIndex(pyprefix::report(options));
      }))
    return -1;
  auto* object = reinterpret_cast<CodeIndexObject*>(self);
  delete object->index;
  object->index = index;
  return 0;
}

void code_index_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  delete reinterpret_cast<CodeIndexObject*>(self)->index;
  type->tp_free(self);
  Py_DECREF(type);  // an instance of a heap type holds a reference to it
}

// _which(path) -> (module or None, distribution or None, version or None).
PyObject* code_index_which(PyObject* self, PyObject* path) {
  MatchInput input;
  if (!match_input(path, input)) return nullptr;  // may run __fspath__: read the index after it
  const pyprefix::CodeIndex* index = reinterpret_cast<CodeIndexObject*>(self)->index;
  if (index == nullptr)
    return tuple_of(py_ref::borrow(Py_None), py_ref::borrow(Py_None), py_ref::borrow(Py_None)).release();
  pyprefix::Which which;
  if (!ask_python([&] { which = index->which(input.bytes); })) return nullptr;
  const pyprefix::Distribution* owner = which.distribution;
  const py_ref module = text_or_none(which.module, !which.module.empty());
  const py_ref name = module ? text_or_none(owner ? owner->name : "", owner != nullptr) : py_ref();
  const py_ref version =
      name ? text_or_none(owner ? owner->version : "", owner != nullptr && !owner->version.empty()) : py_ref();
  return tuple_of(module, name, version).release();
}

// (name, version, metadata, [root, ...]).
py_ref distribution_tuple(const pyprefix::Distribution& distribution) {
  const py_ref name = text_or_none(distribution.name, true);
  const py_ref version = name ? text_or_none(distribution.version, true) : py_ref();
  const py_ref metadata = version ? file_name(distribution.metadata) : py_ref();
  const py_ref roots = metadata ? sequence_of<Sequence::list>(distribution.roots,
                                                              [](const std::string& root) { return file_name(root); })
                                : py_ref();
  return tuple_of(name, version, metadata, roots);
}

// [(name, version, metadata, [root, ...])].
py_ref distribution_list(const std::vector<pyprefix::Distribution>& distributions) {
  return sequence_of<Sequence::list>(distributions, distribution_tuple);
}

// _distributions() -> [(name, version, metadata, [root, ...])].
PyObject* code_index_distributions(PyObject* self, PyObject*) {
  const pyprefix::CodeIndex* index = reinterpret_cast<CodeIndexObject*>(self)->index;
  if (index == nullptr) return PyList_New(0);
  return distribution_list(index->distributions()).release();
}

// _load_manifest(path): the index of a manifest instead, reading no other file.
PyObject* code_index_load_manifest(PyObject* self, PyObject* path) {
  std::string bytes;
  if (!path_bytes(path, bytes, "path")) return nullptr;
  pyprefix::CodeIndex* index = nullptr;
  if (!ask_python([&] { index = new pyprefix::CodeIndex(pyprefix::read_manifest(bytes)); })) return nullptr;
  auto* object = reinterpret_cast<CodeIndexObject*>(self);
  delete object->index;
  object->index = index;
  Py_RETURN_NONE;
}

// _read_manifest(path) -> ((version, executable, prefix, base_prefix, platform), path_flavour,
// [sys.path entry], [(path, (source, ...), resolved or None)], [(name, version, metadata, [root])]).
PyObject* read_manifest(PyObject*, PyObject* path) {
  std::string bytes;
  if (!path_bytes(path, bytes, "path")) return nullptr;
  pyprefix::Manifest manifest;
  if (!ask_python([&] { manifest = pyprefix::read_manifest(bytes); })) return nullptr;
  const py_ref interpreter = interpreter_tuple(manifest.interpreter);
  const py_ref flavour =
      interpreter ? text(manifest.path_flavour == pyprefix::PathFlavour::windows ? "windows" : "posix", "strict")
                  : py_ref();
  const py_ref sys_path = flavour ? sequence_of<Sequence::list>(
                                        manifest.sys_path, [](const std::string& entry) { return file_name(entry); })
                                  : py_ref();
  const py_ref prefixes = sys_path ? prefix_list(manifest.prefixes) : py_ref();
  const py_ref distributions = prefixes ? distribution_list(manifest.distributions) : py_ref();
  return tuple_of(interpreter, flavour, sys_path, prefixes, distributions).release();
}

// _diagnostics() -> [str]: what the metadata could not give.
PyObject* code_index_diagnostics(PyObject* self, PyObject*) {
  const pyprefix::CodeIndex* index = reinterpret_cast<CodeIndexObject*>(self)->index;
  if (index == nullptr) return PyList_New(0);
  return sequence_of<Sequence::list>(index->diagnostics(),
                                     [](const std::string& line) { return text_or_none(line, true); })
      .release();
}

PyMethodDef code_index_methods[] = {
    {"_which", code_index_which, METH_O, "_which(path) -> (module, distribution, version), None where there is none"},
    {"_distributions", code_index_distributions, METH_NOARGS, "_distributions() -> [(name, version, metadata, roots)]"},
    {"_diagnostics", code_index_diagnostics, METH_NOARGS, "_diagnostics() -> [str]"},
    {"_load_manifest", code_index_load_manifest, METH_O, "_load_manifest(path): the index of a manifest instead"},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot code_index_slots[] = {
    {Py_tp_doc,
     const_cast<char*>("CodeIndex(packages=(), python=None, ...): module names and distributions for paths.")},
    {Py_tp_init, reinterpret_cast<void*>(code_index_init)},
    {Py_tp_dealloc, reinterpret_cast<void*>(code_index_dealloc)},
    {Py_tp_methods, code_index_methods},
    {Py_tp_new, reinterpret_cast<void*>(PyType_GenericNew)},
    {0, nullptr}};

PyType_Spec code_index_spec = {"pyprefix._pyprefix.CodeIndex", sizeof(CodeIndexObject), 0,
                               Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, code_index_slots};

PyMethodDef module_methods[] = {
    {"_report", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(report)), METH_VARARGS | METH_KEYWORDS,
     "The list with its sources, diagnostics and interpreter."},
    {"_prefixes", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(prefixes)), METH_VARARGS | METH_KEYWORDS,
     "The list."},
    {"_read_manifest", read_manifest, METH_O, "The parts of a pyprefix manifest."},
    {"_manifest", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(manifest)), METH_VARARGS | METH_KEYWORDS,
     "What `pyprefix manifest` writes, as JSON text."},
    {"abspath", abspath, METH_O, "os.path.abspath(path), byte for byte, without an interpreter call."},
    {"_main", main_command, METH_O, "Runs the pyprefix command with argv; returns its exit status."},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef module_definition = {PyModuleDef_HEAD_INIT,
                                 "pyprefix._pyprefix",
                                 "The extension module under the pyprefix package.",
                                 -1,
                                 module_methods,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr};

}  // namespace

PyMODINIT_FUNC PyInit__pyprefix() {
  py_ref module(PyModule_Create(&module_definition));
  py_ref error(module ? PyErr_NewExceptionWithDoc(
                            "pyprefix.Error", "What pyprefix raises when it cannot answer: one line.", nullptr, nullptr)
                      : nullptr);
  const py_ref trimmer_type(error ? PyType_FromSpec(&trimmer_spec) : nullptr);
  const py_ref index_type(trimmer_type ? PyType_FromSpec(&code_index_spec) : nullptr);
  if (!index_type) return nullptr;
  // The module takes a reference of its own to each; PyModule_AddObject takes it only on success.
  const auto add = [&](const char* name, const py_ref& object) {
    py_ref reference = py_ref::borrow(object.get());
    if (PyModule_AddObject(module.get(), name, reference.get()) != 0) return false;
    reference.release();
    return true;
  };
  if (!add("Error", error) || !add("Trimmer", trimmer_type) || !add("CodeIndex", index_type) ||
      PyModule_AddStringConstant(module.get(), "__version__", pyprefix::version) != 0 ||
      !add("DEFAULT_TIMEOUT",
           py_ref(PyFloat_FromDouble(std::chrono::duration<double>(pyprefix::default_timeout).count()))))
    return nullptr;
  Py_XDECREF(error_type);  // a module imported again (importlib.reload of an extension) replaces it
  error_type = error.release();
  Py_XSETREF(code_index_type, py_ref::borrow(index_type.get()).release());
  return module.release();
}
