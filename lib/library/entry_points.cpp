// The public entry points of prefixes.hpp: the dispatcher, with the interpreter of this process
// read in place (joined, or embedded when there is none) behind the interpreter lock.
#include <pyprefix/prefixes.hpp>

#include "ask/entry/asking.hpp"
#include "embedded/interpreter_lock.hpp"
#include "embedded/live_reader.hpp"

namespace pyprefix {
namespace {

detail::RawEntries read_in_place(const Options& options, bool with_facts) {
  detail::interpreter_lock lock;
  return detail::read_live_entries(options, with_facts);
}

}  // namespace

Report report(const Options& options) { return detail::ask_report(options, read_in_place); }

std::vector<std::string> prefixes(const Options& options) { return detail::ask_prefixes(options, read_in_place); }

Interpreter interpreter(const Options& options) { return detail::ask_interpreter(options, read_in_place); }

Manifest manifest(const Options& options, std::vector<std::string>* diagnostics) {
  return detail::ask_manifest(options, diagnostics, read_in_place);
}

}  // namespace pyprefix
