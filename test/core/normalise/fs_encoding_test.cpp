// File names as Python sees them (lib/core/normalise/fs_encoding.cpp): decoding against
// os.fsdecode and well-formedness against bytes.decode('utf-8'), run by the build's
// interpreter as a child, and encoding as their inverse.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "core/normalise/fs_encoding.hpp"
#include "support/subprocess.hpp"

namespace {

std::string hex(std::string_view bytes) {
  std::string out;
  char digits[3];
  for (unsigned char c : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", c);
    out += digits;
  }
  return out;
}

// The names Python has no trouble with, and those it decodes with surrogate escapes.
const std::vector<std::string> names = {
    "",
    "/usr/lib/python3.11/",
    "caf\xc3\xa9",
    "\xe2\x82\xac\xf0\x9f\x98\x80",
    "\xff",
    "a\x80z",
    "\xc3",              // a sequence cut short
    "\xc3\x28",          // a lead byte without its continuation
    "\xc0\xaf",          // an overlong '/'
    "\xe0\x80\xaf",      // another
    "\xed\xa0\x80",      // an encoded surrogate
    "\xf4\x90\x80\x80",  // past U+10FFFF
    "\xf8\x88\x80\x80\x80",
    "\x7f\x01",
};

// For each name, "CODEPOINT..." as os.fsdecode gives them and whether it is UTF-8, from Python.
std::vector<std::string> python_decodings() {
  const std::string program =
      "import os, sys\n"
      "for h in sys.argv[1:]:\n"
      "    b = bytes.fromhex(h[1:])\n"
      "    try:\n"
      "        b.decode('utf-8'); ok = 'utf-8'\n"
      "    except UnicodeDecodeError:\n"
      "        ok = 'escaped'\n"
      "    print(ok, ' '.join('%x' % ord(c) for c in os.fsdecode(b)))\n";
  std::vector<std::string> arguments;
  for (const std::string& name : names) arguments.push_back("x" + hex(name));  // never an empty argument
  pyprefix::test::Environment environment;
  environment.set["PYTHONUTF8"] = "1";  // the file-system encoding of every Python the list is read from
  return pyprefix::test::python_output_lines(program, arguments, environment);
}

std::string described(std::string_view bytes) {
  std::string line = pyprefix::detail::is_well_formed_utf8(bytes) ? "utf-8 " : "escaped ";
  const std::u32string code_points = pyprefix::detail::decode_file_name(bytes);
  for (size_t i = 0; i < code_points.size(); ++i) {
    char digits[16];
    std::snprintf(digits, sizeof digits, i == 0 ? "%x" : " %x", static_cast<unsigned>(code_points[i]));
    line += digits;
  }
  return line;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fs_encoding)

BOOST_AUTO_TEST_CASE(decoding_is_os_fsdecode_and_encoding_gives_the_bytes_back) {
  const std::vector<std::string> expected = python_decodings();
  BOOST_REQUIRE_EQUAL(expected.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    BOOST_TEST_CONTEXT(hex(names[i])) {
      BOOST_TEST(described(names[i]) == expected[i]);
      bool ok = false;
      BOOST_TEST(pyprefix::detail::encode_file_name(pyprefix::detail::decode_file_name(names[i]), ok) == names[i]);
      BOOST_TEST(ok);
    }
  }
}

BOOST_AUTO_TEST_CASE(code_points_without_file_name_bytes_are_refused) {
  const std::u32string table[] = {
      {0xD800},    // a high surrogate alone
      {0xDC7F},    // below the escapes of bytes 0x80..0xFF
      {0xDFFF},    // above them
      {0x110000},  // past Unicode
      {U'a', 0xDBFF, U'b'},
  };
  for (const std::u32string& code_points : table) {
    BOOST_TEST_CONTEXT(static_cast<unsigned>(code_points.size() == 1 ? code_points[0] : code_points[1])) {
      bool ok = true;
      BOOST_TEST(pyprefix::detail::encode_file_name(code_points, ok).empty());
      BOOST_TEST(!ok);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
