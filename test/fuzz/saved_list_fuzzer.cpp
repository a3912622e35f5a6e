// Fuzz target: the saved-list and manifest readers and the JSON writers. Any input either parses
// or is refused with pyprefix::error; and whatever list the input spells (NUL-separated paths)
// comes back unchanged from json_list through parse_prefix_list, and from manifest_json through
// parse_manifest.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>
#include <pyprefix/prefix_file.hpp>

#include "core/saved/json_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    pyprefix::parse_prefix_list(text);
  } catch (const pyprefix::error&) {  // refusing is fine; crashing, hanging or other exceptions are not
  }
  try {
    const pyprefix::Manifest manifest = pyprefix::parse_manifest(text);
    const pyprefix::Trimmer trimmer(manifest.prefixes, manifest.path_flavour);
    trimmer.match(text);
  } catch (const pyprefix::error&) {  // refusing is fine; crashing, hanging or other exceptions are not
  }

  std::vector<pyprefix::Prefix> list;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string path = "/" + std::string(text.substr(start, end - start));
    const auto source = static_cast<pyprefix::Source>(path.size() % 7);
    list.push_back({path, {source}, path.size() % 3 == 0 ? path + "/alias" : std::string()});
    start = end + 1;
  }
  const std::vector<pyprefix::Prefix> read_back = pyprefix::parse_prefix_list(pyprefix::detail::json_list(list));
  if (read_back.size() != list.size()) __builtin_trap();
  for (size_t i = 0; i < list.size(); ++i)
    if (read_back[i].path != list[i].path || read_back[i].sources != list[i].sources ||
        read_back[i].resolved != list[i].resolved)
      __builtin_trap();
  pyprefix::Manifest manifest;
  manifest.prefixes = list;
  manifest.sys_path = {text.empty() ? "/" : "/" + std::string(text.substr(0, text.find('\0')))};
  const pyprefix::Manifest manifest_back = pyprefix::parse_manifest(pyprefix::manifest_json(manifest));
  if (manifest_back.sys_path != manifest.sys_path || manifest_back.prefixes.size() != list.size()) __builtin_trap();
  for (size_t i = 0; i < list.size(); ++i)
    if (manifest_back.prefixes[i].path != list[i].path || manifest_back.prefixes[i].resolved != list[i].resolved)
      __builtin_trap();
  return 0;
}
