#include "spawn/executable.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <boost/filesystem/operations.hpp>

#include <pyprefix/error.hpp>

#include "normalise/posix_path.hpp"

namespace pyprefix::detail {
namespace {

namespace fs = boost::filesystem;

// The path this process opens to reach `path` of a process seen through `view`.
std::string on_host(const std::string& path, const ProcessView& view) { return view.root_on_host + path; }

// `path` of that process made absolute as it would make it (a name with no view stays as it is).
std::string in_view(const std::string& path, const ProcessView& view) {
  if (view.working_directory.empty() || (!path.empty() && path.front() == '/')) return path;
  return abspath(path, view.working_directory);
}

// Why `name` (holding a "/") cannot be run, or nothing.
void check_runnable(const std::string& name, const ProcessView& view) {
  const std::string path = on_host(in_view(name, view), view);
  boost::system::error_code failure;
  const fs::file_status status = fs::status(path, failure);
  if (!fs::exists(status)) throw error("Python executable '" + name + "' does not exist");
  if (fs::is_directory(status)) throw error("Python executable '" + name + "' is a directory");
  if (!fs::is_regular_file(status)) throw error("Python executable '" + name + "' is not a regular file");
  if (access(path.c_str(), X_OK) != 0) throw error("Python executable '" + name + "' is not executable");
}

}  // namespace

std::string find_executable(const std::string& name) {
  const char* search_path = std::getenv("PATH");
  return find_executable(name, search_path != nullptr ? search_path : "/usr/local/bin:/usr/bin:/bin", {});
}

std::string find_executable(const std::string& name, std::string_view search_path, const ProcessView& view) {
  if (name.empty()) throw error("the Python executable's name is empty");
  if (name.find('/') != std::string::npos) {
    check_runnable(name, view);
    return in_view(name, view);
  }
  for (size_t start = 0; start <= search_path.size();) {
    size_t end = search_path.find(':', start);
    if (end == std::string_view::npos) end = search_path.size();
    const std::string directory(search_path.substr(start, end - start));
    const std::string candidate = in_view((directory.empty() ? std::string(".") : directory) + "/" + name, view);
    boost::system::error_code failure;
    const std::string path = on_host(candidate, view);
    if (fs::is_regular_file(path, failure) && access(path.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw error("Python executable '" + name + "' was not found on PATH");
}

}  // namespace pyprefix::detail
