// perf's jitdump (tools/perf/Documentation/jitdump-specification.txt): a header whose third
// field is its own size, then records {u32 id, u32 total_size, u64 timestamp, ...}, each
// total_size bytes long; nothing else holds an offset, so a record may change its length.
// JIT_CODE_LOAD (id 0) continues with pid, tid, vma, code_addr, code_size and code_index, then
// a NUL-terminated name, and ends with code_size bytes of code (perf reads them from the end).
#include <cstdint>
#include <cstring>
#include <string>

#include <pyprefix/error.hpp>

#include "core/rewrite/record_rewriter.hpp"

namespace pyprefix::detail {
namespace {

constexpr uint32_t code_load_id = 0;
constexpr size_t record_prefix = 16;                   // id, total_size, timestamp
constexpr size_t code_load_name = 16 + 4 + 4 + 4 * 8;  // where a code-load record's name starts
constexpr size_t code_size_at = 16 + 4 + 4 + 2 * 8;    // its code_size field
constexpr size_t max_header = 4096;                    // perf's is 40 bytes

class JitdumpRewriter final : public RecordRewriter {
 public:
  JitdumpRewriter(const Trimmer& trimmer, const RewriteOptions& options, RecordRewriter::Emit emit)
      : trimmer_(trimmer), options_(options), emit_(std::move(emit)) {
    options_.format = RewriteFormat::text;  // a name is text: a path starts after "py::QUALNAME:"
    options_.keep_width = false;
  }

  void write(std::string_view chunk) override {
    pending_.append(chunk);
    size_t at = 0;
    for (;;) {
      const size_t left = pending_.size() - at;
      if (!header_seen_) {
        if (left < 12) break;
        big_endian_ = pending_.compare(0, 4, "JiTD") == 0;
        const uint32_t size = number<uint32_t>(at + 8);
        if (size < 12 || size > max_header)
          throw error("is a jitdump file whose header says it is " + std::to_string(size) +
                      " bytes long, which no jitdump header is; it is left as it is");
        if (left < size) break;
        emit_(std::string_view(pending_).substr(at, size));
        at += size;
        header_seen_ = true;
        continue;
      }
      if (left < record_prefix) break;
      const uint32_t size = number<uint32_t>(at + 4);
      if (size < record_prefix || size > max_jitdump_record)
        throw error("is a jitdump file whose record at byte " + std::to_string(consumed_ + at) + " says it is " +
                    std::to_string(size) + " bytes long (at least 16, at most 64 MiB); it is left as it is");
      if (left < size) break;
      const std::string_view record = std::string_view(pending_).substr(at, size);
      if (number<uint32_t>(at) == code_load_id)
        code_load(record, consumed_ + at);
      else
        emit_(record);
      at += size;
    }
    pending_.erase(0, at);
    consumed_ += at;
  }

  void finish() override {
    if (!header_seen_ || !pending_.empty())
      throw error("is a jitdump file cut short: " +
                  (header_seen_ ? "its record at byte " + std::to_string(consumed_) + " ends after " +
                                      std::to_string(pending_.size()) + " bytes"
                                : std::string("its header is incomplete")) +
                  "; it is left as it is");
  }

 private:
  template <typename Number>
  Number number(size_t at) const {
    unsigned char bytes[sizeof(Number)];
    std::memcpy(bytes, pending_.data() + at, sizeof bytes);
    Number value = 0;
    for (size_t i = 0; i < sizeof bytes; ++i)
      value = static_cast<Number>(value | static_cast<Number>(bytes[big_endian_ ? i : sizeof bytes - 1 - i])
                                              << (8 * (sizeof bytes - 1 - i)));
    return value;
  }

  void put_number(std::string& out, size_t at, uint32_t value) const {
    for (size_t i = 0; i < 4; ++i) {
      const size_t shift = 8 * (big_endian_ ? 3 - i : i);
      out[at + i] = static_cast<char>((value >> shift) & 0xff);
    }
  }

  // A code-load record with its name rewritten; the code after the name, and any padding
  // between them, as it was.
  void code_load(std::string_view record, unsigned long long offset) {
    const size_t record_at = static_cast<size_t>(record.data() - pending_.data());
    const uint64_t code_size = record.size() >= code_load_name ? number<uint64_t>(record_at + code_size_at) : 0;
    const char* nul = nullptr;
    if (record.size() > code_load_name && code_size < record.size() - code_load_name)
      nul = static_cast<const char*>(
          std::memchr(record.data() + code_load_name, '\0', record.size() - code_size - code_load_name));
    if (nul == nullptr)
      throw error("is a jitdump file whose code-load record at byte " + std::to_string(offset) +
                  " holds no name before its " + std::to_string(code_size) + " bytes of code; it is left as it is");
    const std::string_view name(record.data() + code_load_name,
                                static_cast<size_t>(nul - record.data()) - code_load_name);
    const std::string rewritten = rewrite(trimmer_, name, options_);  // a name is text
    if (rewritten == name) return emit_(record);
    std::string out;
    out.reserve(record.size() - name.size() + rewritten.size());
    out.append(record.substr(0, code_load_name));
    out.append(rewritten);
    out.append(record.substr(code_load_name + name.size()));
    put_number(out, 4, static_cast<uint32_t>(out.size()));
    emit_(out);
  }

  const Trimmer& trimmer_;
  RewriteOptions options_;
  RecordRewriter::Emit emit_;
  std::string pending_;
  unsigned long long consumed_ = 0;  // input bytes before pending_
  bool header_seen_ = false, big_endian_ = false;
};

}  // namespace

std::unique_ptr<RecordRewriter> jitdump_rewriter(const Trimmer& trimmer, const RewriteOptions& options,
                                                 std::vector<std::string>&, RecordRewriter::Emit emit) {
  return std::make_unique<JitdumpRewriter>(trimmer, options, std::move(emit));
}

}  // namespace pyprefix::detail
