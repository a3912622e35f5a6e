// Installed distributions' metadata -> what each one owns, read as importlib.metadata reads it.
#ifndef PYPREFIX_LIB_CORE_WHICH_METADATA_HPP
#define PYPREFIX_LIB_CORE_WHICH_METADATA_HPP

#include <string>
#include <utility>
#include <vector>

#include <pyprefix/code_index.hpp>

namespace pyprefix::detail {

// One distribution and what its metadata says it owns. Paths are absolute and normalised.
struct DistributionClaims {
  Distribution distribution;
  std::string site;                            // the folder its metadata lives in, ending in "/"
  std::vector<std::string> files;              // RECORD, installed-files.txt or else SOURCES.txt
  std::vector<std::string> top_level_files;    // NAME.py and NAME<extension suffix> for top_level.txt names
  std::vector<std::string> top_level_folders;  // NAME/ for top_level.txt names: roots to show, owned by name only
  std::vector<std::string>
      folders;  // owned wholesale, ending in "/": editable paths, a folder named as its distribution
  std::vector<std::string> top_level;  // top_level.txt's names, else those of the listed .py files
  bool top_level_declared = false;     // top_level.txt names something (if only namespaces)
  std::vector<std::pair<std::string, std::string>>
      module_folders;  // a PEP 660 finder's MAPPING: (path without "/" or suffix, module name)
};

struct MetadataScan {
  std::vector<DistributionClaims> distributions;
  std::vector<std::string> extra_roots;  // folders a PEP 660 .pth puts on sys.path, ending in "/"
  std::vector<std::string> diagnostics;
};

// Reads every *.dist-info and *.egg-info in the folders `sites` (each ending in "/"), and in the
// projects that *.egg-link files there point to. Never throws for bad metadata: each problem is
// one diagnostic and the distribution keeps what could be read. Extension modules named in
// top_level.txt are matched with `extension_suffixes`.
MetadataScan scan_metadata(const std::vector<std::string>& sites, const std::vector<std::string>& extension_suffixes);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_WHICH_METADATA_HPP
