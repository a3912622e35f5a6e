// JSON output of the command-line tool.
#ifndef PYPREFIX_LIB_CLI_JSON_HPP
#define PYPREFIX_LIB_CLI_JSON_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>

namespace pyprefix::detail {

// A JSON string literal for a file name, as Python's json.dumps(os.fsdecode(bytes)) writes it:
// ASCII only, undecodable bytes as their surrogate escapes (\udcff), so that
// os.fsencode(json.loads(literal)) gives the bytes back.
std::string json_string(std::string_view file_name);

// The list as `pyprefix list --json` prints it: an array of {"prefix", "sources"} objects,
// with "resolved" where a prefix has one, one object a line. pyprefix::parse_prefix_list reads it back.
std::string json_list(const std::vector<Prefix>& prefixes);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CLI_JSON_HPP
