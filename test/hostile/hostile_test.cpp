// Runs each hostile-host scenario in a process of its own, bounded in time.
#define BOOST_TEST_MODULE pyprefix hostile host
#include <boost/test/unit_test.hpp>

#include "support/reference.hpp"

using namespace pyprefix::test;

namespace {

void check_scenario(const std::string& scenario) {
  Outcome outcome = run({PYPREFIX_HOSTILE_HOST, scenario}, {}, "/", 120);
  BOOST_TEST_MESSAGE(outcome.out);
  BOOST_TEST(outcome.exit_code == 0,
             scenario << " (exit " << outcome.exit_code << ", -1: killed or hung): " << outcome.out << outcome.err);
  BOOST_TEST(outcome.out.find(scenario + " ok") != std::string::npos, outcome.out);
}

}  // namespace

// Bytes, undecodable bytes, Path, None, int, objects, NUL, '', '~', '/', '//x', 10 KB,
// surrogate escapes, non-ASCII: the reference's answer, and no reference leaked.
BOOST_AUTO_TEST_CASE(odd_entries) { check_scenario("odd-entries"); }

// Eight threads at once while a Python thread edits sys.path.
BOOST_AUTO_TEST_CASE(threads) { check_scenario("threads"); }

// Py_FinalizeEx with calls in flight, and calls after it.
BOOST_AUTO_TEST_CASE(finalize) { check_scenario("finalize"); }

// 100,000 entries and a 10 MB one.
BOOST_AUTO_TEST_CASE(bounds) { check_scenario("bounds"); }

// std::bad_alloc at each allocation of a call in turn: the GIL is released and the call no
// longer counted, every time.
BOOST_AUTO_TEST_CASE(out_of_memory) { check_scenario("out-of-memory"); }

// A host that ignores SIGCHLD: its children are reaped by the kernel before pyprefix looks.
BOOST_AUTO_TEST_CASE(sigchld_ignored) { check_scenario("sigchld-ignored"); }

// A host whose SIGCHLD handler reaps every child with waitpid(-1).
BOOST_AUTO_TEST_CASE(sigchld_reaper) { check_scenario("sigchld-reaper"); }
