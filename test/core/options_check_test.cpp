// The one options check (lib/core/options_check.cpp), as the library, the tool and the C API
// apply it: each rule, named in each spelling, and the C setters that keep to it.
#include <chrono>
#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/pyprefix_core.h>
#include <pyprefix/error.hpp>
#include <pyprefix/options.hpp>

#include "core/options_check.hpp"

namespace {

// `problem` with each {field} written as `spell` names it.
std::string spelled(std::string problem, pyprefix::detail::OptionSpelling spell) {
  using pyprefix::detail::OptionField;
  for (OptionField field : {OptionField::pid, OptionField::host_paths, OptionField::attach, OptionField::python,
                            OptionField::isolated, OptionField::timeout, OptionField::resolve_symlinks}) {
    const std::string placeholder = "{" + pyprefix::detail::option_field_name(field) + "}";
    for (size_t at = problem.find(placeholder); at != std::string::npos; at = problem.find(placeholder))
      problem.replace(at, placeholder.size(), spell(field));
  }
  return problem;
}

std::string as_flag(pyprefix::detail::OptionField field) {
  std::string name = "--" + pyprefix::detail::option_field_name(field);
  for (char& c : name)
    if (c == '_') c = '-';
  return name;
}

struct Case {
  const char* what;
  pyprefix::Options options;
  std::string problem;  // {field} where a field is named; "" when the options are fine
};

std::vector<Case> cases() {
  auto with = [](auto change) {
    pyprefix::Options options;
    change(options);
    return options;
  };
  using std::chrono::milliseconds;
  return {
      {"the defaults", {}, ""},
      {"a pid", with([](auto& o) { o.pid = 4242; }), ""},
      {"a pid with host paths", with([](auto& o) { o.pid = 1, o.host_paths = true; }), ""},
      {"a pid below 0", with([](auto& o) { o.pid = -3; }),
       "{pid} must be a process id above 0 (or 0 for none), not -3"},
      {"host paths alone", with([](auto& o) { o.host_paths = true; }),
       "{host_paths} goes with {pid}: it gives another process's paths as this host reaches them"},
      {"a pid to attach to", with([](auto& o) { o.pid = 1, o.attach = true; }), ""},
      {"a pid whose links are resolved", with([](auto& o) { o.pid = 1, o.resolve_symlinks = true; }),
       "{resolve_symlinks} does not go with {pid}: it would follow that process's links with pyprefix's rights, not "
       "the process's"},
      {"attach alone", with([](auto& o) { o.attach = true; }),
       "{attach} goes with {pid}: it runs the reader inside that process"},
      {"attach with a python", with([](auto& o) { o.pid = 1, o.attach = true, o.python = "python3"; }),
       "{attach} takes neither {python} nor {isolated}: it reads the interpreter the process runs, as it is"},
      {"attach isolated", with([](auto& o) { o.pid = 1, o.attach = true, o.isolated = true; }),
       "{attach} takes neither {python} nor {isolated}: it reads the interpreter the process runs, as it is"},
      {"no time", with([](auto& o) { o.timeout = milliseconds(0); }),
       "{timeout} must be more than 0 and at most 86400 seconds"},
      {"negative time", with([](auto& o) { o.timeout = milliseconds(-1); }),
       "{timeout} must be more than 0 and at most 86400 seconds"},
      {"a day", with([](auto& o) { o.timeout = milliseconds(86400000); }), ""},
      {"a day and a millisecond", with([](auto& o) { o.timeout = milliseconds(86400001); }),
       "{timeout} must be more than 0 and at most 86400 seconds"},
      {"the longest duration", with([](auto& o) { o.timeout = milliseconds::max(); }),
       "{timeout} must be more than 0 and at most 86400 seconds"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(options_check)

BOOST_AUTO_TEST_CASE(each_rule_named_in_each_spelling) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.what) {
      const std::string problem = spelled(c.problem, pyprefix::detail::option_field_name);
      BOOST_TEST(pyprefix::detail::options_problem(c.options) == problem);
      BOOST_TEST(pyprefix::detail::options_problem(c.options, as_flag) == spelled(c.problem, as_flag));
      if (c.problem.empty()) {
        BOOST_CHECK_NO_THROW(pyprefix::check(c.options));
      } else {
        BOOST_CHECK_EXCEPTION(pyprefix::check(c.options), pyprefix::error,
                              [&](const pyprefix::error& e) { return e.what() == problem; });
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(seconds_become_milliseconds_and_out_of_range_stays_out_of_range) {
  using std::chrono::milliseconds;
  const struct {
    double seconds;
    milliseconds timeout;
  } table[] = {
      {0.5, milliseconds(500)},
      {20, milliseconds(20000)},
      {0.0004, milliseconds(0)},
      {0, milliseconds(0)},
      {-1, milliseconds(0)},
      {86400, milliseconds(86400000)},
      {86400.0004, milliseconds(86400000)},
      {86400.002, milliseconds::max()},
      {1e300, milliseconds::max()},
      {std::nan(""), milliseconds(0)},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.seconds) {
      BOOST_TEST(pyprefix::detail::timeout_from_seconds(row.seconds).count() == row.timeout.count());
    }
  }
}

BOOST_AUTO_TEST_CASE(c_setters_keep_the_rules_and_leave_options_unchanged_when_refused) {
  pyprefix_options* options = nullptr;
  BOOST_REQUIRE(pyprefix_options_new(&options) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_timeout_ms(options, 0) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) == "timeout must be more than 0 and at most 86400 seconds");
  BOOST_TEST(pyprefix_options_set_timeout_ms(options, 86400001) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(pyprefix_options_set_timeout_ms(options, LONG_MAX) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(pyprefix_options_set_timeout_ms(options, 86400000) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_host_paths(options, 1) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) ==
             "host_paths goes with pid: it gives another process's paths as this host reaches them");
  BOOST_TEST(pyprefix_options_set_attach(options, 1) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) == "attach goes with pid: it runs the reader inside that process");
  BOOST_TEST(pyprefix_options_set_pid(options, 0, 0) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(pyprefix_options_set_pid(options, -5, 0) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) == "pid must be a process id above 0 (or 0 for none), not -5");
  BOOST_TEST(pyprefix_options_set_pid(options, 4242, 0) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_host_paths(options, 1) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_attach(options, 1) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_isolated(options, 1) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) ==
             "attach takes neither python nor isolated: it reads the interpreter the process runs, as it is");
  BOOST_TEST(pyprefix_options_set_attach(options, 0) == PYPREFIX_OK);
  for (auto set : {pyprefix_options_set_isolated, pyprefix_options_set_classify, pyprefix_options_set_host_paths}) {
    BOOST_TEST(set(options, 1) == PYPREFIX_OK);
    BOOST_TEST(set(options, 0) == PYPREFIX_OK);
  }
  BOOST_TEST(pyprefix_options_set_resolve_symlinks(options, 1) == PYPREFIX_INVALID_ARGUMENT);
  BOOST_TEST(std::string(pyprefix_last_error()) ==
             "resolve_symlinks does not go with pid: it would follow that process's links with pyprefix's rights, not "
             "the process's");
  BOOST_TEST(pyprefix_options_set_flags(options, 1, 1, 1) == PYPREFIX_INVALID_ARGUMENT);
  pyprefix_options_free(options);
  BOOST_REQUIRE(pyprefix_options_new(&options) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_resolve_symlinks(options, 1) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_flags(options, 1, 1, 1) == PYPREFIX_OK);
  BOOST_TEST(pyprefix_options_set_timeout_ms(nullptr, 5) == PYPREFIX_INVALID_ARGUMENT);
  pyprefix_options_free(options);
}

BOOST_AUTO_TEST_SUITE_END()
