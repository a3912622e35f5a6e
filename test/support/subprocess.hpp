// Running a program as a test's subject or oracle: argv, no shell, bounded in time.
#ifndef PYPREFIX_TEST_SUPPORT_SUBPROCESS_HPP
#define PYPREFIX_TEST_SUPPORT_SUBPROCESS_HPP

#include <map>
#include <string>
#include <vector>

namespace pyprefix::test {

struct Outcome {
  int exit_code = -1;  // -1 when killed by a signal or the time limit
  std::string out;
  std::string err;
};

// The environment to run under: this process's, without PYTHON* variables (which would make
// the results depend on the shell the tests are run from), plus `set`.
struct Environment {
  std::map<std::string, std::string> set;
};

// Runs argv[0] (a path) with `argv`, in `cwd`, with stdin from /dev/null, killing it after
// `seconds` (pyprefix's own child-process runner). Throws pyprefix::error when it cannot start.
Outcome run(const std::vector<std::string>& argv, const Environment& environment, const std::string& cwd,
            int seconds = 60);

// The lines the build's interpreter prints running `program` (python -I -c PROGRAM ARGUMENTS...)
// under `environment`, for a test that takes Python as its oracle. Throws pyprefix::error with
// Python's stderr when it fails.
std::vector<std::string> python_output_lines(const std::string& program, const std::vector<std::string>& arguments,
                                             const Environment& environment = {});

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_SUBPROCESS_HPP
