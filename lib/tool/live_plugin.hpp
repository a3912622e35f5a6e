// The command-line tool's embedding part, a plugin it loads only when it embeds Python, so
// that `--python`, `--pid`, `--isolated` and `trim --prefixes` never load libpython.
#ifndef PYPREFIX_LIB_TOOL_LIVE_PLUGIN_HPP
#define PYPREFIX_LIB_TOOL_LIVE_PLUGIN_HPP

#include <cstddef>

#include <pyprefix/options.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// The plugin's one exported function, found by this name: the reader run in the embedded
// interpreter (behind the interpreter lock). Only C types cross the boundary, since the tool
// and the plugin each carry their own C++ runtime: the answer (the reader's records, or the
// one-line error) goes to `sink`, code of the tool's, which copies it. Returns 0 when `sink`
// got the answer, 1 when it got the error, 2 when memory ran out.
inline constexpr const char* live_plugin_entry_name = "pyprefix_live_read";
using LivePluginSink = void (*)(void* context, const char* data, std::size_t size);
using LivePluginEntry = int (*)(const char* const* packages, std::size_t package_count, int classify, int with_facts,
                                LivePluginSink sink, void* context);

// The interpreter of this process, read through the plugin (the tool's InProcessReader,
// ask/entry/asking.hpp), loaded on first use from beside the executable (a build tree) or from
// its installed place; throws pyprefix::error also for a plugin that cannot be found or loaded.
RawEntries read_through_plugin(const Options& options, bool with_facts);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_TOOL_LIVE_PLUGIN_HPP
