// The reader's records -> raw entries: the one parser for what lib/entries/reader.py writes,
// in this process or in a child that pyprefix does not trust.
#ifndef PYPREFIX_LIB_ENTRIES_RECORDS_HPP
#define PYPREFIX_LIB_ENTRIES_RECORDS_HPP

#include <string>
#include <string_view>

#include "entries/raw_entries.hpp"

namespace pyprefix::detail {

// The first record of every answer; a reader of another format version is refused.
inline constexpr std::string_view reader_format = "pyprefix-reader 1";

// Parses an answer strictly: the format record, then I, E, D records, then "end" as the very
// last record, or an X record, whose text becomes the pyprefix::error thrown. Anything else
// (a cut-off answer, an unknown record or source) throws pyprefix::error("<who> gave an answer
// pyprefix cannot read ..."). Texts are cut at their first newline: one line each.
RawEntries parse_records(std::string_view answer, const std::string& who);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_RECORDS_HPP
