// The C API's functions that need no Python: errors, kinds, trimmers, abspath.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <pyprefix/manifest.hpp>
#include <pyprefix/prefix_file.hpp>
#include <pyprefix/version.hpp>

#include "core/c_api/handles.hpp"
#include "core/saved/saved_file.hpp"

namespace pyprefix::detail {
namespace {

thread_local char last_error[1024] = "";

}  // namespace

void set_last_error(const char* message) noexcept {
  std::strncpy(last_error, message, sizeof last_error - 1);
  last_error[sizeof last_error - 1] = '\0';
}

pyprefix_status invalid_argument(const char* what) noexcept {
  set_last_error(what);
  return PYPREFIX_INVALID_ARGUMENT;
}

char* c_string_copy(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

}  // namespace pyprefix::detail

using pyprefix::detail::guarded;
using pyprefix::detail::invalid_argument;

static_assert(static_cast<int>(pyprefix::Kind::unknown) == PYPREFIX_KIND_UNKNOWN &&
                  static_cast<int>(pyprefix::Kind::application) == PYPREFIX_KIND_APPLICATION &&
                  static_cast<int>(pyprefix::Kind::package_root) == PYPREFIX_KIND_PACKAGE_ROOT &&
                  static_cast<int>(pyprefix::Kind::third_party) == PYPREFIX_KIND_THIRD_PARTY &&
                  static_cast<int>(pyprefix::Kind::stdlib) == PYPREFIX_KIND_STDLIB,
              "pyprefix_kind mirrors pyprefix::Kind");

extern "C" {

int pyprefix_abi_version(void) { return PYPREFIX_ABI_VERSION; }

const char* pyprefix_version(void) { return PYPREFIX_VERSION; }

const char* pyprefix_last_error(void) { return pyprefix::detail::last_error; }

const char* pyprefix_kind_name(pyprefix_kind kind) {
  if (kind < PYPREFIX_KIND_UNKNOWN || kind > PYPREFIX_KIND_STDLIB) return "unknown";
  return pyprefix::kind_name(static_cast<pyprefix::Kind>(kind)).data();  // the names are literals
}

pyprefix_status pyprefix_trimmer_from_list(const char* const* prefixes, size_t count, pyprefix_trimmer** trimmer) {
  if (trimmer == nullptr || (prefixes == nullptr && count > 0)) return invalid_argument("no prefixes or no result");
  *trimmer = nullptr;
  for (size_t i = 0; i < count; ++i)
    if (prefixes[i] == nullptr) return invalid_argument("a NULL prefix");
  return guarded([&] {
    *trimmer = new pyprefix_trimmer{pyprefix::Trimmer(std::vector<std::string>(prefixes, prefixes + count))};
  });
}

pyprefix_status pyprefix_trimmer_from_file(const char* path, pyprefix_trimmer** trimmer) {
  if (trimmer == nullptr || path == nullptr) return invalid_argument("no path or no result");
  *trimmer = nullptr;
  return guarded([&] {
    const pyprefix::Manifest saved = pyprefix::detail::read_saved_file(path).manifest;
    *trimmer = new pyprefix_trimmer{pyprefix::Trimmer(saved.prefixes, saved.path_flavour)};
  });
}

void pyprefix_trimmer_free(pyprefix_trimmer* trimmer) { delete trimmer; }

size_t pyprefix_trim(const pyprefix_trimmer* trimmer, const char* path, size_t length) {
  if (trimmer == nullptr || path == nullptr) return 0;
  return length - trimmer->trimmer.trim({path, length}).size();
}

pyprefix_kind pyprefix_match(const pyprefix_trimmer* trimmer, const char* path, size_t length, size_t* skip) {
  if (skip != nullptr) *skip = 0;
  if (trimmer == nullptr || path == nullptr) return PYPREFIX_KIND_UNKNOWN;
  const pyprefix::Match match = trimmer->trimmer.match({path, length});
  if (skip != nullptr) *skip = length - match.short_path.size();
  return static_cast<pyprefix_kind>(match.kind);
}

pyprefix_status pyprefix_index_new(const pyprefix_report* report, pyprefix_index** index) {
  if (report == nullptr || index == nullptr) return invalid_argument("no report or no result");
  *index = nullptr;
  return guarded([&] {
    // Its paths are as that process sees them: read from here, they would be this host's files.
    if (report->process != 0)
      throw pyprefix::error("the report of running process " + std::to_string(report->process) +
                            " has no index of its own: its manifest has (pyprefix_manifest_json, then "
                            "pyprefix_index_from_manifest), read while pyprefix holds the process");
    *index = new pyprefix_index{pyprefix::CodeIndex(report->report)};
  });
}

pyprefix_status pyprefix_index_from_manifest(const char* path, pyprefix_index** index) {
  if (path == nullptr || index == nullptr) return invalid_argument("no path or no result");
  *index = nullptr;
  return guarded([&] { *index = new pyprefix_index{pyprefix::CodeIndex(pyprefix::read_manifest(path))}; });
}

void pyprefix_index_free(pyprefix_index* index) { delete index; }

size_t pyprefix_index_module(const pyprefix_index* index, const char* path, size_t length, char* buffer, size_t size) {
  if (buffer != nullptr && size > 0) buffer[0] = '\0';
  if (index == nullptr || path == nullptr) return 0;
  std::string module;
  try {
    module = index->index.which({path, length}).module;
  } catch (const std::exception& e) {  // std::bad_alloc: no name rather than an exception through C
    pyprefix::detail::set_last_error(e.what());
    return 0;
  }
  if (buffer != nullptr && size > 0) {
    const size_t copied = std::min(module.size(), size - 1);
    std::memcpy(buffer, module.data(), copied);
    buffer[copied] = '\0';
  }
  return module.size();
}

const char* pyprefix_index_distribution(const pyprefix_index* index, const char* path, size_t length,
                                        const char** version) {
  if (version != nullptr) *version = nullptr;
  if (index == nullptr || path == nullptr) return nullptr;
  const pyprefix::Distribution* owner = nullptr;
  try {
    owner = index->index.which({path, length}).distribution;
  } catch (const std::exception& e) {
    pyprefix::detail::set_last_error(e.what());
    return nullptr;
  }
  if (owner == nullptr) return nullptr;
  if (version != nullptr && !owner->version.empty()) *version = owner->version.c_str();
  return owner->name.c_str();
}

pyprefix_status pyprefix_abspath(const char* path, char** result) {
  if (path == nullptr || result == nullptr) return invalid_argument("no path or no result");
  *result = nullptr;
  return guarded([&] { *result = pyprefix::detail::c_string_copy(pyprefix::abspath(path)); });
}

void pyprefix_string_free(char* string) { std::free(string); }

}  // extern "C"
