// Text from elsewhere (another process's argv[0], a reader's diagnostics) made safe to print.
#ifndef PYPREFIX_LIB_CORE_PRINTABLE_HPP
#define PYPREFIX_LIB_CORE_PRINTABLE_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// `text` with every control byte (below 0x20, and 0x7f) written as \xNN: no terminal escape
// sequence, no second line. Other bytes, UTF-8 included, stay as they are.
std::string printable(std::string_view text);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_PRINTABLE_HPP
