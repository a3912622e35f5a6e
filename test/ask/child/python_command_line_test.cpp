// CPython's command-line rules (lib/ask/child/python_command_line.cpp), table by table. The
// process.pid suite checks the same rules end to end, against the sys.path of real processes.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "ask/child/python_command_line.hpp"

namespace {

using pyprefix::detail::FirstEntry;

std::string kind_name(FirstEntry::Kind kind) {
  switch (kind) {
    case FirstEntry::Kind::script:
      return "script";
    case FirstEntry::Kind::module:
      return "module";
    case FirstEntry::Kind::command:
      return "command";
    case FirstEntry::Kind::none:
      return "none";
  }
  return "?";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(python_command_line)

BOOST_AUTO_TEST_CASE(flags_and_the_first_entry_are_read_as_python_reads_them) {
  const struct {
    std::vector<std::string> argv;
    std::string flags, kind, script;  // flags joined by spaces
  } table[] = {
      {{"python3"}, "", "command", ""},                       // the interactive prompt: ''
      {{"python3", "app.py", "-I"}, "", "script", "app.py"},  // the script's own arguments are not Python's
      {{"python3", "-I", "-s", "app.py"}, "-I -s", "script", "app.py"},
      {{"python3", "-IsE", "-S", "-P", "/srv/app.py"}, "-I -s -E -S -P", "script", "/srv/app.py"},
      {{"python3", "-I", "-I", "x.py"}, "-I", "script", "x.py"},
      {{"python3", "-m", "http.server", "-I"}, "", "module", ""},
      {{"python3", "-Im", "http.server"}, "-I", "module", ""},
      {{"python3", "-c", "import sys", "-I"}, "", "command", ""},
      {{"python3", "-sc", "pass"}, "-s", "command", ""},
      {{"python3", "-", "x"}, "", "command", ""},  // the script from stdin: ''
      {{"python3", "--", "-x.py"}, "", "script", "-x.py"},
      {{"python3", "--", "-"}, "", "command", ""},  // stdin after --, as before it
      {{"python3", "--"}, "", "command", ""},
      {{"python3", "-W", "error", "-X", "dev", "-E", "a.py"}, "-E", "script", "a.py"},  // values apart
      {{"python3", "-Werror", "-Xfrozen_modules=off", "a.py"}, "", "script", "a.py"},   // values joined
      {{"python3", "-WI", "a.py"}, "", "script", "a.py"},                               // 'I' is -W's value, not -I
      {{"python3", "--check-hash-based-pycs", "always", "a.py"}, "", "script", "a.py"},
      {{"python3", "--version"}, "", "command", ""},
      {{"python3", "-u", "-B", "-O", "dir"}, "", "script", "dir"},  // a folder or zip runs as a script
      {{"python3", ""}, "", "script", ""},
  };
  for (const auto& row : table) {
    std::string shown;
    for (const std::string& argument : row.argv) shown += "[" + argument + "]";
    BOOST_TEST_CONTEXT(shown) {
      const pyprefix::detail::PythonCommandLine line = pyprefix::detail::read_python_command_line(row.argv);
      std::string flags;
      for (const std::string& flag : line.flags) flags += (flags.empty() ? "" : " ") + flag;
      BOOST_TEST(flags == row.flags);
      BOOST_TEST(kind_name(line.first_entry.kind) == row.kind);
      BOOST_TEST(line.first_entry.script == row.script);
    }
  }
}

// The interpreter's own options before its target, as given, to start another interpreter the
// same way (`pyprefix -- PYTHON ...`).
BOOST_AUTO_TEST_CASE(the_interpreters_own_options_are_kept_as_given) {
  const struct {
    std::vector<std::string> argv;
    std::string options;  // joined by spaces
  } table[] = {
      {{"python3", "app.py", "-X", "dev"}, ""},
      {{"python3", "-X", "utf8", "-W", "error", "-I", "app.py"}, "-X utf8 -W error -I"},
      {{"python3", "-Xdev", "-Werror", "-sE", "-m", "pkg"}, "-Xdev -Werror -sE"},
      {{"python3", "-Im", "pkg"}, "-I"},
      {{"python3", "-Sc", "pass"}, "-S"},
      {{"python3", "-c", "pass"}, ""},
      {{"python3", "-O", "--check-hash-based-pycs", "never", "-", "x"}, "-O --check-hash-based-pycs never"},
      {{"python3", "-B", "--", "app.py"}, "-B"},
      {{"python3", "-X"}, "-X"},
  };
  for (const auto& row : table) {
    std::string shown;
    for (const std::string& argument : row.argv) shown += "[" + argument + "]";
    BOOST_TEST_CONTEXT(shown) {
      std::string options;
      for (const std::string& option : pyprefix::detail::read_python_command_line(row.argv).options)
        options += (options.empty() ? "" : " ") + option;
      BOOST_TEST(options == row.options);
    }
  }
}

BOOST_AUTO_TEST_CASE(python_names_are_told_from_other_programs) {
  const struct {
    std::string path;
    bool python;
  } table[] = {
      {"/usr/bin/python3", true},
      {"/usr/bin/python3.11", true},
      {"python", true},
      {"/opt/py/bin/python3.13t", true},
      {"/usr/bin/python3.11d", true},
      {"/usr/bin/python3-config", false},
      {"/usr/bin/ipython3", false},
      {"/python3/bin/bash", false},
      {"/usr/bin/Python3", false},
      {"", false},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.path) {
      BOOST_TEST(pyprefix::detail::is_python_name(row.path) == row.python);
    }
}

BOOST_AUTO_TEST_CASE(a_named_python_is_looked_for_as_execvp_would) {
  using Strings = std::vector<std::string>;
  const struct {
    std::string python;
    Strings environment, candidates;
  } table[] = {
      {"python3", {"HOME=/root", "PATH=/usr/local/bin:/usr/bin"}, {"/usr/local/bin/python3", "/usr/bin/python3"}},
      {"python3", {"HOME=/root"}, {"/bin/python3", "/usr/bin/python3"}},  // no PATH: execvp's default
      {"python3", {"PATH="}, {"./python3"}},
      {"python3", {"PATH=/a::/b:"}, {"/a/python3", "./python3", "/b/python3", "./python3"}},
      {"python3", {"PATH=/first", "PATH=/second"}, {"/first/python3"}},  // the first counts, as for getenv
      {"python3", {"MYPATH=/x", "PATH_EXTRA=/y"}, {"/bin/python3", "/usr/bin/python3"}},
      {"bin/python3", {"PATH=/usr/bin"}, {"bin/python3"}},
      {"/opt/python/bin/python3", {"PATH=/usr/bin"}, {"/opt/python/bin/python3"}},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.python << " with " << (row.environment.empty() ? "" : row.environment.front())) {
      const Strings candidates = pyprefix::detail::python_candidates(row.python, row.environment);
      BOOST_TEST(candidates == row.candidates, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
