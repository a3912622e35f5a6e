// /proc/PID/status -> the fields pyprefix needs of another process: its state, its user, its
// capabilities and its seccomp mode. Shared by the child-process tier (to take on that
// process's confinement) and the core (to read its files with its rights).
#ifndef PYPREFIX_LIB_CORE_CONFINE_PROC_STATUS_HPP
#define PYPREFIX_LIB_CORE_CONFINE_PROC_STATUS_HPP

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace pyprefix::detail {

// Who a child runs as, or whose rights files are read with: another process's user, never with
// more rights than it has.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups
};

// The value of a "Name:\tvalue" line of a /proc/PID/status text; "" when there is none.
std::string status_field(std::string_view status, std::string_view name);

// Whether the status is a zombie's: the process has ended and waits for its parent.
bool is_ended(std::string_view status);

// Whether the status is a stopped process's (by a signal, or by a debugger): it runs no code
// until it is continued.
bool is_stopped(std::string_view status);

// The user a process's files are opened as and its child runs as: its effective user and group,
// or its real ones when only those are not root (a set-user-ID program), so never more rights
// than it has. Throws pyprefix::error when the status holds no user.
Identity identity_of(std::string_view status);

// Capabilities by their numbers in <linux/capability.h>.
constexpr int capability_sys_ptrace = 19;
constexpr int capability_sys_admin = 21;

// Whether this process has `capability` in its effective set (CapEff of /proc/self/status).
bool has_capability(int capability);

// Whether a status has one user and one group: its real, effective, saved and file-system ids
// the same (not a set-user-ID or set-group-ID program's).
bool has_one_identity(std::string_view status);

// Throws pyprefix::error (one line naming `name`, "process 42") unless has_one_identity(status):
// a set-user-ID or set-group-ID program's extra id is the program's, never lent to what
// pyprefix does as its user.
void require_one_identity(std::string_view status, const std::string& name);

// The text of /proc/`pid`/status, or "" with `failed` set to errno.
std::string read_process_status(int pid, int& failed);

// The whole text of a small file of /proc (at most `limit` bytes, then it is cut), or "" with
// `failed` set to errno; `folder` is an open directory or AT_FDCWD.
std::string read_small_file(int folder, const char* name, int& failed, size_t limit = 1u << 20);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_CONFINE_PROC_STATUS_HPP
