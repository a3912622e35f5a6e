// Telling JSON from text: a JSON grammar check of the first bytes, tolerant of the cut at their end.
#include "core/rewrite/json_sniff.hpp"

#include "core/json_escapes.hpp"

#include <cstring>
#include <vector>

namespace pyprefix::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `token` is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
bool is_number(std::string_view token) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < token.size() && is_digit(token[i])) ++i;
    return i > start;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < token.size() && token[i] == '.' && (++i, !digits())) return false;
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

// Whether `token` is true, false or null, or, `cut` at the end of the sample, the start of one.
bool is_literal(std::string_view token, bool cut) {
  for (std::string_view literal : {"true", "false", "null"})
    if (token == literal || (cut && literal.substr(0, token.size()) == token)) return true;
  return false;
}

}  // namespace

bool starts_as_json(std::string_view text) {
  enum class Expect { value, value_or_close, comma_or_close, key, key_or_close, colon } expect = Expect::value;
  std::vector<char> open;  // the '{' and '[' not yet closed
  constexpr size_t deep_enough = 1024;
  const auto after_value = [&] { expect = open.empty() ? Expect::value : Expect::comma_or_close; };
  const auto close = [&] {
    open.pop_back();
    after_value();
  };
  const auto string_end = [&](size_t i) { return json_string_end(text, i); };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (open.size() > deep_enough) return true;
    switch (expect) {
      case Expect::value_or_close:
        if (c == ']') {
          ++i;
          close();
          break;
        }
        [[fallthrough]];
      case Expect::value:
        if (c == '{' || c == '[') {
          open.push_back(c);
          expect = c == '{' ? Expect::key_or_close : Expect::value_or_close;
          ++i;
        } else if (open.empty()) {
          return false;  // a document or a JSON Lines record is an object or an array
        } else if (c == '"') {
          if ((i = string_end(i)) == std::string_view::npos) return false;
          after_value();
        } else {
          const size_t start = i;
          while (i < text.size() && std::strchr("+-.0123456789eEtruefalsn", text[i]) != nullptr && text[i] != '\0') ++i;
          const std::string_view token = text.substr(start, i - start);
          const bool cut = i == text.size();
          if (token.empty() ||
              !(is_literal(token, cut) || is_number(token) || (cut && (token[0] == '-' || is_digit(token[0])))))
            return false;
          after_value();
        }
        break;
      case Expect::comma_or_close:
        if (c == ',') {
          expect = open.back() == '{' ? Expect::key : Expect::value;
          ++i;
        } else if (c == (open.back() == '{' ? '}' : ']')) {
          ++i;
          close();
        } else {
          return false;
        }
        break;
      case Expect::key_or_close:
        if (c == '}') {
          ++i;
          close();
          break;
        }
        [[fallthrough]];
      case Expect::key:
        if (c != '"' || (i = string_end(i)) == std::string_view::npos) return false;
        expect = Expect::colon;
        break;
      case Expect::colon:
        if (c != ':') return false;
        ++i;
        expect = Expect::value;
        break;
    }
  }
  return true;
}

}  // namespace pyprefix::detail
