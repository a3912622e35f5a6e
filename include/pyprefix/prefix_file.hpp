// pyprefix: where Python code lives, for native profilers and C++ tracers.
// Saved lists and manifests read back from files, strictly and within bounds. Core.
#ifndef PYPREFIX_PREFIX_FILE_HPP
#define PYPREFIX_PREFIX_FILE_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>

namespace pyprefix {

/// Parses a saved list, what `pyprefix list` or `pyprefix list --json` printed (maybe on
/// another machine), so that traces can be trimmed offline without any Python. Text starting
/// with "[" is the JSON form: objects with "prefix" (required), "sources" and "resolved", other
/// keys ignored; anything else is one absolute path a line. Throws pyprefix::error naming
/// what is wrong and at which byte or line.
///
/// Example:
///   auto list = pyprefix::parse_prefix_list("/usr/lib/python3.11/\n/srv/app/\n");  // two Prefix, no sources
std::vector<Prefix> parse_prefix_list(std::string_view text);

/// parse_prefix_list() on the file at `path` (at most 256 MiB). Throws pyprefix::error naming it.
///
/// Example:
///   const pyprefix::Trimmer trimmer(pyprefix::read_prefix_file("prefixes.json"));
std::vector<Prefix> read_prefix_file(const std::string& path);

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIX_FILE_HPP
