// A directory of a test's own, removed with everything in it when the test ends.
#ifndef PYPREFIX_TEST_SUPPORT_TEMPORARY_DIRECTORY_HPP
#define PYPREFIX_TEST_SUPPORT_TEMPORARY_DIRECTORY_HPP

#include <string>

#include <boost/filesystem.hpp>

namespace pyprefix::test {

class TemporaryDirectory {
 public:
  TemporaryDirectory()
      : path_(boost::filesystem::temp_directory_path() /
              boost::filesystem::unique_path("pyprefix-test-%%%%-%%%%-%%%%")) {
    boost::filesystem::create_directories(path_);
  }
  ~TemporaryDirectory() {
    boost::system::error_code ignored;  // a failed clean-up must not fail the test it follows
    boost::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const boost::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return (path_ / relative).native(); }

  // Writes `text` to `relative`, creating its parent directories.
  std::string write(const std::string& relative, const std::string& text) const;
  // Creates the directory `relative` and its parents.
  std::string make_directory(const std::string& relative) const;

 private:
  boost::filesystem::path path_;
};

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_TEMPORARY_DIRECTORY_HPP
