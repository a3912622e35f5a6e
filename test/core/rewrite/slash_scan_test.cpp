// The Rewriter's scan for a '/' that may start a path (lib/core/rewrite/slash_scan.cpp): every
// width this processor runs gives the byte-by-byte loop's answer, from every start, on random
// text made of the bytes that matter (slashes, path bytes, bytes a path starts after) and on
// the edges of the 16- and 32-byte blocks.
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "core/rewrite/slash_scan.hpp"

using pyprefix::detail::ByteSet;
using pyprefix::detail::SlashScan;

namespace {

ByteSet set_of(std::string_view members) {
  ByteSet set{};
  for (char c : members) set[static_cast<unsigned char>(c)] = true;
  return set;
}

// The widths to check: the byte loop's answer is the reference, so it is not among them.
std::vector<SlashScan> vector_widths() {
  std::vector<SlashScan> widths = {SlashScan::sse2};
  if (pyprefix::detail::widest_slash_scan() == SlashScan::avx2) widths.push_back(SlashScan::avx2);
  return widths;
}

// Each answer from every start, against the byte loop (which does not use `plain`).
void check_every_start(const std::string& text, const ByteSet& before, bool plain) {
  for (SlashScan width : vector_widths())
    for (size_t from = 0; from <= text.size(); ++from) {
      const size_t expected = pyprefix::detail::next_slash(text, from, before, plain, SlashScan::bytewise);
      const size_t found = pyprefix::detail::next_slash(text, from, before, plain, width);
      BOOST_TEST_REQUIRE(found == expected, "width " << static_cast<int>(width) << " from " << from << " of \"" << text
                                                     << "\" (plain " << plain << ")");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(slash_scan)

BOOST_AUTO_TEST_CASE(the_widest_scan_is_one_this_build_has) {
  const SlashScan widest = pyprefix::detail::widest_slash_scan();
#if defined(__SSE2__)
  BOOST_TEST((widest == SlashScan::sse2 || widest == SlashScan::avx2));
#else
  BOOST_TEST((widest == SlashScan::bytewise));
#endif
}

BOOST_AUTO_TEST_CASE(every_width_agrees_with_the_byte_loop_on_random_text) {
  // Every byte value, a third of them '/'; sets drawn at random: for `plain`, from the bytes
  // no path holds inside it (so that a range of the vector test one byte too wide or too narrow
  // shows), otherwise from all 256.
  const std::string path_bytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~/";
  std::mt19937 random(20261206);
  std::uniform_int_distribution<int> any_byte(0, 255), one_in(0, 2);
  auto random_set = [&](bool plain) {
    ByteSet set{};
    for (int c = 0; c < 256; ++c)
      set[static_cast<size_t>(c)] =
          one_in(random) != 0 && !(plain && path_bytes.find(static_cast<char>(c)) != std::string::npos);
    return set;
  };
  for (int round = 0; round < 400; ++round) {
    std::string text(std::uniform_int_distribution<size_t>(0, 100)(random), ' ');
    for (char& c : text) c = one_in(random) == 0 ? '/' : static_cast<char>(any_byte(random));
    check_every_start(text, random_set(true), true);
    check_every_start(text, random_set(false), false);
  }
}

BOOST_AUTO_TEST_CASE(every_byte_before_a_slash_in_every_lane) {
  // Each byte value before a '/' at each position of a 64-byte text, with the set of every byte
  // no path holds: the vector test must keep exactly those.
  const std::string path_bytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~/";
  ByteSet not_in_paths{};
  for (int c = 0; c < 256; ++c)
    not_in_paths[static_cast<size_t>(c)] = path_bytes.find(static_cast<char>(c)) == std::string::npos;
  for (int before = 0; before < 256; ++before)
    for (size_t at = 1; at < 64; at += 7) {
      std::string text(64, 'a');
      text[at - 1] = static_cast<char>(before);
      text[at] = '/';
      check_every_start(text, not_in_paths, true);
    }
}

BOOST_AUTO_TEST_CASE(slashes_on_the_edges_of_blocks) {
  const ByteSet before = set_of(" (");
  for (size_t length : {15, 16, 17, 31, 32, 33, 63, 64, 65})
    for (size_t at = 0; at < length; ++at) {
      std::string text(length, 'a');
      text[at] = '/';
      check_every_start(text, before, true);  // wanted only at 0
      if (at > 0) text[at - 1] = ' ';
      check_every_start(text, before, true);  // wanted: a space before it
    }
}

BOOST_AUTO_TEST_SUITE_END()
