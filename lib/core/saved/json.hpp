// JSON output: what `pyprefix list --json`, `trim --json`, `which --json` and `manifest` write.
#ifndef PYPREFIX_LIB_CORE_SAVED_JSON_HPP
#define PYPREFIX_LIB_CORE_SAVED_JSON_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/code_index.hpp>
#include <pyprefix/prefix.hpp>

namespace pyprefix::detail {

// A JSON string literal for a file name, as Python's json.dumps(os.fsdecode(bytes)) writes it:
// ASCII only, undecodable bytes as their surrogate escapes (\udcff), so that
// os.fsencode(json.loads(literal)) gives the bytes back.
std::string json_string(std::string_view file_name);

// The list as `pyprefix list --json` prints it: an array of {"prefix", "sources"} objects,
// with "resolved" where a prefix has one, one object a line. pyprefix::parse_prefix_list reads it back.
std::string json_list(const std::vector<Prefix>& prefixes);

// `, "module": ..., "distribution": ..., "version": ...` (null where there is none), for a JSON
// object that names a path.
std::string json_which_keys(const Which& which);

// What `pyprefix which` prints for a path: "PATH: MODULE (DISTRIBUTION VERSION)", "-" for what
// there is not; with `json`, a {"path", "module", "distribution", "version"} line.
std::string which_line(std::string_view path, const Which& which, bool json);

// What `pyprefix list --distributions` prints: "NAME VERSION" a line; with `json`, an array of
// {"name", "version", "metadata", "roots"} objects, one a line.
std::string distribution_listing(const std::vector<Distribution>& distributions, bool json);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_SAVED_JSON_HPP
