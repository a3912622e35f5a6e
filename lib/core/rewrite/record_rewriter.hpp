// Binary formats rewritten record by record as they stream (perf's jitdump, pprof): each file
// name inside shortened in the format's own encoding, every other byte as it was. The Rewriter
// hands them its input once the format is known.
#ifndef PYPREFIX_LIB_CORE_REWRITE_RECORD_REWRITER_HPP
#define PYPREFIX_LIB_CORE_REWRITE_RECORD_REWRITER_HPP

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix::detail {

class RecordRewriter {
 public:
  using Emit = std::function<void(std::string_view)>;
  virtual ~RecordRewriter() = default;
  // The next bytes of the input; whole records are rewritten and emitted as they complete.
  virtual void write(std::string_view chunk) = 0;
  // The input's end: what is held is emitted, or the input is refused (pyprefix::error, a
  // sentence whose subject is the input: "is a jitdump file cut short ...").
  virtual void finish() = 0;
};

// perf's jitdump (magic "JiTD", either byte order): the header and every record but
// JIT_CODE_LOAD byte for byte; each code-load record's name rewritten as text (a Python 3.13+
// name is "py::QUALNAME:FILENAME") and its total_size fixed. A record is held until whole, at
// most max_jitdump_record bytes.
std::unique_ptr<RecordRewriter> jitdump_rewriter(const Trimmer& trimmer, const RewriteOptions& options,
                                                 std::vector<std::string>& warnings, RecordRewriter::Emit emit);
inline constexpr size_t max_jitdump_record = 64u << 20;

// pprof's Profile message (google/pprof's proto/profile.proto), uncompressed: every top-level
// record byte for byte but the string table's entries that serve as Function.filename alone
// (never a mapping's file name or build id, a label, a function's name), each shortened as a
// whole file name. The records from the first string-table entry on are held until the end,
// since any later record may refer to a string: at most max_pprof_held bytes (with
// google/pprof's and Go's order, the table and a few fields after it). At most
// max_pprof_strings strings may be referred to.
std::unique_ptr<RecordRewriter> pprof_rewriter(const Trimmer& trimmer, const RewriteOptions& options,
                                               std::vector<std::string>& warnings, RecordRewriter::Emit emit);
inline constexpr size_t max_pprof_held = 256u << 20;
inline constexpr size_t max_pprof_strings = 16u << 20;

// Whether `head` (the first bytes of an input) is a pprof Profile: a run of top-level records
// that are all Profile fields of their wire types, to its end (the last one may be cut), with a
// byte among them that text never has (a NUL, a control byte but tab, line and page ends and
// escape).
bool looks_like_pprof(std::string_view head);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_RECORD_REWRITER_HPP
