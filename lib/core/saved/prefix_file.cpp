// Saved lists and manifests -> normalised prefixes, without any Python.
#include <pyprefix/prefix_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include <pyprefix/error.hpp>
#include <pyprefix/manifest.hpp>

#include "core/interpreter_fields.hpp"
#include "core/normalise/windows_path.hpp"
#include "core/saved/json_reader.hpp"
#include "core/saved/saved_file.hpp"
#include "core/sources.hpp"

namespace pyprefix {
namespace {

using detail::extension_suffixes_field;
using detail::interpreter_field;
using detail::InterpreterField;
using detail::JsonReader;
using detail::source_named;

// A saved list or manifest may come from a machine or a user pyprefix does not trust: these
// bound the time and memory a hostile one costs (a real manifest is some hundred KiB).
constexpr size_t max_file_size = 64u << 20;
// Lines of a plain list, and their length, are bounded as the JSON form's strings are.
constexpr size_t max_lines = detail::JsonReader::max_strings;
constexpr size_t max_line_bytes = detail::JsonReader::max_string_bytes;

// The list and manifest schemas, read with the strict JSON reader.
class SchemaReader {
 public:
  SchemaReader(std::string_view text, std::string_view what) : json_(text, what) {}

  std::vector<Prefix> read_list() {
    std::vector<Prefix> prefixes;
    json_.expect('[');
    if (!json_.consume(']')) {
      do prefixes.push_back(read_prefix(nullptr));
      while (json_.consume(','));
      json_.expect(']');
    }
    json_.expect_end("text after the list");
    return prefixes;
  }

  Manifest read_manifest() {
    Manifest manifest;
    std::vector<PathAt> paths;  // checked once the flavour is known, which may come last
    bool has_format = false, has_flavour = false, has_prefixes = false;
    json_.read_object("the manifest", [&](const std::string& key) {
      const size_t value_at = json_.position();
      if (key == "format") {
        const std::string format = json_.read_string_value(key);
        if (format != "pyprefix-manifest/1")
          json_.fail_at(value_at,
                        "format '" + format + "', which this version does not read (it reads pyprefix-manifest/1)");
        has_format = true;
      } else if (key == "path_flavour") {
        const std::string flavour = json_.read_string_value(key);
        if (flavour != "posix" && flavour != "windows")
          json_.fail_at(value_at, "\"path_flavour\" '" + flavour + "', not \"posix\" or \"windows\"");
        manifest.path_flavour = flavour == "windows" ? PathFlavour::windows : PathFlavour::posix;
        has_flavour = true;
      } else if (key == "interpreter") {
        read_interpreter(manifest.interpreter);
      } else if (key == "sys_path") {
        json_.read_array(key, [&] {
          json_.skip_space();
          paths.push_back({json_.position(), manifest.sys_path.size(), PathAt::sys_path});
          manifest.sys_path.push_back(json_.read_string_value("a sys_path entry"));
        });
      } else if (key == "prefixes") {
        json_.read_array(key, [&] { manifest.prefixes.push_back(read_prefix(&paths, manifest.prefixes.size())); });
        has_prefixes = true;
      } else if (key == "distributions") {
        json_.read_array(key, [&] { manifest.distributions.push_back(read_distribution()); });
      } else {
        json_.skip_value();
      }
    });
    json_.expect_end("text after the manifest");
    if (!has_format) json_.fail_at(0, "no \"format\"");
    if (!has_flavour) json_.fail_at(0, "no \"path_flavour\"");
    if (!has_prefixes) json_.fail_at(0, "no \"prefixes\"");
    for (const PathAt& place : paths) {
      std::string& path = place.kind == PathAt::sys_path ? manifest.sys_path[place.index]
                          : place.kind == PathAt::prefix ? manifest.prefixes[place.index].path
                                                         : manifest.prefixes[place.index].resolved;
      if (manifest.path_flavour == PathFlavour::windows) {
        std::optional<std::string> normal = detail::windows_prefix(path);
        if (!normal) json_.fail_at(place.at, "a path that is not an absolute Windows path");
        path = std::move(*normal);
      } else if (path.empty() || path.front() != '/') {
        json_.fail_at(place.at, "a path that is not absolute");
      }
    }
    return manifest;
  }

 private:
  // Where a manifest's path was, to check it once the flavour is known.
  struct PathAt {
    size_t at;
    size_t index;
    enum Kind { sys_path, prefix, resolved } kind;
  };

  void read_interpreter(Interpreter& python) {
    json_.read_object("\"interpreter\"", [&](const std::string& key) {
      if (const InterpreterField* field = interpreter_field(key))
        python.*field->member = json_.read_string_value(key);
      else if (key == extension_suffixes_field)
        json_.read_array(key,
                         [&] { python.extension_suffixes.push_back(json_.read_string_value("an extension suffix")); });
      else
        json_.skip_value();
    });
  }

  Distribution read_distribution() {
    Distribution distribution;
    bool has_name = false;
    json_.read_object("a distribution", [&](const std::string& key) {
      if (key == "name") {
        distribution.name = json_.read_string_value(key);
        has_name = true;
      } else if (key == "version") {
        distribution.version = json_.read_string_value(key);
      } else if (key == "metadata") {
        distribution.metadata = json_.read_string_value(key);
      } else if (key == "roots") {
        json_.read_array(key, [&] { distribution.roots.push_back(json_.read_string_value("a root")); });
      } else if (key == "roots_from") {
        const std::string from = json_.read_string_value(key);
        if (from != "name") json_.fail("\"roots_from\" other than \"name\"");
        distribution.roots_inferred = true;
      } else {
        json_.skip_value();
      }
    });
    if (!has_name) json_.fail("a distribution without \"name\"");
    return distribution;
  }

  // One {"prefix", "sources", "resolved"} object. A saved list's paths are checked at once;
  // a manifest's (`paths` given) once its flavour is known.
  Prefix read_prefix(std::vector<PathAt>* paths, size_t index = 0) {
    Prefix prefix;
    bool has_path = false;
    json_.read_object(paths != nullptr ? "a prefix" : nullptr, [&](const std::string& key) {
      if (paths != nullptr && (key == "prefix" || key == "resolved"))
        paths->push_back({json_.position(), index, key == "prefix" ? PathAt::prefix : PathAt::resolved});
      if (key == "prefix") {
        prefix.path = paths != nullptr ? json_.read_string_value(key) : read_path();
        has_path = true;
      } else if (key == "resolved") {
        prefix.resolved = paths != nullptr ? json_.read_string_value(key) : read_path();
      } else if (key == "sources") {
        prefix.sources = read_sources();
      } else {
        json_.skip_value();
      }
    });
    if (!has_path) json_.fail("an entry without \"prefix\"");
    return prefix;
  }

  std::string read_path() {
    const size_t start = json_.position();
    std::string path = json_.read_string();
    if (path.empty() || path.front() != '/') json_.fail_at(start, "a prefix that is not an absolute path");
    return path;
  }

  std::vector<Source> read_sources() {
    std::vector<Source> sources;
    json_.expect('[');
    if (json_.consume(']')) return sources;
    do {
      const size_t start = json_.position();
      const std::string name = json_.read_string();
      const std::optional<Source> source = source_named(name);
      if (!source) json_.fail_at(start, "an unknown source '" + name + "'");
      sources.push_back(*source);
    } while (json_.consume(','));
    json_.expect(']');
    return sources;
  }

  JsonReader json_;
};

std::vector<Prefix> parse_lines(std::string_view text) {
  std::vector<Prefix> prefixes;
  size_t line_number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    ++line_number;
    start = end + 1;
    if (line.empty()) continue;
    if (prefixes.size() == max_lines || line.size() > max_line_bytes)
      throw error("not a pyprefix list: line " + std::to_string(line_number) +
                  (line.size() > max_line_bytes ? " is longer than any path"
                                                : " is past the limit of " + std::to_string(max_lines) + " prefixes"));
    if (line.front() != '/' || line.find('\0') != std::string_view::npos)
      throw error("not a pyprefix list: line " + std::to_string(line_number) + " is not an absolute path");
    prefixes.push_back({std::string(line), {}, {}});
  }
  return prefixes;
}

char first_character(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? '\0' : text[first];
}

// The text of the regular file at `path`, at most max_file_size bytes, for `parse`; errors name the file.
template <typename Parse>
auto parse_file(const std::string& path, const char* what, Parse parse) {
  auto fail = [&path](int error_number) { return error("cannot read '" + path + "': " + std::strerror(error_number)); };
  // Not blocking on a FIFO, nor reading a device: only a regular file is read.
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw fail(errno);
  struct stat status {};
  const bool stated = fstat(fd, &status) == 0;
  if (!stated || !S_ISREG(status.st_mode)) {
    const int saved_errno = errno;
    close(fd);
    if (!stated) throw fail(saved_errno);
    if (S_ISDIR(status.st_mode)) throw fail(EISDIR);
    throw error("'" + path + "' is not a regular file: not a " + what);
  }
  std::string text;
  char buffer[1 << 16];
  ssize_t size = 0;
  while (text.size() <= max_file_size && ((size = read(fd, buffer, sizeof buffer)) > 0 || (size < 0 && errno == EINTR)))
    if (size > 0) text.append(buffer, static_cast<size_t>(size));
  const int saved_errno = errno;
  close(fd);
  if (size < 0) throw fail(saved_errno);
  if (text.size() > max_file_size)
    throw error("'" + path + "' is larger than " + std::to_string(max_file_size >> 20) + " MiB: not a " + what);
  try {
    return parse(text);
  } catch (const error& e) {
    throw error("'" + path + "' is " + e.what());
  }
}

}  // namespace

std::vector<Prefix> parse_prefix_list(std::string_view text) {
  const char first = first_character(text);
  if (first == '[') return SchemaReader(text, "pyprefix list").read_list();
  if (first == '{') {
    Manifest manifest = parse_manifest(text);
    if (manifest.path_flavour == PathFlavour::windows)
      throw error("a Windows manifest: its paths compare by ntpath's rules (load it with pyprefix::read_manifest)");
    return std::move(manifest.prefixes);
  }
  return parse_lines(text);
}

std::vector<Prefix> read_prefix_file(const std::string& path) {
  return parse_file(path, "pyprefix list", parse_prefix_list);
}

Manifest parse_manifest(std::string_view text) { return SchemaReader(text, "pyprefix manifest").read_manifest(); }

Manifest read_manifest(const std::string& path) { return parse_file(path, "pyprefix manifest", parse_manifest); }

namespace detail {

SavedFile read_saved_file(const std::string& path) {
  return parse_file(path, "pyprefix list or manifest", [](std::string_view text) {
    SavedFile saved;
    saved.is_manifest = first_character(text) == '{';
    if (saved.is_manifest)
      saved.manifest = parse_manifest(text);
    else
      saved.manifest.prefixes = parse_prefix_list(text);
    return saved;
  });
}

}  // namespace detail

}  // namespace pyprefix
