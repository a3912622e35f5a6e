// The CLI's JSON strings against Python's json.dumps.
#include <boost/test/unit_test.hpp>

#include "core/saved/json_writer.hpp"
#include "support/python_host.hpp"
#include "support/random_paths.hpp"

using namespace pyprefix::test;

BOOST_AUTO_TEST_SUITE(json_writer)

// json_string(bytes) is json.dumps(os.fsdecode(bytes)), control characters and all.
BOOST_AUTO_TEST_CASE(strings_match_json_dumps) {
  std::vector<std::string> inputs = random_paths(2000, 5);
  for (unsigned byte = 1; byte < 0x80; ++byte) inputs.push_back("x" + std::string(1, static_cast<char>(byte)));
  const auto expected = python("import json, os\nresult = [json.dumps(os.fsdecode(a)) for a in args]", inputs);
  for (size_t i = 0; i < inputs.size(); ++i)
    BOOST_TEST(pyprefix::detail::json_string(inputs[i]) == expected[i], "'" << inputs[i] << "'");
}

BOOST_AUTO_TEST_SUITE_END()
