// pyprefix: where Python code lives, for native profilers and C++ tracers.
//
// The umbrella header: include this one. The core (<pyprefix/pyprefix_core.hpp>, no Python
// needed) and <pyprefix/prefixes.hpp>, which asks an interpreter (link pyprefix::pyprefix or
// pyprefix::module).
#ifndef PYPREFIX_PYPREFIX_HPP
#define PYPREFIX_PYPREFIX_HPP

#include <pyprefix/prefixes.hpp>
#include <pyprefix/pyprefix_core.hpp>

#endif  // PYPREFIX_PYPREFIX_HPP
