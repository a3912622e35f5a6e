// The tool's unit tests (test/tool/ mirrors lib/tool/): its arguments, read without running.
#define BOOST_TEST_MODULE pyprefix tool
#include <boost/test/unit_test.hpp>
