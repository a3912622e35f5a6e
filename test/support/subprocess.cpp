#include "support/subprocess.hpp"

#include <pyprefix/error.hpp>

#include "ask/child/child_process.hpp"

extern char** environ;

namespace pyprefix::test {
namespace {

std::vector<std::string> environment_strings(const Environment& environment) {
  std::vector<std::string> strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    std::string name = text.substr(0, text.find('='));
    if (name.rfind("PYTHON", 0) == 0 || environment.set.count(name) != 0) continue;
    strings.push_back(std::move(text));
  }
  for (const auto& [name, value] : environment.set) strings.push_back(name + "=" + value);
  return strings;
}

}  // namespace

Outcome run(const std::vector<std::string>& argv, const Environment& environment, const std::string& cwd, int seconds) {
  detail::ChildRequest request;
  request.argv = argv;
  request.environment = environment_strings(environment);
  request.working_directory = cwd;
  request.timeout = std::chrono::seconds(seconds);
  const detail::ChildResult result = detail::run_child(request);
  const bool exited = result.ending == detail::ChildResult::Ending::exited;
  return {exited ? result.status : -1, result.out, result.err};
}

std::vector<std::string> python_output_lines(const std::string& program, const std::vector<std::string>& arguments,
                                             const Environment& environment) {
  std::vector<std::string> argv = {PYPREFIX_PYTHON_EXECUTABLE, "-I", "-c", program};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const Outcome outcome = run(argv, environment, ".");
  if (outcome.exit_code != 0) throw error("the oracle program failed: " + outcome.err);
  std::vector<std::string> lines;
  for (size_t start = 0; start < outcome.out.size();) {
    const size_t end = outcome.out.find('\n', start);
    lines.push_back(outcome.out.substr(start, end - start));
    start = end == std::string::npos ? outcome.out.size() : end + 1;
  }
  return lines;
}

}  // namespace pyprefix::test
