// Memory maps and ELF sections (lib/ask/attach/mapped_images.cpp): a table of maps lines, this test
// program's own image (its .data between its .data and .bss starts, as the kernel mapped it), and
// every refusal of a file that is no 64-bit ELF image. And, where the interpreter's internal
// headers are installed, the debug offsets' layout against that version's own header.
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "ask/attach/mapped_images.hpp"
#include "ask/attach/remote_debugging.hpp"
#include "core/confine/file_descriptor.hpp"
#include "core/confine/proc_status.hpp"
#include "support/temporary_directory.hpp"

using pyprefix::detail::FileDescriptor;
using pyprefix::detail::Mapping;

int data_marker = 42;  // in .data: initialised and written

namespace {

std::string described(const std::vector<Mapping>& mappings) {
  std::string text;
  for (const Mapping& m : mappings)
    text += std::to_string(m.start) + "-" + std::to_string(m.end) + " @" + std::to_string(m.offset) + " " +
            std::to_string(m.device_major) + ":" + std::to_string(m.device_minor) + " " + std::to_string(m.inode) +
            (m.writable ? " w" : "") + " [" + m.path + "]\n";
  return text;
}

constexpr uint64_t ample = 64u << 20;

std::string refusal(const std::string& bytes, uint64_t budget = ample) {
  pyprefix::test::TemporaryDirectory folder;
  const std::string path = folder / "image";
  std::ofstream(path, std::ios::binary) << bytes;
  const FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  pyprefix::detail::ReadBudget left{budget};
  try {
    pyprefix::detail::section_offset(file.get(), ".text", "IMAGE", left);
  } catch (const pyprefix::error& e) {
    return e.what();
  }
  return "no error";
}

std::optional<uint64_t> offset_in(int file, const char* section, const std::string& name) {
  pyprefix::detail::ReadBudget budget{ample};
  return pyprefix::detail::section_offset(file, section, name, budget);
}

std::string elf_header(unsigned char elf_class, uint16_t section_count, uint64_t section_table) {
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = elf_class;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_phoff = sizeof header;
  header.e_phnum = 1;
  header.e_shnum = section_count;
  header.e_shoff = section_table;
  Elf64_Phdr load{};
  load.p_type = PT_LOAD;
  load.p_align = 4096;
  return std::string(reinterpret_cast<const char*>(&header), sizeof header) +
         std::string(reinterpret_cast<const char*>(&load), sizeof load);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mapped_images)

BOOST_AUTO_TEST_CASE(maps_lines) {
  const std::string maps =
      "00400000-00452000 r-xp 00000000 fd:01 1314 /usr/bin/python3.14\n"
      "7f00aa000000-7f00aa021000 rw-p 00000000 00:00 0 \n"
      "7f00ab000000-7f00ab100000 r--p 0001a000 103:02 99 /srv/my app/libpython3.14.so.1.0 (deleted)\n"
      "7f00ab100000-7f00ab200000 rw-p 0011a000 103:02 99 /srv/my app/libpython3.14.so.1.0 (deleted)\n"
      "7ffd1000-7ffd3000 r-xp 00000000 00:00 0                          [vdso]\n"
      "7ffd5000-7ffd6000 rw-p 00000000 00:00 0                          [stack]\n"
      "\n";
  BOOST_TEST(described(pyprefix::detail::parse_maps(maps)) ==
             "4194304-4530176 @0 253:1 1314 [/usr/bin/python3.14]\n"
             "139640845631488-139640846680064 @106496 259:2 99 [/srv/my app/libpython3.14.so.1.0 (deleted)]\n"
             "139640846680064-139640847728640 @1155072 259:2 99 w [/srv/my app/libpython3.14.so.1.0 (deleted)]\n");
  for (const char* bad : {"00400000 r-xp 00000000 fd:01 1314 /x\n", "zz-00452000 r-xp 00000000 fd:01 1314 /x\n",
                          "00500000-00400000 r-xp 00000000 fd:01 1314 /x\n", "00400000-00452000 r-xp 0 fd 1314 /x\n",
                          "00400000-00452000 r-xp 00000000 fd:01 13x4 /x\n"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_CHECK_EXCEPTION(pyprefix::detail::parse_maps(bad), pyprefix::error, [](const pyprefix::error& e) {
        return std::string(e.what()).rfind("cannot read a memory map line: '", 0) == 0;
      });
    }
  }
}

BOOST_AUTO_TEST_CASE(this_programs_own_image) {
  int failed = 0;
  const std::string maps = pyprefix::detail::read_small_file(AT_FDCWD, "/proc/self/maps", failed, 64u << 20);
  BOOST_REQUIRE(failed == 0);
  const std::string executable = [] {
    char path[4096];
    const ssize_t size = readlink("/proc/self/exe", path, sizeof path);
    return std::string(path, size > 0 ? static_cast<size_t>(size) : 0);
  }();
  uint64_t image_start = 0;
  for (const Mapping& mapping : pyprefix::detail::parse_maps(maps))
    if (mapping.path == executable && mapping.offset == 0) {
      image_start = mapping.start;
      break;
    }
  BOOST_REQUIRE(image_start != 0);
  const FileDescriptor file(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  const auto data = offset_in(file.get(), ".data", executable);
  const auto bss = offset_in(file.get(), ".bss", executable);
  BOOST_REQUIRE(data.has_value());
  BOOST_REQUIRE(bss.has_value());
  const auto marker = reinterpret_cast<uintptr_t>(&data_marker);
  BOOST_TEST(image_start + *data <= marker);
  BOOST_TEST(marker < image_start + *bss);
  BOOST_TEST(!offset_in(file.get(), ".PyRuntime", executable).has_value());
}

BOOST_AUTO_TEST_CASE(files_that_are_no_image) {
  BOOST_TEST(refusal("") == "IMAGE is not an ELF image pyprefix can read: its headers lie outside it");
  BOOST_TEST(refusal(std::string(100, 'x')) == "IMAGE is not an ELF image");
  BOOST_TEST(refusal(elf_header(ELFCLASS32, 0, 0)) ==
             "IMAGE is not a 64-bit little-endian ELF image, which is all pyprefix reads");
  BOOST_TEST(refusal(elf_header(ELFCLASS64, 3, 1u << 20)) ==
             "IMAGE is not an ELF image pyprefix can read: its section headers lie outside it");
  BOOST_TEST(refusal(elf_header(ELFCLASS64, 0, 0)) == "no error");  // stripped of sections: none found
}

// A forged image declaring 65,535 sections and 4 MiB of names with no NUL (what made the old
// scan quadratic) costs what it declares: the reads come out of the budget, and a budget that
// does not cover them refuses the image before reading them.
BOOST_AUTO_TEST_CASE(forged_images_cost_what_they_declare) {
  constexpr uint16_t count = 65535;
  constexpr uint64_t names_size = 4u << 20;
  std::string image = elf_header(ELFCLASS64, count, 0);
  const uint64_t table_at = image.size(), names_at = table_at + uint64_t{count} * sizeof(Elf64_Shdr);
  Elf64_Ehdr header{};
  std::memcpy(&header, image.data(), sizeof header);
  header.e_shoff = table_at;
  header.e_shstrndx = 0;
  std::memcpy(image.data(), &header, sizeof header);
  for (uint32_t i = 0; i < count; ++i) {
    Elf64_Shdr section{};
    section.sh_name = i % 4096;  // every name runs to the table's end
    section.sh_offset = names_at;
    section.sh_size = names_size;
    image.append(reinterpret_cast<const char*>(&section), sizeof section);
  }
  image.append(names_size, 'x');
  const uint64_t declared = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + uint64_t{count} * sizeof(Elf64_Shdr) + names_size;

  pyprefix::test::TemporaryDirectory folder;
  const std::string path = folder / "forged";
  std::ofstream(path, std::ios::binary) << image;
  const FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  pyprefix::detail::ReadBudget budget{ample};
  BOOST_TEST(!pyprefix::detail::section_offset(file.get(), ".PyRuntime", "forged", budget).has_value());
  BOOST_TEST(ample - budget.left == declared);
  BOOST_TEST(refusal(image, declared - 1) ==
             "IMAGE is not an ELF image pyprefix reads: its section names would take more than the budget left for "
             "reading images");
}

// The file system of a mapping's device, as mountinfo names it, and which are local.
BOOST_AUTO_TEST_CASE(file_systems_of_devices) {
  const std::string mountinfo =
      "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "40 22 0:35 / /tmp rw,nosuid shared:20 - tmpfs tmpfs rw,size=4096k\n"
      "61 22 0:52 / /mnt/remote rw,nosuid,nodev,relatime shared:33 - fuse.sshfs host:/ rw,user_id=1000\n"
      "62 22 0:53 / /mnt/nfs rw - nfs4 server:/export rw\n"
      "63 22 0:5 / /dev rw - devtmpfs udev rw\n";
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 254, 1) == "ext4");
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 0, 35) == "tmpfs");
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 0, 52) == "fuse.sshfs");
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 0, 53) == "nfs4");
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 0, 3) == "");  // 0:35 is not 0:3
  BOOST_TEST(pyprefix::detail::file_system_of(mountinfo, 254, 2) == "");
  for (const char* local : {"ext4", "tmpfs", "overlay", "xfs", "btrfs", "squashfs"})
    BOOST_TEST(pyprefix::detail::is_local_file_system(local), local);
  for (const char* remote : {"fuse.sshfs", "fuse", "fuseblk", "nfs4", "cifs", "9p", "", "devtmpfs"})
    BOOST_TEST(!pyprefix::detail::is_local_file_system(remote), remote);
}

#ifdef PYPREFIX_TEST_DEBUG_OFFSETS
extern "C" const unsigned long pyprefix_header_layout[];  // debug_offsets_layout.c, from the header

// The layout pyprefix uses, against offsetof on the installed header of the build's Python.
BOOST_AUTO_TEST_CASE(debug_offsets_layout_against_the_header) {
  const pyprefix::detail::DebugOffsetsLayout* layout =
      pyprefix::detail::debug_offsets_layout(static_cast<unsigned>(pyprefix_header_layout[0]));
  BOOST_REQUIRE(layout != nullptr);
  BOOST_TEST(layout->size == pyprefix_header_layout[1]);
  BOOST_TEST(layout->debugger_support == pyprefix_header_layout[2]);
  // The fields before it, and the order of its own, as remote_debugging.cpp reads them.
  const unsigned long fixed[] = {8, 16, 32, 40,
                                 80};  // version, free_threaded, finalizing, interpreters_head, threads_main
  for (int i = 0; i < 5; ++i) BOOST_TEST(pyprefix_header_layout[3 + i] == fixed[i]);
  for (int i = 0; i < 6; ++i) BOOST_TEST(pyprefix_header_layout[8 + i] == layout->debugger_support + 8u * i);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
