#include "ask/child/executable.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <boost/filesystem/operations.hpp>

#include <pyprefix/error.hpp>

#include "ask/child/python_command_line.hpp"

namespace pyprefix::detail {
namespace {

namespace fs = boost::filesystem;

// Why `name` (holding a "/") cannot be run, or nothing.
void check_runnable(const std::string& path) {
  boost::system::error_code failure;
  const fs::file_status status = fs::status(path, failure);
  if (!fs::exists(status)) throw error("Python executable '" + path + "' does not exist");
  if (fs::is_directory(status)) throw error("Python executable '" + path + "' is a directory");
  if (!fs::is_regular_file(status)) throw error("Python executable '" + path + "' is not a regular file");
  if (access(path.c_str(), X_OK) != 0) throw error("Python executable '" + path + "' is not executable");
}

}  // namespace

std::string find_executable(const std::string& name) {
  const char* variable = std::getenv("PATH");
  const std::string_view search_path = variable != nullptr ? variable : "/usr/local/bin:/usr/bin:/bin";
  if (name.empty()) throw error("the Python executable's name is empty");
  if (name.find('/') != std::string::npos) {
    check_runnable(name);
    return name;
  }
  for (const std::string& candidate : search_candidates(name, search_path)) {
    boost::system::error_code failure;
    if (fs::is_regular_file(candidate, failure) && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw error("Python executable '" + name + "' was not found on PATH");
}

}  // namespace pyprefix::detail
