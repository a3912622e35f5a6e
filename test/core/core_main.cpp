// The core's unit tests (test/core/ mirrors lib/core/): no Python, no interpreter.
#define BOOST_TEST_MODULE pyprefix core
#include <boost/test/unit_test.hpp>
