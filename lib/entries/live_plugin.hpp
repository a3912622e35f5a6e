// The command-line tool's embedding part, a plugin it loads only when it embeds Python, so
// that `--python`, `--pid`, `--isolated` and `trim --prefixes` never load libpython.
#ifndef PYPREFIX_LIB_ENTRIES_LIVE_PLUGIN_HPP
#define PYPREFIX_LIB_ENTRIES_LIVE_PLUGIN_HPP

#include <string>

#include <pyprefix/prefixes.hpp>

#include "entries/raw_entries.hpp"

namespace pyprefix::detail {

// The plugin's one exported function, found by this name: read_live_entries() behind the
// interpreter lock. 0 on success; else `error` holds the one-line error (1), or memory ran out (2).
inline constexpr const char* live_plugin_entry_name = "pyprefix_live_read";
using LivePluginEntry = int (*)(const Options* options, int with_facts, RawEntries* out, std::string* error);

// read_live_entries() through the plugin, loaded on first use from beside the executable (a
// build tree) or from its installed place. Throws pyprefix::error: the reader's own error, or
// a plugin that cannot be found or loaded.
RawEntries read_live_entries_from_plugin(const Options& options, bool with_facts);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_LIVE_PLUGIN_HPP
