// Whether a path names a Python file that has a module name, and what a whole file name becomes:
// the rules that the Rewriter (RewriteTo::module) and the rewriters of binary formats (pstats,
// pprof) share.
#ifndef PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP
#define PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP

#include <string>
#include <string_view>

#include <pyprefix/code_index.hpp>
#include <pyprefix/rewriter.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix::detail {

// A source, bytecode or extension module file: .py, .pyc, .pyw, .so, .pyd.
inline bool is_python_file(std::string_view path) {
  for (std::string_view suffix : {".py", ".pyc", ".pyw", ".so", ".pyd"})
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

// What a file name that stands alone (a pstats key's, pprof's Function.filename) becomes: the
// name without its longest prefix, or with RewriteTo::module the module a Python file under a
// prefix is (the short name where it has none).
inline std::string shortened_file_name(const Trimmer& trimmer, const RewriteOptions& options, std::string_view path) {
  std::string result(trimmer.trim(path));
  if (result.size() != path.size() && options.to == RewriteTo::module && is_python_file(path)) {
    std::string module = options.index->which(path).module;
    if (!module.empty()) result = std::move(module);
  }
  return result;
}

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_REWRITE_PYTHON_FILE_HPP
