// Where the reader is kept compiled between starts, so that a fresh interpreter (a child, or
// the tool's embedded one) loads its code instead of compiling it again. Compiled code in it is
// code that pyprefix runs: this module is the one place that decides what is trusted there.
#ifndef PYPREFIX_LIB_CORE_ENTRIES_COMPILED_CACHE_HPP
#define PYPREFIX_LIB_CORE_ENTRIES_COMPILED_CACHE_HPP

#include <optional>
#include <string>
#include <string_view>

#include "core/confine/file_descriptor.hpp"

namespace pyprefix::detail {

// The largest compiled reader that is read back (it is about 40 KiB).
inline constexpr size_t max_cached_file = 4u << 20;

// PYPREFIX_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/pyprefix, else $HOME/.cache/pyprefix;
// "" when there is no such place.
std::string compiled_cache_folder();

// The cache folder, opened (O_DIRECTORY | O_NOFOLLOW) and created (0700) where missing, or none:
// when it, or a folder above it, could be changed by another user than this one or root (as
// OpenSSH decides), which also means that root given another user's HOME or cache variables
// (`sudo -E`) uses no cache. Files in it are then only opened through this descriptor.
FileDescriptor open_compiled_cache();

// The file `name` of the opened cache folder: only a regular file of this user's, with one
// link, that no one else may write to, opened without following a symlink, at most
// max_cached_file bytes. A child's compiled reader is read here too (lib/ask/child/child_reader.cpp
// hands its bytes to the child), so this is the only place the rule is written.
std::optional<std::string> read_cached(int folder, const std::string& name);

// Writes `name` in the opened cache folder: a new 0600 file (O_EXCL, no symlink followed)
// renamed over the old one. A failure only means compiling again next time.
void write_cached(int folder, const std::string& name, std::string_view bytes);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_ENTRIES_COMPILED_CACHE_HPP
