// ntpath's rules for Windows manifests (lib/core/normalise/windows_path.cpp), against Python's
// own ntpath, run by the build's interpreter as a child (the core itself has no Python).
#include <optional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "core/normalise/windows_path.hpp"
#include "support/subprocess.hpp"

namespace {

// ntpath.normpath(path) + "\\" (unless it ends in one) for each path, one a line, from Python.
std::vector<std::string> ntpath_prefixes(const std::vector<std::string>& paths) {
  const std::string program =
      "import ntpath, sys\nfor p in sys.argv[1:]:\n    n = ntpath.normpath(p)\n"
      "    print(n if n.endswith('\\\\') else n + '\\\\')\n";
  return pyprefix::test::python_output_lines(program, paths);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(windows_path)

BOOST_AUTO_TEST_CASE(absolute_paths_are_normalised_as_ntpath_normalises_them) {
  const std::vector<std::string> paths = {
      "C:\\Users\\me\\lib",
      "c:/Python311/Lib/",
      "C:\\a\\..\\b\\.\\c",
      "C:\\",
      "C:\\..\\..",
      "C:\\a\\\\b\\\\\\",
      "D:/a/b/../../..",
      "z:\\site-packages\\x.py",
      "\\\\server\\share\\x",
      "\\\\server\\share",
      "\\\\server\\share\\",
      "//server/share/a/../b",
      "\\\\server\\share\\..\\x",
      "C:\\Program Files\\Python",
      "C:\\caf\xc3\xa9\\lib",
  };
  const std::vector<std::string> expected = ntpath_prefixes(paths);
  BOOST_REQUIRE_EQUAL(expected.size(), paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    BOOST_TEST_CONTEXT(paths[i]) {
      const std::optional<std::string> prefix = pyprefix::detail::windows_prefix(paths[i]);
      BOOST_TEST_REQUIRE(prefix.has_value());
      BOOST_TEST(*prefix == expected[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(device_paths_are_kept_and_others_are_not_prefixes) {
  const struct {
    std::string path;
    std::optional<std::string> prefix;
  } table[] = {
      {"\\\\?\\C:\\a\\..\\b", "\\\\?\\C:\\a\\..\\b\\"},  // \\?\ turns normalisation off
      {"\\\\.\\pipe\\x\\", "\\\\.\\pipe\\x\\"},
      {"\\\\?\\", std::nullopt},
      {"C:", std::nullopt},  // a drive's working directory, not a root
      {"C:relative", std::nullopt},
      {"\\rooted\\no\\drive", std::nullopt},
      {"relative\\path", std::nullopt},
      {"", std::nullopt},
      {"\\\\server", std::nullopt},  // a UNC path needs a share
      {"\\\\server\\", std::nullopt},
      {"\\\\\\x\\y", std::nullopt},
      {"/usr/lib/python3.11", std::nullopt},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.path) {
      BOOST_TEST((pyprefix::detail::windows_prefix(row.path) == row.prefix));
    }
}

BOOST_AUTO_TEST_CASE(folding_is_normcase_for_ascii_with_forward_slashes) {
  const struct {
    std::string path, folded;
  } table[] = {
      {"C:\\Users\\Me\\", "c:/users/me/"},
      {"c:/python311/lib", "c:/python311/lib"},
      {"\\\\Server\\Share", "//server/share"},
      {"C:\\CAF\xc3\x89", "c:/caf\xc3\x89"},  // bytes past ASCII stay as they are
      {"", ""},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.path) {
      BOOST_TEST(pyprefix::detail::folded_windows_path(row.path) == row.folded);
    }
}

BOOST_AUTO_TEST_SUITE_END()
