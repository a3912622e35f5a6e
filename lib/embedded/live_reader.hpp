// This process's interpreter state -> raw entries: lib/core/entries/reader.py run in place.
#ifndef PYPREFIX_LIB_EMBEDDED_LIVE_READER_HPP
#define PYPREFIX_LIB_EMBEDDED_LIVE_READER_HPP

#include <functional>
#include <string>
#include <string_view>

#include <pyprefix/prefixes.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// Runs the reader in the running interpreter (compiled on first use and kept in that
// interpreter's state dictionary, so a new interpreter compiles its own) and parses its
// records. Needs the GIL; leaves no Python exception pending. Throws pyprefix::error with the
// reader's one-line error: a raising site function, a failing sysconfig, a bad package name.
// Without `with_facts`, RawEntries::interpreter stays empty (prefixes() returns none of it).
RawEntries read_live_entries(const Options& options, bool with_facts);

// The same reading, its answer (the records, unparsed) handed to `use` while it lives: for the
// tool's plugin, which passes bytes rather than C++ objects across its boundary. `cache` ("" for
// none) names the compiled reader's file in the cache folder (compiled_cache.hpp; the
// interpreter's magic tag and number are appended), for the tool, which starts one each run; a library in a
// long-lived process compiles it once per interpreter and keeps no file.
void read_live_answer(const Options& options, bool with_facts, const std::string& cache,
                      const std::function<void(std::string_view)>& use);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_EMBEDDED_LIVE_READER_HPP
