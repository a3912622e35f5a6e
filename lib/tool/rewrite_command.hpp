// `pyprefix rewrite`: paths inside text and JSON files shortened, streaming; gzip is read and
// written again; in place on request.
#ifndef PYPREFIX_LIB_TOOL_REWRITE_COMMAND_HPP
#define PYPREFIX_LIB_TOOL_REWRITE_COMMAND_HPP

#include <string>
#include <vector>

#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix::detail {

// Rewrites each of `files` ("-" or none: standard input) to standard output, every file opened
// before anything is written; a gzip input (by its magic bytes) is written as gzip. Returns
// the warnings, each naming its file. Throws pyprefix::error with one line.
std::vector<std::string> rewrite_files(const Trimmer& trimmer, const std::vector<std::string>& files,
                                       const RewriteOptions& options);

// Rewrites each file into itself: a new file in the same folder, with the old one's mode and
// owner, renamed over it. A symlink or anything but a regular file is refused, and no partial
// file is left behind, whatever fails (or a SIGINT, SIGTERM or SIGHUP). Returns the warnings.
std::vector<std::string> rewrite_files_in_place(const Trimmer& trimmer, const std::vector<std::string>& files,
                                                const RewriteOptions& options);

// Rewrites the file `source` into `destination` through a new file beside `destination`,
// renamed over it once whole; `destination` == `source` rewrites it in place (then `source`
// must be a regular file, not a symlink). An existing `destination` keeps its mode and owner
// and must be a regular file; a new one gets the umask's mode. Warnings go to `warnings`.
void rewrite_file(const Trimmer& trimmer, const std::string& source, const std::string& destination,
                  const RewriteOptions& options, std::vector<std::string>& warnings);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_REWRITE_COMMAND_HPP
