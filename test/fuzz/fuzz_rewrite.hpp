// What the fuzz targets of the Rewriter's formats share: the trimmer they rewrite with, and a
// rewrite that either gives its output or is refused with pyprefix::error, never more.
#ifndef PYPREFIX_TEST_FUZZ_FUZZ_REWRITE_HPP
#define PYPREFIX_TEST_FUZZ_FUZZ_REWRITE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <pyprefix/error.hpp>
#include <pyprefix/rewriter.hpp>

inline const pyprefix::Trimmer& fuzz_trimmer() {
  static const pyprefix::Trimmer trimmer({"/usr/lib/python3.11/", "/srv/app/"});
  return trimmer;
}

// `input` rewritten as `format` by `trimmer`, or nothing when it is refused.
inline std::optional<std::string> rewritten_or_refused(const pyprefix::Trimmer& trimmer, std::string_view input,
                                                       pyprefix::RewriteFormat format) {
  pyprefix::RewriteOptions options;
  options.format = format;
  try {
    return pyprefix::rewrite(trimmer, input, options);
  } catch (const pyprefix::error&) {
    return std::nullopt;
  }
}

// A binary format whose rewrite only shortens names: what is written is no longer than the
// input and is that format again, which a rewriter that shortens nothing passes through.
inline int fuzz_binary_format(const std::uint8_t* data, size_t size, pyprefix::RewriteFormat format) {
  static const pyprefix::Trimmer nothing({"/nowhere/"});
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> once = rewritten_or_refused(fuzz_trimmer(), input, format);
  if (!once) return 0;
  if (once->size() > input.size() || rewritten_or_refused(nothing, *once, format) != once) __builtin_trap();
  return 0;
}

#endif  // PYPREFIX_TEST_FUZZ_FUZZ_REWRITE_HPP
