// The names of RewriteFormat, one table for every front end (the tool's --format, the Python
// package's format=).
#ifndef PYPREFIX_LIB_CORE_REWRITE_FORMAT_NAMES_HPP
#define PYPREFIX_LIB_CORE_REWRITE_FORMAT_NAMES_HPP

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <pyprefix/rewriter.hpp>

namespace pyprefix::detail {

inline constexpr std::pair<std::string_view, RewriteFormat> rewrite_formats[] = {
    {"detect", RewriteFormat::detect}, {"text", RewriteFormat::text},   {"json", RewriteFormat::json},
    {"pstats", RewriteFormat::pstats}, {"pprof", RewriteFormat::pprof}, {"jitdump", RewriteFormat::jitdump},
};

// For messages, from the table: "detect, text, json, pstats, pprof or jitdump".
inline std::string rewrite_format_list() {
  constexpr size_t count = std::size(rewrite_formats);
  std::string list;
  for (size_t i = 0; i < count; ++i)
    list.append(i == 0 ? "" : i + 1 == count ? " or " : ", ").append(rewrite_formats[i].first);
  return list;
}

// The format called `name`, if any.
inline std::optional<RewriteFormat> rewrite_format_named(std::string_view name) {
  for (const auto& [known, format] : rewrite_formats)
    if (known == name) return format;
  return std::nullopt;
}

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_FORMAT_NAMES_HPP
