// The test program as a host application: it runs Python itself, so pyprefix joins that
// interpreter, and the tests ask the same interpreter for the right answers.
#ifndef PYPREFIX_TEST_SUPPORT_PYTHON_HOST_HPP
#define PYPREFIX_TEST_SUPPORT_PYTHON_HOST_HPP

#include <string>
#include <vector>

namespace pyprefix::test {

// Starts Python as a host application would, releases the GIL, and finalises it at the end.
// Register with BOOST_TEST_GLOBAL_FIXTURE(PythonHost) in one file per program.
struct PythonHost {
  PythonHost();
  ~PythonHost();
  // Py_FinalizeEx from this thread, once; the destructor does it otherwise.
  void finalize();

 private:
  bool finalized_ = false;
};

// Runs `code` in __main__ with the GIL, with `args` bound to a list of bytes, and returns the
// variable `result`: a list of str or bytes, as os.fsencode bytes. Fails the test, with
// Python's traceback, when the code raises.
std::vector<std::string> python(const std::string& code, const std::vector<std::string>& args = {});

// True when no Python exception is pending on this thread (checked with the GIL).
bool no_python_exception_pending();

// The reference implementation's list for the host's current state (run in the host's own
// interpreter), with `packages_expression` a Python expression for the package names.
std::vector<std::string> reference_prefixes(const std::string& packages_expression = "()");

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_PYTHON_HOST_HPP
