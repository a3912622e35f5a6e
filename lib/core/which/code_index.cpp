// Paths -> module names and owning distributions, from the import roots and the metadata read
// by scan_metadata().
#include <pyprefix/code_index.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>
#include <pyprefix/trimmer.hpp>

#include "core/confine/confined_files.hpp"
#include "core/normalise/windows_path.hpp"
#include "core/which/metadata.hpp"
#include "core/which/module_name.hpp"

namespace pyprefix {
namespace {

constexpr std::uint32_t shared_folder = std::numeric_limits<std::uint32_t>::max();

// Import roots: the prefixes Python imports from (sys.path, site-packages, the user site,
// package roots), not the user base or install schemes; every prefix of a bare list.
bool is_import_root(const Prefix& prefix) {
  if (prefix.sources.empty()) return true;
  for (Source source : prefix.sources)
    if (source == Source::sys_path || source == Source::site_packages || source == Source::user_site ||
        source == Source::package_root)
      return true;
  return false;
}

// Below a process's root, opened as that process would (confined_files.hpp): a symlink it
// planted leads nowhere outside its root, and nothing is learnt of files it cannot see.
bool exists(const std::string& path) {
  if (!detail::confining_root(path).empty()) return detail::open_confined(path, O_PATH).get() >= 0;
  struct stat status {};
  return stat(path.c_str(), &status) == 0;
}

}  // namespace

struct CodeIndex::Data {
  // A Windows manifest's index: paths are looked up in their folded form
  // (normalise/windows_path.hpp); module names keep their case.
  bool windows = false;
  // A manifest's index reads no file: the folders its paths name may be another machine's, or
  // another process's seen from here (its paths as it sees them, which this host would resolve).
  bool lists_folders = true;
  std::string lookup_form(std::string_view path) const {
    return windows ? detail::folded_windows_path(path) : std::string(path);
  }

  std::vector<Distribution> distributions;
  std::vector<std::string> diagnostics;
  std::unordered_map<std::string, std::uint32_t> file_owner;    // listed files
  std::unordered_map<std::string, std::uint32_t> folder_owner;  // "folder/" -> owner, or shared_folder
  // Top-level names (top_level.txt's, else those of the listed files) in any import root, as
  // importlib.metadata's packages_distributions() maps them: Debian installs a package's
  // version-specific parts under another root than its metadata (numpy/core/*.so under
  // /usr/lib/python3.11/dist-packages).
  std::unordered_map<std::string, std::uint32_t> top_level_owner;
  std::vector<std::pair<std::string, std::string>> module_folders;  // PEP 660 finders: (path, module name)
  Trimmer roots{std::vector<std::string>{}};
  detail::ImportSuffixes suffixes;
  // For each top-level name, the root where Python's path finder stops looking for it: the
  // first in search order holding a regular package (NAME/__init__.*) or a module (NAME.py...),
  // and whether it is the package. Names only namespace folders hold are absent: every portion counts.
  struct FirstFound {
    std::string root;
    bool package;
  };
  std::unordered_map<std::string, FirstFound> first_found;

  // What `root` holds at its top level, for first_found (a zip or a missing root holds nothing).
  void list_top_level(const std::string& root) {
    const std::shared_ptr<const Listing> held = shared_listing(root);
    // A dotted name (a .dist-info folder) is never a top-level package: no __init__ is looked for.
    for (const std::string& name : held->folders)
      if (name.find('.') == std::string::npos && is_regular_package(root + name)) note_first(name, root, true);
    for (const std::string& name : held->files) {
      const std::string module = detail::module_name(name, suffixes);
      if (!module.empty() && module.find('.') == std::string::npos) note_first(module, root, false);
    }
  }

  void note_first(const std::string& module, const std::string& root, bool package) {
    auto [found, is_new] = first_found.try_emplace(module, FirstFound{root, package});
    // In one folder a package comes before a module of the same name, as FileFinder looks.
    if (!is_new && found->second.root == root && package) found->second.package = true;
  }

  // Whether `folder` (no "/" at the end) holds an __init__ that importlib would load.
  bool is_regular_package(const std::string& folder) const {
    for (const std::string& suffix : init_suffixes)
      if (exists(folder + "/__init__" + suffix)) return true;
    return false;
  }
  std::vector<std::string> init_suffixes;  // ".py", ".pyc" and the extension suffixes

  // What a folder holds, as FileFinder caches it: listed once, when a path in it is first asked
  // about, then shared by every thread (under the mutex).
  struct Listing {
    std::unordered_set<std::string> files, folders;
  };
  // Which index this is, for the per-thread listing cache (an address could be reused).
  const std::uint64_t generation = next_generation.fetch_add(1) + 1;
  static inline std::atomic<std::uint64_t> next_generation{0};
  mutable std::mutex listings_mutex;
  mutable std::unordered_map<std::string, std::shared_ptr<const Listing>> listings;

  std::shared_ptr<const Listing> listing(const std::string& folder) const {
    // A profiler asks about many files of one folder in a row: this thread's last listing first.
    // (A listing depends on the folder alone, so any index may share it.)
    // Keyed by the index too: a new index (after an install) must list folders afresh.
    thread_local std::uint64_t last_index = 0;
    thread_local std::string last_folder;
    thread_local std::shared_ptr<const Listing> last_listing;
    if (last_listing && last_index == generation && last_folder == folder) return last_listing;
    last_listing = shared_listing(folder);
    last_index = generation;
    last_folder = folder;
    return last_listing;
  }

  std::shared_ptr<const Listing> shared_listing(const std::string& folder) const {
    {
      std::lock_guard<std::mutex> lock(listings_mutex);
      if (auto found = listings.find(folder); found != listings.end()) return found->second;
    }
    auto made = std::make_shared<Listing>();
    // Listed as the process whose folder it is would list it (confined_files.hpp).
    std::vector<detail::FolderEntry> entries;
    detail::list_confined_folder(folder, entries);  // a folder that cannot be listed holds nothing here
    for (detail::FolderEntry& entry : entries) {
      // A symlink is what it points to: a package may be a link to a folder elsewhere.
      const bool is_folder =
          entry.type == DT_DIR || ((entry.type == DT_UNKNOWN || entry.type == DT_LNK) &&
                                   detail::open_confined(folder + entry.name, O_PATH | O_DIRECTORY).get() >= 0);
      (is_folder ? made->folders : made->files).insert(std::move(entry.name));
    }
    std::lock_guard<std::mutex> lock(listings_mutex);
    return listings.try_emplace(folder, std::move(made)).first->second;
  }

  // Whether the file at `relative` below `root`, named `module`, is what Python imports under
  // that name: no earlier root holds the top-level name, and in its own folder no package
  // (NAME/__init__.*) or extension module comes first (FileFinder's order: package, extension,
  // source, bytecode; for a package's __init__, extension, source, bytecode).
  bool is_shadowed(const std::string& module, std::string_view root, std::string_view relative) const {
    const auto found = first_found.find(module.substr(0, module.find('.')));
    if (found != first_found.end() && found->second.root != root) return true;
    // A module NAME.py (not a package) makes NAME/ a plain folder: nothing in it imports as NAME.x.
    if (found != first_found.end() && !found->second.package && module.find('.') != std::string::npos) return true;
    if (!lists_folders) return false;
    std::string_view folder = relative.substr(0, relative.rfind('/') + 1);
    std::string_view file = relative.substr(folder.size());
    if (folder.size() >= 12 && folder.substr(folder.size() - 12) == "__pycache__/") {
      folder.remove_suffix(12);
      file = file.substr(0, file.find('.'));  // NAME.TAG.pyc: judged as its source NAME
    }
    const std::string_view stem = file.substr(0, file.find('.'));
    if (stem.empty()) return false;
    std::string place(root);
    place += folder;
    const std::shared_ptr<const Listing> held = listing(place);
    std::string name(stem);
    // A package's __init__ is chosen the same way: __init__.cpython-314-x86_64-linux-gnu.so
    // (mypyc compiles Debian's tomli so) comes before __init__.py.
    if (stem != "__init__" && held->folders.count(name) != 0 && is_regular_package(place + name)) return true;
    bool is_extension = false;
    const size_t stem_size = name.size();
    for (const std::string& suffix : suffixes.extension) {
      name.resize(stem_size);
      name += suffix;
      if (held->files.count(name) == 0) continue;
      if (file == name) return false;  // this is the extension: the first kind FileFinder tries
      is_extension = true;
    }
    return is_extension;  // a source or bytecode file beside an extension module of its name
  }

  // The distribution that lists the file at `key`, else the one that owns its nearest folder,
  // else the one whose top_level.txt names `top_level`; null when none does.
  const Distribution* owner_of(std::string key, const std::string& top_level) const {
    if (auto found = file_owner.find(key); found != file_owner.end()) return &distributions[found->second];
    for (size_t slash = key.rfind('/'); slash != std::string::npos && slash > 0; slash = key.rfind('/', slash - 1)) {
      key.resize(slash + 1);
      auto found = folder_owner.find(key);
      if (found != folder_owner.end() && found->second != shared_folder) return &distributions[found->second];
    }
    if (!top_level.empty()) {
      auto found = top_level_owner.find(top_level);
      if (found != top_level_owner.end() && found->second != shared_folder) return &distributions[found->second];
    }
    return nullptr;
  }

  static void claim(std::unordered_map<std::string, std::uint32_t>& owners, const std::string& key,
                    std::uint32_t owner) {
    auto [found, is_new] = owners.try_emplace(key, owner);
    if (!is_new && found->second != owner) found->second = shared_folder;  // a namespace shared by several
  }
  void claim_folder(const std::string& folder, std::uint32_t owner) { claim(folder_owner, folder, owner); }
};

CodeIndex::CodeIndex(const Report& report) : CodeIndex(report.prefixes, report.interpreter, report.sys_path) {}

CodeIndex::CodeIndex(const std::vector<Prefix>& prefixes, const Interpreter& interpreter,
                     const std::vector<std::string>& sys_path) {
  auto data = std::make_unique<Data>();
  data->suffixes.extension = interpreter.extension_suffixes;
  std::sort(data->suffixes.extension.begin(), data->suffixes.extension.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  data->suffixes.cache_tag = interpreter.cache_tag;

  std::vector<std::string> sites;
  for (const Prefix& prefix : prefixes)
    if (is_import_root(prefix)) sites.push_back(prefix.path);
  // Another process's files are read only while it is held (manifest() holds it): its number
  // alone may name another process by now.
  for (const std::string& site : sites)
    if (!detail::confining_root(site).empty() && detail::HeldRoot::of(site) == nullptr)
      throw error("the list names files of another process (" + detail::confining_root(site) +
                  "): build its index from pyprefix::manifest(), which holds that process while it reads them");
  detail::MetadataScan scan = detail::scan_metadata(sites, data->suffixes.extension);
  sites.insert(sites.end(), scan.extra_roots.begin(), scan.extra_roots.end());
  data->roots = Trimmer(sites);
  data->diagnostics = std::move(scan.diagnostics);
  if (!sys_path.empty()) {
    data->init_suffixes = {".py", ".pyc"};
    data->init_suffixes.insert(data->init_suffixes.end(), data->suffixes.extension.begin(),
                               data->suffixes.extension.end());
    for (const std::string& root : sys_path) data->list_top_level(root);
  }

  // Distributions by name, so that listings are stable; claims refer to them by index.
  std::vector<size_t> order(scan.distributions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return scan.distributions[a].distribution.name < scan.distributions[b].distribution.name;
  });
  for (size_t index : order) {
    detail::DistributionClaims& claims = scan.distributions[index];
    const auto owner = static_cast<std::uint32_t>(data->distributions.size());
    std::vector<std::string> roots;
    for (const std::string& file : claims.files) {
      // The first listing wins: a file two distributions list belongs to the first found.
      data->file_owner.try_emplace(file, owner);
      // Each folder between the file and its site is the distribution's too, unless another
      // distribution also has files there (a namespace package such as google/cloud/).
      if (file.size() > claims.site.size() && file.compare(0, claims.site.size(), claims.site) == 0) {
        const size_t top = file.find('/', claims.site.size());
        roots.push_back(top == std::string::npos ? file : file.substr(0, top + 1));
        for (size_t slash = top; slash != std::string::npos; slash = file.find('/', slash + 1))
          data->claim_folder(file.substr(0, slash + 1), owner);
      }
    }
    for (const std::string& folder : claims.folders) {
      data->claim_folder(folder, owner);
      roots.push_back(folder);
    }
    roots.insert(roots.end(), claims.top_level_folders.begin(), claims.top_level_folders.end());
    for (auto& mapping : claims.module_folders) data->module_folders.push_back(std::move(mapping));
    for (const std::string& name : claims.top_level) Data::claim(data->top_level_owner, name, owner);
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    claims.distribution.roots = std::move(roots);
    data->distributions.push_back(std::move(claims.distribution));
  }
  // Files that only top_level.txt implies come after every listed file: a listing wins.
  for (size_t i = 0; i < order.size(); ++i)
    for (const std::string& file : scan.distributions[order[i]].top_level_files)
      data->file_owner.try_emplace(file, static_cast<std::uint32_t>(i));
  data_ = std::move(data);
}

CodeIndex::CodeIndex(const Manifest& manifest) {
  auto data = std::make_unique<Data>();
  data->windows = manifest.path_flavour == PathFlavour::windows;
  data->lists_folders = false;
  data->suffixes.extension = manifest.interpreter.extension_suffixes;
  std::sort(data->suffixes.extension.begin(), data->suffixes.extension.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  data->suffixes.cache_tag = manifest.interpreter.cache_tag;
  std::vector<std::string> sites;
  for (const Prefix& prefix : manifest.prefixes)
    if (is_import_root(prefix)) sites.push_back(data->lookup_form(prefix.path));
  data->roots = Trimmer(sites);
  data->distributions = manifest.distributions;
  for (size_t i = 0; i < data->distributions.size(); ++i) {
    const auto owner = static_cast<std::uint32_t>(i);
    for (const std::string& root : data->distributions[i].roots) {
      const std::string key = data->lookup_form(root);
      if (key.empty()) continue;
      const bool folder = key.back() == '/';
      if (folder)
        data->claim_folder(key, owner);
      else
        data->file_owner.try_emplace(key, owner);
      // Its top-level name, as Python imports it: the folder's name, or the module file's.
      const std::string_view name = std::string_view(root).substr(0, root.size() - (folder ? 1 : 0));
      const std::string top_level(name.substr(name.find_last_of(data->windows ? "/\\" : "/") + 1));
      const std::string module = folder ? top_level : detail::module_name(top_level, data->suffixes);
      if (!module.empty()) Data::claim(data->top_level_owner, module, owner);
    }
  }
  data_ = std::move(data);
}

CodeIndex::~CodeIndex() = default;
CodeIndex::CodeIndex(CodeIndex&&) noexcept = default;
CodeIndex& CodeIndex::operator=(CodeIndex&&) noexcept = default;

Which CodeIndex::which(std::string_view path) const {
  Which result;
  if (!data_) return result;  // moved from
  if (path.size() > 9 && path.substr(0, 8) == "<frozen " && path.back() == '>') {
    result.module = std::string(path.substr(8, path.size() - 9));
    return result;
  }
  if (data_->windows) return which_windows(path);
  // The module: under a PEP 660 finder's folder, else relative to the longest import root.
  const Match root = data_->roots.match(path);
  bool named = false;
  std::string top_level;  // the top-level name the path falls under, shadowed or not
  for (const auto& [mapped, name] : data_->module_folders) {
    // The mapped folder's files, or the mapped module's own file (the path plus a suffix).
    if (path.size() <= mapped.size() || path.compare(0, mapped.size(), mapped) != 0) continue;
    std::string as_path = name;  // a dotted name is folders to module_name
    std::replace(as_path.begin(), as_path.end(), '.', '/');
    const std::string_view rest = path.substr(mapped.size());
    if (rest.front() != '/' && rest.front() != '.') continue;  // "/proj/mod" is no prefix of "/proj/module.py"
    result.module = detail::module_name(as_path + std::string(rest), data_->suffixes);
    top_level = name.substr(0, name.find('.'));
    named = true;
    break;
  }
  if (!named && !root.prefix.empty()) {
    result.module = detail::module_name(root.short_path, data_->suffixes);
    top_level = result.module.substr(0, result.module.find('.'));
    // A file that is no module (data, a "file.py(12): f" line) falls under its first folder's name.
    const size_t slash = root.short_path.find('/');
    if (top_level.empty() && slash != std::string_view::npos) top_level = std::string(root.short_path.substr(0, slash));
    if (!result.module.empty() && data_->is_shadowed(result.module, root.prefix, root.short_path))
      result.module.clear();
  }
  // A path seen through a prefix's symlink alias is looked up as the prefix itself lists it.
  result.distribution = data_->owner_of(
      root.prefix.empty() ? std::string(path) : std::string(root.prefix) + std::string(root.short_path), top_level);
  return result;
}

Which CodeIndex::which_windows(std::string_view path) const {
  Which result;
  const std::string lookup = data_->lookup_form(path);
  const Match root = data_->roots.match(lookup);
  std::string top_level;
  if (!root.prefix.empty()) {
    std::string relative(path.substr(root.prefix.size()));  // its own case, "/" between parts
    std::replace(relative.begin(), relative.end(), '\\', '/');
    result.module = detail::module_name(relative, data_->suffixes);
    top_level = result.module.substr(0, result.module.find('.'));
  }
  result.distribution = data_->owner_of(lookup, top_level);
  return result;
}

const std::vector<Distribution>& CodeIndex::distributions() const noexcept {
  static const std::vector<Distribution> none;
  return data_ ? data_->distributions : none;
}

const std::vector<std::string>& CodeIndex::diagnostics() const noexcept {
  static const std::vector<std::string> none;
  return data_ ? data_->diagnostics : none;
}

}  // namespace pyprefix
