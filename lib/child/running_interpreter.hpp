// The link-time seam between what asks the running interpreter and who provides it: the
// libraries link lib/library/running_interpreter.cpp (the interpreter in this process, joined or
// embedded), the tool links lib/tool/live_plugin_loader.cpp (the same code in a plugin it
// loads only when it embeds, so that --python, --pid and trim never load libpython).
#ifndef PYPREFIX_LIB_CHILD_RUNNING_INTERPRETER_HPP
#define PYPREFIX_LIB_CHILD_RUNNING_INTERPRETER_HPP

#include <pyprefix/prefixes.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// The reader run in the interpreter of this process (started when there is none). Without
// `with_facts`, RawEntries::interpreter stays empty. Throws pyprefix::error.
RawEntries read_running_interpreter(const Options& options, bool with_facts);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CHILD_RUNNING_INTERPRETER_HPP
