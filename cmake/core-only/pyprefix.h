/* pyprefix: where Python code lives, for native profilers and C++ tracers. The C API of a
 * core-only install (PYPREFIX_CORE_ONLY): the core alone, which is all this install holds
 * (<pyprefix/pyprefix_core.h>).
 */
#ifndef PYPREFIX_PYPREFIX_H
#define PYPREFIX_PYPREFIX_H

#include <pyprefix/pyprefix_core.h>

#endif /* PYPREFIX_PYPREFIX_H */
