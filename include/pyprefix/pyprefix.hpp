// pyprefix: where Python code lives, for native profilers and C++ tracers.
//
// The umbrella header: include this one. Everything but <pyprefix/prefixes.hpp> (which asks an
// interpreter) is in pyprefix::core and needs no Python.
#ifndef PYPREFIX_PYPREFIX_HPP
#define PYPREFIX_PYPREFIX_HPP

#include <pyprefix/code_index.hpp>
#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>
#include <pyprefix/options.hpp>
#include <pyprefix/prefix.hpp>
#include <pyprefix/prefix_file.hpp>
#include <pyprefix/prefixes.hpp>
#include <pyprefix/report.hpp>
#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>
#include <pyprefix/version.hpp>

#endif  // PYPREFIX_PYPREFIX_HPP
