// `pyprefix --python EXE` and `--isolated` against each interpreter's own answer, in venvs
// and environments the tests build; and every kind of bad target.
#define BOOST_TEST_MODULE pyprefix-- python
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/cli_checks.hpp"
#include "support/reference.hpp"
#include "support/temporary_directory.hpp"

using namespace pyprefix::test;

namespace {

// pyprefix --python EXE ARGUMENTS against the reference run by EXE itself.
void check_matches(const std::string& python, std::vector<std::string> arguments, const Environment& environment,
                   const std::string& cwd, bool isolated = false) {
  Outcome theirs = run_reference(arguments, environment, cwd, python, isolated);
  BOOST_TEST_REQUIRE(theirs.exit_code == 0, python << ": the reference failed: " << theirs.err);
  arguments.insert(arguments.begin(), {"--python", python});
  if (isolated) arguments.push_back("--isolated");
  Outcome ours = run_cli(arguments, environment, cwd);
  BOOST_TEST(ours.exit_code == 0, python << ": pyprefix failed: " << ours.err);
  BOOST_TEST(ours.out == theirs.out, python);
  BOOST_TEST(lines(ours.out).size() >= 4u, python);
}

std::string make_venv(const std::string& python, const std::string& where, bool system_site_packages) {
  std::vector<std::string> argv = {python, "-m", "venv", "--without-pip"};
  if (system_site_packages) argv.push_back("--system-site-packages");
  argv.push_back(where);
  Outcome made = run(argv, {}, "/");
  BOOST_TEST_REQUIRE(made.exit_code == 0, python << " -m venv: " << made.err);
  return where + "/bin/python";
}

// site.getsitepackages()[0] of `python`: where a venv's .pth files and sitecustomize go.
std::string site_packages_of(const std::string& python) {
  Outcome answer = run_python("import site; print(site.getsitepackages()[0])", {}, "/", python);
  BOOST_TEST_REQUIRE(answer.exit_code == 0, answer.err);
  return lines(answer.out)[0];
}

void write_file(const std::string& path, const std::string& text, bool executable = false) {
  std::ofstream(path, std::ios::binary) << text;
  if (executable) chmod(path.c_str(), 0755);
}

// True once the process `pid` has gone (or is a zombie awaiting its new parent), within 5 s.
bool process_ends(const std::string& pid_file) {
  std::string pid;
  for (int tries = 0; tries < 100 && pid.empty(); ++tries) {
    std::ifstream(pid_file) >> pid;
    if (pid.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST_REQUIRE(!pid.empty(), "the child never wrote its pid");
  for (int tries = 0; tries < 250; ++tries) {
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string skipped, state;
    if (!(stat >> skipped >> skipped >> state) || state == "Z") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

// Every interpreter on the machine, as installed, with and without packages and environment.
BOOST_AUTO_TEST_CASE(each_interpreter_matches_its_own_answer) {
  BOOST_TEST_MESSAGE("interpreters: " << PYPREFIX_TEST_PYTHONS);
  BOOST_TEST_REQUIRE(!test_pythons().empty());
  TemporaryDirectory home;
  home.write("pkgs/regular/__init__.py", "raise SystemExit('imported')\n");
  home.write("pkgs/single.py", "");
  const Environment environment{{{"PYTHONPATH", "rel:" + home / "pkgs" + "://x/"}, {"PYTHONUSERBASE", home / "ub"}}};
  Environment without_user_site = environment;
  without_user_site.set["PYTHONNOUSERSITE"] = "1";
  for (const std::string& python : test_pythons()) {
    check_matches(python, {}, {}, home.path().native());
    check_matches(python, {"--package", "regular", "--package", "single", "--package", "pip"}, environment,
                  home.path().native());
    check_matches(python, {"--json"}, without_user_site, home.path().native());
  }
}

// venvs, plain and with --system-site-packages, of every interpreter; -I ignores PYTHONPATH.
BOOST_AUTO_TEST_CASE(venvs_match_their_own_answer) {
  TemporaryDirectory home;
  const Environment environment{{{"PYTHONPATH", home / "on-pythonpath"}}};
  int index = 0;
  for (const std::string& python : test_pythons()) {
    for (bool system_site : {false, true}) {
      const std::string venv_python = make_venv(python, home / ("venv-" + std::to_string(index++)), system_site);
      check_matches(venv_python, {"--package", "encodings"}, environment, home.path().native());
      check_matches(venv_python, {}, environment, home.path().native(), true);
      Outcome ours = run_cli({"--python", venv_python}, environment, home.path().native());
      BOOST_TEST(ours.out.find(site_packages_of(venv_python) + "/\n") != std::string::npos,
                 "the venv's own site-packages");
    }
  }
}

// --isolated runs nothing from the environment, yet lists what `python -I` lists.
BOOST_AUTO_TEST_CASE(isolated_runs_no_code_from_the_environment) {
  TemporaryDirectory home;
  int index = 0;
  for (const std::string& python : test_pythons()) {
    const std::string venv_python = make_venv(python, home / ("venv-" + std::to_string(index++)), false);
    const std::string site_packages = site_packages_of(venv_python);
    const std::string marker = home / "marker";
    const auto writes_marker = [&](const std::string& word) {
      return "open('" + marker + "', 'a').write('" + word + " ')";
    };
    const std::string added = home.make_directory("added-by-pth");
    write_file(site_packages + "/evil.pth", added + "\nimport os; " + writes_marker("pth") + "\n");
    write_file(site_packages + "/sitecustomize.py", writes_marker("sitecustomize") + "\n");
    boost::filesystem::create_directories(site_packages + "/sidepkg");
    write_file(site_packages + "/sidepkg/__init__.py", writes_marker("package") + "\n");

    Outcome ours = run_cli({"--python", venv_python, "--isolated", "--package", "sidepkg"}, {}, home.path().native());
    BOOST_TEST(ours.exit_code == 0, ours.err);
    BOOST_TEST(!boost::filesystem::exists(marker), python << ": isolated mode ran code from the environment");
    BOOST_TEST(ours.out.find(added + "/\n") != std::string::npos, "the .pth file's directory is listed");

    // Python's own -I runs the .pth import line and sitecustomize (the markers prove the test
    // can see them), and lists the same directories.
    Outcome theirs = run_reference({"--package", "sidepkg"}, {}, home.path().native(), venv_python, true);
    BOOST_TEST_REQUIRE(theirs.exit_code == 0, theirs.err);
    BOOST_TEST(ours.out == theirs.out, python);
    std::string ran;
    std::getline(std::ifstream(marker), ran);
    BOOST_TEST(ran.find("pth") != std::string::npos, python << ": -I ran: " << ran);
    boost::filesystem::remove(marker);
  }
}

// A bare name is looked up on PATH as a shell would.
BOOST_AUTO_TEST_CASE(bare_name_is_found_on_path) {
  TemporaryDirectory home;
  boost::filesystem::create_directories(home / "bin");
  boost::filesystem::create_symlink(python_path, home / "bin/my-python");
  Environment environment{{{"PATH", home / "empty-dir" + ":" + home / "bin" + ":/usr/bin:/bin"}}};
  Outcome ours = run_cli({"--python", "my-python"}, environment, home.path().native());
  Outcome theirs = run_reference({}, environment, home.path().native(), home / "bin/my-python");
  BOOST_TEST(ours.exit_code == 0, ours.err);
  BOOST_TEST(ours.out == theirs.out);
  check_refused({"--python", "no-such-python-anywhere"}, "'no-such-python-anywhere' was not found on PATH",
                home.path().native());
}

// Files that are not a Python 3.8+: named in one line, exit 1, nothing printed, nothing left.
BOOST_AUTO_TEST_CASE(bad_targets_are_refused_in_one_line) {
  TemporaryDirectory home;
  const std::string cwd = home.path().native();
  check_refused({"--python", home / "missing"}, "does not exist", cwd);
  check_refused({"--python", cwd}, "is a directory", cwd);
  write_file(home / "not-executable", "#!/bin/sh\n");
  check_refused({"--python", home / "not-executable"}, "is not executable", cwd);
  write_file(home / "not-python", "#!/bin/sh\necho hello\n", true);
  check_refused({"--python", home / "not-python"}, "is not a Python 3 interpreter", cwd);
  write_file(home / "failing", "#!/bin/sh\necho 'something broke' >&2\nexit 3\n", true);
  check_refused({"--python", home / "failing"}, "exited with status 3: something broke", cwd);
  write_file(home / "garbage", "#!/bin/sh\nprintf 'pyprefix-reader 1\\0Q???\\0end\\0' >&3\n", true);
  check_refused({"--python", home / "garbage"}, "gave an answer pyprefix cannot read", cwd);
  write_file(home / "multi-line", "#!/bin/sh\nprintf 'pyprefix-reader 1\\0Xfirst line\\nsecond line\\0' >&3\n", true);
  check_refused({"--python", home / "multi-line"}, "first line", cwd);
  write_file(home / "cut-off", "#!/bin/sh\nprintf 'pyprefix-reader 1\\0Esys.path:/x' >&3\n", true);
  check_refused({"--python", home / "cut-off"}, "cut off", cwd);
  write_file(home / "flood", "#!/bin/sh\nexec cat /dev/zero\n", true);
  check_refused({"--python", home / "flood"}, "printed more than 64 MiB", cwd);
  write_file(home / "fake-old", "#!/bin/sh\nprintf 'pyprefix-reader-too-old 3.7.1\\0' >&3\n", true);
  check_refused({"--python", home / "fake-old"}, "is Python 3.7.1; pyprefix needs 3.8 or newer", cwd);
  check_refused({"--python", python_path, "--package", "a.b"}, "invalid package name 'a.b'", cwd);
}

// A hanging program, and one that leaves a process behind, are killed with their group.
BOOST_AUTO_TEST_CASE(hanging_targets_are_killed) {
  TemporaryDirectory home;
  const std::string cwd = home.path().native();
  write_file(home / "hang", "#!/bin/sh\necho $$ > " + home / "hang.pid" + "\nexec sleep 600\n", true);
  const auto started = std::chrono::steady_clock::now();
  check_refused({"--python", home / "hang", "--timeout", "0.5"}, "did not answer within 0.5 s", cwd);
  BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 30.0);
  BOOST_TEST(process_ends(home / "hang.pid"), "the hanging program was left running");

  // It exits at once, leaving a child that holds its output open: that does not hold up the
  // answer (there is none), and the child dies with the call.
  write_file(home / "orphan", "#!/bin/sh\nsleep 600 &\necho $! > " + home / "orphan.pid" + "\n", true);
  check_refused({"--python", home / "orphan", "--timeout", "20"}, "gave no answer", cwd);
  BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 15.0);
  BOOST_TEST(process_ends(home / "orphan.pid"), "the program's own child was left running");
}

boost::test_tools::assertion_result old_pythons_exist(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result found = !old_pythons().empty();
  found.message() << "no Python older than 3.8 on this machine (pyenv's 2.7, 3.6 or 3.7)";
  return found;
}

// Real interpreters older than 3.8, where the machine has them (pyenv's 2.7, 3.6, 3.7); the
// fake one in bad_targets_are_refused_in_one_line checks the message everywhere.
BOOST_AUTO_TEST_CASE(old_interpreters_are_named, *boost::unit_test::precondition(old_pythons_exist)) {
  TemporaryDirectory home;
  BOOST_TEST_MESSAGE("old interpreters on this machine: " << PYPREFIX_TEST_OLD_PYTHONS);
  for (const std::string& python : old_pythons()) {
    Outcome version = run({python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"}, {}, "/");
    check_refused({"--python", python}, "is Python " + lines(version.out)[0] + "; pyprefix needs 3.8 or newer",
                  home.path().native());
  }
}

namespace {

const std::string debian_python = "/usr/bin/python3";
const std::string torch_reference =
    "import sys\n"
    "del sys.path[0]  # the '' that -c adds\n"
    "from torch.profiler.python_tracer import _prefix_regex\n"
    "sys.stdout.write(''.join(p + '\\n' for p in _prefix_regex()))\n";

boost::test_tools::assertion_result torch_is_installed(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result installed =
      run({debian_python, "-c", "import torch.profiler.python_tracer"}, {}, "/").exit_code == 0;
  installed.message() << "python3-torch is not installed for " << debian_python;
  return installed;
}

}  // namespace

// The real thing: PyTorch's own _prefix_regex(), which imports torch, from Debian's python3-torch.
BOOST_AUTO_TEST_CASE(matches_torch_prefix_regex, *boost::unit_test::precondition(torch_is_installed)) {
  TemporaryDirectory cwd;
  Outcome theirs = run({debian_python, "-c", torch_reference}, {}, cwd.path().native());
  BOOST_TEST_REQUIRE(theirs.exit_code == 0, theirs.err);
  Outcome ours = run_cli({"--python", debian_python, "--package", "torch"}, {}, cwd.path().native());
  BOOST_TEST(ours.exit_code == 0, ours.err);
  BOOST_TEST(ours.out == theirs.out);
  BOOST_TEST(ours.out.find("/usr/lib/python3/dist-packages/\n") != std::string::npos);
}
