#include "entries/raw_entries.hpp"

#include <optional>

#include <pyprefix/error.hpp>

#include "interpreter/python_ref.hpp"
#include "normalise/posix_path.hpp"

namespace pyprefix::detail {
namespace {

std::string type_name(PyObject* object) { return Py_TYPE(object)->tp_name; }

// The install schemes whose purelib and platlib classify paths: those of POSIX systems, that
// is every scheme but Windows' ("nt...") and macOS framework builds' ("osx...").
bool is_posix_scheme(std::string_view name) { return name.substr(0, 2) != "nt" && name.substr(0, 3) != "osx"; }

// The str an entry stands for: a str as it is, bytes through os.fsdecode, an os.PathLike
// through os.fspath. Anything else, or a str holding NUL, is skipped with `why` set.
py_ref entry_text(PyObject* entry, std::string& why) {
  py_ref text;
  if (PyUnicode_Check(entry) || PyBytes_Check(entry)) {
    text = py_ref::borrow(entry);
  } else if (PyObject_HasAttrString(reinterpret_cast<PyObject*>(Py_TYPE(entry)), "__fspath__") != 1) {
    why = type_name(entry) + " is not str, bytes or os.PathLike";
    return {};
  } else {
    text = py_ref(PyOS_FSPath(entry));
    if (!text) {
      why = "os.fspath() raised " + take_python_error();
      return {};
    }
  }
  if (PyBytes_Check(text.get())) {
    text = py_ref(PyUnicode_DecodeFSDefaultAndSize(PyBytes_AS_STRING(text.get()), PyBytes_GET_SIZE(text.get())));
    if (!text) {
      why = "os.fsdecode() raised " + take_python_error();
      return {};
    }
  }
  if (PyUnicode_FindChar(text.get(), 0, 0, PyUnicode_GET_LENGTH(text.get()), 1) != -1) {
    why = "it contains a NUL character";
    return {};
  }
  return text;
}

// os.fsencode(entry_text(entry)), or nothing with `why` set.
std::optional<std::string> entry_bytes(PyObject* entry, std::string& why) {
  py_ref text = entry_text(entry, why);
  if (!text) return std::nullopt;
  py_ref encoded(PyUnicode_EncodeFSDefault(text.get()));
  if (!encoded) {
    why = "os.fsencode() raised " + take_python_error();
    return std::nullopt;
  }
  return std::string(PyBytes_AS_STRING(encoded.get()), PyBytes_GET_SIZE(encoded.get()));
}

class Reader {
 public:
  RawEntries result;

  void add(PyObject* entry, Source source, const std::string& where) {
    std::string why;
    if (auto bytes = entry_bytes(entry, why))
      result.entries.push_back({std::move(*bytes), source});
    else
      result.diagnostics.push_back(where + " skipped: " + why);
  }

  // Each item of a list or tuple, copied first: converting an item may run Python code
  // (__fspath__) that changes the original under us.
  void add_each(PyObject* sequence, Source source, const std::string& where) {
    if (!PyList_Check(sequence) && !PyTuple_Check(sequence))
      throw error(where + " is a " + type_name(sequence) + ", not a list");
    py_ref items = checked(PySequence_Tuple(sequence), "tuple(" + where + ")");
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items.get()); ++i)
      add(PyTuple_GET_ITEM(items.get(), i), source, where + "[" + std::to_string(i) + "]");
  }

  void add_site_call(PyObject* site, const char* function, Source source, bool returns_list) {
    const std::string call = std::string("site.") + function + "()";
    py_ref value = checked(PyObject_CallMethod(site, function, nullptr), call);
    if (returns_list)
      add_each(value.get(), source, call);
    else
      add(value.get(), source, call);
  }

  void add_package_root(PyObject* importlib_util, const std::string& name) {
    py_ref python_name(PyUnicode_FromStringAndSize(name.data(), static_cast<Py_ssize_t>(name.size())));
    if (!python_name) PyErr_Clear();
    if (!python_name || PyUnicode_IsIdentifier(python_name.get()) != 1) {
      PyErr_Clear();
      throw error("invalid package name '" + name + "': give a top-level module name, such as torch");
    }
    const std::string where = "package '" + name + "'";
    // find_spec on a top-level name runs the finders but never the package's own code.
    py_ref spec(PyObject_CallMethod(importlib_util, "find_spec", "O", python_name.get()));
    if (!spec) {
      result.diagnostics.push_back(where + " skipped: importlib.util.find_spec() raised " + take_python_error());
      return;
    }
    if (spec.get() == Py_None) {
      result.diagnostics.push_back(where + " not found");
      return;
    }
    py_ref locations = checked(PyObject_GetAttrString(spec.get(), "submodule_search_locations"),
                               where + ": spec.submodule_search_locations");
    if (locations.get() != Py_None) {  // a package, regular or namespace: the parent of each portion
      py_ref iterator = checked(PyObject_GetIter(locations.get()), where + ": iter(submodule_search_locations)");
      while (py_ref location{PyIter_Next(iterator.get())}) add_root(location.get(), where);
      if (PyErr_Occurred()) throw_python_error(where + ": next(submodule_search_locations)");
      return;
    }
    py_ref has_location = checked(PyObject_GetAttrString(spec.get(), "has_location"), where + ": spec.has_location");
    if (PyObject_IsTrue(has_location.get()) != 1) {  // built-in or frozen: no directory
      PyErr_Clear();
      return;
    }
    py_ref origin = checked(PyObject_GetAttrString(spec.get(), "origin"), where + ": spec.origin");
    add_root(origin.get(), where);  // a single-file module: its directory
  }

  // sysconfig's stdlib, platstdlib and DESTSHARED (lib-dynload), then purelib and platlib of
  // each POSIX install scheme; a scheme that cannot be expanded here is a diagnostic.
  void add_classifying_folders() {
    // The zipped stdlib that the interpreter puts on sys.path, whether or not it exists: built
    // from the base prefix and platlibdir ("lib" before 3.9) as CPython's getpath builds it.
    PyObject* base_prefix = PySys_GetObject("base_prefix");  // borrowed
    PyObject* platlibdir = PySys_GetObject("platlibdir");    // borrowed; missing before 3.9
    if (base_prefix != nullptr && PyUnicode_Check(base_prefix)) {
      py_ref zip =
          checked(PyUnicode_FromFormat(
                      "%U/%s/python%d%d.zip", base_prefix,
                      platlibdir != nullptr && PyUnicode_Check(platlibdir) ? PyUnicode_AsUTF8(platlibdir) : "lib",
                      PY_MAJOR_VERSION, PY_MINOR_VERSION),
                  "the stdlib zip's path");
      add(zip.get(), Source::stdlib, "the stdlib zip");
    }
    py_ref sysconfig = checked(PyImport_ImportModule("sysconfig"), "import sysconfig");
    for (const char* name : {"stdlib", "platstdlib"}) {
      const std::string call = std::string("sysconfig.get_path('") + name + "')";
      py_ref path = checked(PyObject_CallMethod(sysconfig.get(), "get_path", "s", name), call);
      add(path.get(), Source::stdlib, call);
    }
    py_ref shared = checked(PyObject_CallMethod(sysconfig.get(), "get_config_var", "s", "DESTSHARED"),
                            "sysconfig.get_config_var('DESTSHARED')");
    if (shared.get() != Py_None) add(shared.get(), Source::stdlib, "sysconfig.get_config_var('DESTSHARED')");
    py_ref schemes =
        checked(PyObject_CallMethod(sysconfig.get(), "get_scheme_names", nullptr), "sysconfig.get_scheme_names()");
    py_ref names = checked(PySequence_Tuple(schemes.get()), "tuple(sysconfig.get_scheme_names())");
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(names.get()); ++i) {
      PyObject* scheme = PyTuple_GET_ITEM(names.get(), i);
      const char* scheme_name = PyUnicode_Check(scheme) ? PyUnicode_AsUTF8(scheme) : nullptr;
      if (scheme_name == nullptr) {
        PyErr_Clear();
        continue;
      }
      if (!is_posix_scheme(scheme_name)) continue;
      for (const char* key : {"purelib", "platlib"}) {
        const std::string call = std::string("sysconfig.get_path('") + key + "', '" + scheme_name + "')";
        py_ref path(PyObject_CallMethod(sysconfig.get(), "get_path", "sO", key, scheme));
        if (path)
          add(path.get(), Source::install_scheme, call);
        else
          result.diagnostics.push_back(call + " skipped: it raised " + take_python_error());
      }
    }
  }

 private:
  // torch takes dirname() of the raw location and normalises afterwards; so do we, which
  // differs from normalising first for locations such as "/a/b/..".
  void add_root(PyObject* location, const std::string& where) {
    std::string why;
    if (auto bytes = entry_bytes(location, why))
      result.entries.push_back({std::string(dirname(*bytes)), Source::package_root});
    else
      result.diagnostics.push_back(where + " location skipped: " + why);
  }
};

}  // namespace

RawEntries read_raw_entries(const Options& options) {
  const std::vector<std::string>& packages = options.packages;
  Reader reader;
  py_ref site = checked(PyImport_ImportModule("site"), "import site");
  reader.add_site_call(site.get(), "getsitepackages", Source::site_packages, true);
  PyObject* sys_path = PySys_GetObject("path");  // borrowed; null without an exception when missing
  if (sys_path == nullptr) throw error("sys.path is missing");
  reader.add_each(sys_path, Source::sys_path, "sys.path");
  reader.add_site_call(site.get(), "getuserbase", Source::user_base, false);
  reader.add_site_call(site.get(), "getusersitepackages", Source::user_site, false);
  if (!packages.empty()) {
    py_ref importlib_util = checked(PyImport_ImportModule("importlib.util"), "import importlib.util");
    for (const std::string& name : packages) reader.add_package_root(importlib_util.get(), name);
  }
  if (options.classify) reader.add_classifying_folders();
  return std::move(reader.result);
}

}  // namespace pyprefix::detail
