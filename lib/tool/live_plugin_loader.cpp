// The tool's way to read the interpreter of this process (live_plugin.hpp): the plugin's, found
// and loaded on first use.
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <pyprefix/error.hpp>

#include "core/entries/records.hpp"
#include "tool/live_plugin.hpp"

namespace pyprefix::detail {
namespace {

std::string executable_folder() {
  std::string path(4096, '\0');
  const ssize_t size = readlink("/proc/self/exe", path.data(), path.size());
  if (size <= 0 || static_cast<size_t>(size) >= path.size())
    throw error(std::string("cannot find pyprefix's own executable: ") + std::strerror(errno));
  path.resize(static_cast<size_t>(size));
  return path.substr(0, path.rfind('/'));
}

LivePluginEntry load_plugin() {
  const std::string folder = executable_folder();
  // Beside the executable in a build tree; PYPREFIX_LIVE_PLUGIN_FROM_BINDIR from it when installed.
  for (const std::string& path : {folder + "/pyprefix-live.so", folder + "/" PYPREFIX_LIVE_PLUGIN_FROM_BINDIR}) {
    if (access(path.c_str(), F_OK) != 0) continue;
    // RTLD_GLOBAL: the extension modules the embedded interpreter imports find libpython's
    // symbols in the global scope, as in a program linked with libpython.
    void* plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (plugin == nullptr) throw error("cannot load " + path + ": " + dlerror());
    if (void* entry = dlsym(plugin, live_plugin_entry_name)) return reinterpret_cast<LivePluginEntry>(entry);
    throw error(path + " has no " + live_plugin_entry_name);
  }
  throw error("cannot embed Python: pyprefix-live.so is neither in " + folder + " nor in " + folder +
              "/" PYPREFIX_LIVE_PLUGIN_FROM_BINDIR);
}

}  // namespace

RawEntries read_through_plugin(const Options& options, bool with_facts) {
  static const LivePluginEntry entry = load_plugin();  // a failed load is retried by the next call
  std::vector<const char*> packages;
  for (const std::string& name : options.packages) packages.push_back(name.c_str());
  struct Received {
    std::string text;
    bool complete = true;
  } received;
  // Called by the plugin: copies with this runtime's allocator, and lets no exception into it.
  const LivePluginSink sink = [](void* context, const char* data, std::size_t size) {
    auto* into = static_cast<Received*>(context);
    try {
      into->text.assign(data, size);
    } catch (const std::bad_alloc&) {
      into->complete = false;
    }
  };
  const int status =
      entry(packages.data(), packages.size(), options.classify ? 1 : 0, with_facts ? 1 : 0, sink, &received);
  if (status == 2 || !received.complete) throw std::bad_alloc();
  if (status != 0) throw error(received.text);
  return parse_records(received.text, "the running Python");
}

}  // namespace pyprefix::detail
