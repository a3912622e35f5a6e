// A running process pyprefix did not start -> how to run its Python as it would start: the
// executable it runs, its argv[0], flags, environment, working directory, and every part of its
// confinement (namespaces, cgroups, root, user), read from /proc/PID.
#ifndef PYPREFIX_LIB_ASK_PROCESS_TARGET_PROCESS_HPP
#define PYPREFIX_LIB_ASK_PROCESS_TARGET_PROCESS_HPP

#include <string>
#include <vector>

#include "ask/child/child_process.hpp"
#include "ask/child/python_command_line.hpp"
#include "ask/process/process_anchor.hpp"
#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

struct TargetProcess {
  int pid = 0;
  std::string name;                 // the Python, for messages: its executable's path, or the name given
  std::string started_as;           // argv[0] for the child: the process's own, or the name given
  FileDescriptor executable;        // /proc/PID/exe, run as it is (a venv's argv[0] kept); or none, and:
  std::vector<std::string> search;  // the named Python's paths on the process's PATH, tried by the child
  std::vector<std::string> flags;   // of -I -E -s -S -P, those it was started with
  FirstEntry first_entry;
  std::vector<std::string> environment;  // its environment at start-up, NAME=value
  std::string root_on_host;              // "/proc/PID/root" when it sees another root than ours, else ""
  FileDescriptor root, working_directory;
  std::vector<FileDescriptor> namespaces;  // those that are not ours, with their types:
  std::vector<int> namespace_types;
  std::vector<FileDescriptor> cgroups;  // cgroup.procs of those of its cgroups that are not ours
  std::optional<Identity> identity;     // the user to run as (always, when pyprefix is root)
  bool drop_capabilities = false;       // pyprefix is root: the child keeps no capability
  int last_capability = 63;

  // The confinement for ChildRequest::confinement; its descriptors stay this object's.
  Confinement confinement() const;
};

// Throws pyprefix::error (one line, with what to do) when pyprefix runs as root without
// CAP_SYS_ADMIN, which a child or helper needs to take on process `name`'s confinement.
void check_root_can_confine(const std::string& name);

// Reads the process through its anchor's /proc folder. `python`, when not empty, replaces the process's own executable
// (for a program that embeds Python): a path or a name on the process's PATH, as it sees them, found by the child.
// Throws pyprefix::error with one line: no such process, one that has exited, not a Python, no right to read it or to
// take on its user or confinement (a seccomp filter or a security profile pyprefix cannot apply is refused, with what
// to do instead).
TargetProcess inspect_process(const ProcessAnchor& process, const std::string& python);

// The same reading for --attach, which runs no program of the process's, only pyprefix's own
// helper as its user: its confinement, environment, root and working directory; no command line
// or executable (a program that embeds Python is attached to as it is), and neither a seccomp
// filter nor a security profile refused. `name` is "process PID".
TargetProcess inspect_process_to_attach(const ProcessAnchor& process);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_PROCESS_TARGET_PROCESS_HPP
