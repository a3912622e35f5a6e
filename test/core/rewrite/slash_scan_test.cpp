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

// Each answer from every start, against the byte loop.
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
  // `plain` needs a set without path bytes; the other set holds a letter and a digit, as the
  // escapes' set does.
  const ByteSet plain_set = set_of(" (\"':\t\n");
  const ByteSet escaped_set = set_of(" (\"':\t\nn0\\");
  const std::string alphabet = "//////ab.-_~Z9 (\"':\t\n\\x";
  std::mt19937 random(20261206);
  for (int round = 0; round < 400; ++round) {
    std::string text(std::uniform_int_distribution<size_t>(0, 100)(random), ' ');
    for (char& c : text) c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(random)];
    check_every_start(text, plain_set, true);
    check_every_start(text, escaped_set, false);
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
