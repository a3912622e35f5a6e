// The strict JSON reader (lib/core/saved/json_reader.cpp): strings as file-name bytes, values
// skipped, and each refusal with its byte offset, table by table.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "core/saved/json_reader.hpp"

namespace {

using pyprefix::detail::JsonReader;

// The message JsonReader gives for `problem` at byte `at` of a "test document".
std::string refusal(const std::string& problem, size_t at) {
  return "not a test document: " + problem + " at byte " + std::to_string(at);
}

// What reading `text` with `read` gives: its result, or the refusal's message.
template <typename Read>
std::string outcome(const std::string& text, Read read) {
  try {
    JsonReader reader(text, "test document");
    return "= " + read(reader);
  } catch (const pyprefix::error& e) {
    return e.what();
  }
}

std::string one_string(JsonReader& reader) {
  std::string value = reader.read_string();
  reader.expect_end("text after the string");
  return value;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_reader)

BOOST_AUTO_TEST_CASE(strings_become_file_name_bytes) {
  const struct {
    std::string text, bytes;
  } table[] = {
      {R"("abc")", "abc"},
      {R"("")", ""},
      {R"( "spaced" )", "spaced"},
      {R"("\/usr\/lib\/python3.11\/")", "/usr/lib/python3.11/"},
      {R"("\u002fusr\u002Flib")", "/usr/lib"},
      {R"("\"\\\b\f\n\r\t")", "\"\\\b\f\n\r\t"},
      {R"("caf\u00e9")", "caf\xc3\xa9"},
      {"\"caf\xc3\xa9\"", "caf\xc3\xa9"},         // raw UTF-8 as it is
      {R"("\ud83d\ude00")", "\xf0\x9f\x98\x80"},  // a surrogate pair is one code point
      {R"("\udcff\udc80")", "\xff\x80"},          // json.dumps's escapes of undecodable bytes
      {"\"\xff/x\"", "\xff/x"},                   // an undecodable raw byte stays itself
      {"\"\xed\xa0\x80\"", "\xed\xa0\x80"},       // so does an encoded surrogate
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.text) {
      BOOST_TEST(outcome(row.text, one_string) == "= " + row.bytes);
    }
}

BOOST_AUTO_TEST_CASE(bad_strings_are_refused_where_they_go_wrong) {
  const std::string long_string = "\"" + std::string(JsonReader::max_string_bytes + 1, 'a') + "\"";
  const struct {
    std::string text, message;
  } table[] = {
      {R"("abc)", refusal("an unterminated string", 4)},
      {R"("abc\)", refusal("an unterminated string", 5)},
      {R"(abc")", refusal("'\"' expected", 0)},
      {R"("\x")", refusal("an unknown escape", 2)},
      {R"("\u12g4")", refusal("a bad \\u escape", 5)},
      {R"("\u12")", refusal("a short \\u escape", 3)},
      {"\"a\tb\"", refusal("a control character in a string", 2)},
      {R"("a\u0000b")", refusal("a string holding a NUL", 10)},
      {R"("\ud800\u0041")", refusal("a string with a lone surrogate that names no bytes", 14)},
      {R"("\udc41")", refusal("a string with a lone surrogate that names no bytes", 8)},  // no byte's escape
      {R"("a" "b")", refusal("text after the string", 4)},
      {long_string, refusal("a string longer than 64 KiB", 1)},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.text.substr(0, 40)) {
      BOOST_TEST(outcome(row.text, one_string) == row.message);
    }
}

BOOST_AUTO_TEST_CASE(unknown_values_are_skipped_and_bad_ones_refused) {
  const auto skip = [](JsonReader& reader) {
    std::string keys;
    reader.read_object("the object", [&](const std::string& key) {
      keys += key + ";";
      reader.skip_value();
    });
    reader.expect_end("text after the object");
    return keys;
  };
  const struct {
    std::string text, result;
  } table[] = {
      {R"({})", "= "},
      {R"({"a": [1, -2.5e3, true, false, null, {"b": "c"}, []], "d": {}})", "= a;d;"},
      {R"({"a": "\u00e9"})", "= a;"},
      {R"({"a": tru})", refusal("an unknown value", 6)},
      {R"({"a": })", refusal("an unknown value", 6)},
      {R"({"a": 1,})", refusal("'\"' expected", 8)},
      {R"({"a" 1})", refusal("':' expected", 5)},
      {R"({"a": [1 2]})", refusal("']' expected", 9)},
      {R"({"a": 1})", "= a;"},
      {R"({"a": 1} [])", refusal("text after the object", 9)},
      {R"([])", refusal("the object that is not an object", 0)},
      {R"({"a": )" + std::string(65, '[') + std::string(65, ']') + "}", "= a;"},
      {R"({"a": )" + std::string(66, '[') + std::string(66, ']') + "}", refusal("values nested too deeply", 71)},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.text.substr(0, 60)) {
      BOOST_TEST(outcome(row.text, skip) == row.result);
    }
}

BOOST_AUTO_TEST_CASE(arrays_and_string_values_name_what_is_wrong) {
  const auto names = [](JsonReader& reader) {
    std::string read;
    reader.read_object(nullptr, [&](const std::string& key) {
      reader.read_array(key, [&] { read += reader.read_string_value("an item") + ";"; });
    });
    return read;
  };
  const struct {
    std::string text, result;
  } table[] = {
      {R"({"roots": ["a", "b"]})", "= a;b;"},
      {R"({"roots": []})", "= "},
      {R"({"roots": "a"})", refusal("\"roots\" that is not an array", 10)},
      {R"({"roots": [1]})", refusal("an item that is not a string", 11)},
  };
  for (const auto& row : table) BOOST_TEST_CONTEXT(row.text) {
      BOOST_TEST(outcome(row.text, names) == row.result);
    }
}

BOOST_AUTO_TEST_CASE(a_document_holds_a_bounded_number_of_strings) {
  const auto count = [](JsonReader& reader) {
    size_t strings = 0;
    reader.read_object(nullptr, [&](const std::string& key) {
      reader.read_array(key, [&] { strings += reader.read_string().size(); });
    });
    return std::to_string(strings);
  };
  // The key is a string too: max_strings - 1 items fit beside it, one more does not.
  std::string fits = R"({"k": [)", over;
  for (size_t i = 0; i + 1 < JsonReader::max_strings; ++i) fits += i == 0 ? R"("")" : R"(,"")";
  over = fits + R"(,""]})";
  fits += "]}";
  BOOST_TEST(outcome(fits, count) == "= 0");
  BOOST_TEST(outcome(over, count) ==
             refusal("more than " + std::to_string(JsonReader::max_strings) + " strings", over.size() - 3));
}

BOOST_AUTO_TEST_SUITE_END()
