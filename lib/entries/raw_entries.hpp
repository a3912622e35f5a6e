// Interpreter state -> raw entries: what site and sys say, before any normalisation.
#ifndef PYPREFIX_LIB_ENTRIES_RAW_ENTRIES_HPP
#define PYPREFIX_LIB_ENTRIES_RAW_ENTRIES_HPP

#include <string>
#include <vector>

#include <pyprefix/prefixes.hpp>

namespace pyprefix::detail {

// One directory as Python reported it, converted to bytes as os.fsencode would.
struct RawEntry {
  std::string path;
  Source source;
};

struct RawEntries {
  std::vector<RawEntry> entries;         // in torch's order: site-packages, sys.path, user base, user site, roots
  std::vector<std::string> diagnostics;  // entries skipped and packages not found, one line each
};

// Reads site.getsitepackages(), sys.path, site.getuserbase(), site.getusersitepackages() and
// the import roots of options.packages; with options.classify, sysconfig's stdlib folders and
// the install schemes' purelib and platlib too. Needs the GIL; leaves no Python exception
// pending. Throws pyprefix::error when a call into site fails, sys.path is not a list, or a
// package name is not a top-level module name.
RawEntries read_raw_entries(const Options& options);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_RAW_ENTRIES_HPP
