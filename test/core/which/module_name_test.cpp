// A file's path below an import root -> its module name, by importlib's rules, on a table.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "core/which/module_name.hpp"

namespace {

const pyprefix::detail::ImportSuffixes cpython_311 = {{".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"},
                                                      "cpython-311"};

struct Case {
  const char* relative;
  const char* module;  // "" when not importable
};

std::ostream& operator<<(std::ostream& out, const Case& item) { return out << item.relative; }

const Case cases[] = {
    {"json/decoder.py", "json.decoder"},
    {"json/__init__.py", "json"},
    {"__init__.py", ""},  // an __init__ directly in a root belongs to no package
    {"six.py", "six"},
    {"pkg/__pycache__/mod.cpython-311.pyc", "pkg.mod"},
    {"pkg/__pycache__/mod.cpython-311.opt-1.pyc", "pkg.mod"},
    {"pkg/__pycache__/mod.cpython-311.opt-2.pyc", "pkg.mod"},
    {"pkg/__pycache__/__init__.cpython-311.pyc", "pkg"},
    {"pkg/__pycache__/mod.cpython-312.pyc", ""},  // another interpreter's bytecode
    {"pkg/__pycache__/mod.pyc", ""},
    {"legacy.pyc", "legacy"},  // sourceless bytecode beside where its source would be
    {"_json.cpython-311-x86_64-linux-gnu.so", "_json"},
    {"pkg/fast.abi3.so", "pkg.fast"},
    {"pkg/plain.so", "pkg.plain"},
    {"pkg/_native.cpython-38-x86_64-linux-gnu.so", ""},  // "_native.cpython-38-x86_64-linux-gnu" is no identifier
    {"my-scripts/x.py", ""},
    {"pkg/2fast.py", ""},
    {"pkg/data.json", ""},
    {"pkg/README", ""},
    {".py", ""},
    {"pkg/d\xc3\xafr/m\xc3\xb6"
     "d.py",
     "pkg.d\xc3\xafr.m\xc3\xb6"
     "d"},  // identifiers in any script
    {"a/b/c/d/e.py", "a.b.c.d.e"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(module_name)

// Each relative path gets importlib's name for it, or none.
BOOST_DATA_TEST_CASE(names_follow_importlib, boost::unit_test::data::make(cases), item) {
  BOOST_TEST(pyprefix::detail::module_name(item.relative, cpython_311) == item.module);
}

// A PEP 660 finder's package imported under another name than its folder's.
BOOST_AUTO_TEST_CASE(finder_renames_the_top_level) {
  BOOST_TEST(pyprefix::detail::module_name("src_name/core.py", cpython_311, "installed") == "installed.core");
}

BOOST_AUTO_TEST_SUITE_END()
