// The JSON that pyprefix writes: `list --json`, `trim --json`, `which --json` and manifests.
#ifndef PYPREFIX_LIB_CORE_SAVED_JSON_WRITER_HPP
#define PYPREFIX_LIB_CORE_SAVED_JSON_WRITER_HPP

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

// The distributions as `pyprefix list --distributions --json` prints them: an array of
// {"name", "version", "metadata", "roots"} objects, one a line.
std::string json_distributions(const std::vector<Distribution>& distributions);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_SAVED_JSON_WRITER_HPP
