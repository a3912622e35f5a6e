// Telling JSON from text by its first bytes, for RewriteFormat::detect.
#ifndef PYPREFIX_LIB_CORE_REWRITE_JSON_SNIFF_HPP
#define PYPREFIX_LIB_CORE_REWRITE_JSON_SNIFF_HPP

#include <string_view>

namespace pyprefix::detail {

// Whether `start`, the first bytes of an input (cut anywhere), begins JSON or JSON Lines: one or
// more objects or arrays separated by whitespace, valid as far as they go. A log line such as
// "[2024-01-01 12:00] ..." or "[INFO] ..." is text; "[{" and "{\"" are JSON.
bool starts_as_json(std::string_view start);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_JSON_SNIFF_HPP
