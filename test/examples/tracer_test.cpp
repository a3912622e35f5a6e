// The README's tracer example prints torch-style short names with the right kinds.
#define BOOST_TEST_MODULE pyprefix example tracer
#include <boost/test/unit_test.hpp>

#include "support/reference.hpp"
#include "support/temporary_directory.hpp"

using namespace pyprefix::test;

// A script that calls into the stdlib and into a module of its own; the expected lines are
// built from Python's own co_firstlineno.
BOOST_AUTO_TEST_CASE(tracer_prints_short_names) {
  TemporaryDirectory home;
  home.write("app/mymod.py", "def work():\n    return sum(range(3))\n");
  const std::string script = home.write("app/main.py", "import json, mymod\njson.dumps({'a': 1})\nmymod.work()\n");
  const Environment environment{{{"PYTHONPATH", home / "app"}}};
  Outcome traced = run({PYPREFIX_EXAMPLE_TRACER, script}, environment, home.path().native());
  BOOST_TEST_REQUIRE(traced.exit_code == 0, traced.err);
  const std::string dumps_line = lines(
      run_python("import json; print('json/__init__.py(%d): dumps [stdlib]' % json.dumps.__code__.co_firstlineno)",
                 environment, home.path().native())
          .out)[0];
  const std::vector<std::string> printed = lines(traced.out);
  const auto has = [&](const std::string& line) {
    return std::find(printed.begin(), printed.end(), line) != printed.end();
  };
  BOOST_TEST(has(dumps_line), dumps_line);
  BOOST_TEST(has("mymod.py(1): work [application]"));
  BOOST_TEST(has("main.py(1): <module> [application]"));
}
