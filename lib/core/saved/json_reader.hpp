// A strict JSON reader, bounded for documents from machines or users pyprefix does not trust
// (saved lists, manifests): the schemas that use it are in prefix_file.cpp.
#ifndef PYPREFIX_LIB_CORE_SAVED_JSON_READER_HPP
#define PYPREFIX_LIB_CORE_SAVED_JSON_READER_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace pyprefix::detail {

// Reads one JSON document front to back. Every error is a pyprefix::error,
// "not a WHAT: PROBLEM at byte N", N a byte offset into the text.
class JsonReader {
 public:
  // Bounds on what a hostile document costs: strings in one document, bytes in one string
  // (no path is longer: PATH_MAX is 4 KiB).
  static constexpr size_t max_strings = 1u << 20;
  static constexpr size_t max_string_bytes = 64u << 10;

  // `what` names the document in messages: "pyprefix list", "pyprefix manifest".
  JsonReader(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  // {"key": value, ...}, each value read by `read_value(key)` with the reader on its first
  // byte. `name` (as messages say it, e.g. "a distribution") must be an object; a null `name`
  // simply expects '{'.
  template <typename ReadValue>
  void read_object(const char* name, ReadValue read_value) {
    if (name != nullptr)
      open('{', name, "an object");
    else
      expect('{');
    if (consume('}')) return;
    do {
      const std::string key = read_string();
      expect(':');
      skip_space();
      read_value(key);
    } while (consume(','));
    expect('}');
  }

  // [item, ...], each read by `read_item()`; the value of "key" must be an array.
  template <typename ReadItem>
  void read_array(const std::string& key, ReadItem read_item) {
    open('[', "\"" + key + "\"", "an array");
    if (consume(']')) return;
    do read_item();
    while (consume(','));
    expect(']');
  }

  // A string as file-name bytes: \uXXXX escapes decoded, surrogate pairs joined, and the lone
  // surrogates U+DC80..U+DCFF that json.dumps writes for undecodable bytes turned back into them.
  std::string read_string();
  // read_string, failing with "NAME that is not a string" ("\"NAME\"" for a key) otherwise.
  std::string read_string_value(const std::string& name);
  // Any JSON value, for keys this version does not know; nesting is bounded.
  void skip_value(int depth = 0);
  // Fails unless only whitespace is left; `problem` says what the rest is ("text after the list").
  void expect_end(const char* problem);

  void skip_space();
  bool consume(char c);  // after whitespace
  void expect(char c);   // consume, or fail with "'c' expected"
  size_t position() const { return at_; }

  [[noreturn]] void fail(const std::string& problem) const { fail_at(at_, problem); }
  [[noreturn]] void fail_at(size_t where, const std::string& problem) const;

 private:
  void open(char bracket, const std::string& name, const char* type);
  char32_t read_hex4();

  std::string_view text_;
  std::string_view what_;
  size_t at_ = 0;
  size_t strings_ = 0;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_SAVED_JSON_READER_HPP
