#include "core/confine/trusted_path.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace pyprefix::detail {
namespace {

// The rule for one step of a path: its owner, and who else may write to it.
std::string why_step_untrusted(const std::string& path, uid_t owner) {
  struct stat status {};
  if (lstat(path.c_str(), &status) != 0) return path + ": " + std::strerror(errno);
  if (status.st_uid != owner && status.st_uid != 0) return path + " belongs to user " + std::to_string(status.st_uid);
  if (S_ISLNK(status.st_mode)) return {};  // a link's own mode means nothing; its folder and target are checked
  const bool sticky_folder = S_ISDIR(status.st_mode) && (status.st_mode & S_ISVTX) != 0;
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky_folder)
    return path + " may be changed by other users (mode " + std::to_string((status.st_mode >> 6) & 7) +
           std::to_string((status.st_mode >> 3) & 7) + std::to_string(status.st_mode & 7) + ")";
  return {};
}

// Every step of an absolute path as written: "/", "/a", "/a/b".
std::string why_chain_untrusted(const std::string& path, uid_t owner) {
  std::string why = why_step_untrusted("/", owner);
  for (size_t slash = path.find('/', 1); why.empty(); slash = path.find('/', slash + 1)) {
    const std::string step = path.substr(0, slash);
    if (!step.empty() && step.back() != '/') why = why_step_untrusted(step, owner);
    if (slash == std::string::npos) break;
  }
  return why;
}

}  // namespace

std::string why_untrusted(const std::string& path, uid_t owner) {
  if (path.empty() || path.front() != '/') return "'" + path + "' is not an absolute path";
  if (std::string why = why_chain_untrusted(path, owner); !why.empty()) return why;
  char real[PATH_MAX];
  if (realpath(path.c_str(), real) == nullptr) return path + ": " + std::strerror(errno);
  return why_chain_untrusted(real, owner);
}

}  // namespace pyprefix::detail
