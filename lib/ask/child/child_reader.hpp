// Another interpreter's state -> raw entries: lib/core/entries/reader.py run in a child process.
#ifndef PYPREFIX_LIB_ASK_CHILD_CHILD_READER_HPP
#define PYPREFIX_LIB_ASK_CHILD_CHILD_READER_HPP

#include <string>

#include <pyprefix/prefixes.hpp>

#include "ask/child/child_process.hpp"
#include "ask/child/python_command_line.hpp"
#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// Runs the executable on the reader, behind a bootstrap and lib/ask/child/child_main.py (the version check,
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

// For readers of other starts (a running process's): runs the reader in the child that
// `request` starts (its argv holds the executable and its flags), behind the bootstrap, and
// parses its answer. `start` is child_main.py's start argument (start_for()); `cached`: the
// program is loaded from, and kept in, the compiled-reader cache (compiled_cache.hpp) for the
// executable, as this user; `name` is the Python for messages.
RawEntries run_reader(ChildRequest request, const std::string& name, const std::string& start, bool cached,
                      const Options& options);

// child_main.py's start argument for an interpreter whose sys.path[0] came about as
// `first_entry` says (under -I -S when `isolated`).
std::string start_for(const FirstEntry& first_entry, bool isolated);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_CHILD_CHILD_READER_HPP
