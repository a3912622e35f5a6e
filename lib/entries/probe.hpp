// Another interpreter's state -> raw entries, read in a child process.
#ifndef PYPREFIX_LIB_ENTRIES_PROBE_HPP
#define PYPREFIX_LIB_ENTRIES_PROBE_HPP

#include <string>
#include <vector>

#include "entries/raw_entries.hpp"

namespace pyprefix::detail {

// Runs the executable on a small script that reports the same raw entries as
// read_raw_entries() would inside it, over file descriptor 3 (so that whatever .pth files or
// sitecustomize print cannot corrupt the answer), and parses the answer strictly. Works for
// any CPython 3.8 or newer. Throws pyprefix::error with one line naming the problem: an old
// or non-Python program, a time-out, too much output, an unreadable answer.
// options.isolated runs it as `python -I`, executing no code from its environment.
RawEntries probe_raw_entries(const std::string& executable, const Options& options);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_PROBE_HPP
