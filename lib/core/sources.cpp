#include "core/sources.hpp"

#include <algorithm>
#include <iterator>

namespace pyprefix {
namespace detail {

static_assert(
    [] {
      for (size_t i = 0; i < std::size(source_table); ++i)
        if (static_cast<size_t>(source_table[i].source) != i) return false;
      return true;
    }(),
    "source_table lists the sources in their declaration order");
static_assert(
    [] {
      for (size_t i = 0; i < std::size(kind_table); ++i)
        if (static_cast<size_t>(kind_table[i].kind) != i) return false;
      return true;
    }(),
    "kind_table lists the kinds in their declaration order");

std::optional<Source> source_named(std::string_view name) noexcept {
  for (const SourceTraits& traits : source_table)
    if (traits.name == name) return traits.source;
  return std::nullopt;
}

}  // namespace detail

std::string_view source_name(Source source) noexcept { return detail::traits_of(source).name; }

}  // namespace pyprefix
