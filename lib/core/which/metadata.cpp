#include "core/which/metadata.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>
#include <string_view>

#include "core/confine/confined_files.hpp"
#include "core/normalise/posix_path.hpp"

namespace pyprefix::detail {
namespace {

constexpr size_t longest_metadata_file = 64u << 20;

bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

bool starts_with(std::string_view text, std::string_view start) { return text.substr(0, start.size()) == start; }

// Every read of a scan comes out of one budget: metadata is another user's text, and a hostile
// environment (links to /dev/zero, huge RECORD files) must not cost unbounded time or memory.
constexpr size_t scan_budget = 256u << 20;
thread_local size_t read_budget = scan_budget;  // what this thread's current scan may still read

bool is_folder(const std::string& path) {
  const FileDescriptor folder = open_confined(path, O_PATH | O_DIRECTORY);
  return folder.get() >= 0;
}

// The file's text, or false: a missing file is normal (most metadata files are optional); one
// that exists but cannot be read (or is not a regular file) is also a diagnostic, in read_metadata_file.
bool read_text(const std::string& path, std::string& text) {
  return read_confined_file(path, text, longest_metadata_file, read_budget);
}

bool exists(const std::string& path) {
  const FileDescriptor file = open_confined(path, O_PATH | O_NOFOLLOW);
  return file.get() >= 0;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> folder_entries(const std::string& folder) {
  std::vector<FolderEntry> entries;
  list_confined_folder(folder, entries);  // a folder that cannot be listed holds nothing here
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (FolderEntry& entry : entries) names.push_back(std::move(entry.name));
  std::sort(names.begin(), names.end());
  return names;
}

// An absolute, normalised path for `relative` as written in a metadata file next to `base`
// (a folder, ending in '/'). Below a process's root (confining_root), an absolute path names a
// file of that root and ".." stops at it, since the process that wrote it sees no other: the
// result stays where open_confined() confines it.
std::string resolve(const std::string& base, std::string_view relative) {
  const std::string root = confining_root(base);
  const std::string inside = !relative.empty() && relative.front() == '/'
                                 ? std::string(relative)
                                 : base.substr(root.size()) + std::string(relative);
  return root + abspath(inside.empty() ? "/" : inside, "/");
}

// The Name: and Version: headers of METADATA or PKG-INFO (RFC 822: until the first blank line).
void read_headers(std::string_view text, Distribution& distribution) {
  for (std::string_view line : lines_of(text)) {
    if (line.empty()) break;
    if (starts_with(line, "Name:") && distribution.name.empty())
      distribution.name = std::string(trimmed(line.substr(5)));
    if (starts_with(line, "Version:") && distribution.version.empty())
      distribution.version = std::string(trimmed(line.substr(8)));
  }
}

// The first field of each RECORD line (CSV: a field may be quoted, "" inside quotes is one ").
// A line that is not CSV is skipped with a diagnostic.
std::vector<std::string> record_paths(std::string_view text, const std::string& where,
                                      std::vector<std::string>& diagnostics) {
  std::vector<std::string> paths;
  size_t number = 0;
  for (std::string_view line : lines_of(text)) {
    ++number;
    if (line.empty()) continue;
    std::string path;
    if (line.front() == '"') {
      size_t at = 1;
      bool closed = false;
      while (at < line.size()) {
        if (line[at] == '"') {
          if (at + 1 < line.size() && line[at + 1] == '"') {
            path += '"';
            at += 2;
            continue;
          }
          closed = true;
          ++at;
          break;
        }
        path += line[at++];
      }
      if (!closed || (at < line.size() && line[at] != ',')) {
        diagnostics.push_back(where + " line " + std::to_string(number) + " skipped: it is not CSV");
        continue;
      }
    } else {
      path = std::string(line.substr(0, line.find(',')));
      if (path.find('"') != std::string::npos) {
        diagnostics.push_back(where + " line " + std::to_string(number) + " skipped: it is not CSV");
        continue;
      }
    }
    if (!path.empty()) paths.push_back(std::move(path));
  }
  return paths;
}

// The quoted strings of a PEP 660 finder's `MAPPING = {'name': '/path', ...}` (as setuptools
// writes it with repr), in pairs.
std::vector<std::pair<std::string, std::string>> finder_mapping(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const size_t start = text.find("MAPPING");
  if (start == std::string_view::npos) return pairs;
  const size_t open = text.find('{', start), close = text.find('}', start);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return pairs;
  std::vector<std::string> strings;
  for (size_t at = open; at < close;) {
    const char quote = text[at];
    if (quote != '\'' && quote != '"') {
      ++at;
      continue;
    }
    std::string value;
    for (++at; at < close && text[at] != quote; ++at) {
      if (text[at] == '\\' && at + 1 < close) ++at;
      value += text[at];
    }
    ++at;
    strings.push_back(std::move(value));
  }
  for (size_t i = 0; i + 1 < strings.size(); i += 2) pairs.emplace_back(strings[i], strings[i + 1]);
  return pairs;
}

// A distribution or module name as PEP 503 compares them: lower case, each run of "-", "_" and
// "." one "-".
std::string normalised_name(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  return out;
}

// The distribution name from a metadata folder's own name, "PyYAML-6.0.dist-info" -> "PyYAML".
std::string name_from_folder(std::string_view folder) { return std::string(folder.substr(0, folder.find('-'))); }

class Scanner {
 public:
  explicit Scanner(const std::vector<std::string>& extension_suffixes) : suffixes_(extension_suffixes) {}

  void scan_site(const std::string& site) {
    if (!scanned_.insert(site).second) return;
    for (const std::string& name : site_entries(site)) {
      if (ends_with(name, ".dist-info"))
        read_dist_info(site, name);
      else if (ends_with(name, ".egg-info"))
        read_egg_info(site, name);
      else if (ends_with(name, ".egg-link"))
        follow_egg_link(site + name);
    }
  }

  MetadataScan result;

 private:
  // read_text, and a diagnostic when the file is there but cannot be read; when it is not there
  // (a dangling link neither, as importlib.metadata finds it), `if_missing` if one is given:
  // most metadata files are optional.
  bool read_metadata_file(const std::string& path, std::string& text, const std::string& if_missing = {}) {
    if (read_text(path, text)) return true;
    // Not there for certain when the open said so; otherwise looked at (without following it).
    if (errno != ENOENT && exists(path))
      result.diagnostics.push_back(path + " cannot be read");
    else if (!if_missing.empty())
      result.diagnostics.push_back(if_missing);
    return false;
  }

  void read_dist_info(const std::string& site, const std::string& name) {
    const std::string folder = site + name;
    DistributionClaims claims;
    claims.site = site;
    claims.distribution.metadata = folder;
    if (!is_folder(folder)) {
      result.diagnostics.push_back(folder + " skipped: it is not a folder");
      return;
    }
    std::string text;
    if (read_metadata_file(folder + "/METADATA", text, folder + " has no METADATA"))
      read_headers(text, claims.distribution);
    if (read_metadata_file(folder + "/RECORD", text)) {
      for (const std::string& path : record_paths(text, folder + "/RECORD", result.diagnostics)) {
        claims.files.push_back(resolve(site, path));
        const std::string_view file = std::string_view(path).substr(path.rfind('/') + 1);
        if (starts_with(file, "__editable__.") && ends_with(file, ".pth"))
          read_editable_pth(claims.files.back(), site, claims);
        if (starts_with(file, "__editable___") && ends_with(file, "_finder.py"))
          read_editable_finder(claims.files.back(), claims);
      }
    }
    read_top_level(folder + "/top_level.txt", claims);
    // Debian's packages install a .dist-info with METADATA and top_level.txt but no RECORD.
    if (claims.files.empty()) claim_top_level_by_name(claims);
    add(std::move(claims), name);
  }

  void read_egg_info(const std::string& site, const std::string& name) {
    const std::string path = site + name;
    DistributionClaims claims;
    claims.site = site;
    claims.distribution.metadata = path;
    std::string text;
    if (!is_folder(path)) {  // an old distutils install: the file is PKG-INFO itself
      if (read_text(path, text)) read_headers(text, claims.distribution);
      add(std::move(claims), name);
      return;
    }
    if (read_metadata_file(path + "/PKG-INFO", text, path + " has no PKG-INFO"))
      read_headers(text, claims.distribution);
    // importlib.metadata's order: installed-files.txt (relative to the .egg-info folder), else
    // SOURCES.txt (relative to the project, the folder holding the .egg-info).
    if (read_metadata_file(path + "/installed-files.txt", text)) {
      for (std::string_view line : lines_of(text))
        if (!trimmed(line).empty()) claims.files.push_back(resolve(path + "/", trimmed(line)));
    } else if (read_metadata_file(path + "/SOURCES.txt", text)) {
      for (std::string_view line : lines_of(text))
        if (!trimmed(line).empty()) claims.files.push_back(resolve(site, trimmed(line)));
    }
    read_top_level(path + "/top_level.txt", claims);
    if (claims.files.empty()) claim_top_level_by_name(claims);
    add(std::move(claims), name);
  }

  // With no file list, the top-level names are all a distribution claims (importlib.metadata's
  // rule), by name: a folder of that name is its unless another distribution names it too.
  void claim_top_level_by_name(DistributionClaims& claims) {
    for (const std::string& top : claims.top_level) {
      claims.top_level_folders.push_back(claims.site + top + "/");
      claims.top_level_files.push_back(claims.site + top + ".py");
      for (const std::string& suffix : suffixes_) claims.top_level_files.push_back(claims.site + top + suffix);
    }
  }

 public:
  // A distribution whose metadata names no file and no top-level name (Debian's torch) owns the
  // top-level folder or module of its site whose name is its own, both normalised as PEP 503
  // does, when no other distribution there names it. importlib.metadata gives it no files.
  void infer_from_names() {
    std::map<std::string, std::set<std::string>> named;  // site -> top-level names some distribution claims
    for (const DistributionClaims& claims : result.distributions) {
      named[claims.site].insert(claims.top_level.begin(), claims.top_level.end());
      for (const std::string& file : claims.files) {
        if (file.size() <= claims.site.size() || file.compare(0, claims.site.size(), claims.site) != 0) continue;
        const size_t slash = file.find('/', claims.site.size());
        const std::string top = file.substr(claims.site.size(), slash - claims.site.size());
        const std::string_view stem = slash == std::string::npos ? module_stem(top) : std::string_view(top);
        named[claims.site].insert(std::string(stem.empty() ? std::string_view(top) : stem));
      }
    }
    for (DistributionClaims& claims : result.distributions) {
      if (!claims.files.empty() || claims.top_level_declared || !claims.top_level.empty() || !claims.folders.empty())
        continue;
      const std::string wanted = normalised_name(claims.distribution.name);
      // A package folder before a module of the same name, as Python's path finder takes them.
      std::string package, module_file;
      const std::set<std::string>& claimed = named[claims.site];
      auto may_be = [&](std::string_view top) {
        return !top.empty() && normalised_name(top) == wanted && claimed.count(std::string(top)) == 0;
      };
      for (const std::string& entry : site_entries(claims.site)) {
        // Only an entry whose name could be the distribution's is opened (a site holds hundreds).
        const bool may_be_package = may_be(entry), may_be_module = may_be(module_stem(entry));
        if (!may_be_package && !may_be_module) continue;
        const bool folder = is_folder(claims.site + entry);
        if (folder && may_be_package && package.empty()) package = entry;
        if (!folder && may_be_module && module_file.empty()) module_file = entry;
      }
      if (!package.empty()) {
        // The folder itself, not its name: the same name in another site (a venv's pip over
        // the system's) is another distribution's, which a claim by name would make shared.
        claims.folders.push_back(claims.site + package + "/");
      } else if (!module_file.empty()) {
        claims.top_level.emplace_back(module_stem(module_file));
        claims.files.push_back(claims.site + module_file);  // the module file itself
      } else {
        continue;
      }
      claims.distribution.roots_inferred = true;
    }
  }

 private:
  // A module file's name without its suffix ("yaml.py" -> "yaml", "_yaml.cpython-311-x86_64-linux-gnu.so"
  // -> "_yaml"); "" for anything else.
  std::string_view module_stem(std::string_view entry) const {
    if (ends_with(entry, ".py")) return entry.substr(0, entry.size() - 3);
    for (const std::string& suffix : suffixes_)
      if (ends_with(entry, suffix)) return entry.substr(0, entry.size() - suffix.size());
    return {};
  }

  const std::vector<std::string>& site_entries(const std::string& site) {
    auto found = entries_.find(site);
    if (found == entries_.end()) found = entries_.emplace(site, folder_entries(site)).first;
    return found->second;
  }

  // top_level.txt's names, or else those of the listed .py files (importlib.metadata's
  // packages_distributions(): declared, else inferred): the first folder, or the module's stem.
  // A name also in namespace_packages.txt beside it is a namespace shared with others, which
  // owns nothing by itself.
  void read_top_level(const std::string& path, DistributionClaims& claims) {
    std::string text;
    if (read_metadata_file(path, text)) {
      std::set<std::string_view> shared;
      std::string namespaces;
      const std::string namespaces_path = path.substr(0, path.rfind('/')) + "/namespace_packages.txt";
      if (read_metadata_file(namespaces_path, namespaces))
        for (std::string_view line : lines_of(namespaces)) shared.insert(trimmed(line));
      for (std::string_view line : lines_of(text)) {
        if (trimmed(line).empty()) continue;
        claims.top_level_declared = true;
        if (shared.count(trimmed(line)) == 0) claims.top_level.emplace_back(trimmed(line));
      }
      if (claims.top_level_declared) return;
    }
    std::set<std::string> inferred;
    for (const std::string& file : claims.files) {
      if (!ends_with(file, ".py") || file.compare(0, claims.site.size(), claims.site) != 0) continue;
      const std::string relative = file.substr(claims.site.size());
      const size_t slash = relative.find('/');
      inferred.insert(slash == std::string::npos ? relative.substr(0, relative.size() - 3) : relative.substr(0, slash));
    }
    claims.top_level.assign(inferred.begin(), inferred.end());
  }

  // A legacy `setup.py develop`: the .egg-link names the project folder, whose .egg-info says
  // what the distribution is.
  void follow_egg_link(const std::string& link) {
    std::string text;
    if (!read_text(link, text)) return;
    const std::vector<std::string_view> lines = lines_of(text);
    if (lines.empty() || trimmed(lines.front()).empty()) return;
    std::string project = resolve(confining_root(link) + "/", trimmed(lines.front()));
    if (project.back() != '/') project += '/';
    scan_site(project);
  }

  // A PEP 660 .pth of path entries: each folder it puts on sys.path belongs to the distribution.
  void read_editable_pth(const std::string& pth, const std::string& site, DistributionClaims& claims) {
    std::string text;
    if (!read_text(pth, text)) return;
    for (std::string_view line : lines_of(text)) {
      line = trimmed(line);
      if (line.empty() || line.front() == '#' || starts_with(line, "import ") || starts_with(line, "import\t"))
        continue;
      std::string folder = resolve(site, line);
      if (folder.back() != '/') folder += '/';
      claims.folders.push_back(folder);
      result.extra_roots.push_back(folder);
    }
  }

  // A PEP 660 finder (setuptools' lenient mode): MAPPING names each top-level package's folder,
  // or a single module's path without its suffix, imported under that (maybe dotted) name;
  // both belong to the distribution.
  void read_editable_finder(const std::string& finder, DistributionClaims& claims) {
    std::string text;
    if (!read_text(finder, text)) return;
    for (auto& [module, mapped] : finder_mapping(text)) {
      std::string path = resolve(confining_root(finder) + "/", mapped);
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      claims.folders.push_back(path + "/");
      for (std::string_view suffix : {".py", ".pyc"}) claims.files.push_back(path + std::string(suffix));
      for (const std::string& suffix : suffixes_) claims.files.push_back(path + suffix);
      claims.module_folders.emplace_back(path, module);
    }
  }

  void add(DistributionClaims claims, const std::string& folder_name) {
    if (claims.distribution.name.empty()) {
      claims.distribution.name = name_from_folder(folder_name);
      result.diagnostics.push_back(claims.distribution.metadata + " has no Name: the folder's name is used");
    }
    if (claims.distribution.version.empty())
      result.diagnostics.push_back(claims.distribution.metadata + " has no Version");
    result.distributions.push_back(std::move(claims));
  }

  const std::vector<std::string>& suffixes_;
  std::set<std::string> scanned_;
  std::map<std::string, std::vector<std::string>> entries_;  // each site's entries, read once
};

}  // namespace

MetadataScan scan_metadata(const std::vector<std::string>& sites, const std::vector<std::string>& extension_suffixes) {
  read_budget = scan_budget;
  Scanner scanner(extension_suffixes);
  for (const std::string& site : sites) scanner.scan_site(site);
  scanner.infer_from_names();
  if (read_budget == 0)
    scanner.result.diagnostics.push_back("the metadata outgrew " + std::to_string(scan_budget >> 20) +
                                         " MiB; the rest was not read");
  return std::move(scanner.result);
}

}  // namespace pyprefix::detail
