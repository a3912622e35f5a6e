// Fuzz target: pstats files (lib/core/rewrite/pstats.cpp), which come from anywhere. Any input is
// rewritten or refused with pyprefix::error, never more; what is written is a pstats file again,
// which rewrites to itself (its paths are short already).
#include "fuzz/fuzz_rewrite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> once = rewritten_or_refused(fuzz_trimmer(), input, pyprefix::RewriteFormat::pstats);
  if (once && rewritten_or_refused(fuzz_trimmer(), *once, pyprefix::RewriteFormat::pstats) != once) __builtin_trap();
  return 0;
}
