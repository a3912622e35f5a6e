// pyprefix: where Python code lives, for native profilers and C++ tracers.
//
// The umbrella header of a core-only install (PYPREFIX_CORE_ONLY): the core alone, which is
// all this install holds (<pyprefix/pyprefix_core.hpp>).
#ifndef PYPREFIX_PYPREFIX_HPP
#define PYPREFIX_PYPREFIX_HPP

#include <pyprefix/pyprefix_core.hpp>

#endif  // PYPREFIX_PYPREFIX_HPP
