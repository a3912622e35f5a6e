// The tool side of live_plugin.hpp: finding and loading the plugin once.
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include <pyprefix/error.hpp>

#include "entries/live_plugin.hpp"

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

RawEntries read_live_entries_from_plugin(const Options& options, bool with_facts) {
  static const LivePluginEntry entry = load_plugin();  // a failed load is retried by the next call
  RawEntries raw;
  std::string message;
  switch (entry(&options, with_facts ? 1 : 0, &raw, &message)) {
    case 0:
      return raw;
    case 2:
      throw std::bad_alloc();
    default:
      throw error(message);
  }
}

}  // namespace pyprefix::detail
