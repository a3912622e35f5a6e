// The Rewriter (lib/core/rewrite/rewriter.cpp): where a path starts and where it does not, JSON
// escapes, module names, truncated JSON, and the streaming answer the one-shot answer for a
// chunk border at every byte. (test/tool/test_rewrite.py checks real producers' output
// against the reference rewriter, test/reference/rewrite.py.)
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>
#include <pyprefix/rewriter.hpp>

#include "core/rewrite/json_sniff.hpp"

namespace {

const pyprefix::Trimmer& trimmer() {
  static const pyprefix::Trimmer instance(
      {"/usr/lib/python3.11/", "/usr/lib/python3/dist-packages/", "/usr/lib/python3.11/lib-dynload/", "/srv/app/"});
  return instance;
}

// `input` rewritten with the chunks cut at each of `cuts` (offsets, ascending).
std::string in_chunks(std::string_view input, const std::vector<size_t>& cuts, pyprefix::RewriteOptions options = {},
                      std::vector<std::string>* warnings = nullptr) {
  std::string out;
  pyprefix::Rewriter rewriter(
      trimmer(), [&](std::string_view piece) { out.append(piece); }, options);
  size_t from = 0;
  for (size_t cut : cuts) {
    rewriter.write(input.substr(from, cut - from));
    from = cut;
  }
  rewriter.write(input.substr(from));
  rewriter.finish();
  if (warnings != nullptr) *warnings = rewriter.warnings();
  return out;
}

struct Row {
  std::string input, output;
};

void check_table(const std::vector<Row>& table, pyprefix::RewriteOptions options = {}) {
  for (const Row& row : table) {
    BOOST_TEST_CONTEXT(row.input) {
      BOOST_TEST(pyprefix::rewrite(trimmer(), row.input, options) == row.output);
      // A chunk border at every byte, and every byte a chunk of its own.
      for (size_t cut = 0; cut <= row.input.size(); ++cut) BOOST_TEST_CONTEXT("cut at " << cut) {
          BOOST_TEST(in_chunks(row.input, {cut}, options) == row.output);
        }
      std::vector<size_t> every;
      for (size_t cut = 1; cut < row.input.size(); ++cut) every.push_back(cut);
      BOOST_TEST(in_chunks(row.input, every, options) == row.output);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rewriter)

BOOST_AUTO_TEST_CASE(a_path_starts_at_a_line_or_after_a_byte_no_path_follows) {
  pyprefix::RewriteOptions text;
  text.format = pyprefix::RewriteFormat::text;
  check_table(
      {
          {"/usr/lib/python3.11/json/decoder.py", "json/decoder.py"},
          {"  File \"/usr/lib/python3.11/json/decoder.py\", line 337, in decode\n",
           "  File \"json/decoder.py\", line 337, in decode\n"},
          {"7f1590ebbfd0 b py::JSONEncoder.encode:/usr/lib/python3.11/json/encoder.py\n",
           "7f1590ebbfd0 b py::JSONEncoder.encode:json/encoder.py\n"},
          {"dumps (/usr/lib/python3.11/json/__init__.py:231)\n", "dumps (json/__init__.py:231)\n"},
          {"P4711;T0:1;/usr/lib/python3.11/json/decoder.py:decode:337\n", "P4711;T0:1;json/decoder.py:decode:337\n"},
          {"a\n/srv/app/main.py\r\n/srv/app/x.py", "a\nmain.py\r\nx.py"},
          {"k=/srv/app/a|/srv/app/b,[/srv/app/c]{/srv/app/d}</srv/app/e>@/srv/app/f'/srv/app/g'",
           "k=a|b,[c]{d}<e>@f'g'"},
          {"\t/srv/app/t\v/srv/app/v\f/srv/app/f", "\tt\vv\ff"},
          // The longest prefix wins.
          {"/usr/lib/python3.11/lib-dynload/_json.so", "_json.so"},
          // Near misses: after a letter, a digit or one of / . - _ ~; a prefix cut short; a
          // folder named like a prefix without its "/".
          {"/opt/usr/lib/python3.11/x.py x/usr/lib/python3.11/y.py 1/srv/app/a ./srv/app/a -/srv/app/a _/srv/app/a "
           "~/srv/app/a //srv/app/a",
           "/opt/usr/lib/python3.11/x.py x/usr/lib/python3.11/y.py 1/srv/app/a ./srv/app/a -/srv/app/a _/srv/app/a "
           "~/srv/app/a //srv/app/a"},
          {"/srv/ap /srv/app /srv/apps/x /usr/lib/python3.1/x", "/srv/ap /srv/app /srv/apps/x /usr/lib/python3.1/x"},
          // Bytes pass through: NUL, invalid UTF-8, CRLF.
          {std::string("\0/srv/app/a\0\xff/srv/app/\xfe\r\n", 25), std::string("\0a\0\xff/srv/app/\xfe\r\n", 16)},
          {"", ""},
          {"no paths at all", "no paths at all"},
      },
      text);
}

// JSON inside HTML (pyinstrument's report), C strings in logs: a path right after an escape,
// and one written with escaped slashes, in text.
BOOST_AUTO_TEST_CASE(escapes_in_text) {
  pyprefix::RewriteOptions text;
  text.format = pyprefix::RewriteFormat::text;
  check_table(
      {
          {R"("decode\u0000/usr/lib/python3/dist-packages/yaml/composer.py\u000012")",
           R"("decode\u0000yaml/composer.py\u000012")"},
          {R"("a\n/srv/app/x.py\t/srv/app/y.py\r/srv/app/z.py\0/srv/app/w.py\x1f/srv/app/v.py")",
           R"("a\nx.py\ty.py\rz.py\0w.py\x1fv.py")"},
          {R"({"file": "\/usr\/lib\/python3.11\/json\/decoder.py"})", R"({"file": "json\/decoder.py"})"},
          {R"(x=\/srv\/app\/main.py \/srv/app/mixed.py)", R"(x=main.py mixed.py)"},
          // Not escapes: an escaped backslash before n, a bad hex digit, a letter before.
          {R"("\\n/srv/app/a \xg1/srv/app/b \u00zz/srv/app/c \q/srv/app/d a\/srv\/app\/e")",
           R"("\\n/srv/app/a \xg1/srv/app/b \u00zz/srv/app/c \q/srv/app/d a\/srv\/app\/e")"},
      },
      text);
}

// --keep-width: a table's columns stay where they were.
BOOST_AUTO_TEST_CASE(keep_width_pads_where_two_spaces_follow) {
  pyprefix::RewriteOptions options;
  options.format = pyprefix::RewriteFormat::text;
  options.keep_width = true;
  check_table(
      {
          {"/srv/app/main.py                 10      2    80%\n/srv/app/x.py 3\n",
           "main.py                          10      2    80%\nx.py 3\n"},
          {"| /usr/lib/python3.11/json/decoder.py  | 12 |", "| json/decoder.py                      | 12 |"},
          {"/srv/app/end.py  ", "end.py           "},
          {"/srv/app/end.py ", "end.py "},
          // Its end and the two spaces must lie within the lookahead: the same at every chunk border.
          {"/srv/app/" + std::string(5000, 'a') + "  x", std::string(5000, 'a') + "  x"},
      },
      options);
}

BOOST_AUTO_TEST_CASE(json_strings_are_matched_by_their_decoded_value) {
  pyprefix::RewriteOptions json;
  json.format = pyprefix::RewriteFormat::json;
  check_table(
      {
          {R"({"f": "/usr/lib/python3.11/json/decoder.py"})", R"({"f": "json/decoder.py"})"},
          {R"({"f": "\/usr\/lib\/python3.11\/json\/decoder.py"})", R"({"f": "json\/decoder.py"})"},
          {R"({"f": "\u002fsrv\u002Fapp\u002fmain.py"})", R"({"f": "main.py"})"},
          {R"({"/srv/app/key": 1, "n": -1.5e3, "l": [true, null, "/srv/app/x"]})",
           R"({"key": 1, "n": -1.5e3, "l": [true, null, "x"]})"},
          // Inside a string, the same rule as in text: after a decoded quote, a newline, ":"...
          {R"({"name": "/srv/app/a.py(12): f", "s": "File \"/srv/app/b.py\", line 3\n/srv/app/c.py"})",
           R"({"name": "a.py(12): f", "s": "File \"b.py\", line 3\nc.py"})"},
          {R"(["py::f:/srv/app/x.py", "x/srv/app/y", "\\/srv/app/z"])",
           R"(["py::f:x.py", "x/srv/app/y", "\\/srv/app/z"])"},
          // Outside strings nothing is a path; a prefix does not run past a string's end.
          {R"([1, "/srv/app", "/srv/app/"])", R"([1, "/srv/app", ""])"},
          // Non-ASCII and json.dumps's escapes of undecodable bytes.
          {"[\"/srv/app/caf\xc3\xa9.py\", \"/srv/app/caf\\u00e9.py\", \"/srv/app/\\udcff.py\"]",
           "[\"caf\xc3\xa9.py\", \"caf\\u00e9.py\", \"\\udcff.py\"]"},
          // JSON Lines: line by line.
          {"{\"f\": \"/srv/app/a\"}\n{\"f\": \"/srv/app/b\"}\n", "{\"f\": \"a\"}\n{\"f\": \"b\"}\n"},
      },
      json);
}

BOOST_AUTO_TEST_CASE(detection_tells_json_from_text) {
  const struct {
    std::string input;
    bool json;
  } table[] = {
      {"{\"traceEvents\": [", true},
      {"[{\"name\": \"x\"", true},
      {"  \n{\"a\": 1}\n{\"a\": 2}\n", true},
      {"[1, 2, 3]", true},
      {"[]", true},
      {"[INFO] /srv/app/x.py started", false},
      {"[2024-01-01 12:00:00] /srv/app/x.py", false},
      {"{not json}", false},
      {"  File \"/srv/app/x.py\", line 1", false},
      {"", false},
      {"{\"a\": tr", true},  // cut inside a literal
      {"[1, 2", true},
      {"[1 2]", false},
      {"{\"a\" 1}", false},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.input) {
      std::string out;
      pyprefix::Rewriter rewriter(trimmer(), [&](std::string_view piece) { out.append(piece); });
      rewriter.write(row.input);
      rewriter.finish();
      BOOST_TEST((rewriter.format() == pyprefix::RewriteFormat::json) == row.json);
      pyprefix::RewriteOptions as_detected;
      as_detected.format = row.json ? pyprefix::RewriteFormat::json : pyprefix::RewriteFormat::text;
      BOOST_TEST(out == pyprefix::rewrite(trimmer(), row.input, as_detected));
    }
  }
  // Detected JSON rewrites inside strings; detected text anywhere.
  BOOST_TEST(pyprefix::rewrite(trimmer(), "[\"\\/srv\\/app\\/x\"]") == "[\"x\"]");
  BOOST_TEST(pyprefix::rewrite(trimmer(), "[INFO] /srv/app/x") == "[INFO] x");
}

BOOST_AUTO_TEST_CASE(truncated_json_is_rewritten_as_far_as_it_goes_with_a_warning) {
  pyprefix::RewriteOptions json;
  json.format = pyprefix::RewriteFormat::json;
  for (const std::string& input : {std::string(R"({"f": "/srv/app/x.py", "g": "/srv/app/y)"),
                                   std::string(R"({"f": "/srv/app/x.py", "g": "\/srv\/app\/y\u00)")}) {
    BOOST_TEST_CONTEXT(input) {
      std::vector<std::string> warnings;
      const std::string out = in_chunks(input, {input.size() / 2}, json, &warnings);
      BOOST_TEST(out.substr(0, 19) == R"({"f": "x.py", "g": )");
      BOOST_TEST(out.find("/srv/app/x.py") == std::string::npos);
      BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
      BOOST_TEST(warnings[0] == "the input ends inside a JSON string (at byte " + std::to_string(input.size()) +
                                    "): rewritten as far as it goes");
    }
  }
}

BOOST_AUTO_TEST_CASE(python_files_become_module_names) {
  pyprefix::Manifest manifest;
  manifest.interpreter.cache_tag = "cpython-311";
  manifest.interpreter.extension_suffixes = {".cpython-311-x86_64-linux-gnu.so", ".so"};
  manifest.prefixes = {{"/usr/lib/python3.11/", {pyprefix::Source::sys_path}, {}},
                       {"/usr/lib/python3.11/lib-dynload/", {pyprefix::Source::sys_path}, {}},
                       {"/srv/app/", {pyprefix::Source::sys_path}, {}}};
  const pyprefix::CodeIndex index(manifest);
  pyprefix::RewriteOptions to_module;
  to_module.to = pyprefix::RewriteTo::module;
  to_module.index = &index;
  check_table(
      {
          {"  File \"/usr/lib/python3.11/json/decoder.py\", line 337\n", "  File \"json.decoder\", line 337\n"},
          {"/usr/lib/python3.11/json/__init__.py:12: DeprecationWarning", "json:12: DeprecationWarning"},
          {"py::dumps:/usr/lib/python3.11/json/__init__.py+0xa (/tmp/perf-1.map)",
           "py::dumps:json+0xa (/tmp/perf-1.map)"},
          {"/usr/lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so", "_json"},
          {"/srv/app/main.py(12): f", "main(12): f"},
          // Not a Python file, or not importable: the short path.
          {"/srv/app/data.txt /srv/app/my-tool.py /srv/app/x.py.bak", "data.txt my-tool.py x.py.bak"},
      },
      to_module);
  pyprefix::RewriteOptions json_to_module = to_module;
  json_to_module.format = pyprefix::RewriteFormat::json;
  check_table({{R"({"name": "\/srv\/app\/main.py(12): f"})", R"({"name": "main(12): f"})"}}, json_to_module);
}

BOOST_AUTO_TEST_CASE(a_line_of_any_length_streams_in_bounded_memory) {
  // 8 MiB on one line, paths throughout, in 64 KiB chunks: no piece handed to the sink is
  // much larger than a chunk, and the answer is the one-shot one.
  std::string line;
  while (line.size() < (8u << 20)) line += "{\"f\": \"/srv/app/x.py\"}, ";
  std::string out;
  size_t largest = 0;
  pyprefix::Rewriter rewriter(trimmer(), [&](std::string_view piece) {
    out.append(piece);
    largest = std::max(largest, piece.size());
  });
  for (size_t at = 0; at < line.size(); at += 1u << 16) rewriter.write(std::string_view(line).substr(at, 1u << 16));
  rewriter.finish();
  BOOST_TEST(out == pyprefix::rewrite(trimmer(), line));
  BOOST_TEST(out.find("/srv/app/") == std::string::npos);
  BOOST_TEST(largest <= (128u << 10));
}

BOOST_AUTO_TEST_CASE(what_cannot_be_rewritten_is_refused) {
  const pyprefix::Trimmer windows({{"C:\\Python311\\Lib\\", {pyprefix::Source::stdlib}, {}}},
                                  pyprefix::PathFlavour::windows);
  BOOST_CHECK_THROW(pyprefix::Rewriter(windows, [](std::string_view) {}), pyprefix::error);
  pyprefix::RewriteOptions to_module;
  to_module.to = pyprefix::RewriteTo::module;
  BOOST_CHECK_THROW(pyprefix::Rewriter(
                        trimmer(), [](std::string_view) {}, to_module),
                    pyprefix::error);
  pyprefix::Rewriter rewriter(trimmer(), [](std::string_view) {});
  rewriter.finish();
  BOOST_CHECK_THROW(rewriter.write("x"), pyprefix::error);
}

BOOST_AUTO_TEST_SUITE_END()
