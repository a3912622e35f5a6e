// The programs a command-line test compares: pyprefix, and Python running the reference.
#ifndef PYPREFIX_TEST_SUPPORT_REFERENCE_HPP
#define PYPREFIX_TEST_SUPPORT_REFERENCE_HPP

#include <string>
#include <vector>

#include "support/subprocess.hpp"

namespace pyprefix::test {

// The pyprefix tool under test, and the Python it embeds (both set by CMake).
inline const std::string cli_path = PYPREFIX_TEST_CLI;
inline const std::string python_path = PYPREFIX_PYTHON_EXECUTABLE;

// `pyprefix ARGUMENTS...`.
Outcome run_cli(const std::vector<std::string>& arguments, const Environment& environment, const std::string& cwd);

// What test/reference/prefixes.py prints for the same ARGUMENTS ("--json", "--package NAME"), run
// as `python -c` by the embedded interpreter's own executable in the same environment.
Outcome run_reference(const std::vector<std::string>& arguments, const Environment& environment,
                      const std::string& cwd);

// `python -c CODE` with the same interpreter.
Outcome run_python(const std::string& code, const Environment& environment, const std::string& cwd);

// The lines of `text`, without their newlines.
std::vector<std::string> lines(const std::string& text);

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_REFERENCE_HPP
