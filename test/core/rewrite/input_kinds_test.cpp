// What an input is by its first bytes (lib/core/rewrite/input_kinds.cpp): each refused format
// by its magic bytes, a NUL byte, pstats by marshal's dictionary, jitdump by its magic, pprof by
// its records, and what stays text.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "core/rewrite/input_kinds.hpp"

namespace {

using Kind = pyprefix::detail::InputKind::Kind;

struct Row {
  std::string head;
  Kind kind;
  std::string says;  // part of why it is refused
};

}  // namespace

BOOST_AUTO_TEST_SUITE(input_kinds)

BOOST_AUTO_TEST_CASE(by_the_first_bytes) {
  const std::vector<Row> table = {
      {std::string("memray\0\r\0\0\0", 11), Kind::refused, "memray's capture"},
      {"HCAT\x01", Kind::refused, "profiling.sampling binary capture"},
      {"\x04\x22\x4d\x18rest", Kind::refused, "lz4-compressed"},
      {"\x28\xb5\x2f\xfdrest", Kind::refused, "zstd-compressed"},
      {std::string("\xfd"
                   "7zXZ\0",
                   6),
       Kind::refused, "xz-compressed"},
      {"BZh91AY&SYrest", Kind::refused, "bzip2-compressed"},
      {"\x1f\x8brest", Kind::refused, "gzip-compressed"},
      {"PK\x03\x04rest", Kind::refused, "a zip archive"},
      {"\x7f"
       "ELF\x02",
       Kind::refused, "an ELF file"},
      {"PERFILE2", Kind::refused, "perf.data"},
      // jitdump by its magic, in either byte order.
      {"JiTD", Kind::jitdump, ""},
      {"DTiJ", Kind::jitdump, ""},
      // pprof has no magic: Profile's records (here "", then a function naming strings 1 and 2),
      // with the NUL of its first string; not when a record is no Profile field.
      {std::string("\x32\x00\x2a\x06\x08\x01\x10\x02\x20\x01", 10), Kind::pprof, ""},
      {std::string("\x0a\x04\x08\x01\x10\x02\x32\x00", 8), Kind::pprof, ""},
      {std::string("\n\x03"
                   "abc\0",
                   6),
       Kind::refused, "a NUL byte at offset 5"},
      // austin2pprof's start, no NUL in it; but text that parses as records stays text.
      {std::string("\x0a\x04\x08\x01\x10\x02\x12\x02\x08\x05", 10), Kind::pprof, ""},
      {"x1", Kind::text, ""},
      {"2\thello", Kind::text, ""},
      {std::string("\x32\x00\xf8\x01\x00", 5), Kind::refused, "a NUL byte"},
      {"{\"start_time\": 1.5, \"duration\": 0.1, \"start_call_stack\": [\"x\"]}", Kind::refused,
       "pyinstrument's session"},
      {std::string("/usr/lib/python3.11/x.py\0", 25), Kind::refused, "a NUL byte at offset 24"},
      // pstats: marshal's dict (flagged or not) with a tuple key, or the empty dict.
      {"\xfb)\x03", Kind::pstats, ""},
      {"{(\x03\x00\x00\x00", Kind::pstats, ""},
      {"{\xa9\x03", Kind::pstats, ""},
      {"{0", Kind::pstats, ""},
      // Text: JSON, logs that name a format, invalid UTF-8, an empty input.
      {"{\"f\": 1}", Kind::text, ""},
      {"{ (1, 2)", Kind::text, ""},
      {"{0, 1}", Kind::text, ""},
      {"memray run -o x.bin app.py\n", Kind::text, ""},
      {"BZh is how bzip2 files start\n", Kind::text, ""},
      {"\xff\xfe /usr/lib/caf\xe9.py\n", Kind::text, ""},
      {"{\"start_time\": 1}", Kind::text, ""},
      {"", Kind::text, ""},
  };
  for (const Row& row : table) {
    BOOST_TEST_CONTEXT(row.head) {
      const pyprefix::detail::InputKind kind = pyprefix::detail::recognise_input(row.head);
      BOOST_TEST(static_cast<int>(kind.kind) == static_cast<int>(row.kind));
      if (row.kind == Kind::refused) {
        BOOST_TEST(kind.why_refused.find(row.says) != std::string::npos, kind.why_refused);
        BOOST_TEST(kind.why_refused.find("left as it is") != std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
