// Another interpreter's state -> raw entries, read in a child process.
#ifndef PYPREFIX_LIB_ENTRIES_PROBE_HPP
#define PYPREFIX_LIB_ENTRIES_PROBE_HPP

#include <chrono>
#include <string>
#include <vector>

#include "entries/raw_entries.hpp"

namespace pyprefix::detail {

struct ProbeRequest {
  std::string executable;  // a path, as find_executable gives it
  std::vector<std::string> packages;
  bool isolated = false;  // as `python -I`, running no code from the environment
  std::chrono::milliseconds timeout{20000};
};

// Runs the executable on a small script that reports the same raw entries as
// read_raw_entries() would inside it, over file descriptor 3 (so that whatever .pth files or
// sitecustomize print cannot corrupt the answer), and parses the answer strictly. Works for
// any CPython 3.8 or newer. Throws pyprefix::error with one line naming the problem: an old
// or non-Python program, a time-out, too much output, an unreadable answer.
RawEntries probe_raw_entries(const ProbeRequest& request);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_PROBE_HPP
