// pstats files, rewritten in their own encoding: the marshal-serialised dictionary that cProfile,
// profile, yappi, pyinstrument and Python 3.15's profiling.sampling write (pstats.Stats.dump_stats),
// {(file, line, name): (cc, nc, tt, ct, callers)}, callers mapping such keys to 4-tuples (or to
// a count, in profile's files). Each key's file is shortened as the Rewriter shortens a path.
#ifndef PYPREFIX_LIB_CORE_REWRITE_PSTATS_HPP
#define PYPREFIX_LIB_CORE_REWRITE_PSTATS_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/rewriter.hpp>

namespace pyprefix::detail {

// The largest pstats file read: it is held whole, and its values take up to ten times as much.
constexpr size_t max_pstats_bytes = 64u << 20;

// `input` (a whole pstats file) with the file of every key, in the table and in each callers
// table, shortened (or, with RewriteTo::module, named by its module). Keys that would become
// equal keep their full paths, with one warning naming one of them: merging two functions would
// count their time twice. Read: the marshal subset such files use (versions 2 to 6: dicts,
// tuples, lists, sets, strings, bytes, ints, longs, floats, None, booleans, references), at
// most 64 deep; written back as marshal version 4 (short strings and tuples, references to
// strings met before), which every Python 3 reads. Throws pyprefix::error("is not a pstats file
// ...") for anything else, with the byte where reading stopped.
std::string rewrite_pstats(const Trimmer& trimmer, std::string_view input, const RewriteOptions& options,
                           std::vector<std::string>& warnings);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_PSTATS_HPP
