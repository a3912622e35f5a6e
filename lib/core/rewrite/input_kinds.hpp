// What an input to rewrite is, by its first bytes: text or JSON (rewritten as it streams), a
// pstats file (marshal, rewritten whole), or a binary file or a tool's capture (refused, left as it
// is). The one detector every rewrite goes through; binary formats pyprefix learns to rewrite
// join it here.
#ifndef PYPREFIX_LIB_CORE_REWRITE_INPUT_KINDS_HPP
#define PYPREFIX_LIB_CORE_REWRITE_INPUT_KINDS_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace pyprefix::detail {

// How many first bytes decide: a NUL byte among them makes an input binary.
constexpr size_t recognition_sample = 64u << 10;

struct InputKind {
  enum class Kind { text, pstats, pprof, jitdump, refused } kind = Kind::text;
  // For refused: why, as the end of a sentence whose subject is the input: "is memray's
  // capture (...): rewrite a report made from it instead (...)".
  std::string why_refused;
};

// The kind of an input whose first bytes are `head` (recognition_sample of them, or all of a
// shorter input). Refused: a file that starts with the magic bytes of a format pyprefix does
// not rewrite (memray's and Python 3.15's profiling.sampling captures, ELF, perf.data, zip,
// gzip inside gzip, bzip2, xz, zstd, lz4) or is pyinstrument's session (JSON that pyinstrument
// reads back), or that has a NUL byte in `head` and is not pprof. A marshal dictionary whose
// first key is a tuple (`{` then `(` or `)`, with or without marshal's reference flag) is
// pstats, which JSON never is ('{' is followed by whitespace, '"' or '}'); "JiTD" or "DTiJ" is
// perf's jitdump; a run of Profile records with a NUL byte among them is pprof (it has no magic
// bytes; text has no NUL).
// Invalid UTF-8 alone makes nothing binary: perf's text may hold any path bytes.
InputKind recognise_input(std::string_view head);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_INPUT_KINDS_HPP
