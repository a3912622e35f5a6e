// The public entry points: interpreter state -> raw entries -> normalised prefixes.
#include <pyprefix/prefixes.hpp>

#include <algorithm>

#include <pyprefix/error.hpp>

#include "entries/probe.hpp"
#include "entries/raw_entries.hpp"
#include "interpreter/executable.hpp"
#include "interpreter/interpreter_lock.hpp"
#include "interpreter/python_ref.hpp"
#include "normalise/posix_path.hpp"
#include "normalise/prefix_list.hpp"

namespace pyprefix {

std::string_view source_name(Source source) noexcept {
  switch (source) {
    case Source::site_packages:
      return "site-packages";
    case Source::sys_path:
      return "sys.path";
    case Source::user_base:
      return "user-base";
    case Source::user_site:
      return "user-site";
    case Source::package_root:
      return "package-root";
    case Source::stdlib:
      return "stdlib";
    case Source::install_scheme:
      return "install-scheme";
  }
  return "unknown";
}

Report report(const Options& options) {
  detail::RawEntries raw;
  if (options.python.empty() && !options.isolated) {
    detail::interpreter_lock lock;
    raw = detail::read_raw_entries(options);
  } else {
    // Another interpreter, or one that must run no code from its environment: a child process.
    // Isolated without a name asks the built-against executable, never the host program,
    // which may be an application embedding Python rather than a Python.
    const std::string& name = options.python.empty() ? std::string(PYPREFIX_PYTHON_EXECUTABLE) : options.python;
    raw = detail::probe_raw_entries(detail::find_executable(name), options);
  }
  Report result{detail::normalise_entries(raw.entries, detail::current_directory()), std::move(raw.diagnostics)};
  if (options.resolve_symlinks) detail::add_resolved_aliases(result.prefixes);
  return result;
}

std::vector<std::string> prefixes(const Options& options) {
  std::vector<std::string> paths;
  for (Prefix& prefix : report(options).prefixes) paths.push_back(std::move(prefix.path));
  return paths;
}

Interpreter interpreter() {
  detail::interpreter_lock lock;
  std::string version = Py_GetVersion();  // "3.11.2 (main, ...) [GCC ...]"
  version.erase(std::min(version.find(' '), version.size()));
  PyObject* executable = PySys_GetObject("executable");  // borrowed
  if (executable == nullptr || !PyUnicode_Check(executable)) throw error("sys.executable is not a str");
  detail::py_ref bytes = detail::checked(PyUnicode_EncodeFSDefault(executable), "os.fsencode(sys.executable)");
  return {std::move(version), std::string(PyBytes_AS_STRING(bytes.get()), PyBytes_GET_SIZE(bytes.get()))};
}

}  // namespace pyprefix
