// The unit tests: this program is a Python host, and pyprefix joins its interpreter.
#define BOOST_TEST_MODULE pyprefix unit tests
#include <boost/test/unit_test.hpp>

#include "support/python_host.hpp"

using pyprefix::test::PythonHost;
BOOST_TEST_GLOBAL_FIXTURE(PythonHost);
