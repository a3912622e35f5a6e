// Saved lists read back (lib/core/saved/prefix_file.cpp): both forms `pyprefix list` prints,
// what the lines and objects become, and each malformed input refused in one line naming where.
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>
#include <pyprefix/prefix_file.hpp>

#include "core/saved/saved_file.hpp"
#include "support/temporary_directory.hpp"

namespace {

// parse_prefix_list's error, or "" when it parses.
std::string refusal(const std::string& text) {
  try {
    pyprefix::parse_prefix_list(text);
  } catch (const pyprefix::error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prefix_file)

BOOST_AUTO_TEST_CASE(both_forms) {
  const std::vector<pyprefix::Prefix> lines = pyprefix::parse_prefix_list("/usr/lib/python3.11/\n/srv/app/\n");
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0].path == "/usr/lib/python3.11/");
  BOOST_TEST(lines[1].sources.empty());
  const std::vector<pyprefix::Prefix> json = pyprefix::parse_prefix_list(
      "[{\"prefix\": \"/usr/lib/python3.11/\", \"sources\": [\"stdlib\", \"sys.path\"], \"other\": 1},\n"
      " {\"prefix\": \"/srv/app/\", \"sources\": [], \"resolved\": \"/data/app/\"}]");
  BOOST_REQUIRE(json.size() == 2u);
  BOOST_TEST(json[0].sources.size() == 2u);
  BOOST_TEST(json[1].resolved == "/data/app/");
}

BOOST_AUTO_TEST_CASE(refusals_name_where) {
  for (const std::string& text :
       {std::string("relative/path/\n"), std::string("[{\"sources\": []}]"), std::string("[{\"prefix\": 1}]"),
        std::string("[{\"prefix\": \"/a/\"}"), std::string("[{\"prefix\": \"/a/\", \"sources\": [\"nowhere\"]}]")}) {
    BOOST_TEST_CONTEXT(text) {
      const std::string message = refusal(text);
      BOOST_TEST(!message.empty());
      BOOST_TEST(message.find('\n') == std::string::npos, message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_file_is_a_list_or_a_manifest) {
  pyprefix::test::TemporaryDirectory temporary;
  const std::string list = (temporary.path() / "list").string();
  std::ofstream(list) << "/usr/lib/python3.11/\n";
  const pyprefix::detail::SavedFile saved = pyprefix::detail::read_saved_file(list);
  BOOST_TEST(!saved.is_manifest);
  BOOST_TEST(saved.manifest.prefixes.size() == 1u);
  BOOST_CHECK_THROW(pyprefix::detail::read_saved_file((temporary.path() / "missing").string()), pyprefix::error);
}

BOOST_AUTO_TEST_SUITE_END()
