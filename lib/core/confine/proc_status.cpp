#include "core/confine/proc_status.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {
namespace {

std::vector<unsigned long> numbers(const std::string& text) {
  std::vector<unsigned long> result;
  const char* cursor = text.c_str();
  for (;;) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(cursor, &end, 10);
    if (end == cursor) return result;
    result.push_back(value);
    cursor = end;
  }
}

}  // namespace

std::string status_field(std::string_view status, std::string_view name) {
  for (size_t start = 0; start < status.size();) {
    size_t end = status.find('\n', start);
    if (end == std::string_view::npos) end = status.size();
    const std::string_view line = status.substr(start, end - start);
    if (line.size() > name.size() && line.substr(0, name.size()) == name && line[name.size()] == ':') {
      const size_t value = line.find_first_not_of(" \t", name.size() + 1);
      return value == std::string_view::npos ? std::string() : std::string(line.substr(value));
    }
    start = end + 1;
  }
  return {};
}

bool is_ended(std::string_view status) { return status_field(status, "State").rfind('Z', 0) == 0; }

std::string read_process_status(int pid, int& failed) {
  return read_small_file(AT_FDCWD, ("/proc/" + std::to_string(pid) + "/status").c_str(), failed);
}

bool is_stopped(std::string_view status) {
  const std::string state = status_field(status, "State");
  return state.rfind('T', 0) == 0 || state.rfind('t', 0) == 0;
}

bool has_one_identity(std::string_view status) {
  for (const char* field : {"Uid", "Gid"}) {
    const std::vector<unsigned long> ids = numbers(status_field(status, field));
    if (ids.empty()) return false;
    for (const unsigned long id : ids)
      if (id != ids.front()) return false;
  }
  return true;
}

void require_one_identity(std::string_view status, const std::string& name) {
  if (!has_one_identity(status))
    throw error(name + " runs with more than one user or group id (a set-user-ID or set-group-ID program)");
}

bool has_capability(int capability) {
  int failed = 0;
  const std::string effective = status_field(read_small_file(AT_FDCWD, "/proc/self/status", failed), "CapEff");
  return !effective.empty() && (std::strtoull(effective.c_str(), nullptr, 16) >> capability & 1) != 0;
}

Identity identity_of(std::string_view status) {
  const std::vector<unsigned long> uids = numbers(status_field(status, "Uid"));
  const std::vector<unsigned long> gids = numbers(status_field(status, "Gid"));
  if (uids.size() < 2 || gids.size() < 2) throw error("cannot read the user of a process from its /proc status");
  Identity identity;
  identity.uid = static_cast<uid_t>(uids[1] == 0 && uids[0] != 0 ? uids[0] : uids[1]);
  identity.gid = static_cast<gid_t>(gids[1] == 0 && gids[0] != 0 ? gids[0] : gids[1]);
  for (unsigned long group : numbers(status_field(status, "Groups")))
    identity.groups.push_back(static_cast<gid_t>(group));
  return identity;
}

std::string read_small_file(int folder, const char* name, int& failed, size_t limit) {
  failed = 0;
  const int fd = openat(folder, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    failed = errno;
    return {};
  }
  std::string text;
  char buffer[65536];
  while (text.size() < limit) {
    const ssize_t size = read(fd, buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0) failed = errno;
    if (size <= 0) break;
    text.append(buffer, static_cast<size_t>(size));
  }
  close(fd);
  if (text.size() > limit) text.resize(limit);
  return failed != 0 ? std::string() : text;
}

}  // namespace pyprefix::detail
