// Fuzz target: pyprefix::Trimmer against a linear longest-match scan. The input is lines: the
// first byte says how many of them (0 to 31) are prefixes, the rest are paths.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/trimmer.hpp>

#include "support/linear_trim.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t prefix_count = data[0] % 32;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> prefixes;
  std::vector<std::string_view> paths;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (prefixes.size() < prefix_count)
      prefixes.emplace_back(text.substr(start, end - start));
    else
      paths.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  const pyprefix::Trimmer trimmer(prefixes);
  for (std::string_view path : paths) {
    const std::string_view expected = pyprefix::test::linear_trim(prefixes, path);
    if (trimmer.trim(path) != expected || trimmer.match(path).short_path != expected) __builtin_trap();
  }
  return 0;
}
