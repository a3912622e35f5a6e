#include "support/reference.hpp"

namespace pyprefix::test {

Outcome run_cli(const std::vector<std::string>& arguments, const Environment& environment, const std::string& cwd) {
  std::vector<std::string> argv = {cli_path};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv, environment, cwd);
}

Outcome run_reference(const std::vector<std::string>& arguments, const Environment& environment,
                      const std::string& cwd) {
  const std::string launcher =
      "import sys\n"
      "namespace = {'__name__': 'reference'}\n"
      "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), namespace)\n"
      "namespace['main'](sys.argv[2:])\n";
  std::vector<std::string> argv = {python_path, "-c", launcher, PYPREFIX_TEST_REFERENCE};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv, environment, cwd);
}

Outcome run_python(const std::string& code, const Environment& environment, const std::string& cwd) {
  return run({python_path, "-c", code}, environment, cwd);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    result.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return result;
}

}  // namespace pyprefix::test
