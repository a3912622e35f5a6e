// Raw entries -> normalised prefixes.
#ifndef PYPREFIX_LIB_CORE_NORMALISE_PREFIX_LIST_HPP
#define PYPREFIX_LIB_CORE_NORMALISE_PREFIX_LIST_HPP

#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>

#include "core/entries/raw_entries.hpp"

namespace pyprefix::detail {

// torch's `[p + os.sep for p in sorted({os.path.abspath(e) for e in raw}, reverse=True)]`,
// keeping the sources of each prefix, except that a path already ending in "/" (the root "/",
// and "//") gets no second one: torch's "//" never matches anything.
std::vector<Prefix> normalise_entries(const std::vector<RawEntry>& entries, std::string_view cwd);

// The sys.path entries among `entries`, in their order, each normalised as its prefix is
// (abspath, "/" at the end), the first of duplicates kept: where Python looks, first to last.
std::vector<std::string> search_order(const std::vector<RawEntry>& entries, std::string_view cwd);

// Sets Prefix::resolved to realpath(path) + "/" for every prefix that exists and differs from
// its real path (it is, or lies under, a symlink).
void add_resolved_aliases(std::vector<Prefix>& prefixes);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_NORMALISE_PREFIX_LIST_HPP
