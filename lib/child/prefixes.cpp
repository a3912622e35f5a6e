// The public entry points: interpreter state -> raw entries -> normalised prefixes.
#include <pyprefix/prefixes.hpp>

#include <algorithm>

#include <pyprefix/error.hpp>

#include "child/child_reader.hpp"
#include "child/executable.hpp"
#include "child/running_interpreter.hpp"
#include "core/normalise/posix_path.hpp"
#include "core/normalise/prefix_list.hpp"
#include "core/options_check.hpp"

namespace pyprefix {
namespace {

// Facts about the interpreter cost a live call a tenth of its time; prefixes() returns none.
enum class Facts { wanted, not_needed };

detail::RawEntries read_entries(const Options& options, Facts facts) {
  check(options);
  if (options.pid != 0)
    return detail::read_process_entries(detail::inspect_process(options.pid, options.python), options);
  if (options.python.empty() && !options.isolated)
    return detail::read_running_interpreter(options, facts == Facts::wanted);
  // Another interpreter, or one that must run no code from its environment: a child process.
  // Isolated without a name asks the built-against executable, never the host program, which
  // may be an application embedding Python rather than a Python.
  const std::string& name = options.python.empty() ? std::string(PYPREFIX_PYTHON_EXECUTABLE) : options.python;
  return detail::read_child_entries(detail::find_executable(name), options);
}

Report report_with(const Options& options, Facts facts) {
  detail::RawEntries raw = read_entries(options, facts);
  // The working directory is a system call; only relative entries ("" from -c, PYTHONPATH) need it.
  const bool has_relative_entry =
      std::any_of(raw.entries.begin(), raw.entries.end(),
                  [](const detail::RawEntry& entry) { return entry.path.empty() || entry.path.front() != '/'; });
  // The reader's own when it ran elsewhere (in another process's working directory).
  const std::string cwd = !raw.working_directory.empty() ? raw.working_directory
                          : has_relative_entry           ? detail::current_directory()
                                                         : std::string();
  Report result{
      detail::normalise_entries(raw.entries, cwd), std::move(raw.diagnostics), std::move(raw.interpreter), {}};
  if (facts == Facts::wanted) result.sys_path = detail::search_order(raw.entries, cwd);
  if (options.resolve_symlinks) {
    if (!raw.root_on_host.empty())
      throw error("cannot resolve symlinks in the file system of process " + std::to_string(options.pid) +
                  ", which is not this one's: ask without resolve_symlinks");
    detail::add_resolved_aliases(result.prefixes);
  }
  if (options.host_paths && !raw.root_on_host.empty()) {
    for (Prefix& prefix : result.prefixes) prefix.path.insert(0, raw.root_on_host);
    for (std::string& entry : result.sys_path) entry.insert(0, raw.root_on_host);
  }
  return result;
}

}  // namespace

Report report(const Options& options) { return report_with(options, Facts::wanted); }

std::vector<std::string> prefixes(const Options& options) {
  std::vector<std::string> paths;
  for (Prefix& prefix : report_with(options, Facts::not_needed).prefixes) paths.push_back(std::move(prefix.path));
  return paths;
}

Interpreter interpreter(const Options& options) { return read_entries(options, Facts::wanted).interpreter; }

}  // namespace pyprefix
