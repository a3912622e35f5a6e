// The child tier's unit tests (test/child/ mirrors lib/child/): no interpreter is started.
#define BOOST_TEST_MODULE pyprefix child
#include <boost/test/unit_test.hpp>
