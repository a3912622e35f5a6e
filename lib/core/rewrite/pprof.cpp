// pprof's Profile message (google/pprof's proto/profile.proto): top-level records of a protocol
// buffer, each a tag (field number and wire type) and a payload; `string_table` (field 6) is
// one record per string, and every other message names strings by their index in it. A string
// that only Function.filename (a function message's field 4) names is a Python file's path,
// and is shortened; every other byte stays as it was.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include <pyprefix/error.hpp>

#include "core/rewrite/python_file.hpp"
#include "core/rewrite/record_rewriter.hpp"

namespace pyprefix::detail {
namespace {

enum Wire : unsigned { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };
enum class Read { ok, short_input, invalid };

constexpr unsigned string_table_field = 6;

// A varint at `at` of `data`, `at` moved past it.
Read read_varint(std::string_view data, size_t& at, uint64_t& value) {
  value = 0;
  for (unsigned shift = 0; shift < 70; shift += 7) {
    if (at >= data.size()) return Read::short_input;
    const auto byte = static_cast<unsigned char>(data[at++]);
    if (shift == 63 && byte > 1) return Read::invalid;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return Read::ok;
  }
  return Read::invalid;
}

struct Field {
  unsigned number = 0;
  unsigned wire = 0;
  uint64_t value = 0;        // a varint's value
  std::string_view payload;  // a length-delimited field's bytes
  size_t size = 0;           // the whole record: tag, length, payload
};

// The field at `at` of `data` (a message's bytes), `at` moved past it.
Read read_field(std::string_view data, size_t& at, Field& field) {
  const size_t start = at;
  uint64_t tag = 0;
  if (Read read = read_varint(data, at, tag); read != Read::ok) return read;
  field.number = static_cast<unsigned>(tag >> 3);
  field.wire = static_cast<unsigned>(tag & 7);
  if (tag >> 3 == 0 || tag >> 3 > (1u << 29)) return Read::invalid;
  switch (field.wire) {
    case varint:
      if (Read read = read_varint(data, at, field.value); read != Read::ok) return read;
      break;
    case fixed64:
    case fixed32: {
      const size_t width = field.wire == fixed64 ? 8 : 4;
      if (data.size() - at < width) return Read::short_input;
      at += width;
      break;
    }
    case length_delimited: {
      uint64_t length = 0;
      if (Read read = read_varint(data, at, length); read != Read::ok) return read;
      if (length > max_pprof_held) return Read::invalid;
      if (data.size() - at < length) return Read::short_input;
      field.payload = data.substr(at, static_cast<size_t>(length));
      at += static_cast<size_t>(length);
      break;
    }
    default:
      return Read::invalid;  // groups, and wire types protobuf does not have
  }
  field.size = at - start;
  return Read::ok;
}

// The wire type of each top-level field of Profile (1 to 15), 8 for "either": comment (13) is a
// repeated int64, packed or not.
constexpr unsigned profile_wire[16] = {99, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, 8, 0, 0};

bool is_profile_field(const Field& field) {
  if (field.number == 0 || field.number > 15) return false;
  const unsigned wire = profile_wire[field.number];
  return wire == 8 ? field.wire == varint || field.wire == length_delimited : field.wire == wire;
}

// How a string is used.
enum Use : uint8_t { as_file_name = 1, as_other = 2 };

// A message's fields that name strings: (field number, use); 0 ends the list. A sample's labels
// (its field 3) are read by note_sample().
struct StringField {
  unsigned number;
  Use use;
};
constexpr StringField value_type_strings[] = {{1, as_other}, {2, as_other}, {0, as_other}};
constexpr StringField label_strings[] = {{1, as_other}, {2, as_other}, {4, as_other}, {0, as_other}};
constexpr StringField mapping_strings[] = {{5, as_other}, {6, as_other}, {0, as_other}};
constexpr StringField function_strings[] = {{2, as_other}, {3, as_other}, {4, as_file_name}, {0, as_other}};

class PprofRewriter final : public RecordRewriter {
 public:
  PprofRewriter(const Trimmer& trimmer, const RewriteOptions& options, RecordRewriter::Emit emit)
      : trimmer_(trimmer), options_(options), emit_(std::move(emit)) {}

  void write(std::string_view chunk) override {
    if (holding_) return hold(chunk);
    pending_.append(chunk);
    size_t at = 0;
    Field field;
    while (!holding_) {
      const size_t start = at;
      const Read read = read_field(pending_, at, field);
      if (read == Read::short_input) {
        at = start;
        break;
      }
      check(read, field, consumed_ + start);
      if (field.number == string_table_field) {  // from here on, a later record may name any string
        holding_ = true;
        at = start;
        break;
      }
      note_strings(field, consumed_ + start);
    }
    emit_(std::string_view(pending_).substr(0, at));
    consumed_ += at;
    if (holding_) {
      held_.assign(pending_, at, std::string::npos);
      pending_.clear();
      pending_.shrink_to_fit();
      if (held_.size() > max_pprof_held) too_much();
    } else {
      pending_.erase(0, at);
      if (pending_.size() > max_pprof_held) too_much();
    }
  }

  void finish() override {
    if (!holding_) {
      if (!pending_.empty()) cut_short(consumed_);
      return;
    }
    // First the strings every held record names, then the records, each string as its uses allow.
    Field field;
    size_t at = 0;
    uint64_t strings = 0;
    while (at < held_.size()) {
      const size_t start = at;
      const Read read = read_field(held_, at, field);
      if (read == Read::short_input) cut_short(consumed_ + start);
      check(read, field, consumed_ + start);
      if (field.number == string_table_field) {
        if (strings == 0 && !field.payload.empty())
          throw error("is not a pprof profile: its first string is not \"\" (at byte " +
                      std::to_string(consumed_ + start) + "); it is left as it is");
        ++strings;
      } else {
        note_strings(field, consumed_ + start);
      }
    }
    if (uses_.size() > strings)
      throw error("is not a pprof profile: a record names string " + std::to_string(uses_.size() - 1) +
                  " of a table of " + std::to_string(strings) + "; it is left as it is");
    size_t run = 0;  // the start of the held bytes not yet emitted
    uint64_t index = 0;
    for (at = 0; at < held_.size();) {
      const size_t start = at;
      read_field(held_, at, field);
      if (field.number != string_table_field) continue;
      if (index < uses_.size() && uses_[index] == as_file_name) {
        const std::string shortened = shortened_file_name(trimmer_, options_, field.payload);
        if (shortened.size() != field.payload.size()) {
          emit_(std::string_view(held_).substr(run, start - run));
          emit_(string_record(shortened));
          run = at;
        }
      }
      ++index;
    }
    emit_(std::string_view(held_).substr(run));
  }

 private:
  void hold(std::string_view chunk) {
    if (held_.size() + chunk.size() > max_pprof_held) too_much();
    held_.append(chunk);
  }

  [[noreturn]] void too_much() const {
    throw error("is a pprof profile whose string table and the records after it exceed " +
                std::to_string(max_pprof_held >> 20) +
                " MiB, which pyprefix does not hold to rewrite; it is left as it is");
  }

  [[noreturn]] static void cut_short(unsigned long long offset) {
    throw error("is a pprof profile cut short: its record at byte " + std::to_string(offset) +
                " ends early; it is left as it is");
  }

  static void check(Read read, const Field& field, unsigned long long offset) {
    if (read == Read::ok && is_profile_field(field)) return;
    throw error("is not a pprof profile: the record at byte " + std::to_string(offset) +
                (read == Read::ok ? " is field " + std::to_string(field.number) + " of wire type " +
                                        std::to_string(field.wire) + ", which a Profile does not have"
                                  : std::string(" is not protocol buffer data")) +
                "; it is left as it is");
  }

  // The strings a top-level record names.
  void note_strings(const Field& field, unsigned long long offset) {
    switch (field.number) {
      case 1:
      case 11:
        return note_message(field.payload, value_type_strings, offset);
      case 2:
        return note_sample(field.payload, offset);
      case 3:
        return note_message(field.payload, mapping_strings, offset);
      case 5:
        return note_message(field.payload, function_strings, offset);
      case 7:
      case 8:
      case 14:
      case 15:
        return use(field.value, as_other, offset);
      case 13:
        if (field.wire == varint) return use(field.value, as_other, offset);
        for (size_t at = 0; at < field.payload.size();) {
          uint64_t value = 0;
          if (read_varint(field.payload, at, value) != Read::ok) malformed(offset);
          use(value, as_other, offset);
        }
        return;
      default:
        return;  // locations, times, the period: no strings
    }
  }

  void note_sample(std::string_view message, unsigned long long offset) {
    Field field;
    for (size_t at = 0; at < message.size();) {
      if (read_field(message, at, field) != Read::ok) malformed(offset);
      if (field.number == 3) {
        if (field.wire != length_delimited) malformed(offset);
        note_message(field.payload, label_strings, offset);
      }
    }
  }

  void note_message(std::string_view message, const StringField* strings, unsigned long long offset) {
    Field field;
    for (size_t at = 0; at < message.size();) {
      if (read_field(message, at, field) != Read::ok) malformed(offset);
      for (const StringField* string = strings; string->number != 0; ++string) {
        if (string->number != field.number) continue;
        if (field.wire != varint) malformed(offset);
        use(field.value, string->use, offset);
      }
    }
  }

  void use(uint64_t index, Use how, unsigned long long offset) {
    if (index == 0) return;  // "": nothing to shorten, whoever names it
    if (index >= max_pprof_strings)
      throw error("is not a pprof profile pyprefix rewrites: the record at byte " + std::to_string(offset) +
                  " names string " + std::to_string(index) + " (at most " + std::to_string(max_pprof_strings) +
                  " strings); it is left as it is");
    if (uses_.size() <= index) uses_.resize(static_cast<size_t>(index) + 1, 0);
    uses_[static_cast<size_t>(index)] = static_cast<uint8_t>(uses_[static_cast<size_t>(index)] | how);
  }

  [[noreturn]] static void malformed(unsigned long long offset) {
    throw error("is not a pprof profile: the record at byte " + std::to_string(offset) +
                " holds a message that is not one of Profile's; it is left as it is");
  }

  static std::string string_record(const std::string& text) {
    std::string record(1, static_cast<char>(string_table_field << 3 | length_delimited));
    for (uint64_t length = text.size();; length >>= 7) {
      record += static_cast<char>((length & 0x7f) | (length >= 0x80 ? 0x80 : 0));
      if (length < 0x80) break;
    }
    return record + text;
  }

  const Trimmer& trimmer_;
  RewriteOptions options_;
  RecordRewriter::Emit emit_;
  std::string pending_, held_;
  std::vector<uint8_t> uses_;        // by string index: Use bits
  unsigned long long consumed_ = 0;  // input bytes before pending_ (or held_)
  bool holding_ = false;
};

}  // namespace

std::unique_ptr<RecordRewriter> pprof_rewriter(const Trimmer& trimmer, const RewriteOptions& options,
                                               std::vector<std::string>&, RecordRewriter::Emit emit) {
  return std::make_unique<PprofRewriter>(trimmer, options, std::move(emit));
}

bool looks_like_pprof(std::string_view head) {
  // Text has no NUL and no control byte but these; a protocol buffer's lengths and numbers are
  // full of them.
  const bool has_binary_byte = std::any_of(head.begin(), head.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && std::strchr("\t\n\v\f\r\x1b", c) == nullptr;
  });
  if (!has_binary_byte) return false;
  size_t records = 0;
  Field field;
  for (size_t at = 0; at < head.size(); ++records) {
    const Read read = read_field(head, at, field);
    // Cut by the sample's end, or the input's (a truncated profile, which its rewriter names).
    if (read == Read::short_input) return records >= 1;
    if (read != Read::ok || !is_profile_field(field)) return false;
  }
  return records >= 1;
}

}  // namespace pyprefix::detail
