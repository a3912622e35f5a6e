// The plugin side of live_plugin.hpp: the only symbol the plugin exports.
#include "entries/live_plugin.hpp"

#include <new>

#include <pyprefix/error.hpp>

#include "entries/compiled_cache.hpp"
#include "entries/live_reader.hpp"
#include "entries/reader_source.hpp"
#include "interpreter/interpreter_lock.hpp"

extern "C" __attribute__((visibility("default"))) int pyprefix_live_read(const pyprefix::Options* options,
                                                                         int with_facts,
                                                                         pyprefix::detail::RawEntries* out,
                                                                         std::string* error) {
  // No catch (...): a thread that the interpreter's finalisation unwinds must keep unwinding.
  try {
    pyprefix::detail::interpreter_lock lock;
    const std::string cache = pyprefix::detail::compiled_cache_folder();
    *out = pyprefix::detail::read_live_entries(
        *options, with_facts != 0, cache.empty() ? cache : cache + "/live-" + pyprefix::detail::reader_source_hash);
    return 0;
  } catch (const pyprefix::error& e) {
    *error = e.what();
    return 1;
  } catch (const std::bad_alloc&) {
    return 2;
  }
}
