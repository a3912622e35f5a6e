// pyprefix inside a process that already runs Python: odd sys.path state, other threads, errors.
#include <boost/test/unit_test.hpp>

#include <thread>

#include <pyprefix/pyprefix.hpp>

#include "support/python_host.hpp"

using namespace pyprefix::test;

namespace {

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// Each test changes the host's sys.path or site at will; this puts them back.
struct RestoreHostState {
  RestoreHostState() { python("import site, sys\nsaved_path = list(sys.path)\nsaved_site = dict(vars(site))\n"); }
  ~RestoreHostState() { python("sys.path = saved_path\nvars(site).update(saved_site)\n"); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(live_reader, RestoreHostState)

// The host's own state gives the reference's list.
BOOST_AUTO_TEST_CASE(host_state_matches_reference) {
  const auto ours = pyprefix::prefixes();
  BOOST_TEST(ours == reference_prefixes(), boost::test_tools::per_element());
  BOOST_TEST(!ours.empty());
  BOOST_TEST(no_python_exception_pending());
}

// bytes, undecodable bytes, Path objects and odd strings are converted; None, ints, NUL and
// arbitrary objects are skipped with one diagnostic each.
BOOST_AUTO_TEST_CASE(odd_sys_path_entries_are_converted_or_skipped) {
  python(
      "import pathlib\n"
      "class Raising:\n"
      "    def __fspath__(self): raise RuntimeError('no path today')\n"
      "sys.path.extend([b'/tmp/bytes', b'/tmp/\\xff-undecodable', pathlib.Path('/tmp/path-object'), None, 5,\n"
      "                 '/tmp/a\\0b', b'/tmp/nul\\0', object(), '', '~', '/', '//x', '/tmp/' + 'x' * 10000,\n"
      "                 '/tmp/\\udcff-escaped', '/tmp/\\ud800-lone', Raising(), '/tmp/d\\u00efr', '/tmp/bytes'])\n");
  const pyprefix::Report report = pyprefix::report();
  std::vector<std::string> ours;
  for (const auto& prefix : report.prefixes) ours.push_back(prefix.path);
  BOOST_TEST(ours == reference_prefixes(), boost::test_tools::per_element());
  BOOST_TEST(contains(ours, "/tmp/\xff-undecodable/"));
  BOOST_TEST(contains(ours, "/tmp/path-object/"));
  BOOST_TEST(contains(ours, "/"));
  BOOST_TEST(contains(ours, "//x/"));

  const std::vector<std::string> skipped_because = {"NoneType is not str, bytes or os.PathLike",
                                                    "int is not str, bytes or os.PathLike",
                                                    "it contains a NUL character",
                                                    "it contains a NUL character",
                                                    "object is not str, bytes or os.PathLike",
                                                    "os.fsencode() raised UnicodeEncodeError",
                                                    "os.fspath() raised RuntimeError: no path today"};
  BOOST_TEST_REQUIRE(report.diagnostics.size() == skipped_because.size(), [&] {
    std::string all;
    for (const auto& line : report.diagnostics) all += line + "\n";
    return all;
  }());
  for (size_t i = 0; i < skipped_because.size(); ++i) {
    BOOST_TEST(report.diagnostics[i].rfind("sys.path[", 0) == 0u, report.diagnostics[i]);
    BOOST_TEST(report.diagnostics[i].find(skipped_because[i]) != std::string::npos, report.diagnostics[i]);
  }
  BOOST_TEST(no_python_exception_pending());
}

// A thread that does not hold the GIL calls while the host's own thread waits.
BOOST_AUTO_TEST_CASE(call_from_another_thread) {
  python("sys.path.append('/tmp/from-the-host')\n");
  std::vector<std::string> from_thread;
  std::string failure;
  std::thread caller([&] {
    try {
      from_thread = pyprefix::prefixes();
    } catch (const pyprefix::error& e) {
      failure = e.what();
    }
  });
  caller.join();
  BOOST_TEST(failure.empty(), failure);
  BOOST_TEST(from_thread == reference_prefixes(), boost::test_tools::per_element());
  BOOST_TEST(contains(from_thread, "/tmp/from-the-host/"));
}

// A site function that raises becomes an error naming it; nothing stays pending.
BOOST_AUTO_TEST_CASE(raising_site_function_is_named) {
  python("site.getuserbase = lambda: 1 / 0\n");
  BOOST_CHECK_EXCEPTION(pyprefix::prefixes(), pyprefix::error, [](const pyprefix::error& e) {
    BOOST_TEST(e.what() == std::string("site.getuserbase() raised ZeroDivisionError: division by zero"));
    return true;
  });
  BOOST_TEST(no_python_exception_pending());
  python("site.getsitepackages = lambda: 'not a list'\n");
  BOOST_CHECK_EXCEPTION(pyprefix::prefixes(), pyprefix::error, [](const pyprefix::error& e) {
    BOOST_TEST(e.what() == std::string("site.getsitepackages() is a str, not a list"));
    return true;
  });
}

// sys.path replaced by a non-list, or deleted: an error that says so.
BOOST_AUTO_TEST_CASE(sys_path_not_a_list_is_an_error) {
  python("sys.path = 'abc'\n");
  BOOST_CHECK_EXCEPTION(pyprefix::prefixes(), pyprefix::error, [](const pyprefix::error& e) {
    BOOST_TEST(e.what() == std::string("sys.path is a str, not a list"));
    return true;
  });
  python("del sys.path\n");
  BOOST_CHECK_EXCEPTION(pyprefix::prefixes(), pyprefix::error, [](const pyprefix::error& e) {
    BOOST_TEST(e.what() == std::string("sys.path is missing"));
    return true;
  });
  BOOST_TEST(no_python_exception_pending());
}

// Packages already imported, built in, or without a spec.
BOOST_AUTO_TEST_CASE(package_roots_in_a_running_interpreter) {
  python("import json, sys\n");
  pyprefix::Options options;
  options.packages = {"json", "sys", "__main__"};
  const pyprefix::Report report = pyprefix::report(options);
  std::vector<std::string> ours;
  for (const auto& prefix : report.prefixes) ours.push_back(prefix.path);
  BOOST_TEST(ours == reference_prefixes("['json', 'sys']"), boost::test_tools::per_element());
  BOOST_TEST(contains(ours, python("import os\nresult = [os.path.dirname(os.path.dirname(json.__file__)) + '/']")[0]));
  BOOST_TEST_REQUIRE(report.diagnostics.size() == 1u);
  BOOST_TEST(report.diagnostics[0] ==
             "package '__main__' skipped: importlib.util.find_spec() raised ValueError: __main__.__spec__ is None");
  BOOST_TEST(no_python_exception_pending());
}

// interpreter() describes the host's Python.
BOOST_AUTO_TEST_CASE(interpreter_describes_the_host) {
  const pyprefix::Interpreter described = pyprefix::interpreter();
  const auto expected = python(
      "import platform\n"
      "result = [platform.python_version(), sys.executable, sys.prefix, sys.base_prefix, sys.platform]\n");
  BOOST_TEST(described.version == expected[0]);
  BOOST_TEST(described.executable == expected[1]);
  BOOST_TEST(described.prefix == expected[2]);
  BOOST_TEST(described.base_prefix == expected[3]);
  BOOST_TEST(described.platform == expected[4]);
}

BOOST_AUTO_TEST_SUITE_END()
