// The compiled-reader cache's rules (lib/core/entries/compiled_cache.cpp), the only place they
// are written: what is read back (a regular file of this user's, one link, nobody else may
// write it, no symlink, at most max_cached_file bytes) and how it is written (a new 0600 file
// renamed over the old).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "core/confine/file_descriptor.hpp"
#include "core/entries/compiled_cache.hpp"
#include "support/temporary_directory.hpp"

BOOST_AUTO_TEST_SUITE(compiled_cache)

BOOST_AUTO_TEST_CASE(what_is_read_back) {
  namespace d = pyprefix::detail;
  pyprefix::test::TemporaryDirectory temporary;
  const std::string root = temporary.path().string();
  const d::FileDescriptor folder(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  BOOST_REQUIRE(folder.get() >= 0);
  d::write_cached(folder.get(), "reader.bin", "compiled");
  struct stat status {};
  BOOST_REQUIRE(stat((root + "/reader.bin").c_str(), &status) == 0);
  BOOST_TEST((status.st_mode & 07777) == 0600u);
  BOOST_TEST(d::read_cached(folder.get(), "reader.bin").value_or("none") == "compiled");
  d::write_cached(folder.get(), "reader.bin", "again");  // renamed over the old
  BOOST_TEST(d::read_cached(folder.get(), "reader.bin").value_or("none") == "again");
  // Writable by others: not read.
  chmod((root + "/reader.bin").c_str(), 0622);
  BOOST_TEST(!d::read_cached(folder.get(), "reader.bin"));
  chmod((root + "/reader.bin").c_str(), 0600);
  // Two links: not read (another name could change it).
  BOOST_REQUIRE(link((root + "/reader.bin").c_str(), (root + "/second").c_str()) == 0);
  BOOST_TEST(!d::read_cached(folder.get(), "reader.bin"));
  unlink((root + "/second").c_str());
  BOOST_TEST(d::read_cached(folder.get(), "reader.bin").has_value());
  // A symlink is not followed, a folder is not a file, a missing file is none.
  BOOST_REQUIRE(symlink("reader.bin", (root + "/link.bin").c_str()) == 0);
  BOOST_TEST(!d::read_cached(folder.get(), "link.bin"));
  mkdir((root + "/folder.bin").c_str(), 0700);
  BOOST_TEST(!d::read_cached(folder.get(), "folder.bin"));
  BOOST_TEST(!d::read_cached(folder.get(), "missing.bin"));
  // Larger than max_cached_file: not read.
  std::ofstream(root + "/large.bin") << std::string(d::max_cached_file + 1, 'x');
  chmod((root + "/large.bin").c_str(), 0600);
  BOOST_TEST(!d::read_cached(folder.get(), "large.bin"));
}

BOOST_AUTO_TEST_CASE(no_cache_where_it_is_turned_off) {
  setenv("PYPREFIX_CACHE_DIR", "", 1);
  BOOST_TEST(pyprefix::detail::compiled_cache_folder().empty());
  BOOST_TEST(pyprefix::detail::open_compiled_cache().get() < 0);
  unsetenv("PYPREFIX_CACHE_DIR");
}

BOOST_AUTO_TEST_SUITE_END()
