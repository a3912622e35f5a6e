// The public entry points: interpreter state -> raw entries -> normalised prefixes.
#include <pyprefix/prefixes.hpp>

#include <pyprefix/error.hpp>

#include "entries/child_reader.hpp"
#include "entries/live_reader.hpp"
#include "interpreter/interpreter_lock.hpp"
#include "normalise/posix_path.hpp"
#include "normalise/prefix_list.hpp"
#include "spawn/executable.hpp"

namespace pyprefix {
namespace {

detail::RawEntries read_entries(const Options& options) {
  if (options.python.empty() && !options.isolated) {
    detail::interpreter_lock lock;
    return detail::read_live_entries(options);
  }
  // Another interpreter, or one that must run no code from its environment: a child process.
  // Isolated without a name asks the built-against executable, never the host program, which
  // may be an application embedding Python rather than a Python.
  const std::string& name = options.python.empty() ? std::string(PYPREFIX_PYTHON_EXECUTABLE) : options.python;
  return detail::read_child_entries(detail::find_executable(name), options);
}

}  // namespace

Report report(const Options& options) {
  detail::RawEntries raw = read_entries(options);
  Report result{detail::normalise_entries(raw.entries, detail::current_directory()), std::move(raw.diagnostics),
                std::move(raw.interpreter)};
  if (options.resolve_symlinks) detail::add_resolved_aliases(result.prefixes);
  return result;
}

std::vector<std::string> prefixes(const Options& options) {
  std::vector<std::string> paths;
  for (Prefix& prefix : report(options).prefixes) paths.push_back(std::move(prefix.path));
  return paths;
}

Interpreter interpreter(const Options& options) { return read_entries(options).interpreter; }

}  // namespace pyprefix
