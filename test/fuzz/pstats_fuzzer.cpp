// Fuzz target: pstats files (lib/core/rewrite/pstats.cpp), which come from anywhere. Any input is
// rewritten or refused with pyprefix::error, never more; what is written is a pstats file again,
// which rewrites to itself (its paths are short already).
#include <cstdint>
#include <string>
#include <string_view>

#include <pyprefix/error.hpp>
#include <pyprefix/rewriter.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const pyprefix::Trimmer trimmer({"/usr/lib/python3.11/", "/srv/app/"});
  pyprefix::RewriteOptions options;
  options.format = pyprefix::RewriteFormat::pstats;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string once;
  try {
    once = pyprefix::rewrite(trimmer, input, options);
  } catch (const pyprefix::error&) {
    return 0;
  }
  if (pyprefix::rewrite(trimmer, once, options) != once) __builtin_trap();
  return 0;
}
