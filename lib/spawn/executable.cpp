#include "spawn/executable.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <boost/filesystem/operations.hpp>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {
namespace {

namespace fs = boost::filesystem;

bool is_executable_file(const fs::path& candidate) {
  boost::system::error_code failure;
  return fs::is_regular_file(candidate, failure) && access(candidate.c_str(), X_OK) == 0;
}

// Why `path` cannot be run, for a name given with a "/".
void check_runnable(const std::string& name) {
  boost::system::error_code failure;
  const fs::file_status status = fs::status(name, failure);
  if (!fs::exists(status)) throw error("Python executable '" + name + "' does not exist");
  if (fs::is_directory(status)) throw error("Python executable '" + name + "' is a directory");
  if (!fs::is_regular_file(status)) throw error("Python executable '" + name + "' is not a regular file");
  if (access(name.c_str(), X_OK) != 0) throw error("Python executable '" + name + "' is not executable");
}

}  // namespace

std::string find_executable(const std::string& name) {
  if (name.empty()) throw error("the Python executable's name is empty");
  if (name.find('/') != std::string::npos) {
    check_runnable(name);
    return name;
  }
  const char* search_path = std::getenv("PATH");
  const std::string_view directories = search_path != nullptr ? search_path : "/usr/local/bin:/usr/bin:/bin";
  for (size_t start = 0; start <= directories.size();) {
    size_t end = directories.find(':', start);
    if (end == std::string_view::npos) end = directories.size();
    const std::string directory(directories.substr(start, end - start));
    const fs::path candidate = (directory.empty() ? fs::path(".") : fs::path(directory)) / name;
    if (is_executable_file(candidate)) return candidate.native();
    start = end + 1;
  }
  throw error("Python executable '" + name + "' was not found on PATH");
}

}  // namespace pyprefix::detail
