#include "cli/json.hpp"

#include "normalise/fs_encoding.hpp"

namespace pyprefix::detail {
namespace {

// A \uXXXX escape with lower-case hex digits, as json.dumps writes it; `unit` is below 0x10000.
void append_escape(std::string& out, char32_t unit) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(unit >> shift) & 0xF];
}

}  // namespace

std::string json_string(std::string_view file_name) {
  std::string out = "\"";
  for (char32_t c : decode_file_name(file_name)) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || (c >= 0x7F && c < 0x10000)) {
          append_escape(out, c);
        } else if (c >= 0x10000) {  // outside the BMP: a UTF-16 surrogate pair, as json.dumps writes it
          append_escape(out, 0xD800 + ((c - 0x10000) >> 10));
          append_escape(out, 0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_list(const std::vector<Prefix>& prefixes) {
  std::string out = "[";
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const Prefix& prefix = prefixes[i];
    out += i == 0 ? "\n  " : ",\n  ";
    out += "{\"prefix\": " + json_string(prefix.path) + ", \"sources\": [";
    for (size_t k = 0; k < prefix.sources.size(); ++k) {
      out += k == 0 ? "\"" : ", \"";
      out += source_name(prefix.sources[k]);
      out += "\"";
    }
    out += "]";
    if (!prefix.resolved.empty()) out += ", \"resolved\": " + json_string(prefix.resolved);
    out += "}";
  }
  return out + (prefixes.empty() ? "]\n" : "\n]\n");
}

}  // namespace pyprefix::detail
