// JSON's string escapes, decoded by one set of rules for every reader of JSON strings: the
// strict reader of saved lists and manifests (saved/json_reader), the Rewriter's JSON mode and
// the sniffer that tells JSON from text (rewrite/).
#ifndef PYPREFIX_LIB_CORE_JSON_ESCAPES_HPP
#define PYPREFIX_LIB_CORE_JSON_ESCAPES_HPP

#include <cstddef>
#include <string_view>

namespace pyprefix::detail {

// A hex digit's value, or -1.
inline int json_hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits of a \u escape from `at` (just after "\u"): their value, -1 when one is
// not a hex digit, -2 when `text` ends before the fourth (every one there so far a digit).
inline long json_hex4(std::string_view text, size_t at) {
  long value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    if (i >= text.size()) return -2;
    const int digit = json_hex_digit(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// The byte a one-character escape stands for (the character after the backslash: " \ / b f n r
// t), or -1 (u, and escapes JSON does not have).
inline int json_simple_escape(char c) {
  constexpr std::string_view escaped = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
  const size_t which = escaped.find(c);
  return which == std::string_view::npos ? -1 : static_cast<unsigned char>(meaning[which]);
}

// UTF-16's surrogate halves, as \u escapes carry code points past U+FFFF: a high half followed
// by a low half is one code point; a half alone is itself (which names no character).
inline bool json_high_surrogate(long unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
inline bool json_low_surrogate(long unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }
inline char32_t json_surrogate_pair(long high, long low) {
  return 0x10000 + ((static_cast<char32_t>(high) - 0xD800) << 10) + (static_cast<char32_t>(low) - 0xDC00);
}

// The index just after the string whose opening quote is at `quote`: text.size() when `text`
// ends inside it, npos when it holds a raw control character (not JSON).
inline size_t json_string_end(std::string_view text, size_t quote) {
  for (size_t i = quote + 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '"')
      return i + 1;
    else if (static_cast<unsigned char>(text[i]) < 0x20)
      return std::string_view::npos;
  }
  return text.size();
}

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_JSON_ESCAPES_HPP
