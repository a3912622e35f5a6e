// `pyprefix trim` against the reference's trim, saved lists, kinds on real environments.
#define BOOST_TEST_MODULE pyprefix trim
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <fstream>

#include "support/cli_checks.hpp"
#include "support/reference.hpp"
#include "support/temporary_directory.hpp"

using namespace pyprefix::test;

namespace {

// Paths the interpreter really has (every loaded module's file, frozen ones included) plus the
// odd lines a trace may hold, written to `file`.
std::string write_trace(const TemporaryDirectory& home, const std::string& file, const Environment& environment,
                        const std::string& python = python_path) {
  Outcome modules = run_python(
      "import json, os, sys, email.mime.text, importlib.util, sysconfig\n"
      "for m in list(sys.modules.values()):\n"
      "    f = getattr(m, '__file__', None)\n"
      "    if f: sys.stdout.buffer.write(os.fsencode(f) + b'\\n'); sys.stdout.buffer.write(os.fsencode(f) + b'(12): "
      "run\\n')\n",
      environment, home.path().native(), python);
  BOOST_TEST_REQUIRE(modules.exit_code == 0, modules.err);
  std::string trace = modules.out;
  trace += "<frozen importlib._bootstrap>\n<string>\n<stdin>\nrelative/x.py\n\n";
  trace += std::string("/usr/lib/python3/\0nul.py\n", 25);
  trace += home / "app/main.py\r\n";
  trace += "/" + std::string(1 << 20, 'a') + "\n";
  trace += home / "pkgs/mine/mod.py(3): f\n";
  trace += home / "pkgs/\xff-undecodable.py\n";
  for (const char* name : {"app/x.py", "app/sub/y.py", "app/z.py", "app/sub/w.py", "app/sub/deeper/v.py", "app/u.py"})
    trace += home / name + "\n";  // nested prefixes, in and out of the same folder
  trace += home / "app/no-final-newline.py";
  return home.write(file, trace);
}

void check_trim_matches_reference(const std::vector<std::string>& options, const Environment& environment,
                                  const TemporaryDirectory& home, const std::string& trace) {
  std::vector<std::string> arguments = {"trim"};
  arguments.insert(arguments.end(), options.begin(), options.end());
  arguments.push_back(trace);
  Outcome theirs = run_reference(arguments, environment, home.path().native());
  BOOST_TEST_REQUIRE(theirs.exit_code == 0, theirs.err);
  Outcome ours = run_cli(arguments, environment, home.path().native());
  BOOST_TEST(ours.exit_code == 0, ours.err);
  BOOST_TEST(ours.out.size() == theirs.out.size());
  const std::vector<std::string> our_lines = lines(ours.out), their_lines = lines(theirs.out);
  const auto differ = std::mismatch(our_lines.begin(), our_lines.end(), their_lines.begin(), their_lines.end());
  BOOST_TEST((ours.out == theirs.out),
             "trim output differs from the reference's, first at\n  ours:   "
                 << (differ.first != our_lines.end() ? differ.first->substr(0, 400) : "")
                 << "\n  theirs: " << (differ.second != their_lines.end() ? differ.second->substr(0, 400) : ""));
}

}  // namespace

// Real module paths and odd lines (NUL, CRLF, a 1 MiB line, no final newline, pseudo-files,
// Kineto-style names), plain and as JSON Lines, with packages and classification.
BOOST_AUTO_TEST_CASE(trim_matches_reference) {
  TemporaryDirectory home;
  home.write("pkgs/mine/__init__.py", "raise SystemExit('imported')\n");
  const Environment environment{{{"PYTHONPATH", home / "app" + ":" + home / "app/sub" + ":" + home / "pkgs"}}};
  const std::string trace = write_trace(home, "trace.txt", environment);
  check_trim_matches_reference({}, environment, home, trace);
  check_trim_matches_reference({"--json", "--package", "mine"}, environment, home, trace);
  check_trim_matches_reference({"--json", "--classify", "--package", "mine"}, environment, home, trace);
}

// Several files in order, and standard input.
BOOST_AUTO_TEST_CASE(files_and_standard_input) {
  TemporaryDirectory home;
  const std::string stdlib_file = lines(run_python("import os; print(os.__file__)", {}, "/").out)[0];
  const std::string first = home.write("1.txt", stdlib_file + "\n");
  const std::string second = home.write("2.txt", "<string>\n" + stdlib_file);
  Outcome both = run_cli({"trim", first, second}, {}, home.path().native());
  BOOST_TEST(both.exit_code == 0, both.err);
  BOOST_TEST(both.out == "os.py\n<string>\nos.py");
  Outcome piped = run({"/bin/sh", "-c", "\"$0\" trim - < \"$1\"", cli_path, first}, {}, home.path().native());
  BOOST_TEST(piped.out == "os.py\n");
}

// A saved list, plain or JSON, trims offline exactly as the live interpreter does, kinds and
// undecodable names included (module names also need the interpreter's facts, which a saved list lacks).
BOOST_AUTO_TEST_CASE(saved_lists_trim_like_the_live_list) {
  TemporaryDirectory home;
  const Environment environment{{{"PYTHONPATH", home / "app" + ":" + home / "pkgs/\xff-odd"}}};
  const std::string trace = write_trace(home, "trace.txt", environment);
  Outcome live = run_cli({"trim", "--json", "--classify", trace}, environment, home.path().native());
  BOOST_TEST_REQUIRE(live.exit_code == 0, live.err);

  Outcome json_list = run_cli({"list", "--json", "--classify"}, environment, home.path().native());
  const std::string json_file = home.write("list.json", json_list.out);
  Outcome from_json = run_cli({"trim", "--json", "--prefixes", json_file, trace}, {}, home.path().native());
  BOOST_TEST(from_json.exit_code == 0, from_json.err);
  // A saved list carries no interpreter facts (extension suffixes, cache tag, sys.path order),
  // so module names may differ; the trimming and the kinds may not.
  const auto trimming_keys = [](const std::string& json_lines) {
    std::string kept;
    for (const std::string& line : lines(json_lines)) kept += line.substr(0, line.find(", \"module\": ")) + "\n";
    return kept;
  };
  BOOST_TEST((trimming_keys(from_json.out) == trimming_keys(live.out)),
             "trim --prefixes list.json differs from the live trim");

  Outcome plain_list = run_cli({"list", "--classify"}, environment, home.path().native());
  const std::string plain_file = home.write("list.txt", plain_list.out);
  Outcome live_plain = run_cli({"trim", "--classify", trace}, environment, home.path().native());
  Outcome from_plain = run_cli({"trim", "--prefixes", plain_file, trace}, {}, home.path().native());
  BOOST_TEST(from_plain.exit_code == 0, from_plain.err);
  BOOST_TEST((from_plain.out == live_plain.out), "trim --prefixes list.txt differs from the live trim");
}

// Bad saved lists: a one-line error and nothing written.
BOOST_AUTO_TEST_CASE(bad_saved_lists_are_refused) {
  TemporaryDirectory home;
  const std::string cwd = home.path().native();
  const std::string input = home.write("in.txt", "/a/b.py\n");
  check_refused({"trim", "--prefixes", home / "missing.json", input}, "No such file or directory", cwd);
  check_refused({"trim", "--prefixes", cwd, input}, "Is a directory", cwd);
  check_refused({"trim", "--prefixes",
                 home.write("garbage", std::string("\x7f"
                                                   "ELF\0\0\1",
                                                   7)),
                 input},
                "line 1 is not an absolute path", cwd);
  check_refused({"trim", "--prefixes", home.write("cut.json", "[{\"prefix\": \"/a/\"}, {\"pre"), input},
                "not a pyprefix list", cwd);
  check_refused(
      {"trim", "--prefixes", home.write("source.json", "[{\"prefix\": \"/a/\", \"sources\": [\"nope\"]}]"), input},
      "an unknown source 'nope'", cwd);
  check_refused({"trim", "--prefixes", home.write("relative.json", "[{\"prefix\": \"a/\"}]"), input},
                "a prefix that is not an absolute path", cwd);
  check_refused({"trim", "--prefixes", home.write("ok.txt", "/a/\n"), home / "missing-input"}, "cannot read", cwd);
  Outcome conflict = run_cli({"trim", "--prefixes", home / "ok.txt", "--python", "python3"}, {}, cwd);
  BOOST_TEST(conflict.exit_code == 2);
  BOOST_TEST(conflict.out.empty());
}

// Kinds on real environments: every interpreter's venv, with a package, the app and pseudo-files.
BOOST_AUTO_TEST_CASE(kinds_on_real_environments) {
  TemporaryDirectory home;
  int index = 0;
  for (const std::string& python : test_pythons()) {
    const std::string venv = home / ("venv-" + std::to_string(index++));
    BOOST_TEST_REQUIRE(run({python, "-m", "venv", "--without-pip", venv}, {}, "/").exit_code == 0);
    const std::string venv_python = venv + "/bin/python";
    const Environment environment{{{"PYTHONPATH", home / "app" + ":" + home / "pkgs"}}};
    home.write("pkgs/mine/__init__.py", "");
    Outcome where = run_python(
        "import os, site, sysconfig\n"
        "print(os.__file__)\n"
        "print(os.path.join(sysconfig.get_config_var('DESTSHARED'), 'x.so'))\n"
        "print(os.path.join(site.getsitepackages()[0], 'dep', 'x.py'))\n"
        "print(os.path.join(site.getusersitepackages(), 'dep', 'x.py'))\n",
        environment, home.path().native(), venv_python);
    BOOST_TEST_REQUIRE(where.exit_code == 0, where.err);
    const std::vector<std::string> files = lines(where.out);
    const std::vector<std::pair<std::string, std::string>> expected = {{files[0], "stdlib"},
                                                                       {files[1], "stdlib"},
                                                                       {files[2], "third-party"},
                                                                       {files[3], "third-party"},
                                                                       {home / "app/main.py", "application"},
                                                                       {home / "pkgs/mine/__init__.py", "package-root"},
                                                                       {"<frozen importlib._bootstrap>", "stdlib"},
                                                                       {"<string>", "unknown"},
                                                                       {"/nowhere/x.py", "unknown"}};
    std::string trace;
    for (const auto& [path, kind] : expected) trace += path + "\n";
    const std::string trace_file = home.write("kinds.txt", trace);
    Outcome ours = run_cli({"trim", "--json", "--classify", "--python", venv_python, "--package", "mine", trace_file},
                           environment, home.path().native());
    BOOST_TEST_REQUIRE(ours.exit_code == 0, ours.err);
    const std::vector<std::string> results = lines(ours.out);
    BOOST_TEST_REQUIRE(results.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
      BOOST_TEST(results[i].find("\"kind\": \"" + expected[i].second + "\"") != std::string::npos,
                 python << ": " << results[i]);
  }
}

// --resolve-symlinks: a prefix reached through a symlink also matches paths in resolved form;
// the plain list stays as it was.
BOOST_AUTO_TEST_CASE(symlinked_prefixes_match_both_forms) {
  TemporaryDirectory home;
  const std::string real = home.make_directory("real/lib");
  boost::filesystem::create_directory_symlink(home / "real", home / "link");
  const Environment environment{{{"PYTHONPATH", home / "link/lib"}}};
  const std::string trace = home.write("trace.txt", home / "link/lib/a.py\n" + real + "/b.py\n");

  Outcome plain = run_cli({"list"}, environment, home.path().native());
  Outcome plain_resolving = run_cli({"list", "--resolve-symlinks"}, environment, home.path().native());
  BOOST_TEST(plain_resolving.out == plain.out, "the list itself does not change");
  Outcome json = run_cli({"list", "--json", "--resolve-symlinks"}, environment, home.path().native());
  BOOST_TEST(json.out.find("{\"prefix\": \"" + home / "link/lib/" +
                           "\", \"sources\": [\"sys.path\"], \"resolved\": \"" + real + "/\"}") != std::string::npos,
             json.out);

  Outcome without = run_cli({"trim", trace}, environment, home.path().native());
  BOOST_TEST(without.out == "a.py\n" + real + "/b.py\n");
  Outcome with = run_cli({"trim", "--resolve-symlinks", trace}, environment, home.path().native());
  BOOST_TEST(with.out == "a.py\nb.py\n");
  Outcome matched = run_cli({"trim", "--json", "--resolve-symlinks", trace}, environment, home.path().native());
  BOOST_TEST(matched.out.find("\"short\": \"b.py\", \"prefix\": \"" + home / "link/lib/" +
                              "\", \"kind\": \"application\"") != std::string::npos,
             matched.out);

  // The saved JSON list carries the alias offline.
  const std::string saved = home.write("list.json", json.out);
  Outcome offline = run_cli({"trim", "--prefixes", saved, trace}, {}, home.path().native());
  BOOST_TEST(offline.out == "a.py\nb.py\n");
}
