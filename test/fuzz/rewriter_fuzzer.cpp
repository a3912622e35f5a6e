// Fuzz target: pyprefix::Rewriter against the linear rule (test/support/linear_rewrite.hpp), on
// text and on JSON, whole and in chunks. The first byte picks the format (bit 0) and the chunk
// size (the rest); then lines: prefixes up to an empty line, and the input after it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/rewriter.hpp>

#include "support/linear_rewrite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool json = (data[0] & 1) != 0;
  const size_t chunk = 1 + (data[0] >> 1);
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> prefixes;
  while (!text.empty() && prefixes.size() < 16) {
    const size_t end = text.find('\n');
    if (end == 0 || end == std::string_view::npos) break;
    prefixes.emplace_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  const pyprefix::Trimmer trimmer(prefixes);
  pyprefix::RewriteOptions options;
  options.format = json ? pyprefix::RewriteFormat::json : pyprefix::RewriteFormat::text;
  const std::string expected =
      json ? pyprefix::test::linear_rewrite_json(prefixes, text) : pyprefix::test::linear_rewrite_text(prefixes, text);
  if (pyprefix::rewrite(trimmer, text, options) != expected) __builtin_trap();
  std::string streamed;
  pyprefix::Rewriter rewriter(
      trimmer, [&](std::string_view piece) { streamed.append(piece); }, options);
  for (size_t at = 0; at < text.size(); at += chunk) rewriter.write(text.substr(at, chunk));
  rewriter.finish();
  if (streamed != expected) __builtin_trap();
  return 0;
}
