// Another process's memory map -> where a section of a file it maps lies in its memory: the
// /proc/PID/maps format and the ELF headers that say where a section is loaded.
#ifndef PYPREFIX_LIB_ASK_ATTACH_MAPPED_IMAGES_HPP
#define PYPREFIX_LIB_ASK_ATTACH_MAPPED_IMAGES_HPP

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
  bool writable = false;  // its permissions have 'w'
  std::string path;       // as this process sees it (" (deleted)" and all)
};

// The file-backed mappings of a maps text, in its order (anonymous ones, [heap] and the like, are
// left out). Throws pyprefix::error naming the line for one that is not in the kernel's format.
std::vector<Mapping> parse_maps(std::string_view text);

// Bytes that reading the headers of untrusted images may still take: each image read takes from
// it, so that a process mapping many forged images costs a bounded amount of reading.
struct ReadBudget {
  uint64_t left;
};

// Where the section named `section` (".PyRuntime") of the 64-bit little-endian ELF file `file`
// lies once the file is mapped: its distance from the address the file's first mapping (at
// offset 0) starts at. nullopt: the file has no such section. Reads only the program headers,
// the section headers and the section names (at most 4 MiB of each), each table with one pread,
// and takes what it reads from `budget`; the work is linear in those bytes. Throws
// pyprefix::error("<name> is not ...") for a file that is not such an ELF image or whose headers
// lie outside it, and ("<name> ... more than the budget") when `budget` does not cover them.
std::optional<uint64_t> section_offset(int file, std::string_view section, const std::string& name, ReadBudget& budget);

// The file system type ("ext4", "fuse.sshfs") of the device `major`:`minor` as a mountinfo text
// names it; "" when no line has that device.
std::string file_system_of(std::string_view mountinfo, unsigned major, unsigned minor);

// Whether files of that file system type are read from a local device or memory, by the kernel
// alone: no server (FUSE, NFS, CIFS, ...) takes part in opening or reading them.
bool is_local_file_system(std::string_view type);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ASK_ATTACH_MAPPED_IMAGES_HPP
