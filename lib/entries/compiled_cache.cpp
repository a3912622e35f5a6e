#include "entries/compiled_cache.hpp"

#include <cstdlib>

namespace pyprefix::detail {

std::string compiled_cache_folder() {
  std::string folder;
  if (const char* chosen = std::getenv("PYPREFIX_CACHE_DIR"))
    folder = chosen;
  else if (const char* cache_home = std::getenv("XDG_CACHE_HOME"); cache_home != nullptr && *cache_home == '/')
    folder = std::string(cache_home) + "/pyprefix";
  else if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    folder = std::string(home) + "/.cache/pyprefix";
  return !folder.empty() && folder.front() == '/' ? folder : std::string();
}

}  // namespace pyprefix::detail
