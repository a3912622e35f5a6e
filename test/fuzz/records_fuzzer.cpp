// Fuzz target: the parser of the reader's records, which reads what an untrusted child
// process wrote. Any input either parses or is refused with pyprefix::error; and whatever
// entries the input spells come back unchanged once written as records.
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/error.hpp>

#include "core/entries/records.hpp"
#include "core/sources.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    pyprefix::detail::parse_records(text, "the fuzzer");
  } catch (const pyprefix::error&) {  // refusing is fine; crashing, hanging or other exceptions are not
  }

  // The input as NUL-separated paths, each written as an entry record of some source.
  std::string answer = std::string(pyprefix::detail::reader_format) + '\0' + "Iversion=3.99.0" + '\0';
  std::vector<pyprefix::detail::RawEntry> written;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    const auto& traits = pyprefix::detail::source_table[(end - start) % std::size(pyprefix::detail::source_table)];
    written.push_back({std::string(text.substr(start, end - start)), traits.source});
    answer += "E" + std::string(traits.name) + ":" + written.back().path + '\0';
    start = end + 1;
  }
  answer += std::string("end") + '\0';
  const pyprefix::detail::RawEntries read_back = pyprefix::detail::parse_records(answer, "the fuzzer");
  if (read_back.entries.size() != written.size() || read_back.interpreter.version != "3.99.0") __builtin_trap();
  for (size_t i = 0; i < written.size(); ++i)
    if (read_back.entries[i].path != written[i].path || read_back.entries[i].source != written[i].source)
      __builtin_trap();
  return 0;
}
