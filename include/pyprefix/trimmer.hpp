// pyprefix: where Python code lives, for native profilers and C++ tracers.
// The Trimmer: a path's longest matching prefix, its short form and its kind, fast. Core.
#ifndef PYPREFIX_TRIMMER_HPP
#define PYPREFIX_TRIMMER_HPP

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>

namespace pyprefix {

/// What kind of code a path holds, judged by the longest prefix it falls under.
enum class Kind : std::uint8_t {
  unknown,       ///< under no prefix, a pseudo-file such as "<string>", or a prefix of no known source
  application,   ///< under a sys.path entry that is none of the below (the script's folder, PYTHONPATH)
  package_root,  ///< under the import root of a package named in Options::packages
  third_party,   ///< under site-packages, dist-packages, the user site or base, an install scheme's purelib/platlib
  stdlib,        ///< under the standard library (sysconfig stdlib, platstdlib, lib-dynload), or "<frozen ...>"
};

/// The stable name of a kind, as `pyprefix trim --json` prints it.
///
/// Example:
///   std::string_view name = pyprefix::kind_name(pyprefix::Kind::third_party);  // "third-party"
std::string_view kind_name(Kind kind) noexcept;

/// The kind of a prefix with these sources: the most specific one wins, in the order stdlib,
/// third-party, package root, application. site-packages is also on sys.path, and is
/// third-party; the stdlib folder is also on sys.path, and is stdlib.
///
/// Example:
///   using pyprefix::Source;
///   pyprefix::Kind kind = pyprefix::kind_of({Source::sys_path, Source::site_packages});  // Kind::third_party
Kind kind_of(const std::vector<Source>& sources) noexcept;

/// How paths compare: by bytes (POSIX), or as Windows' ntpath compares them (either separator,
/// ASCII letters in any case, so "C:/Python311/lib/" holds "c:\python311\Lib\json\decoder.py").
///
/// Example:
///   pyprefix::PathFlavour flavour = pyprefix::PathFlavour::windows;  // a manifest written on Windows
enum class PathFlavour : std::uint8_t { posix, windows };

/// Where a path falls: what is left after its longest matching prefix, that prefix, its kind.
/// Lifetimes: `short_path` views the path that was matched (valid while that string lives
/// unchanged); `prefix` views the Trimmer's own copy (valid while the Trimmer lives).
///
/// Example:
///   pyprefix::Match where{"torch/nn/modules/module.py", "/usr/lib/python3/dist-packages/", {}};
///   where.kind = pyprefix::Kind::third_party;
struct Match {
  std::string_view short_path;  ///< the path without the prefix; the whole path when none matched
  std::string_view prefix;      ///< the matched prefix as listed (not its symlink alias); empty when none matched
  Kind kind = Kind::unknown;
};

/// Shortens and classifies paths by the longest matching prefix, at a cost per path that does
/// not grow with the number of prefixes. Immutable once built: share one across threads. A
/// moved-from Trimmer matches nothing.
///
/// Example:
///   const pyprefix::Trimmer trimmer({"/usr/lib/python3.11/", "/usr/lib/python3/dist-packages/"});
///   std::string_view a = trimmer.trim("/usr/lib/python3.11/json/decoder.py");  // "json/decoder.py"
///   pyprefix::Kind b = trimmer.match("<frozen importlib._bootstrap>").kind;    // Kind::stdlib
class Trimmer {
 public:
  /// Built from a list such as report().prefixes: kinds come from the sources, and a prefix's
  /// `resolved` alias (Options::resolve_symlinks) matches as the prefix itself.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer(pyprefix::read_prefix_file("prefixes.json"));
  explicit Trimmer(const std::vector<Prefix>& prefixes);

  /// The same for paths of another flavour, such as a Windows manifest's. A Windows prefix
  /// ends in "\\" (one is appended where missing) and may be at most 4096 bytes long
  /// (pyprefix::error otherwise); paths match it case-insensitively in ASCII letters, with "/" and
  /// "\\" alike, as ntpath.normcase compares them.
  ///
  /// Example:
  ///   const pyprefix::Trimmer trimmer({{"C:\\Python311\\Lib\\", {pyprefix::Source::stdlib}, {}}},
  ///                                   pyprefix::PathFlavour::windows);
  ///   std::string_view a = trimmer.trim("c:/python311/lib/json/decoder.py");  // "json/decoder.py"
  Trimmer(const std::vector<Prefix>& prefixes, PathFlavour flavour);

  /// Built from bare prefixes in any order, such as prefixes() returns or a saved list; a "/"
  /// is appended where one is missing, and every kind is Kind::unknown.
  ///
  /// Example:
  ///   std::vector<std::string> saved = {"/srv/app", "/srv/app/.venv/lib/python3.12/site-packages/"};
  ///   pyprefix::Trimmer trimmer(saved);
  explicit Trimmer(const std::vector<std::string>& prefixes);

  /// The same, from a braced list of literals (which would otherwise be ambiguous).
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app", "/srv/app/.venv/lib/python3.12/site-packages/"});
  Trimmer(std::initializer_list<std::string_view> prefixes);

  ~Trimmer();
  Trimmer(Trimmer&&) noexcept;
  Trimmer& operator=(Trimmer&&) noexcept;

  /// `path` without its longest matching prefix, or `path` itself. Pseudo-files ("<string>",
  /// "<frozen os>") are never trimmed. Never allocates; the result views `path`.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/", "/srv/app/.venv/lib/python3.12/site-packages/"});
  ///   trimmer.trim("/srv/app/.venv/lib/python3.12/site-packages/requests/api.py");  // "requests/api.py"
  std::string_view trim(std::string_view path) const noexcept;

  /// The length in bytes of its longest prefix or alias, 0 when it holds none: what a scanner
  /// of text must see after a candidate "/" to know whether a prefix starts there.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/", "/usr/lib/python3.12/"});
  ///   size_t lookahead = trimmer.longest_prefix();  // 20
  size_t longest_prefix() const noexcept;

  /// How it compares paths: PathFlavour::posix, or PathFlavour::windows for a Windows manifest.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/"});
  ///   bool posix = trimmer.flavour() == pyprefix::PathFlavour::posix;  // true
  PathFlavour flavour() const noexcept;

  /// trim(), and which prefix matched and its kind.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({{"/srv/app/", {pyprefix::Source::sys_path}, ""}});
  ///   pyprefix::Match where = trimmer.match("/srv/app/main.py");  // {"main.py", "/srv/app/", Kind::application}
  Match match(std::string_view path) const noexcept;

 private:
  struct Table;
  std::unique_ptr<const Table> table_;
};

}  // namespace pyprefix

#endif  // PYPREFIX_TRIMMER_HPP
