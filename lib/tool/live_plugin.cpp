// The plugin side of live_plugin.hpp: the only symbol the plugin exports.
#include "tool/live_plugin.hpp"

#include <new>
#include <string>

#include <pyprefix/error.hpp>

#include "core/entries/compiled_cache.hpp"
#include "core/entries/reader_source.hpp"
#include "embedded/interpreter_lock.hpp"
#include "embedded/live_reader.hpp"

extern "C" __attribute__((visibility("default"))) int pyprefix_live_read(const char* const* packages,
                                                                         std::size_t package_count, int classify,
                                                                         int with_facts,
                                                                         pyprefix::detail::LivePluginSink sink,
                                                                         void* context) {
  // No catch (...): a thread that the interpreter's finalisation unwinds must keep unwinding.
  try {
    pyprefix::Options options;
    options.packages.assign(packages, packages + package_count);
    options.classify = classify != 0;
    pyprefix::detail::interpreter_lock lock;
    pyprefix::detail::read_live_answer(options, with_facts != 0,
                                       std::string("live-") + pyprefix::detail::reader_source_hash,
                                       [&](std::string_view answer) { sink(context, answer.data(), answer.size()); });
    return 0;
  } catch (const pyprefix::error& e) {
    const std::string_view message = e.what();
    sink(context, message.data(), message.size());
    return 1;
  } catch (const std::bad_alloc&) {
    return 2;
  }
}
