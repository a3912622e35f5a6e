// Interpreter state -> raw entries: what site and sys say, before any normalisation.
#ifndef PYPREFIX_LIB_CORE_ENTRIES_RAW_ENTRIES_HPP
#define PYPREFIX_LIB_CORE_ENTRIES_RAW_ENTRIES_HPP

#include <string>
#include <vector>

#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>

namespace pyprefix::detail {

// One directory as Python reported it, converted to bytes as os.fsencode would.
struct RawEntry {
  std::string path;
  Source source;
};

// What lib/core/entries/reader.py reports, whichever way it ran.
struct RawEntries {
  std::vector<RawEntry> entries;         // in torch's order: site-packages, sys.path, user base, user site, roots
  std::vector<std::string> diagnostics;  // entries skipped and packages not found, one line each
  Interpreter interpreter;               // the interpreter's description of itself
  std::string working_directory;         // os.getcwdb() where the reader ran, for relative entries; "" when not read
  std::string root_on_host;              // "/proc/PID/root" when they are paths in another process's root, else ""
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_ENTRIES_RAW_ENTRIES_HPP
