// Fuzz target: pprof files (lib/core/rewrite/pprof.cpp), which come from anywhere. Any input is
// rewritten or refused with pyprefix::error, never more; what is written is no longer than the
// input and is a pprof file again (fuzz_rewrite.hpp).
#include "fuzz/fuzz_rewrite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  return fuzz_binary_format(data, size, pyprefix::RewriteFormat::pprof);
}
