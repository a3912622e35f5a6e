#include "core/rewrite/slash_scan.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PYPREFIX_SLASH_SCAN_AVX2 1
#endif

namespace pyprefix::detail {
namespace {

// The loop every width ends with (the bytes after its last whole block), and the one it must
// agree with.
size_t next_slash_bytewise(std::string_view in, size_t at, const ByteSet& before) {
  for (; at < in.size(); ++at) {
    const void* found = std::memchr(in.data() + at, '/', in.size() - at);
    if (found == nullptr) return in.size();
    at = static_cast<size_t>(static_cast<const char*>(found) - in.data());
    if (at == 0 || before[static_cast<unsigned char>(in[at - 1])]) return at;
  }
  return in.size();
}

#if defined(__SSE2__)
// The bits of `mask` (bit i: byte `at + i`) whose '/' follows a byte of `before`: the first
// such position, or npos when none.
size_t first_wanted(std::string_view in, size_t at, unsigned mask, const ByteSet& before) {
  for (; mask != 0; mask &= mask - 1) {
    const size_t pos = at + static_cast<size_t>(__builtin_ctz(mask));
    if (pos == 0 || before[static_cast<unsigned char>(in[pos - 1])]) return pos;
  }
  return std::string_view::npos;
}

// Which of 16 bytes lie in [low, high].
__m128i bytes_between(__m128i bytes, char low, char high) {
  const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(-128 - low)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + (high - low) + 1)));
}

// Which of 16 bytes a path holds inside it (a letter, a digit, '.', '-', '_', '~', '/').
__m128i path_bytes(__m128i bytes) {
  __m128i inside = _mm_or_si128(bytes_between(bytes, 'a', 'z'), bytes_between(bytes, 'A', 'Z'));
  inside = _mm_or_si128(inside, bytes_between(bytes, '-', '9'));  // - . / and the digits
  inside = _mm_or_si128(inside, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('_')));
  return _mm_or_si128(inside, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('~')));
}

size_t next_slash_sse2(std::string_view in, size_t at, const ByteSet& before, bool plain) {
  const __m128i slash = _mm_set1_epi8('/');
  for (; at + 16 <= in.size(); at += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + at));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, slash)));
    if (mask == 0) continue;
    if (plain && at > 0) {
      const __m128i previous = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + at - 1));
      mask &= ~static_cast<unsigned>(_mm_movemask_epi8(path_bytes(previous)));
    }
    if (const size_t found = first_wanted(in, at, mask, before); found != std::string_view::npos) return found;
  }
  return next_slash_bytewise(in, at, before);
}
#endif

#if defined(PYPREFIX_SLASH_SCAN_AVX2)
// The same tests and loop as above, on 32 bytes; compiled for AVX2 and run only where the CPU
// has it. Written out again: a template shared by both widths would compile its AVX2
// intrinsics without the AVX2 target, which the compilers refuse.
__attribute__((target("avx2"))) __m256i bytes_between_avx2(__m256i bytes, char low, char high) {
  const __m256i shifted = _mm256_add_epi8(bytes, _mm256_set1_epi8(static_cast<char>(-128 - low)));
  return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(-128 + (high - low) + 1)), shifted);
}

__attribute__((target("avx2"))) __m256i path_bytes_avx2(__m256i bytes) {
  __m256i inside = _mm256_or_si256(bytes_between_avx2(bytes, 'a', 'z'), bytes_between_avx2(bytes, 'A', 'Z'));
  inside = _mm256_or_si256(inside, bytes_between_avx2(bytes, '-', '9'));
  inside = _mm256_or_si256(inside, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('_')));
  return _mm256_or_si256(inside, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('~')));
}

__attribute__((target("avx2"))) size_t next_slash_avx2(std::string_view in, size_t at, const ByteSet& before,
                                                       bool plain) {
  const __m256i slash = _mm256_set1_epi8('/');
  for (; at + 32 <= in.size(); at += 32) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.data() + at));
    auto mask = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, slash)));
    if (mask == 0) continue;
    if (plain && at > 0) {
      const __m256i previous = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.data() + at - 1));
      mask &= ~static_cast<unsigned>(_mm256_movemask_epi8(path_bytes_avx2(previous)));
    }
    if (const size_t found = first_wanted(in, at, mask, before); found != std::string_view::npos) return found;
  }
  return next_slash_sse2(in, at, before, plain);
}
#endif

}  // namespace

SlashScan widest_slash_scan() noexcept {
#if defined(PYPREFIX_SLASH_SCAN_AVX2)
  if (__builtin_cpu_supports("avx2")) return SlashScan::avx2;
#endif
#if defined(__SSE2__)
  return SlashScan::sse2;
#else
  return SlashScan::bytewise;
#endif
}

size_t next_slash(std::string_view in, size_t from, const ByteSet& before, bool plain, SlashScan scan) {
  switch (scan) {
#if defined(PYPREFIX_SLASH_SCAN_AVX2)
    case SlashScan::avx2:
      return next_slash_avx2(in, from, before, plain);
#endif
#if defined(__SSE2__)
    case SlashScan::sse2:
      return next_slash_sse2(in, from, before, plain);
#endif
    default:
      return next_slash_bytewise(in, from, before);
  }
}

}  // namespace pyprefix::detail
