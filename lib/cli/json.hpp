// JSON output of the command-line tool.
#ifndef PYPREFIX_LIB_CLI_JSON_HPP
#define PYPREFIX_LIB_CLI_JSON_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// A JSON string literal for a file name, as Python's json.dumps(os.fsdecode(bytes)) writes it:
// ASCII only, undecodable bytes as their surrogate escapes (\udcff), so that
// os.fsencode(json.loads(literal)) gives the bytes back.
std::string json_string(std::string_view file_name);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CLI_JSON_HPP
