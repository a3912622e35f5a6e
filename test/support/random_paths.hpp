// Generated path-like inputs for the property tests, reproducible from a seed.
#ifndef PYPREFIX_TEST_SUPPORT_RANDOM_PATHS_HPP
#define PYPREFIX_TEST_SUPPORT_RANDOM_PATHS_HPP

#include <random>
#include <string>
#include <vector>

namespace pyprefix::test {

// `count` strings of up to `max_parts` pieces drawn from those that matter to path rules:
// separators single and doubled, ".", "..", names, non-ASCII and undecodable bytes.
inline std::vector<std::string> random_paths(size_t count, unsigned seed, size_t max_parts = 8) {
  static const std::vector<std::string> pieces = {
      "a",        "b", "ab", ".", "..", "...", "/", "//", "\xff", "\xc3\xa9", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
      "\xe2\x82", "~", " "};
  std::mt19937 generator(seed);
  std::uniform_int_distribution<size_t> part_count(0, max_parts);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::vector<std::string> paths(count);
  for (std::string& path : paths)
    for (size_t n = part_count(generator); n > 0; --n) path += pieces[piece(generator)];
  return paths;
}

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_RANDOM_PATHS_HPP
