#include "core/entries/compiled_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "core/confine/trusted_path.hpp"

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

FileDescriptor open_compiled_cache() {
  std::string folder = compiled_cache_folder();
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  if (folder.size() <= 1) return {};
  const uid_t user = geteuid();
  // Create only below a folder that is trusted already: never folders of this user's inside
  // another's tree.
  size_t existing = folder.size();
  struct stat status {};
  while (existing > 0 && lstat(folder.substr(0, existing).c_str(), &status) != 0)
    existing = folder.rfind('/', existing - 1);
  if (!why_untrusted(existing == 0 ? "/" : folder.substr(0, existing), user).empty()) return {};
  for (size_t slash = folder.find('/', existing + 1);; slash = folder.find('/', slash + 1)) {
    if (mkdir(folder.substr(0, slash).c_str(), 0700) != 0 && errno != EEXIST) return {};
    if (slash == std::string::npos) break;
  }
  if (!why_untrusted(folder, user).empty()) return {};
  FileDescriptor opened(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (opened.get() < 0 || fstat(opened.get(), &status) != 0 || status.st_uid != user ||
      (status.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return {};
  return opened;
}

std::optional<std::string> read_cached(int folder, const std::string& name) {
  FileDescriptor file(openat(folder, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat status {};
  if (file.get() < 0 || fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode) || status.st_uid != geteuid() ||
      status.st_nlink != 1 || (status.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
      static_cast<size_t>(status.st_size) > max_cached_file)
    return std::nullopt;
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t size = read(file.get(), buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0) return std::nullopt;
    if (size == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(size));
    if (bytes.size() > max_cached_file) return std::nullopt;
  }
}

void write_cached(int folder, const std::string& name, std::string_view bytes) {
  const std::string part = name + "." + std::to_string(getpid());
  FileDescriptor file(openat(folder, part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (file.get() < 0) return;
  bool written = true;
  for (size_t done = 0; written && done < bytes.size();) {
    const ssize_t size = write(file.get(), bytes.data() + done, bytes.size() - done);
    if (size < 0 && errno == EINTR) continue;
    written = size > 0;
    done += written ? static_cast<size_t>(size) : 0;
  }
  file.reset();
  if (!written || renameat(folder, part.c_str(), folder, name.c_str()) != 0) unlinkat(folder, part.c_str(), 0);
}

}  // namespace pyprefix::detail
