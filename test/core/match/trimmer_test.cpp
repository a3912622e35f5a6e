// The Trimmer against the obvious linear longest-match scan, and at the edges.
#include <boost/test/unit_test.hpp>

#include <random>
#include <thread>

#include <pyprefix/trimmer.hpp>

#include "support/linear_trim.hpp"

using pyprefix::test::linear_trim;

namespace {

// A random path-like string: components of very different lengths, so that prefixes cross
// the 64-byte blocks the Trimmer scans in.
std::string random_path(std::mt19937& generator) {
  static const std::vector<std::string> parts = {
      "a",    "b", "ab", "lib", "python3.11", "site-packages", "x", std::string(40, 'L'), std::string(63, 'M'),
      "\xff", ".."};
  std::uniform_int_distribution<size_t> part(0, parts.size() - 1), count(0, 7), coin(0, 3);
  std::string path = coin(generator) == 0 ? "" : "/";
  for (size_t n = count(generator); n > 0; --n) path += parts[part(generator)] + (coin(generator) == 0 ? "" : "/");
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trimmer)

// 100,000 random cases: prefix sets of 0 to 40 entries, paths often extending a prefix.
BOOST_AUTO_TEST_CASE(matches_linear_scan_on_random_cases) {
  std::mt19937 generator(11);
  std::uniform_int_distribution<size_t> set_size(0, 40), coin(0, 2);
  size_t cases = 0, trimmed = 0;
  while (cases < 100000) {
    std::vector<std::string> prefixes(set_size(generator));
    for (std::string& prefix : prefixes) prefix = random_path(generator);
    const pyprefix::Trimmer trimmer(prefixes);
    for (int i = 0; i < 100; ++i, ++cases) {
      std::string path = random_path(generator);
      if (!prefixes.empty() && coin(generator) != 0)
        path = prefixes[set_size(generator) % prefixes.size()] + (coin(generator) ? "/" : "") + path;
      const std::string_view expected = linear_trim(prefixes, path);
      trimmed += expected.size() != path.size();
      if (trimmer.trim(path) != expected) BOOST_TEST(trimmer.trim(path) == expected, "path '" << path << "'");
    }
  }
  BOOST_TEST(trimmed > cases / 4, "the cases must exercise matches: " << trimmed << " of " << cases);
}

// The edges the issue names.
BOOST_AUTO_TEST_CASE(edges) {
  const pyprefix::Trimmer trimmer({"/a/b", "/", "//srv/", "/x/", "/x/y/"});
  BOOST_TEST(trimmer.trim("/a/b") == "a/b", "a path equal to a prefix without its separator is under '/' only");
  BOOST_TEST(trimmer.trim("/a/b/c.py") == "c.py");
  BOOST_TEST(trimmer.trim("/a/bc/x") == "a/bc/x", "/a/b/ must not match /a/bc/");
  BOOST_TEST(trimmer.trim("/") == "");
  BOOST_TEST(trimmer.trim("//srv/m.py") == "m.py");
  BOOST_TEST(trimmer.trim("//other/m.py") == "/other/m.py");
  BOOST_TEST(trimmer.trim("") == "");
  BOOST_TEST(trimmer.trim("relative/x.py") == "relative/x.py");
  BOOST_TEST(trimmer.trim(std::string_view("/x/\0nul", 7)) == std::string_view("\0nul", 4));
  BOOST_TEST(trimmer.trim("/x/y/\xff\xfe.py") == "\xff\xfe.py");
  BOOST_TEST(trimmer.trim("/x/yz") == "yz");
  BOOST_TEST(trimmer.trim("<string>") == "<string>");
  BOOST_TEST(trimmer.trim("<frozen importlib._bootstrap>") == "<frozen importlib._bootstrap>");
  const std::string long_path = "/x/y/" + std::string(64 * 1024, 'z');
  BOOST_TEST(trimmer.trim(long_path).size() == 64u * 1024u);

  const pyprefix::Trimmer without_root({"/a/"});
  BOOST_TEST(without_root.trim("/a") == "/a");
  const pyprefix::Trimmer empty(std::vector<std::string>{});
  BOOST_TEST(empty.trim("/a/b") == "/a/b");
}

// Kinds: the most specific source of a prefix wins; pseudo-files are stdlib or unknown.
BOOST_AUTO_TEST_CASE(kinds_follow_the_sources) {
  using pyprefix::Kind;
  using pyprefix::Source;
  BOOST_TEST((pyprefix::kind_of({Source::sys_path, Source::site_packages}) == Kind::third_party));
  BOOST_TEST((pyprefix::kind_of({Source::sys_path, Source::stdlib}) == Kind::stdlib));
  BOOST_TEST((pyprefix::kind_of({Source::sys_path, Source::package_root}) == Kind::package_root));
  BOOST_TEST((pyprefix::kind_of({Source::package_root, Source::site_packages}) == Kind::third_party));
  BOOST_TEST((pyprefix::kind_of({Source::user_base}) == Kind::third_party));
  BOOST_TEST((pyprefix::kind_of({Source::install_scheme}) == Kind::third_party));
  BOOST_TEST((pyprefix::kind_of({Source::sys_path}) == Kind::application));
  BOOST_TEST((pyprefix::kind_of({}) == Kind::unknown));

  const pyprefix::Trimmer trimmer(
      std::vector<pyprefix::Prefix>{{"/usr/lib/python3.11/", {Source::sys_path, Source::stdlib}, ""},
                                    {"/usr/lib/python3.11/site-packages/", {Source::install_scheme}, ""},
                                    {"/srv/app/", {Source::sys_path}, ""}});
  BOOST_TEST((trimmer.match("/usr/lib/python3.11/os.py").kind == Kind::stdlib));
  BOOST_TEST((trimmer.match("/usr/lib/python3.11/site-packages/pip/x.py").kind == Kind::third_party));
  BOOST_TEST((trimmer.match("/srv/app/main.py").kind == Kind::application));
  BOOST_TEST((trimmer.match("/elsewhere/x.py").kind == Kind::unknown));
  BOOST_TEST((trimmer.match("<frozen os>").kind == Kind::stdlib));
  BOOST_TEST((trimmer.match("<string>").kind == Kind::unknown));
  BOOST_TEST(trimmer.match("/srv/app/main.py").prefix == "/srv/app/");
}

// A resolved alias trims like its prefix and reports the prefix as listed.
BOOST_AUTO_TEST_CASE(resolved_alias_matches_as_its_prefix) {
  const pyprefix::Trimmer trimmer(
      std::vector<pyprefix::Prefix>{{"/venv/lib/", {pyprefix::Source::site_packages}, "/real/venv/lib/"},
                                    {"/real/", {pyprefix::Source::sys_path}, ""}});
  const pyprefix::Match through_alias = trimmer.match("/real/venv/lib/m.py");
  BOOST_TEST(through_alias.short_path == "m.py");
  BOOST_TEST(through_alias.prefix == "/venv/lib/");
  BOOST_TEST((through_alias.kind == pyprefix::Kind::third_party));
  BOOST_TEST(trimmer.trim("/venv/lib/m.py") == "m.py");
  BOOST_TEST(trimmer.trim("/real/other.py") == "other.py");
}

// One Trimmer shared by eight threads gives each the same answers (run under TSan in CI).
BOOST_AUTO_TEST_CASE(shared_between_threads) {
  std::mt19937 generator(5);
  std::vector<std::string> prefixes(100), paths(2000);
  for (std::string& prefix : prefixes) prefix = random_path(generator);
  for (size_t i = 0; i < paths.size(); ++i) paths[i] = prefixes[i % prefixes.size()] + random_path(generator);
  const pyprefix::Trimmer trimmer(prefixes);
  std::vector<size_t> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        for (const std::string& path : paths) mismatches[t] += trimmer.trim(path) != linear_trim(prefixes, path);
    });
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < 8; ++t) BOOST_TEST(mismatches[t] == 0u);
}

// A moved-from Trimmer is valid and matches nothing; a moved-to one matches as the original did.
BOOST_AUTO_TEST_CASE(moved_from_matches_nothing) {
  pyprefix::Trimmer original({"/srv/app/", "/usr/lib/python3.11/"});
  pyprefix::Trimmer moved_to(std::move(original));
  BOOST_TEST(original.trim("/srv/app/main.py") == "/srv/app/main.py");  // NOLINT(bugprone-use-after-move)
  const pyprefix::Match nothing = original.match("/srv/app/main.py");
  BOOST_TEST(nothing.short_path == "/srv/app/main.py");
  BOOST_TEST(nothing.prefix.empty());
  BOOST_TEST((nothing.kind == pyprefix::Kind::unknown));
  BOOST_TEST(moved_to.trim("/srv/app/main.py") == "main.py");

  pyprefix::Trimmer assigned({"/elsewhere/"});
  assigned = std::move(moved_to);
  BOOST_TEST(moved_to.trim("/usr/lib/python3.11/os.py") == "/usr/lib/python3.11/os.py");  // NOLINT
  BOOST_TEST(assigned.trim("/usr/lib/python3.11/os.py") == "os.py");
}

// A braced list of literals picks the string constructor (it was ambiguous with vector<Prefix>).
BOOST_AUTO_TEST_CASE(braced_literals) {
  const pyprefix::Trimmer trimmer({"/srv/app", "/srv/app/.venv/lib/python3.12/site-packages/"});
  BOOST_TEST(trimmer.trim("/srv/app/.venv/lib/python3.12/site-packages/requests/api.py") == "requests/api.py");
  BOOST_TEST(trimmer.trim("/srv/app/main.py") == "main.py");
}

BOOST_AUTO_TEST_SUITE_END()
