// Memory maps and ELF sections (lib/child/mapped_images.cpp): a table of maps lines, this test
// program's own image (its .data between its .data and .bss starts, as the kernel mapped it), and
// every refusal of a file that is no 64-bit ELF image. And, where the interpreter's internal
// headers are installed, the debug offsets' layout against that version's own header.
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <pyprefix/error.hpp>

#include "child/mapped_images.hpp"
#include "child/remote_debugging.hpp"
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
            " [" + m.path + "]\n";
  return text;
}

std::string refusal(const std::string& bytes) {
  pyprefix::test::TemporaryDirectory folder;
  const std::string path = folder / "image";
  std::ofstream(path, std::ios::binary) << bytes;
  const FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  try {
    pyprefix::detail::section_offset(file.get(), ".text", "IMAGE");
  } catch (const pyprefix::error& e) {
    return e.what();
  }
  return "no error";
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
      "7ffd1000-7ffd3000 r-xp 00000000 00:00 0                          [vdso]\n"
      "7ffd5000-7ffd6000 rw-p 00000000 00:00 0                          [stack]\n"
      "\n";
  BOOST_TEST(described(pyprefix::detail::parse_maps(maps)) ==
             "4194304-4530176 @0 253:1 1314 [/usr/bin/python3.14]\n"
             "139640845631488-139640846680064 @106496 259:2 99 [/srv/my app/libpython3.14.so.1.0 (deleted)]\n");
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
  const auto data = pyprefix::detail::section_offset(file.get(), ".data", executable);
  const auto bss = pyprefix::detail::section_offset(file.get(), ".bss", executable);
  BOOST_REQUIRE(data.has_value());
  BOOST_REQUIRE(bss.has_value());
  const auto marker = reinterpret_cast<uintptr_t>(&data_marker);
  BOOST_TEST(image_start + *data <= marker);
  BOOST_TEST(marker < image_start + *bss);
  BOOST_TEST(!pyprefix::detail::section_offset(file.get(), ".PyRuntime", executable).has_value());
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
