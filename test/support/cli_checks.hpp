// Checks shared by the command-line tests.
#ifndef PYPREFIX_TEST_SUPPORT_CLI_CHECKS_HPP
#define PYPREFIX_TEST_SUPPORT_CLI_CHECKS_HPP

#include <boost/test/unit_test.hpp>

#include "support/reference.hpp"

namespace pyprefix::test {

// pyprefix refuses `arguments`: exit status 1, one line on stderr holding `message`, and
// nothing on stdout.
inline void check_refused(const std::vector<std::string>& arguments, const std::string& message, const std::string& cwd,
                          const Environment& environment = {}) {
  Outcome ours = run_cli(arguments, environment, cwd);
  BOOST_TEST(ours.exit_code == 1, "exit status " << ours.exit_code << " for " << message);
  BOOST_TEST(ours.out.empty(), message);
  BOOST_TEST(lines(ours.err).size() == 1u, ours.err);
  BOOST_TEST(ours.err.find(message) != std::string::npos, ours.err);
}

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_CLI_CHECKS_HPP
