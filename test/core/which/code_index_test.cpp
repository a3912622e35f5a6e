// The CodeIndex of a manifest (lib/core/which/code_index.cpp): module names under the longest
// import root, owners from the distributions' roots, POSIX and Windows, reading no file.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/code_index.hpp>
#include <pyprefix/manifest.hpp>

namespace {

using pyprefix::Source;

pyprefix::Manifest posix_manifest() {
  pyprefix::Manifest manifest;
  manifest.interpreter.version = "3.11.2";
  manifest.interpreter.cache_tag = "cpython-311";
  manifest.interpreter.extension_suffixes = {".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"};
  manifest.prefixes = {
      {"/usr/lib/python3/dist-packages/", {Source::site_packages, Source::sys_path}, {}},
      {"/usr/lib/python3.11/lib-dynload/", {Source::sys_path}, {}},
      {"/usr/lib/python3.11/", {Source::sys_path}, {}},
      {"/usr/lib/python3.11/config/", {Source::stdlib}, {}},  // classifies, imports nothing
      {"/root/.local/", {Source::user_base}, {}},
  };
  manifest.distributions = {
      {"PyYAML",
       "6.0",
       "/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info",
       {"/usr/lib/python3/dist-packages/_yaml/", "/usr/lib/python3/dist-packages/yaml/"}},
      {"six",
       "1.16.0",
       "/usr/lib/python3/dist-packages/six-1.16.0.dist-info",
       {"/usr/lib/python3/dist-packages/six.py"}},
  };
  return manifest;
}

struct Row {
  std::string path, module, distribution;
};

void check(const pyprefix::CodeIndex& index, const std::vector<Row>& table) {
  for (const Row& row : table) {
    BOOST_TEST_CONTEXT(row.path) {
      const pyprefix::Which which = index.which(row.path);
      BOOST_TEST(which.module == row.module);
      BOOST_TEST((which.distribution ? which.distribution->name : std::string()) == row.distribution);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(code_index)

BOOST_AUTO_TEST_CASE(posix_paths_are_named_under_the_longest_import_root) {
  const pyprefix::CodeIndex index(posix_manifest());
  check(index, {
                   {"/usr/lib/python3.11/json/decoder.py", "json.decoder", ""},
                   {"/usr/lib/python3.11/json/__init__.py", "json", ""},
                   {"/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc", "json.decoder", ""},
                   {"/usr/lib/python3.11/json/__pycache__/decoder.cpython-312.pyc", "", ""},  // another tag
                   {"/usr/lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so", "_json", ""},
                   {"/usr/lib/python3.11/config/x.py", "config.x", ""},  // stdlib's folder, not a root
                   {"/usr/lib/python3/dist-packages/yaml/constructor.py", "yaml.constructor", "PyYAML"},
                   {"/usr/lib/python3/dist-packages/_yaml/__init__.py", "_yaml", "PyYAML"},
                   {"/usr/lib/python3/dist-packages/six.py", "six", "six"},
                   {"/usr/lib/python3/dist-packages/not-a-name/x.py", "", ""},
                   {"/usr/lib/python3.11/json/README", "", ""},
                   {"/root/.local/x.py", "", ""},  // the user base is no import root
                   {"/home/me/project/x.py", "", ""},
                   {"<frozen os>", "os", ""},
                   {"<frozen importlib._bootstrap>", "importlib._bootstrap", ""},
                   {"<string>", "", ""},
                   {"", "", ""},
               });
}

BOOST_AUTO_TEST_CASE(windows_paths_are_named_as_ntpath_compares_them) {
  pyprefix::Manifest manifest;
  manifest.path_flavour = pyprefix::PathFlavour::windows;
  manifest.interpreter.cache_tag = "cpython-311";
  manifest.interpreter.extension_suffixes = {".cp311-win_amd64.pyd", ".pyd"};
  manifest.prefixes = {
      {"C:\\Python311\\Lib\\site-packages\\", {Source::site_packages}, {}},
      {"C:\\Python311\\Lib\\", {Source::sys_path}, {}},
  };
  manifest.distributions = {
      {"six",
       "1.16.0",
       "C:\\Python311\\Lib\\site-packages\\six-1.16.0.dist-info",
       {"C:\\Python311\\Lib\\site-packages\\six.py"}},
  };
  const pyprefix::CodeIndex index(manifest);
  check(index, {
                   {"C:\\Python311\\Lib\\json\\decoder.py", "json.decoder", ""},
                   {"c:/python311/lib/json/decoder.py", "json.decoder", ""},
                   {"C:\\Python311\\Lib\\site-packages\\six.py", "six", "six"},
                   {"C:\\Python311\\Lib\\site-packages\\_x.cp311-win_amd64.pyd", "_x", ""},
                   {"D:\\elsewhere\\x.py", "", ""},
               });
}

BOOST_AUTO_TEST_CASE(an_index_without_a_list_names_nothing) {
  const pyprefix::CodeIndex index(pyprefix::Manifest{});
  check(index, {{"/usr/lib/python3.11/json/decoder.py", "", ""}});
  BOOST_TEST(index.distributions().empty());
  BOOST_TEST(index.diagnostics().empty());
}

BOOST_AUTO_TEST_SUITE_END()
