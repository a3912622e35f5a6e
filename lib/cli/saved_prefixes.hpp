// Reading a saved prefix list: what `pyprefix list` or `pyprefix list --json` printed, maybe
// on another machine, so that traces can be trimmed offline.
#ifndef PYPREFIX_LIB_CLI_SAVED_PREFIXES_HPP
#define PYPREFIX_LIB_CLI_SAVED_PREFIXES_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefixes.hpp>

namespace pyprefix::detail {

// Parses a saved list. Text starting with "[" (after white space) is the JSON form: an array
// of objects with "prefix" (required), "sources" and "resolved" (optional), other keys
// ignored; anything else is the plain form, one absolute path a line. Throws pyprefix::error
// with one line saying what is wrong and where.
std::vector<Prefix> parse_saved_prefixes(std::string_view text);

// Reads and parses the file at `path` (at most 256 MiB). Throws pyprefix::error naming it.
std::vector<Prefix> read_saved_prefixes(const std::string& path);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CLI_SAVED_PREFIXES_HPP
