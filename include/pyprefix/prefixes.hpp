// pyprefix: where Python code lives, for native profilers and C++ tracers.
// The one Python-tier header: asking an interpreter (pyprefix::pyprefix, pyprefix::module).
#ifndef PYPREFIX_PREFIXES_HPP
#define PYPREFIX_PREFIXES_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/manifest.hpp>
#include <pyprefix/options.hpp>
#include <pyprefix/prefix.hpp>
#include <pyprefix/report.hpp>

namespace pyprefix {

/// The import prefixes of the process's Python, exactly as PyTorch's _prefix_regex() computes
/// them (with the documented fixes): absolute, normalised like os.path.abspath, deduplicated,
/// each ending in "/", in reverse code-point order so that the first match is the longest.
/// Uses the interpreter already running in the process, from any thread, or else starts one
/// embedded interpreter once per process. Throws pyprefix::error.
///
/// Example:
///   for (const std::string& prefix : pyprefix::prefixes()) std::puts(prefix.c_str());
///   // /usr/local/lib/python3.11/dist-packages/
///   // /usr/lib/python3/dist-packages/
///   // /usr/lib/python3.11/lib-dynload/ ...
std::vector<std::string> prefixes(const Options& options = {});

/// The same list as prefixes(), with the sources of each prefix and the diagnostics.
///
/// Example:
///   for (const auto& prefix : pyprefix::report({}).prefixes)
///     std::printf("%s (%zu sources)\n", prefix.path.c_str(), prefix.sources.size());
Report report(const Options& options = {});

/// Describes the interpreter that prefixes(options) reads: the process's own (starting it if
/// needed), or Options::python's. Throws pyprefix::error.
///
/// Example:
///   std::printf("Python %s\n", pyprefix::interpreter().version.c_str());
Interpreter interpreter(const Options& options = {});

}  // namespace pyprefix

#endif  // PYPREFIX_PREFIXES_HPP
