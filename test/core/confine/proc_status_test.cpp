// /proc/PID/status, read (lib/core/confine/proc_status.cpp): each field from real status texts of
// this process and of made-up ones, the states, the identity a child takes on, one identity or
// several (a set-user-ID program's).
#include <unistd.h>

#include <string>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "core/confine/proc_status.hpp"

namespace {

// A status text with these ids (real, effective, saved, file system) and state.
std::string status_with(const std::string& uids, const std::string& gids, const std::string& state = "S (sleeping)") {
  return "Name:\tpython3\nState:\t" + state + "\nTgid:\t42\nUid:\t" + uids + "\nGid:\t" + gids +
         "\nGroups:\t4 24 27 \nCapEff:\t0000000000000000\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proc_status)

BOOST_AUTO_TEST_CASE(fields_of_this_process_agree_with_the_system) {
  int failed = 0;
  const std::string status = pyprefix::detail::read_process_status(static_cast<int>(getpid()), failed);
  BOOST_REQUIRE(failed == 0);
  BOOST_TEST(pyprefix::detail::status_field(status, "Tgid") == std::to_string(getpid()));
  BOOST_TEST(!pyprefix::detail::is_ended(status));
  BOOST_TEST(!pyprefix::detail::is_stopped(status));
  const pyprefix::detail::Identity identity = pyprefix::detail::identity_of(status);
  BOOST_TEST(identity.uid == geteuid());
  BOOST_TEST(identity.gid == getegid());
  BOOST_TEST(pyprefix::detail::has_one_identity(status) == (getuid() == geteuid() && getgid() == getegid()));
  BOOST_TEST(pyprefix::detail::read_process_status(-1, failed).empty());
  BOOST_TEST(failed != 0);
}

BOOST_AUTO_TEST_CASE(made_up_statuses) {
  namespace d = pyprefix::detail;
  const std::string plain = status_with("1000\t1000\t1000\t1000", "1000\t1000\t1000\t1000");
  BOOST_TEST(d::status_field(plain, "Name") == "python3");
  BOOST_TEST(d::status_field(plain, "Groups") == "4 24 27 ");  // as /proc writes it
  BOOST_TEST(d::status_field(plain, "Nothing").empty());
  BOOST_TEST(d::status_field(plain, "Na").empty());  // a field's whole name, not its start
  BOOST_TEST(d::has_one_identity(plain));
  const d::Identity identity = d::identity_of(plain);
  BOOST_TEST(identity.uid == 1000u);
  BOOST_TEST(identity.groups.size() == 3u);
  // A set-user-ID root program run by 1000: never root's rights, and not one identity.
  const std::string setuid = status_with("1000\t0\t0\t0", "1000\t1000\t1000\t1000");
  BOOST_TEST(!d::has_one_identity(setuid));
  BOOST_TEST(d::identity_of(setuid).uid == 1000u);
  BOOST_TEST(d::is_ended(status_with("0\t0\t0\t0", "0\t0\t0\t0", "Z (zombie)")));
  BOOST_TEST(d::is_stopped(status_with("0\t0\t0\t0", "0\t0\t0\t0", "T (stopped)")));
  BOOST_TEST(d::is_stopped(status_with("0\t0\t0\t0", "0\t0\t0\t0", "t (tracing stop)")));
  BOOST_CHECK_THROW(d::identity_of("Name:\tx\n"), pyprefix::error);
}

BOOST_AUTO_TEST_SUITE_END()
