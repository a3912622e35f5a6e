// A running 3.14+ process's live interpreter state -> raw entries: the reader run inside that
// process, at its main thread's next safe point, through PEP 768 (lib/ask/attach/remote_debugging.hpp).
#ifndef PYPREFIX_LIB_ASK_ATTACH_ATTACH_READER_HPP
#define PYPREFIX_LIB_ASK_ATTACH_ATTACH_READER_HPP

#include <pyprefix/prefixes.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// The reader with lib/ask/attach/attach_main.py, run by process `options.pid` itself: what a live
// call inside it gives, sys.path as the program has changed it. A helper forked from this
// process, confined as the process is and running as its user (no code of the process's runs
// outside it), makes a private folder in the process's temporary folder inside its root and
// writes the script there; the process writes its answer there; the helper hands it over and
// removes all it made. Within options.timeout, or the request is withdrawn and one line says
// why. Throws pyprefix::error with one line (remote_debugging.hpp lists the refusals).
RawEntries read_attached_entries(const Options& options);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_ATTACH_ATTACH_READER_HPP
