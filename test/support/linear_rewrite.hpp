// The specification of the Rewriter, written the obvious way: the whole input at once, a
// linear scan for the longest prefix at every '/' a path may start at, and JSON strings
// decoded whole before they are matched. The fuzz target compares the Rewriter against it.
#ifndef PYPREFIX_TEST_SUPPORT_LINEAR_REWRITE_HPP
#define PYPREFIX_TEST_SUPPORT_LINEAR_REWRITE_HPP

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "support/linear_trim.hpp"

namespace pyprefix::test {

inline bool may_start_after(char c) { return c == '\0' || std::strchr(" \t\n\r\v\f\"'([{<,;:=|@", c) != nullptr; }

// How many bytes of the longest prefix start at `at` of `text`; 0 when none.
inline size_t linear_prefix_at(const std::vector<std::string>& prefixes, std::string_view text, size_t at) {
  const std::string_view rest = text.substr(at);
  return rest.size() - linear_trim(prefixes, rest).size();
}

inline bool is_hex(char c) { return std::strchr("0123456789abcdefABCDEF", c) != nullptr && c != '\0'; }

// Whether a path may start at `i`: the start, after a byte that lets one start, or right after
// an escape (\n \t \r \0 \xHH \uHHHH) whose backslash no backslash precedes.
inline bool linear_may_start(std::string_view text, size_t i) {
  if (i == 0 || may_start_after(text[i - 1])) return true;
  auto escape_at = [&](size_t back) {
    return i >= back && text[i - back] == '\\' && (i == back || text[i - back - 1] != '\\');
  };
  if (std::strchr("ntr0", text[i - 1]) != nullptr && text[i - 1] != '\0' && escape_at(2)) return true;
  if (i >= 4 && is_hex(text[i - 1]) && is_hex(text[i - 2]) && text[i - 3] == 'x' && escape_at(4)) return true;
  return i >= 6 && is_hex(text[i - 1]) && is_hex(text[i - 2]) && is_hex(text[i - 3]) && is_hex(text[i - 4]) &&
         text[i - 5] == 'u' && escape_at(6);
}

// Text: every path under a prefix loses the longest one; a path written with escaped slashes
// ("\/usr\/lib\/") is matched by what they stand for and loses the raw bytes of its prefix.
inline std::string linear_rewrite_text(const std::vector<std::string>& prefixes, std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '/' && linear_may_start(text, i)) {
      if (const size_t skip = linear_prefix_at(prefixes, text, i)) {
        i += skip;
        continue;
      }
    }
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '/' && linear_may_start(text, i)) {
      std::string decoded;
      std::vector<size_t> raw_end;
      for (size_t at = i; at < text.size();) {
        const size_t raw = text[at] == '\\' && at + 1 < text.size() && text[at + 1] == '/' ? 2 : 1;
        at += raw;
        decoded += text[at - 1];
        raw_end.push_back(at);
      }
      if (const size_t skip = linear_prefix_at(prefixes, decoded, 0)) {
        i = raw_end[skip - 1];
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// One decoded character of a JSON string and the raw bytes it came from.
struct DecodedUnit {
  std::string bytes;
  std::string_view raw;
};

inline void append_utf8(std::string& out, unsigned long c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The \uXXXX at the start of `raw`, or -1.
inline long linear_hex(std::string_view raw) {
  if (raw.size() < 6 || raw[0] != '\\' || raw[1] != 'u') return -1;
  long value = 0;
  for (char c : raw.substr(2, 4)) {
    const char* digits = "0123456789abcdef0123456789ABCDEF";
    const char* at = std::strchr(digits, c);
    if (c == '\0' || at == nullptr) return -1;
    value = value * 16 + (at - digits) % 16;
  }
  return value;
}

// The characters of a string's raw content (its quotes excluded; cut at the end of the input
// when it has no closing quote). What names no file-name bytes decodes to NUL.
inline std::vector<DecodedUnit> linear_decode(std::string_view raw) {
  std::vector<DecodedUnit> units;
  for (size_t i = 0; i < raw.size();) {
    if (raw[i] != '\\') {
      units.push_back({std::string(1, raw[i]), raw.substr(i, 1)});
      ++i;
      continue;
    }
    const std::string_view rest = raw.substr(i);
    static const std::string simple = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
    if (rest.size() >= 2 && rest[1] != '\0' && simple.find(rest[1]) != std::string::npos) {
      units.push_back({std::string(1, meaning[simple.find(rest[1])]), rest.substr(0, 2)});
      i += 2;
      continue;
    }
    const long unit = linear_hex(rest);
    if (unit < 0) {
      // An unknown escape is its two bytes; one cut short by the end, all that is left.
      const bool cut =
          rest.size() < 2 || (rest[1] == 'u' && rest.size() < 6 && linear_hex(std::string(rest) + "0000") >= 0);
      const size_t size = cut ? rest.size() : 2;
      units.push_back({std::string(1, '\0'), rest.substr(0, size)});
      i += size;
      continue;
    }
    std::string bytes;
    size_t size = 6;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const long low = linear_hex(rest.substr(6));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(bytes, 0x10000 + ((static_cast<unsigned long>(unit) - 0xD800) << 10) +
                               (static_cast<unsigned long>(low) - 0xDC00));
        size = 12;
      } else {
        bytes = std::string(1, '\0');
      }
    } else if (unit >= 0xDC80 && unit <= 0xDCFF) {
      bytes = std::string(1, static_cast<char>(unit - 0xDC00));
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      bytes = std::string(1, '\0');
    } else {
      append_utf8(bytes, static_cast<unsigned long>(unit));
    }
    units.push_back({bytes, rest.substr(0, size)});
    i += size;
  }
  return units;
}

// JSON: outside strings every byte stays; inside one, the text rule on its decoded bytes (the
// string's start lets a path start), dropping the raw bytes of what a prefix covers.
inline std::string linear_rewrite_json(const std::vector<std::string>& prefixes, std::string_view json) {
  std::string out;
  for (size_t i = 0; i < json.size();) {
    out += json[i];
    if (json[i++] != '"') continue;
    size_t end = i;
    while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
    end = std::min(end, json.size());
    const std::vector<DecodedUnit> units = linear_decode(json.substr(i, end - i));
    std::string decoded;
    std::vector<size_t> unit_of;  // the unit of each decoded byte
    for (size_t u = 0; u < units.size(); ++u)
      for (char c : units[u].bytes) {
        decoded += c;
        unit_of.push_back(u);
      }
    std::vector<bool> dropped(units.size(), false);
    for (size_t d = 0; d < decoded.size();) {
      const bool whole_slash = decoded[d] == '/' && units[unit_of[d]].bytes == "/";
      if (whole_slash && (d == 0 || may_start_after(decoded[d - 1]))) {
        if (const size_t skip = linear_prefix_at(prefixes, decoded, d)) {
          for (size_t k = d; k < d + skip; ++k) dropped[unit_of[k]] = true;
          d += skip;
          continue;
        }
      }
      ++d;
    }
    for (size_t u = 0; u < units.size(); ++u)
      if (!dropped[u]) out += units[u].raw;
    if (end < json.size()) out += '"';
    i = end + 1;
  }
  return out;
}

}  // namespace pyprefix::test

#endif  // PYPREFIX_TEST_SUPPORT_LINEAR_REWRITE_HPP
