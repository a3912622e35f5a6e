// Whether a path names a Python file that has a module name: the one rule that the Rewriter
// (RewriteTo::module) and the pstats rewriter share.
#ifndef PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP
#define PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP

#include <string_view>

namespace pyprefix::detail {

// A source, bytecode or extension module file: .py, .pyc, .pyw, .so, .pyd.
inline bool is_python_file(std::string_view path) {
  for (std::string_view suffix : {".py", ".pyc", ".pyw", ".so", ".pyd"})
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP
