// Finding the Python a caller names (lib/ask/child/executable.cpp), as a shell finds a command:
// a table of names against a folder of the test's own on PATH.
#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "ask/child/executable.hpp"
#include "support/temporary_directory.hpp"

namespace {

// Sets PATH for as long as it lives, then puts the old one back.
class PathSetTo {
 public:
  explicit PathSetTo(const std::string& path) : had_(std::getenv("PATH") != nullptr) {
    if (had_) old_ = std::getenv("PATH");
    setenv("PATH", path.c_str(), 1);
  }
  ~PathSetTo() {
    if (had_)
      setenv("PATH", old_.c_str(), 1);
    else
      unsetenv("PATH");
  }
  PathSetTo(const PathSetTo&) = delete;
  PathSetTo& operator=(const PathSetTo&) = delete;

 private:
  bool had_;
  std::string old_;
};

// "= PATH" for what find_executable gives, else its message with `folder` written as "DIR".
std::string found(const std::string& name, const std::string& folder) {
  std::string result;
  try {
    result = "= " + pyprefix::detail::find_executable(name);
  } catch (const pyprefix::error& e) {
    result = e.what();
  }
  for (size_t at = result.find(folder); at != std::string::npos; at = result.find(folder))
    result.replace(at, folder.size(), "DIR");
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(executable)

BOOST_AUTO_TEST_CASE(names_are_found_as_a_shell_finds_commands) {
  const pyprefix::test::TemporaryDirectory folder;
  const std::string dir = folder.path().native();
  const auto program = [&](const std::string& relative, mode_t mode) {
    const std::string path = folder.write(relative, "#!/bin/sh\n");
    BOOST_REQUIRE(chmod(path.c_str(), mode) == 0);
  };
  program("first/python3", 0755);
  program("second/python3", 0755);
  program("second/only-second", 0755);
  program("first/not-executable", 0644);
  program("second/not-executable", 0755);  // a shell skips the first, which it cannot run
  program("plain-file", 0644);
  folder.make_directory("first/a-folder");
  folder.make_directory("second/a-folder");
  const PathSetTo path(dir + "/first:" + dir + "/second");
  const struct {
    std::string name, result;
  } table[] = {
      {"python3", "= DIR/first/python3"},
      {"only-second", "= DIR/second/only-second"},
      {"not-executable", "= DIR/second/not-executable"},
      {dir + "/second/python3", "= DIR/second/python3"},  // a path is used as it is
      {dir + "/plain-file", "Python executable 'DIR/plain-file' is not executable"},
      {dir + "/first", "Python executable 'DIR/first' is a directory"},
      {dir + "/missing", "Python executable 'DIR/missing' does not exist"},
      {"no-such-python", "Python executable 'no-such-python' was not found on PATH"},
      {"a-folder", "Python executable 'a-folder' was not found on PATH"},
      {"", "the Python executable's name is empty"},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.name) {
      BOOST_TEST(found(row.name, dir) == row.result);
    }
}

BOOST_AUTO_TEST_SUITE_END()
