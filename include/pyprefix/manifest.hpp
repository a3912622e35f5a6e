// pyprefix: where Python code lives, for native profilers and C++ tracers.
// A manifest: what trimming and naming need later and elsewhere (the list, sys.path, the
// interpreter, the distributions), written by `pyprefix manifest` and read back. Core.
#ifndef PYPREFIX_MANIFEST_HPP
#define PYPREFIX_MANIFEST_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/code_index.hpp>
#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix {

/// Everything needed to trim and classify an environment's paths later, on another machine,
/// without its files: what `pyprefix manifest` writes ("format": "pyprefix-manifest/1").
///
/// Example:
///   pyprefix::Manifest manifest = pyprefix::read_manifest("capture.pyprefix.json");
///   const pyprefix::Trimmer trimmer(manifest.prefixes, manifest.path_flavour);
struct Manifest {
  Interpreter interpreter;                        ///< the interpreter the list was read from
  PathFlavour path_flavour = PathFlavour::posix;  ///< how its paths compare: POSIX, or Windows' ntpath rules
  std::vector<std::string> sys_path;              ///< sys.path in order, each entry normalised as its prefix is
  std::vector<Prefix> prefixes;                   ///< longest first, with their sources (as `list --json`)
  std::vector<Distribution> distributions;        ///< installed distributions: names, versions, metadata, roots
};

/// The manifest as JSON, one object: "format", "interpreter", "path_flavour", "sys_path",
/// "prefixes" and "distributions". File names are written as Python's json.dumps writes
/// os.fsdecode(name), so undecodable bytes survive the round trip.
///
/// Example:
///   pyprefix::Manifest manifest;
///   manifest.prefixes = {{"/usr/lib/python3.11/", {pyprefix::Source::sys_path}, {}}};
///   std::string json = pyprefix::manifest_json(manifest);  // {"format": "pyprefix-manifest/1", ...
std::string manifest_json(const Manifest& manifest);

/// Parses a manifest strictly; keys it does not know are ignored, so later versions may add
/// some. Throws pyprefix::error naming the problem and its byte: another format version,
/// truncated JSON, a value of the wrong type, a prefix that is not absolute for its flavour.
/// A Windows manifest's prefixes are normalised as ntpath.normpath does, with a "\" at the end.
///
/// Example:
///   pyprefix::Manifest manifest = pyprefix::parse_manifest(
///       R"({"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [{"prefix": "/srv/app/"}]})");
Manifest parse_manifest(std::string_view text);

/// parse_manifest() on the file at `path` (at most 256 MiB). Throws pyprefix::error naming it.
///
/// Example:
///   const pyprefix::Manifest manifest = pyprefix::read_manifest("capture.pyprefix.json");
///   const pyprefix::CodeIndex index(manifest);  // modules and distributions, without the files
Manifest read_manifest(const std::string& path);

}  // namespace pyprefix

#endif  // PYPREFIX_MANIFEST_HPP
