// Finding the next '/' that may start a path, many bytes at a time: the Rewriter's scan, apart
// from it so that each width is tested against the byte-by-byte loop (slash_scan_test.cpp).
#ifndef PYPREFIX_LIB_CORE_REWRITE_SLASH_SCAN_HPP
#define PYPREFIX_LIB_CORE_REWRITE_SLASH_SCAN_HPP

#include <array>
#include <cstddef>
#include <string_view>

namespace pyprefix::detail {

// A table of 256 flags, one per byte value.
using ByteSet = std::array<bool, 256>;

// How many bytes the scan tests at a time: one, sixteen (SSE2) or thirty-two (AVX2).
enum class SlashScan { bytewise, sse2, avx2 };

// The widest scan this processor runs (checked on each call: cheap, and no state kept).
SlashScan widest_slash_scan() noexcept;

// The first '/' at or after `from` in `in` that starts `in` or follows a byte of `before`, or
// `in.size()`; the same answer for every `scan`. `plain` says that `before` holds no byte a path
// holds inside it (a letter, a digit, '.', '-', '_', '~', '/'): a '/' after one of those is then
// passed over in the same instructions that find it.
size_t next_slash(std::string_view in, size_t from, const ByteSet& before, bool plain, SlashScan scan);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_SLASH_SCAN_HPP
