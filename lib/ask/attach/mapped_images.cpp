#include "ask/attach/mapped_images.hpp"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {
namespace {

// A hexadecimal field of a maps line, up to `end`; false when there is none.
bool hex_field(std::string_view& line, char end, uint64_t& value) {
  value = 0;
  size_t i = 0;
  for (; i < line.size() && line[i] != end; ++i) {
    const char c = line[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0 || i >= 16) return false;
    value = value << 4 | static_cast<uint64_t>(digit);
  }
  if (i == 0 || i == line.size()) return false;
  line.remove_prefix(i + 1);
  return true;
}

bool decimal_field(std::string_view& line, uint64_t& value) {
  value = 0;
  size_t i = 0;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && i < 20; ++i)
    value = value * 10 + static_cast<uint64_t>(line[i] - '0');
  if (i == 0 || (i < line.size() && line[i] != ' ')) return false;
  line.remove_prefix(i);
  return true;
}

// Reads exactly `size` bytes at `offset`, or says why not.
void read_at(int file, uint64_t offset, void* into, size_t size, const std::string& name, const char* what) {
  auto* bytes = static_cast<char*>(into);
  while (size > 0) {
    const ssize_t got = pread(file, bytes, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw error("cannot read " + name + ": " + std::strerror(errno));
    if (got == 0) throw error(name + " is not an ELF image pyprefix can read: its " + what + " lie outside it");
    bytes += got;
    size -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
}

constexpr uint64_t max_table_bytes = 4u << 20;

}  // namespace

std::vector<Mapping> parse_maps(std::string_view text) {
  std::vector<Mapping> mappings;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty()) continue;
    // start-end perms offset major:minor inode [path]
    const std::string_view whole = line;
    Mapping mapping;
    uint64_t major = 0, minor = 0;
    const bool parsed = hex_field(line, '-', mapping.start) && hex_field(line, ' ', mapping.end) && line.size() > 5 &&
                        line[4] == ' ' && (mapping.writable = line[1] == 'w', line.remove_prefix(5), true) &&
                        hex_field(line, ' ', mapping.offset) && hex_field(line, ':', major) &&
                        hex_field(line, ' ', minor) && decimal_field(line, mapping.inode);
    if (!parsed || mapping.end < mapping.start)
      throw error("cannot read a memory map line: '" + std::string(whole.substr(0, 120)) + "'");
    if (mapping.inode == 0) continue;  // anonymous, or a kernel's special mapping
    const size_t path = line.find_first_not_of(' ');
    if (path == std::string_view::npos) continue;
    mapping.path = std::string(line.substr(path));
    mapping.device_major = static_cast<unsigned>(major);
    mapping.device_minor = static_cast<unsigned>(minor);
    mappings.push_back(std::move(mapping));
  }
  return mappings;
}

std::optional<uint64_t> section_offset(int file, std::string_view section, const std::string& name,
                                       ReadBudget& budget) {
  // Every read is taken from the budget first: a forged image costs what it declares, no more.
  auto read_table = [&](uint64_t offset, void* into, uint64_t size, const char* what) {
    if (size > budget.left)
      throw error(name + " is not an ELF image pyprefix reads: its " + what +
                  " would take more than the budget left for reading images");
    budget.left -= size;
    read_at(file, offset, into, static_cast<size_t>(size), name, what);
  };
  Elf64_Ehdr header{};
  read_table(0, &header, sizeof header, "headers");
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) throw error(name + " is not an ELF image");
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
    throw error(name + " is not a 64-bit little-endian ELF image, which is all pyprefix reads");
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_phentsize != sizeof(Elf64_Phdr))
    throw error(name + " is not an ELF image pyprefix can read: its header sizes are not the standard ones");

  // The image's load base: the first loadable segment's address, rounded down to its alignment.
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  read_table(header.e_phoff, segments.data(), uint64_t{header.e_phnum} * sizeof(Elf64_Phdr), "program headers");
  std::optional<uint64_t> base;
  for (const Elf64_Phdr& segment : segments) {
    if (segment.p_type != PT_LOAD) continue;
    base = segment.p_align > 1 ? segment.p_vaddr - segment.p_vaddr % segment.p_align : segment.p_vaddr;
    break;
  }
  if (!base) throw error(name + " is not an ELF image pyprefix can read: it has no loadable segment");

  if (header.e_shnum == 0 || header.e_shstrndx >= header.e_shnum) return std::nullopt;  // stripped of sections
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  read_table(header.e_shoff, sections.data(), uint64_t{header.e_shnum} * sizeof(Elf64_Shdr), "section headers");
  const Elf64_Shdr& names = sections[header.e_shstrndx];
  if (names.sh_size > max_table_bytes)
    throw error(name + " is not an ELF image pyprefix can read: its section names take more than 4 MiB");
  std::string name_table(names.sh_size, '\0');
  read_table(names.sh_offset, name_table.data(), name_table.size(), "section names");
  // A name matches when the table holds `section` and its NUL there: a comparison of
  // section.size() + 1 bytes a section, whatever the table holds after it.
  for (const Elf64_Shdr& candidate : sections) {
    if (candidate.sh_name >= name_table.size() || name_table.size() - candidate.sh_name <= section.size()) continue;
    if (name_table.compare(candidate.sh_name, section.size(), section) != 0 ||
        name_table[candidate.sh_name + section.size()] != '\0')
      continue;
    if (candidate.sh_addr < *base)
      throw error(name + " is not an ELF image pyprefix can read: its section " + std::string(section) +
                  " is not loaded with it");
    return candidate.sh_addr - *base;
  }
  return std::nullopt;
}

std::string file_system_of(std::string_view mountinfo, unsigned major, unsigned minor) {
  // "36 35 98:0 /root /mount options... - type source superoptions"
  const std::string device = " " + std::to_string(major) + ":" + std::to_string(minor) + " ";
  while (!mountinfo.empty()) {
    const size_t newline = mountinfo.find('\n');
    const std::string_view line = mountinfo.substr(0, newline);
    mountinfo.remove_prefix(newline == std::string_view::npos ? mountinfo.size() : newline + 1);
    const size_t first_space = line.find(' ');
    const size_t second_space = first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
    if (second_space == std::string_view::npos || line.compare(second_space, device.size(), device) != 0) continue;
    const size_t separator = line.find(" - ");
    if (separator == std::string_view::npos) continue;
    const std::string_view type = line.substr(separator + 3);
    return std::string(type.substr(0, type.find(' ')));
  }
  return {};
}

bool is_local_file_system(std::string_view type) {
  // Disk and memory file systems the kernel serves alone; anything else (fuse.*, nfs, cifs,
  // 9p, ceph, ...) may wait on a server, which another user may be.
  static constexpr std::string_view local[] = {"ext2",    "ext3",     "ext4",  "xfs",  "btrfs",    "tmpfs",
                                               "overlay", "squashfs", "erofs", "f2fs", "vfat",     "exfat",
                                               "ramfs",   "iso9660",  "zfs",   "jfs",  "bcachefs", "hugetlbfs"};
  for (const std::string_view known : local)
    if (type == known) return true;
  return false;
}

}  // namespace pyprefix::detail
