// Every `Example:` of the public headers compiles (header_examples.cpp and, for the C API,
// header_examples.c are generated from them and built into this program), and none was
// missed: the program holds as many examples as the headers have markers. The C++ examples
// whose comments state their results run, and each stated result is checked.
#define BOOST_TEST_MODULE pyprefix header examples
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "examples/header_examples.hpp"

namespace {
std::vector<std::string> failed_checks;
int checks_made = 0;
}  // namespace

void header_example_check(bool holds, const char* what) {
  ++checks_made;
  if (!holds) failed_checks.push_back(what);
}

extern "C" const int header_examples_hpp;  // in the generated C++ file
extern "C" const int header_examples_h;    // in the generated C file

BOOST_AUTO_TEST_SUITE(header_examples)

// The generated files hold one function per marker in the headers: C++ and C.
BOOST_AUTO_TEST_CASE(every_example_compiles) {
  int markers = 0;
  const std::regex marker(R"(^\s*(///|\*)\s*Example:\s*$)");
  for (const char* header : {PYPREFIX_PUBLIC_HEADERS}) {
    std::ifstream file(header);
    BOOST_TEST_REQUIRE(file.good(), header);
    for (std::string line; std::getline(file, line);) markers += std::regex_match(line, marker) ? 1 : 0;
  }
  BOOST_TEST(header_examples_hpp > 20);
  BOOST_TEST(header_examples_h > 20);
  BOOST_TEST(header_examples_hpp + header_examples_h == markers);
}

// Each example with a stated result runs, and every result holds as its comment says.
BOOST_AUTO_TEST_CASE(stated_results_hold) {
  int expected = 0;
  for (const HeaderExample& example : header_examples_run) {
    BOOST_TEST_CONTEXT(example.where) { BOOST_CHECK_NO_THROW(example.run()); }
    expected += example.checks;
  }
  BOOST_TEST(header_examples_run.size() >= 10u);
  BOOST_TEST(checks_made == expected);
  for (const std::string& failed : failed_checks) BOOST_ERROR(failed);
}

BOOST_AUTO_TEST_SUITE_END()
