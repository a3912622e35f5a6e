// A running process's interpreter state -> raw entries (--pid): the reader run as the process
// would start, inside its namespaces and as its user.
#ifndef PYPREFIX_LIB_ASK_PROCESS_PROCESS_READER_HPP
#define PYPREFIX_LIB_ASK_PROCESS_PROCESS_READER_HPP

#include <pyprefix/prefixes.hpp>

#include "ask/process/target_process.hpp"
#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// read_child_entries() for a running process: its Python (or target.executable), run as it
// would start (its flags, how its sys.path[0] came about, its environment), inside its working
// directory, root and mount namespace, as its user. Diagnostics about the process come first.
RawEntries read_process_entries(const TargetProcess& target, const Options& options);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_PROCESS_PROCESS_READER_HPP
