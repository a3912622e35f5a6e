// Where the reader is kept compiled between starts, so that a fresh interpreter (a child, or
// the tool's embedded one) loads its code instead of compiling it again.
#ifndef PYPREFIX_LIB_ENTRIES_COMPILED_CACHE_HPP
#define PYPREFIX_LIB_ENTRIES_COMPILED_CACHE_HPP

#include <string>

namespace pyprefix::detail {

// PYPREFIX_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/pyprefix, else $HOME/.cache/pyprefix;
// "" when there is no such place. The reader of a file there checks that the folder is this
// user's and that no one else may write to it, and appends the interpreter's magic tag and
// number to the name it is given, since compiled code is only good for its own kind of interpreter.
std::string compiled_cache_folder();

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_ENTRIES_COMPILED_CACHE_HPP
