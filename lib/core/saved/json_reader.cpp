// The strict JSON reader of saved lists and manifests.
#include "core/saved/json_reader.hpp"

#include <cstring>

#include <pyprefix/error.hpp>

#include "core/json_escapes.hpp"
#include "core/normalise/fs_encoding.hpp"

namespace pyprefix::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string JsonReader::read_string_value(const std::string& name) {
  skip_space();
  if (at_ >= text_.size() || text_[at_] != '"')
    fail(name.front() == 'a' ? name + " that is not a string" : "\"" + name + "\" that is not a string");
  return read_string();
}

void JsonReader::open(char bracket, const std::string& name, const char* type) {
  skip_space();
  if (at_ >= text_.size() || text_[at_] != bracket) fail(name + " that is not " + type);
  ++at_;
}

std::string JsonReader::read_string() {
  expect('"');
  if (++strings_ > max_strings) fail("more than " + std::to_string(max_strings) + " strings");
  const size_t start = at_;
  std::u32string code_points;
  for (;;) {
    if (at_ >= text_.size()) fail("an unterminated string");
    if (at_ - start > max_string_bytes)
      fail_at(start, "a string longer than " + std::to_string(max_string_bytes >> 10) + " KiB");
    const char c = text_[at_++];
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20) fail_at(at_ - 1, "a control character in a string");
    if (c != '\\') {
      // Raw UTF-8 is allowed; decode it (malformed bytes become surrogate escapes, as in a file name).
      size_t end = at_;
      while (end < text_.size() && text_[end] != '"' && text_[end] != '\\' &&
             static_cast<unsigned char>(text_[end]) >= 0x20)
        ++end;
      code_points += decode_file_name(text_.substr(at_ - 1, end - at_ + 1));
      at_ = end;
      continue;
    }
    if (at_ >= text_.size()) fail("an unterminated string");
    const char escaped = text_[at_++];
    if (const int simple = json_simple_escape(escaped); simple >= 0) {
      code_points += static_cast<char32_t>(simple);
      continue;
    }
    if (escaped != 'u') fail_at(at_ - 1, "an unknown escape");
    char32_t unit = read_hex4();
    if (json_high_surrogate(unit) && text_.substr(at_, 2) == "\\u") {
      const size_t before = at_;
      at_ += 2;
      const char32_t low = read_hex4();
      if (json_low_surrogate(low))
        unit = json_surrogate_pair(unit, low);
      else
        at_ = before;  // not a pair: the high surrogate stands alone (and is refused below)
    }
    code_points += unit;
  }
  bool ok = false;
  std::string bytes = encode_file_name(code_points, ok);
  if (!ok) fail("a string with a lone surrogate that names no bytes");
  if (bytes.find('\0') != std::string::npos) fail("a string holding a NUL");
  return bytes;
}

char32_t JsonReader::read_hex4() {
  if (at_ + 4 > text_.size()) fail("a short \\u escape");
  const long value = json_hex4(text_, at_);
  if (value < 0) {
    while (json_hex_digit(text_[at_]) >= 0) ++at_;
    fail_at(at_, "a bad \\u escape");
  }
  at_ += 4;
  return static_cast<char32_t>(value);
}

void JsonReader::skip_value(int depth) {
  if (depth > 64) fail("values nested too deeply");
  skip_space();
  if (at_ >= text_.size()) fail("a missing value");
  const char c = text_[at_];
  if (c == '"') {
    read_string();
  } else if (c == '[' || c == '{') {
    const char close = c == '[' ? ']' : '}';
    ++at_;
    if (consume(close)) return;
    do {
      if (close == '}') {
        read_string();
        expect(':');
      }
      skip_value(depth + 1);
    } while (consume(','));
    expect(close);
  } else {
    const size_t start = at_;
    while (at_ < text_.size() && std::strchr("+-.0123456789eEtruefalsn", text_[at_]) != nullptr) ++at_;
    const std::string_view word = text_.substr(start, at_ - start);
    const bool number = !word.empty() && (word[0] == '-' || (word[0] >= '0' && word[0] <= '9'));
    if (!(number || word == "true" || word == "false" || word == "null")) fail_at(start, "an unknown value");
  }
}

void JsonReader::skip_space() {
  while (at_ < text_.size() && is_space(text_[at_])) ++at_;
}

bool JsonReader::consume(char c) {
  skip_space();
  if (at_ < text_.size() && text_[at_] == c) {
    ++at_;
    return true;
  }
  return false;
}

void JsonReader::expect(char c) {
  if (!consume(c)) fail(std::string("'") + c + "' expected");
}

void JsonReader::fail_at(size_t where, const std::string& problem) const {
  throw error("not a " + std::string(what_) + ": " + problem + " at byte " + std::to_string(where));
}

void JsonReader::expect_end(const char* problem) {
  skip_space();
  if (at_ < text_.size()) fail(problem);
}

}  // namespace pyprefix::detail
