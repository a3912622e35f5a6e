// The trust rule for paths (lib/core/confine/trusted_path.cpp): a path is trusted when every
// folder down to it, and it, belong to the user or root and no one else may write there (a
// sticky folder excepted), along the path and along its real path.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <boost/filesystem.hpp>
#include <boost/test/unit_test.hpp>

#include "core/confine/trusted_path.hpp"
#include "support/temporary_directory.hpp"

BOOST_AUTO_TEST_SUITE(trusted_path)

BOOST_AUTO_TEST_CASE(the_rules_on_a_tree_of_the_test_s_own) {
  pyprefix::test::TemporaryDirectory temporary;
  const std::string root = temporary.path().string();
  chmod(root.c_str(), 0700);
  const std::string file = root + "/file";
  std::ofstream(file) << "x";
  chmod(file.c_str(), 0600);
  const uid_t me = geteuid();
  BOOST_TEST(pyprefix::detail::why_untrusted(file, me).empty());
  // Another user than the owner (and not root): the owner's file is not theirs.
  const uid_t other = me == 0 ? 1 : me + 1;
  if (me != 0) BOOST_TEST(!pyprefix::detail::why_untrusted(file, other).empty());
  // Writable by the group or others: untrusted, the culprit named.
  chmod(file.c_str(), 0620);
  const std::string why = pyprefix::detail::why_untrusted(file, me);
  BOOST_TEST(why.find(file) != std::string::npos, why);
  chmod(file.c_str(), 0600);
  chmod(root.c_str(), 0777);
  BOOST_TEST(!pyprefix::detail::why_untrusted(file, me).empty());
  // Sticky, as /tmp is: nobody can rename another's entry out of it.
  chmod(root.c_str(), 01777);
  BOOST_TEST(pyprefix::detail::why_untrusted(file, me).empty());
  chmod(root.c_str(), 0700);
  // A symlink is judged along its real path too.
  const std::string link = root + "/link";
  BOOST_REQUIRE(symlink(file.c_str(), link.c_str()) == 0);
  BOOST_TEST(pyprefix::detail::why_untrusted(link, me).empty());
  chmod(file.c_str(), 0666);
  BOOST_TEST(!pyprefix::detail::why_untrusted(link, me).empty());
  // A path that does not exist says so.
  BOOST_TEST(!pyprefix::detail::why_untrusted(root + "/missing", me).empty());
}

BOOST_AUTO_TEST_SUITE_END()
