// The reader's records -> raw entries: the one parser for what lib/core/entries/reader.py writes,
// in this process or in a child that pyprefix does not trust.
#ifndef PYPREFIX_LIB_CORE_ENTRIES_RECORDS_HPP
#define PYPREFIX_LIB_CORE_ENTRIES_RECORDS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// The first record of every answer; a reader of another format version is refused.
inline constexpr std::string_view reader_format = "pyprefix-reader 1";

// What an answer from a child may hold (a process pyprefix does not trust): a real one has tens
// of records of a few hundred bytes; these bound the time and memory spent on a hostile one.
// The running interpreter's own answer (live mode) is this process's and has no such bounds.
struct RecordLimits {
  size_t records = SIZE_MAX;
  size_t record_bytes = SIZE_MAX;
};
inline constexpr RecordLimits child_answer_limits{200000, 1u << 20};
// The bytes such an answer may take in all, before it is parsed (a child's output, an attached
// process's answer file).
inline constexpr size_t max_child_answer_bytes = 64u << 20;

// Parses an answer strictly: the format record, then I, E, D records, then "end" as the very
// last record, or an X record, whose text becomes the pyprefix::error thrown. Anything else
// (a cut-off answer, an unknown record or source) throws pyprefix::error("<who> gave an answer
// pyprefix cannot read ..."). Texts are cut at their first newline: one line each, with
// control bytes escaped (\\xNN). Past the limits above it throws, naming the limit.
RawEntries parse_records(std::string_view answer, const std::string& who, RecordLimits limits = {});

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_ENTRIES_RECORDS_HPP
