#include "support/temporary_directory.hpp"

#include <boost/filesystem/fstream.hpp>

namespace pyprefix::test {

std::string TemporaryDirectory::write(const std::string& relative, const std::string& text) const {
  const boost::filesystem::path file = path_ / relative;
  boost::filesystem::create_directories(file.parent_path());
  boost::filesystem::ofstream stream(file, std::ios::binary);
  stream << text;
  return file.native();
}

std::string TemporaryDirectory::make_directory(const std::string& relative) const {
  boost::filesystem::create_directories(path_ / relative);
  return (path_ / relative).native();
}

}  // namespace pyprefix::test
