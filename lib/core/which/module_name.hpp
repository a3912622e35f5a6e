// A file's path -> the dotted name Python would import it as.
#ifndef PYPREFIX_LIB_CORE_WHICH_MODULE_NAME_HPP
#define PYPREFIX_LIB_CORE_WHICH_MODULE_NAME_HPP

#include <string>
#include <string_view>
#include <vector>

namespace pyprefix::detail {

// What importlib's path finder accepts as a module file, for one interpreter.
struct ImportSuffixes {
  std::vector<std::string> extension;  // EXTENSION_SUFFIXES, longest first
  std::string cache_tag;               // "cpython-311": __pycache__/NAME.cpython-311[.opt-N].pyc
};

// The dotted name of the file at `relative` (its path below an import root: "json/decoder.py",
// "pkg/__init__.py", "pkg/__pycache__/mod.cpython-311.pyc", "_json.cpython-311-x86_64-linux-gnu.so"),
// or "" when importlib would not import it under that root: no source, bytecode or extension
// suffix, a folder or stem that is not an identifier ("my-scripts/x.py"), an __init__ directly
// in the root, bytecode of another cache tag. `top_level` replaces the first part's own name
// (a PEP 660 finder maps a package to a folder of another name).
std::string module_name(std::string_view relative, const ImportSuffixes& suffixes, std::string_view top_level = {});

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_WHICH_MODULE_NAME_HPP
