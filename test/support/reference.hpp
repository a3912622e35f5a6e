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
// as `PYTHON -c` (`PYTHON -I -c` when isolated) in the same environment. PYTHON defaults to
// the embedded interpreter's own executable.
Outcome run_reference(const std::vector<std::string>& arguments, const Environment& environment, const std::string& cwd,
                      const std::string& python = python_path, bool isolated = false);

// The interpreters the --python tests run against (CMake's PYPREFIX_TEST_PYTHONS), and Pythons
// too old for pyprefix found on the machine (pyenv's 2.7, 3.6, 3.7), for the error tests.
std::vector<std::string> test_pythons();
std::vector<std::string> old_pythons();

// `PYTHON -c CODE`, by default with the embedded interpreter's executable.
Outcome run_python(const std::string& code, const Environment& environment, const std::string& cwd,
                   const std::string& python = python_path);

// The lines of `text`, without their newlines.
std::vector<std::string> lines(const std::string& text);

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_REFERENCE_HPP
