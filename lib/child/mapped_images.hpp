// Another process's memory map -> where a section of a file it maps lies in its memory: the
// /proc/PID/maps format and the ELF headers that say where a section is loaded.
#ifndef PYPREFIX_LIB_CHILD_MAPPED_IMAGES_HPP
#define PYPREFIX_LIB_CHILD_MAPPED_IMAGES_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pyprefix::detail {

// One file-backed line of /proc/PID/maps.
struct Mapping {
  uint64_t start = 0, end = 0;  // addresses in that process
  uint64_t offset = 0;          // of the file, at `start`
  unsigned device_major = 0, device_minor = 0;
  uint64_t inode = 0;
  std::string path;  // as this process sees it (" (deleted)" and all)
};

// The file-backed mappings of a maps text, in its order (anonymous ones, [heap] and the like, are
// left out). Throws pyprefix::error naming the line for one that is not in the kernel's format.
std::vector<Mapping> parse_maps(std::string_view text);

// Where the section named `section` (".PyRuntime") of the 64-bit little-endian ELF file `file`
// lies once the file is mapped: its distance from the address the file's first mapping (at
// offset 0) starts at. nullopt: the file has no such section. Reads only the headers and the
// section names (at most 4 MiB of each), with pread. Throws pyprefix::error("<name> is not ...")
// for a file that is not such an ELF image or whose headers lie outside it.
std::optional<uint64_t> section_offset(int file, std::string_view section, const std::string& name);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CHILD_MAPPED_IMAGES_HPP
