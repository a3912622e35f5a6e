// The parser of the reader's records: what it accepts, and the one-line errors for the rest.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "core/entries/records.hpp"

namespace {

using pyprefix::Source;
using pyprefix::detail::parse_records;

std::string answer_of(std::initializer_list<std::string> texts) {
  std::string answer;
  for (const std::string& text : texts) answer += text + '\0';
  return answer;
}

// The message parse_records throws for `answer`, or "" when it parses.
std::string refusal(const std::string& answer) {
  try {
    parse_records(answer, "'python'");
  } catch (const pyprefix::error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(records)

// A complete answer gives its entries in order, its diagnostics and its facts.
BOOST_AUTO_TEST_CASE(complete_answer) {
  const auto raw =
      parse_records(answer_of({"pyprefix-reader 1", "Iversion=3.11.2", "Iexecutable=/usr/bin/python3", "Iprefix=/usr",
                               "Ibase_prefix=/usr", "Iplatform=linux", "Ifuture=ignored",
                               "Esite-packages:/usr/lib/python3/dist-packages", "Esys.path:", "Esys.path:/a:b",
                               "Dsys.path[2] skipped: why", "Epackage-root:/srv", "end"}),
                    "'python'");
  BOOST_TEST_REQUIRE(raw.entries.size() == 4u);
  BOOST_TEST(raw.entries[0].path == "/usr/lib/python3/dist-packages");
  BOOST_TEST((raw.entries[0].source == Source::site_packages));
  BOOST_TEST(raw.entries[1].path == "");
  BOOST_TEST(raw.entries[2].path == "/a:b");  // only the first colon separates the source
  BOOST_TEST((raw.entries[3].source == Source::package_root));
  BOOST_TEST(raw.diagnostics == std::vector<std::string>{"sys.path[2] skipped: why"}, boost::test_tools::per_element());
  BOOST_TEST(raw.interpreter.version == "3.11.2");
  BOOST_TEST(raw.interpreter.executable == "/usr/bin/python3");
  BOOST_TEST(raw.interpreter.prefix == "/usr");
  BOOST_TEST(raw.interpreter.base_prefix == "/usr");
  BOOST_TEST(raw.interpreter.platform == "linux");
}

// An X record is the reader's own error, thrown as it is, cut at its first newline.
BOOST_AUTO_TEST_CASE(error_record_is_the_error) {
  BOOST_TEST(refusal(answer_of({"pyprefix-reader 1", "Xsite.getuserbase() raised KeyError: 'HOME'"})) ==
             "site.getuserbase() raised KeyError: 'HOME'");
  BOOST_TEST(refusal(answer_of({"pyprefix-reader 1", "Xfirst line\nsecond line"})) == "first line");
}

// Everything else an untrusted child may write is refused in one line naming it.
BOOST_DATA_TEST_CASE(
    broken_answers_are_refused,
    boost::unit_test::data::make(std::vector<std::string>{
        "", std::string("pyprefix-reader 2\0end\0", 22), answer_of({"hello"}), answer_of({"pyprefix-reader 1"}),
        answer_of({"pyprefix-reader 1", "Esys.path:/a"}), std::string("pyprefix-reader 1\0Esys.path:/a", 30),
        answer_of({"pyprefix-reader 1", "Enowhere:/a", "end"}), answer_of({"pyprefix-reader 1", "Esys.path/a", "end"}),
        answer_of({"pyprefix-reader 1", "Q", "end"}), answer_of({"pyprefix-reader 1", "", "end"}),
        answer_of({"pyprefix-reader 1", "D", "end"}), answer_of({"pyprefix-reader 1", "end", "Esys.path:/a"})}),
    answer) {
  const std::string message = refusal(answer);
  BOOST_TEST(message.rfind("'python' gave an answer pyprefix cannot read", 0) == 0u, message);
  BOOST_TEST(message.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
