// pyprefix::abspath and dirname against the interpreter's own os.path.abspath and dirname.
#include <boost/test/unit_test.hpp>

#include <pyprefix/prefixes.hpp>

#include "core/normalise/posix_path.hpp"
#include "support/python_host.hpp"
#include "support/random_paths.hpp"
#include "support/temporary_directory.hpp"

using namespace pyprefix::test;

namespace {

// Inputs where Boost.Filesystem's absolute().lexically_normal(), std::filesystem or a naive
// normaliser part from os.path.abspath.
const std::vector<std::string> tricky_paths = {"",
                                               ".",
                                               "..",
                                               "...",
                                               "a",
                                               "a/",
                                               "a/b",
                                               "a//b",
                                               "a/./b",
                                               "a/../b",
                                               "../a",
                                               "../../..",
                                               "./",
                                               ".//",
                                               "/",
                                               "//",
                                               "///",
                                               "////",
                                               "/.",
                                               "/..",
                                               "/../a",
                                               "/a/..",
                                               "/a/../..",
                                               "/a/b/../../..",
                                               "//a",
                                               "//a/b/",
                                               "///a",
                                               "/a//b///c",
                                               "/a/./b/.",
                                               "/a/b/",
                                               "/a/b//",
                                               "/tmp//abs/",
                                               "a/b/c/../../..",
                                               "a/b/c/../../../..",
                                               "..a",
                                               "a..",
                                               "/a/.../b",
                                               "/./.",
                                               "/.//./",
                                               ".hidden/",
                                               "x/.",
                                               "dir\xff/..",
                                               "d\xc3\xafr/../\xc3\xa9",
                                               "//..",
                                               "//.",
                                               "/ /x",
                                               " ",
                                               "a\\b",
                                               "~",
                                               "~/x",
                                               "//../a",
                                               "/..//..",
                                               "a/b/../../../c/./"};

// Checks pyprefix's abspath and the reader's dirname on `inputs` against Python's, in the
// working directory.
void check_against_python(const std::vector<std::string>& inputs) {
  const std::vector<std::string> expected_abspath =
      python("import os\nresult = [os.path.abspath(a) for a in args]", inputs);
  const std::vector<std::string> expected_dirname =
      python("import os\nresult = [os.path.dirname(a) for a in args]", inputs);
  // The reader's own dirname (package roots are the parents of their locations), run here.
  const std::vector<std::string> reader_dirname = python(
      "reader = {'__name__': 'pyprefix_reader'}\n"
      "exec(compile(open(" PYPREFIX_TEST_READER_LITERAL
      ").read(), 'reader.py', 'exec'), reader)\n"
      "result = [reader['dirname'](a) for a in args]",
      inputs);
  BOOST_TEST_REQUIRE(expected_abspath.size() == inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    BOOST_TEST(pyprefix::abspath(inputs[i]) == expected_abspath[i], "abspath of '" << inputs[i] << "'");
    BOOST_TEST(reader_dirname[i] == expected_dirname[i], "dirname of '" << inputs[i] << "'");
  }
}

// Runs the check with the process's working directory moved to `directory`.
void check_in(const boost::filesystem::path& directory, const std::vector<std::string>& inputs) {
  const boost::filesystem::path previous = boost::filesystem::current_path();
  boost::filesystem::current_path(directory);
  check_against_python(inputs);
  boost::filesystem::current_path(previous);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(posix_path)

// The table of tricky inputs, in a nested non-ASCII working directory and at the root.
BOOST_AUTO_TEST_CASE(tricky_inputs_match_os_path) {
  BOOST_TEST(tricky_paths.size() >= 40u);
  TemporaryDirectory home;
  check_in(home.make_directory("w\xc3\xb6rk/dir"), tricky_paths);
  check_in("/", tricky_paths);
}

// Thousands of generated inputs, the same way.
BOOST_AUTO_TEST_CASE(generated_inputs_match_os_path) {
  TemporaryDirectory home;
  check_in(home.make_directory("a/b/c"), random_paths(4000, 1));
  check_in("/", random_paths(1000, 2));
}

// Why abspath is written out: Boost.Filesystem's nearest equivalent gives other answers.
BOOST_AUTO_TEST_CASE(boost_lexically_normal_is_not_abspath) {
  const std::vector<std::string> inputs = {".", "a/", "/..", "//"};
  const std::vector<std::string> expected = python("import os\nresult = [os.path.abspath(a) for a in args]", inputs);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string boost_answer = boost::filesystem::absolute(inputs[i]).lexically_normal().native();
    BOOST_TEST(boost_answer != expected[i], "Boost agrees with Python on '" << inputs[i] << "'");
    BOOST_TEST(pyprefix::abspath(inputs[i]) == expected[i]);
  }
}

BOOST_AUTO_TEST_SUITE_END()
