// Interpreter state -> raw entries -> normalised prefixes, whichever reader answers.
#include "ask/entry/asking.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <pyprefix/code_index.hpp>

#include <pyprefix/error.hpp>

#include "ask/attach/attach_reader.hpp"
#include "ask/child/child_reader.hpp"
#include "ask/child/executable.hpp"
#include "ask/process/process_anchor.hpp"
#include "ask/process/process_reader.hpp"
#include "core/confine/confined_files.hpp"
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

// What was asked, as the interpreter sees its files, and where its root is on this host:
// "/proc/PID/root" for a running process in another root, else "".
struct Answer {
  Report report;
  std::string root_on_host;
};

Answer answer_with(const Options& options, Facts facts, InProcessReader in_process) {
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
  // Never for a running process (the options check): realpath() follows links with this
  // process's rights, which may be root's.
  if (options.resolve_symlinks) add_resolved_aliases(result.prefixes);
  return {std::move(result), std::move(raw.root_on_host)};
}

// The one way a process's paths go below its root as this host sees it ("/proc/PID/root"), and
// back: for host_paths, and for reading a manifest's metadata confined to that root.
void put_below(const std::string& root, Report& report) {
  for (Prefix& prefix : report.prefixes) prefix.path.insert(0, root);
  for (std::string& entry : report.sys_path) entry.insert(0, root);
}

void take_from_below(const std::string& root, Manifest& manifest) {
  auto as_seen = [&root](std::string& path) {
    if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/')
      path.erase(0, root.size());
  };
  for (Prefix& prefix : manifest.prefixes) as_seen(prefix.path);
  for (std::string& entry : manifest.sys_path) as_seen(entry);
  for (Distribution& distribution : manifest.distributions) {
    as_seen(distribution.metadata);
    for (std::string& root_path : distribution.roots) as_seen(root_path);
  }
}

Report report_with(const Options& options, Facts facts, InProcessReader in_process) {
  Answer answer = answer_with(options, facts, in_process);
  if (options.host_paths) put_below(answer.root_on_host, answer.report);
  return std::move(answer.report);
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
// (lib/core/confine/confined_files.hpp); the paths are then given back as the process sees them
// (or, with host_paths and another root, as this host does).
//
// The process is held from before its list is read until its metadata has been, and must still
// be running then; its root and its user are taken once, then, and every file is read through
// them (HeldRoot), so that what it does meanwhile (a set-group-ID exec, a chroot) lends the
// reads nothing.
Manifest ask_manifest(const Options& asked, std::vector<std::string>* diagnostics, InProcessReader in_process) {
  check(asked);
  std::optional<ProcessAnchor> process;
  std::optional<HeldRoot> held_root;
  if (asked.pid != 0) {
    process.emplace(asked.pid);
    held_root.emplace(asked.pid, process->folder());
  }
  Options options = asked;
  options.host_paths = false;
  Answer answer = answer_with(options, Facts::wanted, in_process);
  Report& report = answer.report;
  if (diagnostics != nullptr)
    diagnostics->insert(diagnostics->end(), report.diagnostics.begin(), report.diagnostics.end());
  const std::string root = asked.pid != 0 ? "/proc/" + std::to_string(asked.pid) + "/root" : std::string();
  put_below(root, report);
  const CodeIndex index(report);
  if (process && !process->alive()) throw error(process->name() + " ended while pyprefix read it");
  if (diagnostics != nullptr)
    diagnostics->insert(diagnostics->end(), index.diagnostics().begin(), index.diagnostics().end());
  Manifest result{std::move(report.interpreter), PathFlavour::posix, std::move(report.sys_path),
                  std::move(report.prefixes), index.distributions()};
  if (!root.empty() && !(asked.host_paths && !answer.root_on_host.empty())) take_from_below(root, result);
  return result;
}

}  // namespace pyprefix::detail
