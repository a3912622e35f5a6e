// Installed metadata read as importlib.metadata reads it (lib/core/which/metadata.cpp), one
// site-packages folder per row: what each distribution claims, and one diagnostic per problem.
// (which.environments checks the same rules against importlib itself, in real environments.)
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <boost/filesystem.hpp>
#include <boost/test/unit_test.hpp>

#include "core/which/metadata.hpp"
#include "support/temporary_directory.hpp"

namespace {

struct Row {
  const char* what;
  std::map<std::string, std::string> files;  // relative to the site folder
  std::vector<std::string> distributions;    // "NAME VERSION", in the order found
  std::vector<std::string> claims;           // "NAME: file|folder|top_level|top_file|top_folder PATH"
  std::vector<std::string> diagnostics;      // with "SITE/" for the site folder
};

std::string without(const std::string& text, const std::string& site) {
  std::string out = text;
  for (size_t at = out.find(site); at != std::string::npos; at = out.find(site)) out.replace(at, site.size(), "SITE/");
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metadata)

BOOST_AUTO_TEST_CASE(each_kind_of_metadata_claims_what_importlib_says) {
  const std::string metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.2\n\nName: not-a-header\n";
  const Row table[] = {
      {"a wheel's dist-info: RECORD's files, top_level.txt's names",
       {{"demo-1.2.dist-info/METADATA", metadata},
        {"demo-1.2.dist-info/RECORD", "demo/__init__.py,sha256=x,1\n\"demo/a,b.py\",,\n../../bin/demo,,\n"},
        {"demo-1.2.dist-info/top_level.txt", "demo\n"}},
       {"demo 1.2"},
       {"demo: file SITE/demo/__init__.py", "demo: file SITE/demo/a,b.py", "demo: file /bin/demo",
        "demo: top_level demo"},
       {}},
      {"no top_level.txt: the names of the listed .py files",
       {{"demo-1.2.dist-info/METADATA", metadata},
        {"demo-1.2.dist-info/RECORD", "one.py,,\npkg/x.py,,\npkg/y.py,,\ndata.txt,,\n"}},
       {"demo 1.2"},
       {"demo: file SITE/one.py", "demo: file SITE/pkg/x.py", "demo: file SITE/pkg/y.py", "demo: file SITE/data.txt",
        "demo: top_level one", "demo: top_level pkg"},
       {}},
      {"an egg-info folder with SOURCES.txt, relative to the project",
       {{"old.egg-info/PKG-INFO", "Name: old\nVersion: 0.1\n"}, {"old.egg-info/SOURCES.txt", "old/__init__.py\n\n"}},
       {"old 0.1"},
       {"old: file SITE/old/__init__.py", "old: top_level old"},
       {}},
      {"an egg-info without a file list claims its top-level names",
       {{"bare.egg-info/PKG-INFO", "Name: bare\nVersion: 3\n"}, {"bare.egg-info/top_level.txt", "bare\n"}},
       {"bare 3"},
       {"bare: top_level bare", "bare: top_file SITE/bare.py",
        "bare: top_file SITE/bare.cpython-311-x86_64-linux-gnu.so", "bare: top_file SITE/bare.so",
        "bare: top_folder SITE/bare/"},
       {}},
      {"a dist-info without RECORD (Debian's) claims what its top_level.txt names, but a namespace",
       {{"yaml-6.dist-info/METADATA", "Name: PyYAML\nVersion: 6\n"},
        {"yaml-6.dist-info/top_level.txt", "_yaml\nyaml\ngoogle\n"},
        {"yaml-6.dist-info/namespace_packages.txt", "google\n"}},
       {"PyYAML 6"},
       {"PyYAML: top_level _yaml", "PyYAML: top_level yaml", "PyYAML: top_file SITE/_yaml.py",
        "PyYAML: top_file SITE/_yaml.cpython-311-x86_64-linux-gnu.so", "PyYAML: top_file SITE/_yaml.so",
        "PyYAML: top_file SITE/yaml.py", "PyYAML: top_file SITE/yaml.cpython-311-x86_64-linux-gnu.so",
        "PyYAML: top_file SITE/yaml.so", "PyYAML: top_folder SITE/_yaml/", "PyYAML: top_folder SITE/yaml/"},
       {}},
      {"with neither, the folder or module named as the distribution (PEP 503), unless another names it",
       {{"torch-2.dist-info/METADATA", "Name: torch\nVersion: 2\n"},
        {"torch/__init__.py", ""},
        {"Other_Thing-1.dist-info/METADATA", "Name: Other_Thing\nVersion: 1\n"},
        {"other_thing.py", ""},
        {"claimed-1.dist-info/METADATA", "Name: claimed\nVersion: 1\n"},
        {"claimed/__init__.py", ""},
        {"owner-1.dist-info/METADATA", "Name: owner\nVersion: 1\n"},
        {"owner-1.dist-info/top_level.txt", "claimed\n"}},
       {"Other_Thing 1", "claimed 1", "owner 1", "torch 2"},
       {"Other_Thing: file SITE/other_thing.py", "Other_Thing: top_level other_thing", "owner: top_level claimed",
        "owner: top_file SITE/claimed.py", "owner: top_file SITE/claimed.cpython-311-x86_64-linux-gnu.so",
        "owner: top_file SITE/claimed.so", "owner: top_folder SITE/claimed/", "torch: folder SITE/torch/"},
       {}},
      {"a distutils egg-info file is PKG-INFO itself",
       {{"legacy-1.0.egg-info", "Name: legacy\nVersion: 1.0\n"}},
       {"legacy 1.0"},
       {},
       {}},
      {"no METADATA: the folder's name, and two diagnostics",
       {{"broken_dist-2.0.dist-info/RECORD", "broken/__init__.py,,\n"}},
       {"broken_dist "},
       {"broken_dist: file SITE/broken/__init__.py", "broken_dist: top_level broken"},
       {"SITE/broken_dist-2.0.dist-info has no METADATA",
        "SITE/broken_dist-2.0.dist-info has no Name: the folder's name is used",
        "SITE/broken_dist-2.0.dist-info has no Version"}},
      {"a RECORD line that is not CSV is skipped",
       {{"demo-1.2.dist-info/METADATA", metadata}, {"demo-1.2.dist-info/RECORD", "ok.py,,\n\"open.py,,\n"}},
       {"demo 1.2"},
       {"demo: file SITE/ok.py", "demo: top_level ok"},
       {"SITE/demo-1.2.dist-info/RECORD line 2 skipped: it is not CSV"}},
      {"a dist-info that is a file is skipped",
       {{"odd-1.dist-info", "not a folder"}},
       {},
       {},
       {"SITE/odd-1.dist-info skipped: it is not a folder"}},
  };
  for (const Row& row : table) {
    BOOST_TEST_CONTEXT(row.what) {
      const pyprefix::test::TemporaryDirectory site;
      for (const auto& [path, text] : row.files) site.write(path, text);
      const std::string folder = site.path().native() + "/";
      const pyprefix::detail::MetadataScan scan =
          pyprefix::detail::scan_metadata({folder}, {".cpython-311-x86_64-linux-gnu.so", ".so"});
      std::vector<std::string> distributions, claims, diagnostics;
      for (const pyprefix::detail::DistributionClaims& found : scan.distributions) {
        const std::string& name = found.distribution.name;
        distributions.push_back(name + " " + found.distribution.version);
        for (const std::string& file : found.files) claims.push_back(name + ": file " + without(file, folder));
        for (const std::string& top : found.top_level) claims.push_back(name + ": top_level " + top);
        for (const std::string& file : found.top_level_files)
          claims.push_back(name + ": top_file " + without(file, folder));
        for (const std::string& top : found.top_level_folders)
          claims.push_back(name + ": top_folder " + without(top, folder));
        for (const std::string& owned : found.folders) claims.push_back(name + ": folder " + without(owned, folder));
      }
      for (const std::string& line : scan.diagnostics) diagnostics.push_back(without(line, folder));
      BOOST_TEST(distributions == row.distributions, boost::test_tools::per_element());
      BOOST_TEST(claims == row.claims, boost::test_tools::per_element());
      BOOST_TEST(diagnostics == row.diagnostics, boost::test_tools::per_element());
    }
  }
}

// A metadata file that is a link to nothing is missing, as importlib.metadata finds it (it
// reads nothing there): a METADATA one is said to be missing, an optional one (top_level.txt)
// is not mentioned; one that is there but is no regular file cannot be read.
BOOST_AUTO_TEST_CASE(a_dangling_link_is_a_missing_file_and_a_folder_an_unreadable_one) {
  const pyprefix::test::TemporaryDirectory site;
  site.write("gone-1.dist-info/RECORD", "gone/__init__.py,,\n");
  boost::filesystem::create_symlink(site / "nowhere", site / "gone-1.dist-info/METADATA");
  boost::filesystem::create_symlink(site / "nowhere", site / "gone-1.dist-info/top_level.txt");
  site.write("odd-1.dist-info/METADATA", "Name: odd\nVersion: 1\n");
  site.make_directory("odd-1.dist-info/top_level.txt");
  const std::string folder = site.path().native() + "/";
  const pyprefix::detail::MetadataScan scan = pyprefix::detail::scan_metadata({folder}, {".so"});
  std::vector<std::string> diagnostics;
  for (const std::string& line : scan.diagnostics) diagnostics.push_back(without(line, folder));
  const std::vector<std::string> expected = {
      "SITE/gone-1.dist-info has no METADATA", "SITE/gone-1.dist-info has no Name: the folder's name is used",
      "SITE/gone-1.dist-info has no Version", "SITE/odd-1.dist-info/top_level.txt cannot be read"};
  BOOST_TEST(diagnostics == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
