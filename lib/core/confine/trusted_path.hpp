// Whether a path can only have been made what it is by a given user (or root): the rule for what
// pyprefix runs or loads (a cached reader, an interpreter) when it may be more privileged than
// whoever else can write on the machine. It is OpenSSH's rule for its configuration files.
#ifndef PYPREFIX_LIB_CORE_CONFINE_TRUSTED_PATH_HPP
#define PYPREFIX_LIB_CORE_CONFINE_TRUSTED_PATH_HPP

#include <sys/types.h>

#include <string>

namespace pyprefix::detail {

// "" when every folder from / down to `path`, and `path` itself, belongs to `owner` or root and
// no one else may write to it (a sticky folder such as /tmp may be writable by all: nobody can
// rename another's entry out of it), along the path as written and along its real path (every
// symlink followed); else why not, in a few words naming the culprit ("/home/ann belongs to
// user 1000"). A path that does not exist says so.
std::string why_untrusted(const std::string& path, uid_t owner);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_CONFINE_TRUSTED_PATH_HPP
