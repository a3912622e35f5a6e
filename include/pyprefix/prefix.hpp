// pyprefix: where Python code lives, for native profilers and C++ tracers.
// One prefix of the list, with the sources it came from and its kind of code. Core.
#ifndef PYPREFIX_PREFIX_HPP
#define PYPREFIX_PREFIX_HPP

#include <string>
#include <string_view>
#include <vector>

namespace pyprefix {

/// Where a prefix came from. One prefix may have several sources.
enum class Source {
  site_packages,   ///< site.getsitepackages()
  sys_path,        ///< an entry of sys.path
  user_base,       ///< site.getuserbase()
  user_site,       ///< site.getusersitepackages()
  package_root,    ///< the import root of a package named in Options::packages
  stdlib,          ///< sysconfig's stdlib, platstdlib and lib-dynload (Options::classify)
  install_scheme,  ///< purelib and platlib of each POSIX install scheme (Options::classify)
};

/// The stable name of a source, as `pyprefix list --json` prints it.
///
/// Example:
///   std::string_view name = pyprefix::source_name(pyprefix::Source::user_site);  // "user-site"
std::string_view source_name(Source source) noexcept;

/// One entry of the list: a directory ending in "/", and every source that produced it.
///
/// Example:
///   pyprefix::Prefix prefix{"/usr/lib/python3/dist-packages/", {pyprefix::Source::site_packages}, {}};
struct Prefix {
  std::string path;             ///< bytes as os.fsencode gives them, ending in "/"
  std::vector<Source> sources;  ///< in the order they were first seen, no repeats
  std::string resolved;         ///< realpath(path) + "/" when it differs (Options::resolve_symlinks), else empty
};

/// `os.path.abspath` on POSIX, byte for byte: joins a relative path to the working directory
/// and normalises it lexically, resolving no symlink. Needs no interpreter.
///
/// Example:
///   std::string a = pyprefix::abspath("/usr/lib/../lib64//");  // "/usr/lib64"
///   std::string b = pyprefix::abspath("//srv/./x/");           // "//srv/x" (two leading slashes are kept)
std::string abspath(std::string_view path);

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIX_HPP
