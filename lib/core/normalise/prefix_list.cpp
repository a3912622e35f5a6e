#include "core/normalise/prefix_list.hpp"

#include <algorithm>
#include <unordered_set>

#include <climits>
#include <cstdlib>

#include "core/normalise/fs_encoding.hpp"
#include "core/normalise/posix_path.hpp"

namespace pyprefix::detail {

std::vector<Prefix> normalise_entries(const std::vector<RawEntry>& entries, std::string_view cwd) {
  std::vector<std::string> paths;
  paths.reserve(entries.size());
  for (const RawEntry& entry : entries) paths.push_back(abspath(entry.path, cwd));

  // Python sorts the decoded strings by code point. Well-formed UTF-8 sorts the same as its
  // bytes; undecodable bytes decode to U+DC80..U+DCFF, which sort differently from the bytes
  // themselves, so then compare decoded forms. The sort is stable, so that equal paths stay in
  // the order they were seen and their sources merge in that order.
  std::vector<size_t> order(paths.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (std::all_of(paths.begin(), paths.end(), [](const std::string& path) { return is_well_formed_utf8(path); })) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return paths[a] > paths[b]; });
  } else {
    std::vector<std::u32string> keys;
    keys.reserve(paths.size());
    for (const std::string& path : paths) keys.push_back(decode_file_name(path));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] > keys[b]; });
  }

  std::vector<Prefix> prefixes;
  for (size_t index : order) {
    if (prefixes.empty() || prefixes.back().path != paths[index]) prefixes.push_back({std::move(paths[index]), {}, {}});
    std::vector<Source>& sources = prefixes.back().sources;
    const Source source = entries[index].source;
    if (std::find(sources.begin(), sources.end(), source) == sources.end()) sources.push_back(source);
  }
  // torch adds os.sep to every path; a path already ending in one ("/", "//") gets no second.
  for (Prefix& prefix : prefixes)
    if (prefix.path.back() != '/') prefix.path += '/';
  return prefixes;
}

std::vector<std::string> search_order(const std::vector<RawEntry>& entries, std::string_view cwd) {
  std::vector<std::string> order;
  std::unordered_set<std::string> seen;  // sys.path may hold 100,000 entries: no quadratic search
  for (const RawEntry& entry : entries) {
    if (entry.source != Source::sys_path) continue;
    std::string path = abspath(entry.path, cwd);
    if (path.back() != '/') path += '/';
    if (seen.insert(path).second) order.push_back(std::move(path));
  }
  return order;
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
