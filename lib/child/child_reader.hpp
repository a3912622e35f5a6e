// Another interpreter's state -> raw entries: lib/core/entries/reader.py run in a child process.
#ifndef PYPREFIX_LIB_CHILD_CHILD_READER_HPP
#define PYPREFIX_LIB_CHILD_CHILD_READER_HPP

#include <string>

#include <pyprefix/prefixes.hpp>

#include "child/target_process.hpp"
#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// Runs the executable on the reader, behind a bootstrap and lib/child/child_main.py (the version check,
// `-I -S` site emulation for options.isolated, dropping the '' that -c adds), with the answer
// on file descriptor 3 so that whatever .pth files or sitecustomize print cannot corrupt it,
// and parses the answer with parse_records. Works for any CPython 3.8 or newer. Throws
// pyprefix::error with one line: the reader's own error, an old or non-Python program, a
// time-out, too much output, an unreadable answer.
RawEntries read_child_entries(const std::string& executable, const Options& options);

// The same for the program you will run (options.program, in options.working_directory): its
// Python with the program's own options, started so that sys.path[0] is what the program's start
// gives it; the program never runs. A missing script, or working folder, is one line.
RawEntries read_program_entries(const Options& options);

// The same for a running process: its Python (or target.executable), run as it would start
// (its flags, how its sys.path[0] came about, its environment), inside its working directory,
// root and mount namespace, as its user. Diagnostics about the process come first.
RawEntries read_process_entries(const TargetProcess& target, const Options& options);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CHILD_CHILD_READER_HPP
