// The core's unit tests (test/core/ mirrors lib/core/): no interpreter in this process; where
// Python is the oracle, it runs as a child.
#define BOOST_TEST_MODULE pyprefix core
#include <boost/test/unit_test.hpp>
