// Every `Example:` of the public headers compiles (header_examples.cpp and, for the C API,
// header_examples.c are generated from them and built into this program), and none was
// missed: the program holds as many examples as the headers have markers.
#define BOOST_TEST_MODULE pyprefix header examples
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <string>

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

BOOST_AUTO_TEST_SUITE_END()
