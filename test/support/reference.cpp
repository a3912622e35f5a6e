#include "support/reference.hpp"

namespace pyprefix::test {

Outcome run_cli(const std::vector<std::string>& arguments, const Environment& environment, const std::string& cwd) {
  std::vector<std::string> argv = {cli_path};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv, environment, cwd);
}

Outcome run_reference(const std::vector<std::string>& arguments, const Environment& environment, const std::string& cwd,
                      const std::string& python, bool isolated) {
  const std::string launcher =
      "import sys\n"
      "namespace = {'__name__': 'reference'}\n"
      "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), namespace)\n"
      "namespace['main'](sys.argv[2:])\n";
  std::vector<std::string> argv = {python};
  if (isolated) argv.push_back("-I");
  argv.insert(argv.end(), {"-c", launcher, PYPREFIX_TEST_REFERENCE});
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv, environment, cwd);
}

Outcome run_python(const std::string& code, const Environment& environment, const std::string& cwd,
                   const std::string& python) {
  return run({python, "-c", code}, environment, cwd);
}

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::vector<std::string> test_pythons() { return split(PYPREFIX_TEST_PYTHONS, '|'); }

std::vector<std::string> old_pythons() { return split(PYPREFIX_TEST_OLD_PYTHONS, '|'); }

std::vector<std::string> lines(const std::string& text) { return split(text, '\n'); }

}  // namespace pyprefix::test
