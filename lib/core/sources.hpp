// Every Source in one table: its stable name (in JSON, in saved lists and in the reader's
// records, so the name is also the wire code) and the Kind of the paths under it; and every
// Kind's name. CMake generates the reader's codes and the Python package's Kind from these
// tables (cmake/cpp_tables.cmake).
#ifndef PYPREFIX_LIB_CORE_SOURCES_HPP
#define PYPREFIX_LIB_CORE_SOURCES_HPP

#include <optional>
#include <string_view>

#include <pyprefix/prefix.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix::detail {

struct SourceTraits {
  Source source;
  std::string_view name;
  Kind kind;
};

// Every Kind with its stable name, in declaration order, so that kind_table[int(kind)] names `kind`.
struct KindTraits {
  Kind kind;
  std::string_view name;
};
inline constexpr KindTraits kind_table[] = {
    {Kind::unknown, "unknown"},         {Kind::application, "application"}, {Kind::package_root, "package-root"},
    {Kind::third_party, "third-party"}, {Kind::stdlib, "stdlib"},
};

// In declaration order of Source, so that source_table[int(source)] describes `source`.
inline constexpr SourceTraits source_table[] = {
    {Source::site_packages, "site-packages", Kind::third_party},   {Source::sys_path, "sys.path", Kind::application},
    {Source::user_base, "user-base", Kind::third_party},           {Source::user_site, "user-site", Kind::third_party},
    {Source::package_root, "package-root", Kind::package_root},    {Source::stdlib, "stdlib", Kind::stdlib},
    {Source::install_scheme, "install-scheme", Kind::third_party},
};

constexpr const SourceTraits& traits_of(Source source) noexcept { return source_table[static_cast<int>(source)]; }

// The Source with this stable name, if any.
std::optional<Source> source_named(std::string_view name) noexcept;

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_SOURCES_HPP
