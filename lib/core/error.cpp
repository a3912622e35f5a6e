// pyprefix::error, and the one rule for text that reaches a terminal: control bytes escaped.
#include <pyprefix/error.hpp>

#include <string_view>

#include "core/printable.hpp"

namespace pyprefix {

namespace detail {

std::string printable(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      result += c;
      continue;
    }
    constexpr char digits[] = "0123456789abcdef";
    result += "\\x";
    result += digits[byte >> 4];
    result += digits[byte & 15];
  }
  return result;
}

}  // namespace detail

error::error(const std::string& what) : std::runtime_error(detail::printable(what)) {}
error::error(const char* what) : std::runtime_error(detail::printable(what)) {}

}  // namespace pyprefix
