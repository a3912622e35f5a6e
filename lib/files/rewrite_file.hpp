// Paths inside files shortened by the core's Rewriter: files and standard input streamed to
// standard output, gzip read and written again, and a file replaced in place through a
// descriptor of its folder, never through a path resolved twice. Shared by the tool and the
// Python package; it installs no signal handler and keeps no global: a caller that wants to
// stop a rewrite throws from `between_chunks`.
#ifndef PYPREFIX_LIB_FILES_REWRITE_FILE_HPP
#define PYPREFIX_LIB_FILES_REWRITE_FILE_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>

#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

// What a compressed input may inflate to by default: 1 GiB (a gzip bomb of 1 MB inflates to 1 GiB).
constexpr uint64_t default_max_inflated_bytes = uint64_t{1} << 30;

// How files are read and replaced, beyond what the Rewriter is told.
struct FileRewriteOptions {
  uint64_t max_inflated_bytes = default_max_inflated_bytes;  // past it, a compressed input is refused
  // Called between chunks (64 KiB); whatever it throws stops the rewrite, every file left as it was.
  std::function<void()> between_chunks;
};

// Rewrites each of `files` ("-" or none: standard input) to standard output, every file opened
// before anything is written; a gzip input (by its magic bytes) is written as gzip. Returns
// the warnings, each naming its file. Throws pyprefix::error with one line.
std::vector<std::string> rewrite_files(const Trimmer& trimmer, const std::vector<std::string>& files,
                                       const RewriteOptions& options, const FileRewriteOptions& file_options = {});

// Rewrites each file into itself (rewrite_file with source == destination). Returns the warnings.
std::vector<std::string> rewrite_files_in_place(const Trimmer& trimmer, const std::vector<std::string>& files,
                                                const RewriteOptions& options,
                                                const FileRewriteOptions& file_options = {});

// Rewrites the file `source` into `destination` (the same path: in place). The destination's
// folder is opened once, following a symlink only where no other user can have placed it (see
// open_folder); everything after is relative to that descriptor: the file opened without
// following a symlink, a new file made in the folder (O_TMPFILE where the file system has it,
// else a hidden name made with O_EXCL), written whole with the old file's holes kept, its mode
// and then its owner set (which drops set-user-ID and set-group-ID bits), and renamed over the
// destination's entry if that entry is still the file first opened. The output of an
// uncompressed input is never longer than the input. A symlink, anything but a regular file,
// and a destination replaced meanwhile are refused; whatever fails, the destination is as it was
// and no temporary name is left (but after SIGKILL or a power cut, in a folder without O_TMPFILE).
void rewrite_file(const Trimmer& trimmer, const std::string& source, const std::string& destination,
                  const RewriteOptions& options, std::vector<std::string>& warnings,
                  const FileRewriteOptions& file_options = {});

// The folder `path` names, opened (O_PATH) one component at a time from "/" or the working
// folder. A symlink on the way is followed only when it belongs to this process's user or root
// and lies in a folder that no other user may change (one that belongs to this process's user or
// root and is writable by no one else, or is sticky, as /tmp is), the rules of OpenSSH's
// safe_path and sudoedit; at most 40 symlinks. Throws pyprefix::error with one line naming
// the component refused.
FileDescriptor open_folder(const std::string& path);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_FILES_REWRITE_FILE_HPP
