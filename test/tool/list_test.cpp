// `pyprefix list` against Python's own answer, in environments the tests build.
#define BOOST_TEST_MODULE pyprefix list
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <pyprefix/version.hpp>

#include "support/reference.hpp"
#include "support/temporary_directory.hpp"

using namespace pyprefix::test;

namespace {

// Runs pyprefix and the reference with the same arguments, environment and working directory,
// and checks that both succeed and print the same bytes. Returns pyprefix's outcome.
Outcome check_matches_reference(const std::vector<std::string>& arguments, const Environment& environment,
                                const std::string& cwd) {
  Outcome theirs = run_reference(arguments, environment, cwd);
  BOOST_TEST_REQUIRE(theirs.exit_code == 0, "the reference failed: " << theirs.err);
  Outcome ours = run_cli(arguments, environment, cwd);
  BOOST_TEST(ours.exit_code == 0, "pyprefix failed: " << ours.err);
  BOOST_TEST(ours.out == theirs.out);
  return ours;
}

bool has_line(const Outcome& outcome, const std::string& line) {
  auto all = lines(outcome.out);
  return std::find(all.begin(), all.end(), line) != all.end();
}

// Python's own answer to a question, from the same interpreter and environment.
std::string ask_python(const std::string& code, const Environment& environment, const std::string& cwd) {
  Outcome answer = run_python(code, environment, cwd);
  BOOST_TEST_REQUIRE(answer.exit_code == 0, answer.err);
  return answer.out;
}

// The lines of `text` that pyprefix wrote.
std::vector<std::string> pyprefix_lines(const std::string& text) {
  std::vector<std::string> ours;
  for (const std::string& line : lines(text))
    if (line.rfind("pyprefix: ", 0) == 0) ours.push_back(line);
  return ours;
}

}  // namespace

// The plain environment: the interpreter's own site-packages, stdlib and user site.
BOOST_AUTO_TEST_CASE(plain_environment_matches_python) {
  TemporaryDirectory cwd;
  Outcome ours = check_matches_reference({}, {}, cwd.path().native());
  BOOST_TEST(lines(ours.out).size() >= 4u, "expected stdlib, lib-dynload, site-packages and user entries");
  check_matches_reference({"--json"}, {}, cwd.path().native());
}

// PYTHONPATH with every kind of entry that trips a naive normaliser.
BOOST_AUTO_TEST_CASE(odd_pythonpath_entries_match_python) {
  TemporaryDirectory home;
  const std::string cwd = home.make_directory("work/here");
  const std::string real = home.make_directory("real");
  boost::filesystem::create_directory_symlink(real, home / "link");
  const std::string pythonpath = "rel:" + std::string("") + "::" + home / "dup" + ":" + home / "dup" + ":" +
                                 home / "trailing/" + ":" + home / "a/../b" +
                                 ":..:../..:" + "//double/x:/:" + home / "link" + ":" + home / "link/../up" + ":" +
                                 home / "d\xc3\xafr" + ":" + home / "\xff\xfe-undecodable" + ":" + home / "./dot/./";
  Outcome ours = check_matches_reference({}, {{{"PYTHONPATH", pythonpath}}}, cwd);
  BOOST_TEST(has_line(ours, cwd + "/rel/"));
  BOOST_TEST(has_line(ours, home / "b/"));
  BOOST_TEST(has_line(ours, home / "link/"), "a symlink is kept as written, not resolved");
  BOOST_TEST(has_line(ours, home / "\xff\xfe-undecodable/"), "undecodable names come back as their bytes");
  BOOST_TEST(has_line(ours, "/"), "the root stays '/', not torch's '//'");
  BOOST_TEST(has_line(ours, "//double/x/"), "two leading slashes are kept, as os.path.abspath keeps them");
  check_matches_reference({"--json"}, {{{"PYTHONPATH", pythonpath}}}, cwd);
}

// PYTHONUSERBASE moves the user base and site; a .pth file there adds a directory.
BOOST_AUTO_TEST_CASE(user_base_and_pth_file_match_python) {
  TemporaryDirectory home;
  Environment environment{{{"PYTHONUSERBASE", home / "userbase"}}};
  const std::string user_site =
      lines(ask_python("import site; print(site.getusersitepackages())", environment, home.path().native()))[0];
  const std::string added = home.make_directory("added-by-pth");
  home.write(user_site.substr(home.path().native().size() + 1) + "/extra.pth", added + "\n");
  home.make_directory(user_site.substr(home.path().native().size() + 1));
  Outcome ours = check_matches_reference({"--json"}, environment, home.path().native());
  BOOST_TEST(ours.out.find("\"" + added + "/\", \"sources\": [\"sys.path\"]") != std::string::npos, ours.out);
  BOOST_TEST(ours.out.find("\"" + home / "userbase/" + "\", \"sources\": [\"user-base\"]") != std::string::npos);
  BOOST_TEST(ours.out.find("\"" + user_site + "/\", \"sources\": [\"sys.path\", \"user-site\"]") != std::string::npos);

  environment.set["PYTHONNOUSERSITE"] = "1";
  Outcome without_user_site = check_matches_reference({}, environment, home.path().native());
  BOOST_TEST(!has_line(without_user_site, added + "/"), "PYTHONNOUSERSITE: the user site's .pth is not read");
  BOOST_TEST(has_line(without_user_site, user_site + "/"), "getusersitepackages() is still listed, as torch lists it");
}

// Package roots: regular, namespace in two portions, single-file, side effect, missing.
BOOST_AUTO_TEST_CASE(package_roots_match_python_without_importing) {
  TemporaryDirectory home;
  const std::string marker = home / "imported.marker";
  home.write("one/regular/__init__.py", "open(" + std::string("'") + marker + "', 'w').close()\n");
  home.write("one/namespace/a.py", "");
  home.write("two/namespace/b.py", "");
  home.write("two/single.py", "open('" + marker + "', 'w').close()\n");
  Environment environment{{{"PYTHONPATH", home / "one" + ":" + home / "two"}}};
  const std::vector<std::string> packages = {"regular", "namespace", "single", "missing_module", "sys"};
  std::vector<std::string> arguments;
  for (const std::string& name : packages) arguments.insert(arguments.end(), {"--package", name});

  Outcome ours = check_matches_reference(arguments, environment, home.path().native());
  BOOST_TEST(!boost::filesystem::exists(marker), "locating a package must not run its code");
  BOOST_TEST(ours.err == "pyprefix: warning: package 'missing_module' not found\n");

  // The reference located the roots without importing too; importing shows they are torch's
  // dirname(dirname(package.__file__)), and that the marker does detect an import.
  const std::string imported_root =
      lines(ask_python("import os, regular; print(os.path.dirname(os.path.dirname(regular.__file__)))", environment,
                       home.path().native()))[0];
  BOOST_TEST(boost::filesystem::exists(marker));
  BOOST_TEST(has_line(ours, imported_root + "/"));
}

// --version names pyprefix and the interpreter it embeds, or the one --python names.
BOOST_AUTO_TEST_CASE(version_names_the_embedded_python) {
  TemporaryDirectory cwd;
  const std::string describe =
      "import platform, sys; print('Python %s (%s)' % (platform.python_version(), sys.executable))";
  Outcome ours = run_cli({"--version"}, {}, cwd.path().native());
  BOOST_TEST(ours.exit_code == 0);
  BOOST_TEST(ours.out ==
             std::string("pyprefix ") + PYPREFIX_VERSION + "\n" + ask_python(describe, {}, cwd.path().native()));
  for (const std::string& python : test_pythons()) {
    Outcome theirs = run_cli({"--version", "--python", python}, {}, cwd.path().native());
    BOOST_TEST(theirs.exit_code == 0, theirs.err);
    Outcome expected = run_python(describe, {}, cwd.path().native(), python);
    BOOST_TEST(theirs.out == std::string("pyprefix ") + PYPREFIX_VERSION + "\n" + expected.out, python);
  }
}

// The reader runs in this process (the embedded interpreter) or in a child (--python): given
// the same odd environment, both say the same, to the byte, warnings and errors included.
BOOST_AUTO_TEST_CASE(live_and_child_readers_say_the_same) {
  TemporaryDirectory home;
  const std::string cwd = home.path().native();
  struct Scenario {
    std::string name, sitecustomize;
    std::vector<std::string> arguments;
    int exit_code;
    std::string expected_error;  // a line stderr must hold
  };
  const std::vector<Scenario> scenarios = {
      {"odd sys.path entries",
       "import pathlib, sys\n"
       "class Raising:\n"
       "    def __fspath__(self): raise RuntimeError('no path today')\n"
       "sys.path.extend([None, 5, b'/tmp/bytes-\\xff', pathlib.Path('/tmp/path'), Raising(), '/tmp/\\ud800'])\n",
       {"--json"},
       0,
       "pyprefix: warning: sys.path[" /* every skipped entry is named by its index */},
      {"a raising site function",
       "import site\nsite.getuserbase = lambda: 1 / 0\n",
       {},
       1,
       "pyprefix: site.getuserbase() raised ZeroDivisionError: division by zero\n"},
      {"site-packages that is not a list",
       "import site\nsite.getsitepackages = lambda: 'one'\n",
       {},
       1,
       "pyprefix: site.getsitepackages() is a str, not a list\n"},
      {"a failing sysconfig",
       "import sysconfig\n"
       "def broken(*arguments): raise OSError('no config')\n"
       "sysconfig.get_path = broken\n",
       {"--classify"},
       1,
       "pyprefix: sysconfig.get_path('stdlib') raised OSError: no config\n"},
      {"odd install schemes",
       "import sysconfig\n"
       "real = sysconfig.get_path\n"
       "def get_path(name, scheme=None):\n"
       "    if scheme == 'broken': raise KeyError(scheme)\n"
       "    return real(name) if scheme is None else real(name, scheme)\n"
       "sysconfig.get_path = get_path\n"
       "sysconfig.get_scheme_names = lambda: ('posix_prefix', 7, 'broken')\n",
       {"--classify", "--json"},
       0,
       "pyprefix: warning: sysconfig.get_scheme_names()[1] skipped: int is not str\n"
       "pyprefix: warning: sysconfig.get_path('purelib', 'broken') skipped: it raised KeyError: 'broken'\n"},
      {"a spec whose has_location raises",
       "import sys\n"
       "class Spec:\n"
       "    submodule_search_locations = None\n"
       "    @property\n"
       "    def has_location(self): raise RuntimeError('no location')\n"
       "class Finder:\n"
       "    @staticmethod\n"
       "    def find_spec(name, path=None, target=None): return Spec() if name == 'trick' else None\n"
       "sys.meta_path.insert(0, Finder)\n",
       {"--package", "trick"},
       0,
       "pyprefix: warning: package 'trick' skipped: reading its spec raised RuntimeError: no location\n"},
      {"a package name that is not one",
       "",
       {"--package", "a.b"},
       1,
       "pyprefix: invalid package name 'a.b': give a top-level module name, such as torch\n"},
  };
  for (const Scenario& scenario : scenarios) {
    const std::string folder = home.make_directory(std::to_string(&scenario - scenarios.data()));
    home.write(folder.substr(cwd.size() + 1) + "/sitecustomize.py", scenario.sitecustomize);
    const Environment environment{{{"PYTHONPATH", folder}}};
    std::vector<std::string> in_child = {"--python", python_path};
    in_child.insert(in_child.end(), scenario.arguments.begin(), scenario.arguments.end());
    const Outcome live = run_cli(scenario.arguments, environment, cwd);
    const Outcome child = run_cli(in_child, environment, cwd);
    BOOST_TEST_CONTEXT(scenario.name) {
      BOOST_TEST(live.exit_code == scenario.exit_code, live.err);
      BOOST_TEST(child.exit_code == live.exit_code);
      BOOST_TEST(child.out == live.out);
      // pyprefix's own lines; Python's start-up may add its own (a usercustomize that fails
      // to import past such sys.path entries) only in the child, which runs site in full.
      BOOST_TEST(pyprefix_lines(child.err) == pyprefix_lines(live.err), boost::test_tools::per_element());
      BOOST_TEST(live.err.find(scenario.expected_error) != std::string::npos, live.err);
    }
  }
}

// Usage errors exit 2 with one line on stderr and nothing on stdout.
BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_one_line) {
  TemporaryDirectory cwd;
  for (const auto& arguments : std::vector<std::vector<std::string>>{{"--bogus"}, {"--package"}, {"list", "extra"}}) {
    Outcome ours = run_cli(arguments, {}, cwd.path().native());
    BOOST_TEST(ours.exit_code == 2);
    BOOST_TEST(ours.out.empty());
    BOOST_TEST(lines(ours.err).size() == 1u, ours.err);
    BOOST_TEST(ours.err.rfind("pyprefix: ", 0) == 0u);
  }
}

// Runtime errors exit 1 with one line on stderr and no partial list.
BOOST_AUTO_TEST_CASE(runtime_errors_exit_1_with_one_line) {
  TemporaryDirectory cwd;
  Outcome bad_home = run_cli({}, {{{"PYTHONHOME", cwd / "no-such-home"}}}, cwd.path().native());
  BOOST_TEST(bad_home.exit_code == 1);
  BOOST_TEST(bad_home.out.empty());
  BOOST_TEST(lines(bad_home.err).size() == 1u, bad_home.err);
  BOOST_TEST(bad_home.err.find("cannot start the embedded Python") != std::string::npos, bad_home.err);

  Outcome bad_name = run_cli({"--package", "torch.nn"}, {}, cwd.path().native());
  BOOST_TEST(bad_name.exit_code == 1);
  BOOST_TEST(bad_name.out.empty());
  BOOST_TEST(bad_name.err ==
             "pyprefix: invalid package name 'torch.nn': give a top-level module name, such as torch\n");
}

// --help documents every option.
BOOST_AUTO_TEST_CASE(help_lists_the_options) {
  TemporaryDirectory cwd;
  Outcome help = run_cli({"--help"}, {}, cwd.path().native());
  BOOST_TEST(help.exit_code == 0);
  for (const char* option : {"--package", "--json", "--version", "--help", "list"})
    BOOST_TEST(help.out.find(option) != std::string::npos, option);
}
