// Interpreter state -> raw entries -> normalised prefixes, whichever reader answers.
#include "ask/entry/asking.hpp"

#include <algorithm>
#include <utility>

#include <pyprefix/code_index.hpp>

#include <pyprefix/error.hpp>

#include "ask/attach/attach_reader.hpp"
#include "ask/child/child_reader.hpp"
#include "ask/child/executable.hpp"
#include "ask/process/process_reader.hpp"
#include "core/normalise/posix_path.hpp"
#include "core/normalise/prefix_list.hpp"
#include "core/options_check.hpp"

namespace pyprefix::detail {
namespace {

// Facts about the interpreter cost a live call a tenth of its time; prefixes() returns none.
enum class Facts { wanted, not_needed };

RawEntries read_entries(const Options& options, Facts facts, InProcessReader in_process) {
  check(options);
  if (options.pid != 0 && options.attach) return read_attached_entries(options);
  if (!options.program.empty()) return read_program_entries(options);
  if (options.pid != 0)
    return read_process_entries(inspect_process(ProcessAnchor(options.pid), options.python), options);
  if (options.python.empty() && !options.isolated) return in_process(options, facts == Facts::wanted);
  // Another interpreter, or one that must run no code from its environment: a child process.
  // Isolated without a name asks the built-against executable, never the host program, which
  // may be an application embedding Python rather than a Python.
  const std::string& name = options.python.empty() ? std::string(PYPREFIX_PYTHON_EXECUTABLE) : options.python;
  return read_child_entries(find_executable(name), options);
}

Report report_with(const Options& options, Facts facts, InProcessReader in_process) {
  RawEntries raw = read_entries(options, facts, in_process);
  // The working directory is a system call; only relative entries ("" from -c, PYTHONPATH) need it.
  const bool has_relative_entry = std::any_of(raw.entries.begin(), raw.entries.end(), [](const RawEntry& entry) {
    return entry.path.empty() || entry.path.front() != '/';
  });
  // The reader's own when it ran elsewhere (in another process's working directory).
  const std::string cwd = !raw.working_directory.empty() ? raw.working_directory
                          : has_relative_entry           ? current_directory()
                                                         : std::string();
  Report result{normalise_entries(raw.entries, cwd), std::move(raw.diagnostics), std::move(raw.interpreter), {}};
  if (facts == Facts::wanted) result.sys_path = search_order(raw.entries, cwd);
  if (options.resolve_symlinks) {
    if (!raw.root_on_host.empty())
      throw error("cannot resolve symlinks in the file system of process " + std::to_string(options.pid) +
                  ", which is not this one's: ask without resolve_symlinks");
    add_resolved_aliases(result.prefixes);
  }
  if (options.host_paths && !raw.root_on_host.empty()) {
    for (Prefix& prefix : result.prefixes) prefix.path.insert(0, raw.root_on_host);
    for (std::string& entry : result.sys_path) entry.insert(0, raw.root_on_host);
  }
  return result;
}

}  // namespace

Report ask_report(const Options& options, InProcessReader in_process) {
  return report_with(options, Facts::wanted, in_process);
}

std::vector<std::string> ask_prefixes(const Options& options, InProcessReader in_process) {
  std::vector<std::string> paths;
  for (Prefix& prefix : report_with(options, Facts::not_needed, in_process).prefixes)
    paths.push_back(std::move(prefix.path));
  return paths;
}

Interpreter ask_interpreter(const Options& options, InProcessReader in_process) {
  return read_entries(options, Facts::wanted, in_process).interpreter;
}

// For a running process the metadata is always read below /proc/PID/root (in its own root as
// well), which confines every read to that root and to the process's rights
// (lib/core/confine/confined_files.hpp); the paths are then given back as the process sees them.
Manifest ask_manifest(const Options& asked, std::vector<std::string>* diagnostics, InProcessReader in_process) {
  Options options = asked;
  if (options.pid != 0) options.host_paths = true;
  Report report = report_with(options, Facts::wanted, in_process);
  if (diagnostics != nullptr)
    diagnostics->insert(diagnostics->end(), report.diagnostics.begin(), report.diagnostics.end());
  const std::string root = "/proc/" + std::to_string(asked.pid) + "/root";
  auto is_below_root = [&root](const std::string& path) {
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
  };
  // A process in this root: its paths, put below its /proc root for reading.
  const bool same_root = asked.pid != 0 && std::none_of(report.prefixes.begin(), report.prefixes.end(),
                                                        [&](const Prefix& p) { return is_below_root(p.path); });
  if (same_root) {
    for (Prefix& prefix : report.prefixes) prefix.path.insert(0, root);
    for (std::string& entry : report.sys_path) entry.insert(0, root);
  }
  const CodeIndex index(report);
  if (diagnostics != nullptr)
    diagnostics->insert(diagnostics->end(), index.diagnostics().begin(), index.diagnostics().end());
  Manifest result{std::move(report.interpreter), PathFlavour::posix, std::move(report.sys_path),
                  std::move(report.prefixes), index.distributions()};
  if (asked.pid == 0 || (asked.host_paths && !same_root)) return result;
  auto as_seen = [&](std::string& path) {
    if (is_below_root(path)) path.erase(0, root.size());
  };
  for (Prefix& prefix : result.prefixes) as_seen(prefix.path);
  for (std::string& entry : result.sys_path) as_seen(entry);
  for (Distribution& distribution : result.distributions) {
    as_seen(distribution.metadata);
    for (std::string& root_path : distribution.roots) as_seen(root_path);
  }
  return result;
}

}  // namespace pyprefix::detail
