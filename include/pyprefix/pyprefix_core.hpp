// pyprefix: where Python code lives, for native profilers and C++ tracers.
//
// The core's umbrella header: trimming, classifying and rewriting paths, saved lists and
// manifests, module names: everything of pyprefix::core, which needs no Python. A core-only
// install's <pyprefix/pyprefix.hpp> is this.
#ifndef PYPREFIX_PYPREFIX_CORE_HPP
#define PYPREFIX_PYPREFIX_CORE_HPP

#include <pyprefix/code_index.hpp>
#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>
#include <pyprefix/options.hpp>
#include <pyprefix/prefix.hpp>
#include <pyprefix/prefix_file.hpp>
#include <pyprefix/report.hpp>
#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>
#include <pyprefix/version.hpp>

#endif  // PYPREFIX_PYPREFIX_CORE_HPP
