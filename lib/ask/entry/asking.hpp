// The dispatcher: which reader answers (the interpreter of this process, a child, a running
// process's, one attached to), and what it read normalised into prefixes, reports and
// manifests. The library's public entry points (lib/library/entry_points.cpp) and the tool
// (lib/tool/main.cpp) call it, each with its own way to read the interpreter of this process,
// so that nothing here links upwards.
#ifndef PYPREFIX_LIB_ASK_ENTRY_ASKING_HPP
#define PYPREFIX_LIB_ASK_ENTRY_ASKING_HPP

#include <string>
#include <vector>

#include <pyprefix/manifest.hpp>
#include <pyprefix/prefixes.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// Reads the interpreter of this process (starting one when there is none): the embedded reader
// behind the interpreter lock in the libraries, the plugin the tool loads only when it embeds.
// Without `with_facts`, RawEntries::interpreter stays empty. Throws pyprefix::error.
using InProcessReader = RawEntries (*)(const Options& options, bool with_facts);

// pyprefix::report(), prefixes(), interpreter() and manifest() (prefixes.hpp), with
// `in_process` for the interpreter of this process.
Report ask_report(const Options& options, InProcessReader in_process);
std::vector<std::string> ask_prefixes(const Options& options, InProcessReader in_process);
Interpreter ask_interpreter(const Options& options, InProcessReader in_process);
Manifest ask_manifest(const Options& options, std::vector<std::string>* diagnostics, InProcessReader in_process);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_ENTRY_ASKING_HPP
