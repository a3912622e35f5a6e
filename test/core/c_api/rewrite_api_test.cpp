// The C API's rewriter (lib/core/c_api/rewrite_api.cpp): each format it takes, byte for byte
// against what the format's rule gives, and the refusals, each one line in pyprefix_last_error().
#include <string>

#include <boost/test/unit_test.hpp>

#include <pyprefix/pyprefix_core.h>

namespace {

void append_to(void* context, const char* data, size_t size) { static_cast<std::string*>(context)->append(data, size); }

// The rewritten input, or "error: " and pyprefix_last_error().
std::string rewritten(const std::string& input, pyprefix_rewrite_format format) {
  const char* prefixes[] = {"/usr/lib/python3.11/"};
  pyprefix_trimmer* trimmer = nullptr;
  BOOST_REQUIRE(pyprefix_trimmer_from_list(prefixes, 1, &trimmer) == PYPREFIX_OK);
  std::string out;
  pyprefix_rewriter* rewriter = nullptr;
  pyprefix_status status = pyprefix_rewriter_new(trimmer, format, nullptr, append_to, &out, &rewriter);
  if (status == PYPREFIX_OK) status = pyprefix_rewriter_write(rewriter, input.data(), input.size());
  if (status == PYPREFIX_OK) status = pyprefix_rewriter_finish(rewriter);
  pyprefix_rewriter_free(rewriter);
  pyprefix_trimmer_free(trimmer);
  return status == PYPREFIX_OK ? out : "error: " + std::string(pyprefix_last_error());
}

const std::string path = "/usr/lib/python3.11/json/decoder.py";

// A pprof profile: strings "", PATH (or what it became), "decode"; a function named 2 in file 1.
std::string pprof(const std::string& file) {
  return std::string("\x32\x00", 2) + "\x32" + static_cast<char>(file.size()) + file + "\x32\x06" + "decode" +
         std::string("\x2a\x06\x08\x01\x10\x02\x20\x01", 8);
}

// A little-endian jitdump: a 40-byte header and one code load named NAME with 3 bytes of code.
std::string jitdump(const std::string& name) {
  auto u32 = [](unsigned value) {
    return std::string{static_cast<char>(value), static_cast<char>(value >> 8), static_cast<char>(value >> 16),
                       static_cast<char>(value >> 24)};
  };
  const std::string header = "DTiJ" + u32(1) + u32(40) + std::string(28, '\0');
  const std::string code_size = u32(3) + u32(0);
  return header + u32(0) + u32(static_cast<unsigned>(56 + name.size() + 1 + 3)) + std::string(32, '\0') + code_size +
         std::string(8, '\0') + name + std::string(1, '\0') + "\x90\x90\xc3";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rewrite_api)

BOOST_AUTO_TEST_CASE(each_format) {
  BOOST_TEST(rewritten("at " + path + ":337\n", PYPREFIX_REWRITE_TEXT) == "at json/decoder.py:337\n");
  BOOST_TEST(rewritten("{\"f\": \"" + path + "\"}", PYPREFIX_REWRITE_JSON) == "{\"f\": \"json/decoder.py\"}");
  BOOST_TEST(rewritten(pprof(path), PYPREFIX_REWRITE_PPROF) == pprof("json/decoder.py"));
  BOOST_TEST(rewritten(pprof(path), PYPREFIX_REWRITE_DETECT) == pprof("json/decoder.py"));
  BOOST_TEST(rewritten(jitdump("py::decode:" + path), PYPREFIX_REWRITE_JITDUMP) ==
             jitdump("py::decode:json/decoder.py"));
  BOOST_TEST(rewritten(jitdump("py::decode:" + path), PYPREFIX_REWRITE_DETECT) ==
             jitdump("py::decode:json/decoder.py"));
  // pstats: an empty dictionary stays one (marshal version 4 writes it as "{0").
  BOOST_TEST(rewritten("{0", PYPREFIX_REWRITE_PSTATS) == "{0");
}

BOOST_AUTO_TEST_CASE(refusals_are_one_line) {
  const std::string cut = rewritten(pprof(path).substr(0, 10), PYPREFIX_REWRITE_PPROF);
  BOOST_TEST(cut.find("error: the input is a pprof profile cut short") == 0, cut);
  const std::string jit = rewritten(jitdump("x").substr(0, 50), PYPREFIX_REWRITE_JITDUMP);
  BOOST_TEST(jit.find("error: the input is a jitdump file cut short") == 0, jit);
  const std::string bad = rewritten("x", static_cast<pyprefix_rewrite_format>(6));
  BOOST_TEST(bad.find("format must be PYPREFIX_REWRITE_DETECT") != std::string::npos, bad);
  for (const std::string& message : {cut, jit, bad}) BOOST_TEST(message.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
