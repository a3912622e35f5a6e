// What the generated header_examples.cpp and header_examples_test.cpp share: an example that
// runs, and the check of a result its comment states.
#ifndef PYPREFIX_TEST_EXAMPLES_HEADER_EXAMPLES_HPP
#define PYPREFIX_TEST_EXAMPLES_HEADER_EXAMPLES_HPP

#include <vector>

struct HeaderExample {
  const char* where;  // header:line of its Example: marker
  void (*run)();
  int checks;  // how many of its results are checked
};

// Records the result an example's comment states: `holds`, and where and what it is.
void header_example_check(bool holds, const char* what);

extern const std::vector<HeaderExample> header_examples_run;

#endif  // PYPREFIX_TEST_EXAMPLES_HEADER_EXAMPLES_HPP
