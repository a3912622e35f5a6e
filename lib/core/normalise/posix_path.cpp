#include "core/normalise/posix_path.hpp"

#include <vector>

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <pyprefix/error.hpp>
#include <pyprefix/prefix.hpp>

namespace pyprefix {
namespace detail {
namespace {

// posixpath.normpath for an absolute path: "." parts vanish, ".." pops a part and stops at the
// root, exactly two leading slashes are kept (POSIX leaves "//" implementation-defined) while
// three or more collapse to one, and trailing slashes go.
std::string normalise_absolute(std::string_view path) {
  size_t leading_slashes = 0;
  while (leading_slashes < path.size() && path[leading_slashes] == '/') ++leading_slashes;
  const size_t root = leading_slashes == 2 ? 2 : 1;
  // Built in place, one allocation: this runs for every entry of every list.
  std::string result(root, '/');
  result.reserve(path.size() + 1);
  for (size_t start = leading_slashes; start < path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      const size_t slash = result.rfind('/');
      result.resize(slash < root ? root : slash);
    } else if (!part.empty() && part != ".") {
      if (result.size() > root) result += '/';
      result += part;
    }
    start = end + 1;
  }
  return result;
}

}  // namespace

std::string abspath(std::string_view path, std::string_view cwd) {
  if (!path.empty() && path.front() == '/') return normalise_absolute(path);
  std::string joined(cwd);
  if (joined.empty() || joined.back() != '/') joined += '/';
  joined += path;
  return normalise_absolute(joined);
}

std::string current_directory() {
  // getcwd rather than Boost's current_path: the core library depends on nothing but the standard library.
  std::string cwd(256, '\0');
  while (getcwd(cwd.data(), cwd.size()) == nullptr) {
    if (errno != ERANGE) throw error(std::string("cannot read the working directory: ") + std::strerror(errno));
    cwd.resize(cwd.size() * 2);
  }
  cwd.resize(std::strlen(cwd.c_str()));
  return cwd;
}

}  // namespace detail

std::string abspath(std::string_view path) { return detail::abspath(path, detail::current_directory()); }

}  // namespace pyprefix
