// `pyprefix trim`: newline-separated paths in, each without its prefix out, streaming.
#ifndef PYPREFIX_LIB_TOOL_TRIM_COMMAND_HPP
#define PYPREFIX_LIB_TOOL_TRIM_COMMAND_HPP

#include <string>
#include <vector>

#include <pyprefix/code_index.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix::detail {

// Trims every line of `files` ("-" or none: standard input) to standard output. Lines are
// bytes: a "\r", a NUL or anything else stays as it is, a line that matches nothing passes
// unchanged, and a last line without a newline is written without one. With `json`, each
// line becomes {"path", "short", "prefix" (null when none matched), "kind"} (JSON Lines), and
// with an `index` "module", "distribution" and "version" too (null where there is none).
// Every file is opened before anything is written. Throws pyprefix::error.
void trim_files(const Trimmer& trimmer, const CodeIndex* index, const std::vector<std::string>& files, bool json);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_TRIM_COMMAND_HPP
