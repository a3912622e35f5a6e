// The ask tier's unit tests (test/ask/ mirrors lib/ask/): no interpreter is started.
#define BOOST_TEST_MODULE pyprefix ask
#include <boost/test/unit_test.hpp>
