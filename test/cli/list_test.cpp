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

// --version names pyprefix and the interpreter it embeds.
BOOST_AUTO_TEST_CASE(version_names_the_embedded_python) {
  TemporaryDirectory cwd;
  Outcome ours = run_cli({"--version"}, {}, cwd.path().native());
  BOOST_TEST(ours.exit_code == 0);
  const std::string expected_python =
      ask_python("import platform, sys; print('Python %s (%s)' % (platform.python_version(), sys.executable))", {},
                 cwd.path().native());
  BOOST_TEST(ours.out == std::string("pyprefix ") + PYPREFIX_VERSION + "\n" + expected_python);
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
