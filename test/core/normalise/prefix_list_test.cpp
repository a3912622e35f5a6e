// Decoding, ordering and deduplication against the interpreter's own fsdecode and sorted().
#include <boost/test/unit_test.hpp>

#include "core/normalise/fs_encoding.hpp"
#include "core/normalise/posix_path.hpp"
#include "core/normalise/prefix_list.hpp"
#include "support/python_host.hpp"
#include "support/random_paths.hpp"

using namespace pyprefix::test;

namespace {

// Code points as UTF-32LE bytes, the form the Python side hands back.
std::string utf32_bytes(const std::u32string& code_points) {
  std::string bytes;
  for (char32_t c : code_points)
    for (int shift = 0; shift < 32; shift += 8) bytes += static_cast<char>((c >> shift) & 0xFF);
  return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prefix_list)

// decode_file_name is os.fsdecode, including where UTF-8 is malformed; encoding inverts it.
BOOST_AUTO_TEST_CASE(decoding_matches_os_fsdecode) {
  std::vector<std::string> inputs = random_paths(3000, 3);
  for (unsigned byte = 0; byte < 256; ++byte)
    inputs.push_back(std::string(1, static_cast<char>(byte)) + "\xbf\xbf\xbf");
  const auto expected =
      python("import os\nresult = [os.fsdecode(a).encode('utf-32-le', 'surrogatepass') for a in args]", inputs);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::u32string decoded = pyprefix::detail::decode_file_name(inputs[i]);
    BOOST_TEST(utf32_bytes(decoded) == expected[i], "decoding '" << inputs[i] << "'");
    bool ok = false;
    BOOST_TEST(pyprefix::detail::encode_file_name(decoded, ok) == inputs[i]);
    BOOST_TEST(ok);
  }
}

// Code points that name no bytes are refused, not mangled.
BOOST_AUTO_TEST_CASE(encoding_refuses_lone_surrogates) {
  bool ok = true;
  BOOST_TEST(pyprefix::detail::encode_file_name(U"a\xD800"
                                                "b",
                                                ok)
                 .empty());
  BOOST_TEST(!ok);
}

// abspath, deduplication and Python's reverse sort of the decoded strings, end to end.
BOOST_AUTO_TEST_CASE(normalised_list_matches_python) {
  std::vector<std::string> inputs = random_paths(2000, 4, 5);
  std::vector<pyprefix::detail::RawEntry> entries;
  for (const std::string& input : inputs) entries.push_back({input, pyprefix::Source::sys_path});
  const auto expected = python(
      "import os\n"
      "unique = sorted({os.path.abspath(os.fsdecode(a)) for a in args}, reverse=True)\n"
      "result = [p if p.endswith('/') else p + '/' for p in unique]\n",
      inputs);
  std::vector<std::string> ours;
  for (const pyprefix::Prefix& prefix :
       pyprefix::detail::normalise_entries(entries, pyprefix::detail::current_directory()))
    ours.push_back(prefix.path);
  BOOST_TEST(ours == expected, boost::test_tools::per_element());
}

// One prefix reached from several sources keeps each once, in first-seen order.
BOOST_AUTO_TEST_CASE(sources_merge_in_first_seen_order) {
  using pyprefix::Source;
  const auto list = pyprefix::detail::normalise_entries(
      {{"/x/", Source::sys_path}, {"/x", Source::site_packages}, {"/x/.", Source::sys_path}, {"/y", Source::user_base}},
      "/");
  BOOST_TEST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].path == "/y/");
  BOOST_TEST(list[1].path == "/x/");
  BOOST_TEST((list[1].sources == std::vector<Source>{Source::sys_path, Source::site_packages}));
}

BOOST_AUTO_TEST_SUITE_END()
