#include "core/rewrite/input_kinds.hpp"

#include <cstring>

#include "core/rewrite/record_rewriter.hpp"

namespace pyprefix::detail {
namespace {

struct Magic {
  std::string_view bytes;
  const char* what;     // "is ..."
  const char* instead;  // what to rewrite instead, or ""
};

// Captures that their tool reads back (and classifies by absolute path) come with the report to
// rewrite instead; the others are formats pyprefix does not read.
constexpr Magic magics[] = {
    {std::string_view("memray\0", 7), "memray's capture",
     "rewrite a report made from it instead (memray stats --json, memray summary)"},
    {"HCAT", "Python 3.15's profiling.sampling binary capture",
     "rewrite a report made from it instead (python -m profiling.sampling replay --pstats or --collapsed)"},
    {std::string_view("\x04\x22\x4d\x18", 4), "lz4-compressed (memray's compressed capture writes it)",
     "decompress it first, or rewrite a report made from it"},
    {std::string_view("\x28\xb5\x2f\xfd", 4), "zstd-compressed (twice, when the tool decompressed it)",
     "decompress it first (zstd -d)"},
    {std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6), "xz-compressed", "decompress it first (xz -d)"},
    {"BZh91AY&SY", "bzip2-compressed", "decompress it first (bunzip2)"},  // the usual -9; others by their NUL
    {std::string_view("\x1f\x8b", 2), "gzip-compressed (twice, when the tool inflated it)",
     "decompress it first (gunzip)"},
    {std::string_view("PK\x03\x04", 4), "a zip archive", "unpack it first"},
    {std::string_view("\x7f"
                      "ELF",
                      4),
     "an ELF file", ""},
    {"PERFILE2", "perf's perf.data", "rewrite what perf script prints from it"},
};

}  // namespace

InputKind recognise_input(std::string_view head) {
  InputKind kind;
  for (const Magic& magic : magics) {
    if (head.substr(0, magic.bytes.size()) != magic.bytes) continue;
    kind.kind = InputKind::Kind::refused;
    kind.why_refused = std::string("is ") + magic.what + ", not text" +
                       (*magic.instead != '\0' ? std::string(": ") + magic.instead : std::string()) +
                       "; it is left as it is";
    return kind;
  }
  // pyinstrument's session (-r session, .pyisession): JSON that `pyinstrument --load` reads back,
  // telling library frames from the program's by its saved sys_prefixes, absolute.
  if (head.rfind("{\"start_time\": ", 0) == 0 && head.find("\"start_call_stack\": [") != std::string_view::npos) {
    kind.kind = InputKind::Kind::refused;
    kind.why_refused =
        "is pyinstrument's session, a capture pyinstrument --load reads back and classifies by absolute path: "
        "rewrite a report made from it instead (pyinstrument --load FILE -r json, or -r text); it is left as it is";
    return kind;
  }
  // marshal: TYPE_DICT '{', with FLAG_REF (0x80) or not, then a tuple key: TYPE_TUPLE '(' or
  // TYPE_SMALL_TUPLE ')', flagged or not; or "{0", the empty dictionary.
  if (head.size() >= 2 && (static_cast<unsigned char>(head[0]) & 0x7f) == '{') {
    const int key = static_cast<unsigned char>(head[1]) & 0x7f;
    if (key == '(' || key == ')' || (key == '0' && head.size() == 2 && head[0] == '{')) {
      kind.kind = InputKind::Kind::pstats;
      return kind;
    }
  }
  if (head.rfind("DTiJ", 0) == 0 || head.rfind("JiTD", 0) == 0) {
    kind.kind = InputKind::Kind::jitdump;
    return kind;
  }
  if (looks_like_pprof(head)) {
    kind.kind = InputKind::Kind::pprof;
    return kind;
  }
  if (const void* nul = std::memchr(head.data(), '\0', head.size())) {
    kind.kind = InputKind::Kind::refused;
    kind.why_refused = "is binary, not text (a NUL byte at offset " +
                       std::to_string(static_cast<const char*>(nul) - head.data()) +
                       "); it is left as it is (--format text rewrites it all the same)";
  }
  return kind;
}

}  // namespace pyprefix::detail
