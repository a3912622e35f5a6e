// pyprefix: where Python code lives, for native profilers and C++ tracers.
// Which code a path is: its module name and the installed distribution that owns it, from a
// list's import roots and their metadata, or from a manifest. Core (pyprefix::core): no Python.
#ifndef PYPREFIX_CODE_INDEX_HPP
#define PYPREFIX_CODE_INDEX_HPP

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>

namespace pyprefix {

struct Manifest;

/// An installed distribution, read from its metadata the way importlib.metadata reads it.
///
/// Example:
///   // {"torch", "1.13.1", "/usr/lib/python3/dist-packages/torch-1.13.1.dist-info", {".../torch/"}}
///   pyprefix::Distribution torch{"torch", "1.13.1", "/srv/site/torch-1.13.1.dist-info", {"/srv/site/torch/"}};
struct Distribution {
  std::string name;                ///< the Name: of its metadata, as written ("PyYAML")
  std::string version;             ///< the Version: of its metadata; empty when it has none (a diagnostic says so)
  std::string metadata;            ///< its *.dist-info or *.egg-info folder (or file)
  std::vector<std::string> roots;  ///< the top-level folders ("/", at the end) and files it owns, sorted
  /// Its metadata names no file and no top-level name (Debian's torch), so its roots are the
  /// top-level folder or module named as it is (PEP 503), which importlib.metadata does not give.
  bool roots_inferred = false;
};

/// Which code a path is: the module Python imports it as, and the distribution that owns it.
/// Lifetime: `distribution` points into the CodeIndex that answered (valid while it lives).
///
/// Example:
///   // {"torch.nn.modules.module", &torch} for ".../dist-packages/torch/nn/modules/module.py"
///   pyprefix::Which which{"json.decoder", nullptr};
struct Which {
  std::string module;                          ///< the dotted name; empty when the file is not importable
  const Distribution* distribution = nullptr;  ///< null when no installed distribution owns the file
};

/// Module names and distributions for paths, from a list's import roots and the metadata of
/// the distributions installed in them. Names are lexical (no file is opened per lookup):
/// a name is what Python's path finder would import the file as, given what each root holds
/// at its top level when the index was built. Built once (it reads every RECORD, installed-files.txt,
/// SOURCES.txt and top_level.txt, and PEP 660 and legacy editable installs), then immutable:
/// share one across threads. Bad metadata becomes a diagnostic, never an exception.
///
/// Example:
///   const pyprefix::CodeIndex index(pyprefix::read_manifest("capture.pyprefix.json"));
///   pyprefix::Which which = index.which("/usr/lib/python3/dist-packages/yaml/loader.py");
///   // {"yaml.loader", -> {"PyYAML", "6.0", ...}}
class CodeIndex {
 public:
  /// Reads the distributions under the import roots among `prefixes` (those from sys.path,
  /// site-packages, the user site and package roots; every prefix of a bare list).
  /// `interpreter` gives the cache tag and extension suffixes that module names depend on, and
  /// `sys_path` (Report::sys_path) the order in which Python looks, so that a file that an
  /// earlier root shadows is named no module; without it, no file is taken as shadowed.
  /// Another running process's files are not read here: its index is
  /// `CodeIndex(pyprefix::manifest(options))`, which reads them while it holds that process; a
  /// list below its `/proc/PID/root` throws pyprefix::error, and a list of its paths as it sees
  /// them (without `host_paths`) would read this machine's files at those paths.
  ///
  /// Example:
  ///   pyprefix::CodeIndex index(pyprefix::read_prefix_file("prefixes.json"), pyprefix::Interpreter{});
  CodeIndex(const std::vector<Prefix>& prefixes, const Interpreter& interpreter,
            const std::vector<std::string>& sys_path = {});

  /// All of a report: its prefixes, its interpreter and its sys.path order (pyprefix::report()
  /// gives one of the running interpreter, <pyprefix/prefixes.hpp>).
  ///
  /// Example:
  ///   pyprefix::Report report;
  ///   report.prefixes = pyprefix::read_prefix_file("prefixes.json");
  ///   const pyprefix::CodeIndex index(report);
  explicit CodeIndex(const Report& report);

  /// From a manifest, reading no file: its distributions own their roots, and module names are
  /// lexical under its import roots (no file is taken as shadowed, since none is listed). For
  /// a Windows manifest, "\\" separates the parts of a module's path.
  ///
  /// Example:
  ///   const pyprefix::CodeIndex index(pyprefix::read_manifest("capture.pyprefix.json"));
  explicit CodeIndex(const Manifest& manifest);

  ~CodeIndex();
  CodeIndex(CodeIndex&&) noexcept;
  CodeIndex& operator=(CodeIndex&&) noexcept;

  /// The module and the owning distribution of a file ("<frozen os>" is module "os").
  ///
  /// Example:
  ///   const pyprefix::CodeIndex index(pyprefix::Report{});  // no import roots: what needs none
  ///   std::string frozen = index.which("<frozen os>").module;  // "os"
  ///   bool outside = index.which("/srv/app/main.py").module.empty();  // true
  Which which(std::string_view path) const;

  /// Every distribution found, sorted by name.
  ///
  /// Example:
  ///   const pyprefix::CodeIndex index(pyprefix::read_manifest("capture.pyprefix.json"));
  ///   for (const pyprefix::Distribution& d : index.distributions()) std::printf("%s %s\n", d.name.c_str(),
  ///   d.version.c_str());
  const std::vector<Distribution>& distributions() const noexcept;

  /// What could not be read, one line each: a RECORD that is not CSV, a missing version...
  ///
  /// Example:
  ///   const pyprefix::CodeIndex index(pyprefix::read_manifest("capture.pyprefix.json"));
  ///   for (const std::string& line : index.diagnostics()) std::fprintf(stderr, "warning: %s\n", line.c_str());
  const std::vector<std::string>& diagnostics() const noexcept;

 private:
  Which which_windows(std::string_view path) const;

  struct Data;
  std::unique_ptr<const Data> data_;
};

}  // namespace pyprefix

#endif  // PYPREFIX_CODE_INDEX_HPP
