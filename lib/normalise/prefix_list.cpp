#include "normalise/prefix_list.hpp"

#include <algorithm>
#include <unordered_map>

#include <climits>
#include <cstdlib>

#include "normalise/fs_encoding.hpp"
#include "normalise/posix_path.hpp"

namespace pyprefix::detail {

std::vector<Prefix> normalise_entries(const std::vector<RawEntry>& entries, std::string_view cwd) {
  std::vector<Prefix> prefixes;
  std::unordered_map<std::string, size_t> index_of_path;
  for (const RawEntry& entry : entries) {
    std::string path = abspath(entry.path, cwd);
    auto [found, is_new] = index_of_path.try_emplace(path, prefixes.size());
    if (is_new) prefixes.push_back({std::move(path), {}, {}});
    std::vector<Source>& sources = prefixes[found->second].sources;
    if (std::find(sources.begin(), sources.end(), entry.source) == sources.end()) sources.push_back(entry.source);
  }

  // Python sorts the decoded strings by code point; undecodable bytes decode to U+DC80..U+DCFF,
  // which sort differently from the bytes themselves, so compare decoded forms.
  std::vector<std::pair<std::u32string, size_t>> keys;
  keys.reserve(prefixes.size());
  for (size_t i = 0; i < prefixes.size(); ++i) keys.emplace_back(decode_file_name(prefixes[i].path), i);
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  std::vector<Prefix> sorted;
  sorted.reserve(prefixes.size());
  for (const auto& key : keys) {
    Prefix& prefix = prefixes[key.second];
    if (prefix.path.back() != '/') prefix.path += '/';
    sorted.push_back(std::move(prefix));
  }
  return sorted;
}

void add_resolved_aliases(std::vector<Prefix>& prefixes) {
  for (Prefix& prefix : prefixes) {
    char real_path[PATH_MAX];
    if (realpath(prefix.path.c_str(), real_path) == nullptr) continue;  // missing or unreadable: nothing to alias
    std::string real = real_path;
    if (real.back() != '/') real += '/';
    if (real != prefix.path) prefix.resolved = std::move(real);
  }
}

}  // namespace pyprefix::detail
