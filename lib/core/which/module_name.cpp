#include "core/which/module_name.hpp"

namespace pyprefix::detail {
namespace {

bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// str.isidentifier() for ASCII; any non-ASCII UTF-8 byte is taken as a letter (Python allows
// letters of every script, and file names that are not valid UTF-8 are not importable anyway).
bool is_identifier(std::string_view part) {
  if (part.empty()) return false;
  for (size_t i = 0; i < part.size(); ++i) {
    const auto c = static_cast<unsigned char>(part[i]);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// The module's own name from its file name, or "" when the file is not a module.
std::string_view stem_of(std::string_view file, bool in_pycache, const ImportSuffixes& suffixes) {
  if (in_pycache) {  // NAME.TAG.pyc or NAME.TAG.opt-N.pyc
    const size_t dot = file.find('.');
    if (dot == std::string_view::npos || suffixes.cache_tag.empty()) return {};
    const std::string_view rest = file.substr(dot + 1);
    const std::string& tag = suffixes.cache_tag;
    if (rest == tag + ".pyc" || rest == tag + ".opt-1.pyc" || rest == tag + ".opt-2.pyc") return file.substr(0, dot);
    return {};
  }
  for (const std::string& suffix : suffixes.extension)
    if (ends_with(file, suffix) && file.size() > suffix.size()) return file.substr(0, file.size() - suffix.size());
  for (std::string_view suffix : {".py", ".pyc"})
    if (ends_with(file, suffix) && file.size() > suffix.size()) return file.substr(0, file.size() - suffix.size());
  return {};
}

}  // namespace

std::string module_name(std::string_view relative, const ImportSuffixes& suffixes, std::string_view top_level) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= relative.size();) {
    size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    parts.push_back(relative.substr(start, end - start));
    start = end + 1;
  }
  const bool in_pycache = parts.size() >= 2 && parts[parts.size() - 2] == "__pycache__";
  const std::string_view stem = stem_of(parts.back(), in_pycache, suffixes);
  if (stem.empty()) return {};
  parts.pop_back();
  if (in_pycache) parts.pop_back();
  if (stem != "__init__") parts.push_back(stem);
  if (parts.empty()) return {};  // an __init__ directly in an import root belongs to no package
  if (!top_level.empty()) parts.front() = top_level;
  std::string name;
  for (std::string_view part : parts) {
    if (!is_identifier(part)) return {};
    if (!name.empty()) name += '.';
    name += part;
  }
  return name;
}

}  // namespace pyprefix::detail
