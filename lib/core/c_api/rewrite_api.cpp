// The C API's rewriter: pyprefix::Rewriter behind an opaque handle and a C sink.
#include <memory>
#include <optional>
#include <string>

#include <pyprefix/rewriter.hpp>

#include "core/c_api/handles.hpp"

struct pyprefix_rewriter {
  std::optional<pyprefix::Rewriter> rewriter;
  std::string warnings;  // finish()'s, one a line
};

using pyprefix::detail::guarded;
using pyprefix::detail::invalid_argument;

static_assert(static_cast<int>(pyprefix::RewriteFormat::detect) == PYPREFIX_REWRITE_DETECT &&
                  static_cast<int>(pyprefix::RewriteFormat::text) == PYPREFIX_REWRITE_TEXT &&
                  static_cast<int>(pyprefix::RewriteFormat::json) == PYPREFIX_REWRITE_JSON &&
                  static_cast<int>(pyprefix::RewriteFormat::pstats) == PYPREFIX_REWRITE_PSTATS &&
                  static_cast<int>(pyprefix::RewriteFormat::pprof) == PYPREFIX_REWRITE_PPROF &&
                  static_cast<int>(pyprefix::RewriteFormat::jitdump) == PYPREFIX_REWRITE_JITDUMP,
              "pyprefix_rewrite_format mirrors pyprefix::RewriteFormat");

extern "C" {

pyprefix_status pyprefix_rewriter_new(const pyprefix_trimmer* trimmer, pyprefix_rewrite_format format,
                                      const pyprefix_index* index, pyprefix_sink sink, void* context,
                                      pyprefix_rewriter** rewriter) {
  if (trimmer == nullptr || sink == nullptr || rewriter == nullptr)
    return invalid_argument("no trimmer, no sink or no result");
  *rewriter = nullptr;
  if (format < PYPREFIX_REWRITE_DETECT || format > PYPREFIX_REWRITE_JITDUMP)
    return invalid_argument("format must be PYPREFIX_REWRITE_DETECT, _TEXT, _JSON, _PSTATS, _PPROF or _JITDUMP");
  return guarded([&] {
    pyprefix::RewriteOptions options;
    options.format = static_cast<pyprefix::RewriteFormat>(format);
    if (index != nullptr) {
      options.to = pyprefix::RewriteTo::module;
      options.index = &index->index;
    }
    auto made = std::make_unique<pyprefix_rewriter>();
    made->rewriter.emplace(
        trimmer->trimmer, [sink, context](std::string_view piece) { sink(context, piece.data(), piece.size()); },
        options);
    *rewriter = made.release();
  });
}

pyprefix_status pyprefix_rewriter_write(pyprefix_rewriter* rewriter, const char* data, size_t size) {
  if (rewriter == nullptr || (data == nullptr && size > 0)) return invalid_argument("no rewriter or no data");
  return guarded([&] { rewriter->rewriter->write({data, size}); });
}

pyprefix_status pyprefix_rewriter_finish(pyprefix_rewriter* rewriter) {
  if (rewriter == nullptr) return invalid_argument("no rewriter");
  return guarded([&] {
    rewriter->rewriter->finish();
    rewriter->warnings.clear();
    for (const std::string& line : rewriter->rewriter->warnings()) rewriter->warnings += line + "\n";
  });
}

const char* pyprefix_rewriter_warnings(const pyprefix_rewriter* rewriter) {
  return rewriter == nullptr ? "" : rewriter->warnings.c_str();
}

void pyprefix_rewriter_free(pyprefix_rewriter* rewriter) { delete rewriter; }

}  // extern "C"
