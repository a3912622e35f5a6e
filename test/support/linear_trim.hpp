// The specification of the Trimmer, written the obvious way: a linear scan for the longest
// matching prefix. The property test and the fuzz target compare the Trimmer against it.
#ifndef PYPREFIX_TEST_SUPPORT_LINEAR_TRIM_HPP
#define PYPREFIX_TEST_SUPPORT_LINEAR_TRIM_HPP

#include <string>
#include <string_view>
#include <vector>

namespace pyprefix::test {

// `path` without the longest prefix (with a "/" appended where missing) it starts with;
// pseudo-files ("<...>") never match.
inline std::string_view linear_trim(const std::vector<std::string>& prefixes, std::string_view path) {
  if (!path.empty() && path.front() == '<') return path;
  size_t best = 0;
  bool found = false;
  for (std::string prefix : prefixes) {
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    if (path.substr(0, prefix.size()) == prefix && (!found || prefix.size() > best)) {
      best = prefix.size();
      found = true;
    }
  }
  return path.substr(found ? best : 0);
}

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_LINEAR_TRIM_HPP
