// A saved list or a manifest, whichever a file holds, in one form.
#ifndef PYPREFIX_LIB_CORE_SAVED_SAVED_FILE_HPP
#define PYPREFIX_LIB_CORE_SAVED_SAVED_FILE_HPP

#include <string>

#include <pyprefix/manifest.hpp>

namespace pyprefix::detail {

// The file at `path` as a Manifest: a manifest as it is (`is_manifest` set), or a saved list
// (`pyprefix list` or `list --json` output) as a POSIX manifest holding only its prefixes.
// Throws pyprefix::error naming the file and the problem.
struct SavedFile {
  Manifest manifest;
  bool is_manifest = false;
};
SavedFile read_saved_file(const std::string& path);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_SAVED_SAVED_FILE_HPP
