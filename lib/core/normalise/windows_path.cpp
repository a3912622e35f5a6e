#include "core/normalise/windows_path.hpp"

#include <algorithm>
#include <vector>

namespace pyprefix::detail {

std::optional<std::string> windows_prefix(std::string_view path) {
  std::string text(path);
  std::replace(text.begin(), text.end(), '/', '\\');
  std::string anchor;  // the drive and the root: "C:\" or "\\server\share\"
  size_t rest = 0;
  if (text.size() >= 4 && text.compare(0, 2, "\\\\") == 0 && (text[2] == '?' || text[2] == '.') && text[3] == '\\') {
    if (text.size() == 4) return std::nullopt;
    return path.back() == '\\' ? std::string(path) : std::string(path) + "\\";  // a device path: as it is
  }
  if (text.size() >= 3 && ((text[0] | 0x20) >= 'a' && (text[0] | 0x20) <= 'z') && text[1] == ':' && text[2] == '\\') {
    anchor = text.substr(0, 3);
    rest = 3;
  } else if (text.size() > 2 && text.compare(0, 2, "\\\\") == 0 && text[2] != '\\') {
    const size_t server_end = text.find('\\', 2);
    if (server_end == std::string::npos) return std::nullopt;
    const size_t share_end = std::min(text.find('\\', server_end + 1), text.size());
    if (share_end == server_end + 1) return std::nullopt;  // no share
    anchor = text.substr(0, share_end) + "\\";
    rest = share_end;
  } else {
    return std::nullopt;
  }
  // The parts below the anchor: empty ones and "." dropped, ".." taking back a part (none above the root).
  std::vector<std::string_view> parts;
  const std::string_view below = std::string_view(text).substr(rest);
  for (size_t start = 0; start <= below.size();) {
    size_t end = below.find('\\', start);
    if (end == std::string_view::npos) end = below.size();
    const std::string_view part = below.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  for (std::string_view part : parts) {
    anchor += part;
    anchor += '\\';
  }
  return anchor;
}

void fold_windows_path(const char* from, size_t size, char* to) noexcept {
  for (size_t i = 0; i < size; ++i) {
    const char c = from[i];
    to[i] = c == '\\' ? '/' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

std::string folded_windows_path(std::string_view path) {
  std::string folded(path);
  fold_windows_path(folded.data(), folded.size(), folded.data());
  return folded;
}

}  // namespace pyprefix::detail
