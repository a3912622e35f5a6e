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
#include "core/normalise/fs_encoding.hpp"
#include "core/normalise/windows_path.hpp"
#include "core/saved/saved_file.hpp"
#include "core/sources.hpp"

namespace pyprefix {
namespace {

using detail::decode_file_name;
using detail::encode_file_name;
using detail::extension_suffixes_field;
using detail::interpreter_field;
using detail::InterpreterField;
using detail::source_named;

// A saved list or manifest may come from a machine or a user pyprefix does not trust: these
// bound the time and memory a hostile one costs (a real manifest is some hundred KiB).
constexpr size_t max_file_size = 64u << 20;
constexpr size_t max_strings = 1u << 20;        // strings in a JSON document, lines in a plain list
constexpr size_t max_string_bytes = 64u << 10;  // no path is longer (PATH_MAX is 4 KiB)

// A strict reader for the JSON form. Positions in messages are byte offsets.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class JsonReader {
 public:
  // `what` names the document in messages: "pyprefix list", "pyprefix manifest".
  JsonReader(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  std::vector<Prefix> read_list() {
    std::vector<Prefix> prefixes;
    expect('[');
    if (!consume(']')) {
      do prefixes.push_back(read_prefix(nullptr));
      while (consume(','));
      expect(']');
    }
    skip_space();
    if (at_ < text_.size()) fail("text after the list");
    return prefixes;
  }

  Manifest read_manifest() {
    Manifest manifest;
    std::vector<PathAt> paths;  // checked once the flavour is known, which may come last
    bool has_format = false, has_flavour = false, has_prefixes = false;
    read_object("the manifest", [&](const std::string& key) {
      const size_t value_at = at_;
      if (key == "format") {
        const std::string format = read_string_value(key);
        if (format != "pyprefix-manifest/1")
          fail_at(value_at, "format '" + format + "', which this version does not read (it reads pyprefix-manifest/1)");
        has_format = true;
      } else if (key == "path_flavour") {
        const std::string flavour = read_string_value(key);
        if (flavour != "posix" && flavour != "windows")
          fail_at(value_at, "\"path_flavour\" '" + flavour + "', not \"posix\" or \"windows\"");
        manifest.path_flavour = flavour == "windows" ? PathFlavour::windows : PathFlavour::posix;
        has_flavour = true;
      } else if (key == "interpreter") {
        read_interpreter(manifest.interpreter);
      } else if (key == "sys_path") {
        read_array(key, [&] {
          skip_space();
          paths.push_back({at_, manifest.sys_path.size(), PathAt::sys_path});
          manifest.sys_path.push_back(read_string_value("a sys_path entry"));
        });
      } else if (key == "prefixes") {
        read_array(key, [&] { manifest.prefixes.push_back(read_prefix(&paths, manifest.prefixes.size())); });
        has_prefixes = true;
      } else if (key == "distributions") {
        read_array(key, [&] { manifest.distributions.push_back(read_distribution()); });
      } else {
        skip_value();
      }
    });
    skip_space();
    if (at_ < text_.size()) fail("text after the manifest");
    if (!has_format) fail_at(0, "no \"format\"");
    if (!has_flavour) fail_at(0, "no \"path_flavour\"");
    if (!has_prefixes) fail_at(0, "no \"prefixes\"");
    for (const PathAt& place : paths) {
      std::string& path = place.kind == PathAt::sys_path ? manifest.sys_path[place.index]
                          : place.kind == PathAt::prefix ? manifest.prefixes[place.index].path
                                                         : manifest.prefixes[place.index].resolved;
      if (manifest.path_flavour == PathFlavour::windows) {
        std::optional<std::string> normal = detail::windows_prefix(path);
        if (!normal) fail_at(place.at, "a path that is not an absolute Windows path");
        path = std::move(*normal);
      } else if (path.empty() || path.front() != '/') {
        fail_at(place.at, "a path that is not absolute");
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
    read_object("\"interpreter\"", [&](const std::string& key) {
      if (const InterpreterField* field = interpreter_field(key))
        python.*field->member = read_string_value(key);
      else if (key == extension_suffixes_field)
        read_array(key, [&] { python.extension_suffixes.push_back(read_string_value("an extension suffix")); });
      else
        skip_value();
    });
  }

  Distribution read_distribution() {
    Distribution distribution;
    bool has_name = false;
    read_object("a distribution", [&](const std::string& key) {
      if (key == "name") {
        distribution.name = read_string_value(key);
        has_name = true;
      } else if (key == "version") {
        distribution.version = read_string_value(key);
      } else if (key == "metadata") {
        distribution.metadata = read_string_value(key);
      } else if (key == "roots") {
        read_array(key, [&] { distribution.roots.push_back(read_string_value("a root")); });
      } else {
        skip_value();
      }
    });
    if (!has_name) fail("a distribution without \"name\"");
    return distribution;
  }

  // {"key": value, ...}, each value read by `read_value(key)`; what `name` names must be an
  // object ('{' is simply expected when it names nothing).
  template <typename ReadValue>
  void read_object(const char* name, ReadValue read_value) {
    if (name != nullptr)
      open('{', name, "an object");
    else
      expect('{');
    if (consume('}')) return;
    do {
      const std::string key = read_string();
      expect(':');
      skip_space();
      read_value(key);
    } while (consume(','));
    expect('}');
  }

  // [item, ...], each read by `read_item`; "key" must be an array.
  template <typename ReadItem>
  void read_array(const std::string& key, ReadItem read_item) {
    open('[', "\"" + key + "\"", "an array");
    if (consume(']')) return;
    do read_item();
    while (consume(','));
    expect(']');
  }

  std::string read_string_value(const std::string& name) {
    skip_space();
    if (at_ >= text_.size() || text_[at_] != '"')
      fail(name.front() == 'a' ? name + " that is not a string" : "\"" + name + "\" that is not a string");
    return read_string();
  }

  void open(char bracket, const std::string& name, const char* type) {
    skip_space();
    if (at_ >= text_.size() || text_[at_] != bracket) fail(name + " that is not " + type);
    ++at_;
  }

  // One {"prefix", "sources", "resolved"} object. A saved list's paths are checked at once;
  // a manifest's (`paths` given) once its flavour is known.
  Prefix read_prefix(std::vector<PathAt>* paths, size_t index = 0) {
    Prefix prefix;
    bool has_path = false;
    read_object(paths != nullptr ? "a prefix" : nullptr, [&](const std::string& key) {
      if (paths != nullptr && (key == "prefix" || key == "resolved"))
        paths->push_back({at_, index, key == "prefix" ? PathAt::prefix : PathAt::resolved});
      if (key == "prefix") {
        prefix.path = paths != nullptr ? read_string_value(key) : read_path();
        has_path = true;
      } else if (key == "resolved") {
        prefix.resolved = paths != nullptr ? read_string_value(key) : read_path();
      } else if (key == "sources") {
        prefix.sources = read_sources();
      } else {
        skip_value();
      }
    });
    if (!has_path) fail("an entry without \"prefix\"");
    return prefix;
  }

  std::string read_path() {
    const size_t start = at_;
    std::string path = read_string();
    if (path.empty() || path.front() != '/') fail_at(start, "a prefix that is not an absolute path");
    return path;
  }

  std::vector<Source> read_sources() {
    std::vector<Source> sources;
    expect('[');
    if (consume(']')) return sources;
    do {
      const size_t start = at_;
      const std::string name = read_string();
      const std::optional<Source> source = source_named(name);
      if (!source) fail_at(start, "an unknown source '" + name + "'");
      sources.push_back(*source);
    } while (consume(','));
    expect(']');
    return sources;
  }

  // A JSON string as file-name bytes: \uXXXX escapes, surrogate pairs joined, and the lone
  // surrogates U+DC80..U+DCFF that json.dumps writes for undecodable bytes turned back into them.
  std::string read_string() {
    expect('"');
    if (++strings_ > max_strings) fail("more than " + std::to_string(max_strings) + " strings");
    const size_t start = at_;
    std::u32string code_points;
    for (;;) {
      if (at_ >= text_.size()) fail("an unterminated string");
      if (at_ - start > max_string_bytes)
        fail_at(start, "a string longer than " + std::to_string(max_string_bytes >> 10) + " KiB");
      const char c = text_[at_++];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) fail_at(at_ - 1, "a control character in a string");
      if (c != '\\') {
        // Raw UTF-8 is allowed; decode it (malformed bytes become surrogate escapes, as in a file name).
        size_t end = at_;
        while (end < text_.size() && text_[end] != '"' && text_[end] != '\\' &&
               static_cast<unsigned char>(text_[end]) >= 0x20)
          ++end;
        code_points += decode_file_name(text_.substr(at_ - 1, end - at_ + 1));
        at_ = end;
        continue;
      }
      if (at_ >= text_.size()) fail("an unterminated string");
      const char escaped = text_[at_++];
      switch (escaped) {
        case '"':
          code_points += U'"';
          break;
        case '\\':
          code_points += U'\\';
          break;
        case '/':
          code_points += U'/';
          break;
        case 'b':
          code_points += U'\b';
          break;
        case 'f':
          code_points += U'\f';
          break;
        case 'n':
          code_points += U'\n';
          break;
        case 'r':
          code_points += U'\r';
          break;
        case 't':
          code_points += U'\t';
          break;
        case 'u': {
          char32_t unit = read_hex4();
          if (unit >= 0xD800 && unit <= 0xDBFF && text_.substr(at_, 2) == "\\u") {
            const size_t before = at_;
            at_ += 2;
            const char32_t low = read_hex4();
            if (low >= 0xDC00 && low <= 0xDFFF)
              unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            else
              at_ = before;  // not a pair: the high surrogate stands alone (and is refused below)
          }
          code_points += unit;
          break;
        }
        default:
          fail_at(at_ - 1, "an unknown escape");
      }
    }
    bool ok = false;
    std::string bytes = encode_file_name(code_points, ok);
    if (!ok) fail("a string with a lone surrogate that names no bytes");
    if (bytes.find('\0') != std::string::npos) fail("a string holding a NUL");
    return bytes;
  }

  char32_t read_hex4() {
    if (at_ + 4 > text_.size()) fail("a short \\u escape");
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= static_cast<char32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        value |= static_cast<char32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        value |= static_cast<char32_t>(c - 'A' + 10);
      else
        fail_at(at_ - 1, "a bad \\u escape");
    }
    return value;
  }

  // Any JSON value, for keys this version does not know; nesting is bounded.
  void skip_value(int depth = 0) {
    if (depth > 64) fail("values nested too deeply");
    skip_space();
    if (at_ >= text_.size()) fail("a missing value");
    const char c = text_[at_];
    if (c == '"') {
      read_string();
    } else if (c == '[' || c == '{') {
      const char close = c == '[' ? ']' : '}';
      ++at_;
      if (consume(close)) return;
      do {
        if (close == '}') {
          read_string();
          expect(':');
        }
        skip_value(depth + 1);
      } while (consume(','));
      expect(close);
    } else {
      const size_t start = at_;
      while (at_ < text_.size() && std::strchr("+-.0123456789eEtruefalsn", text_[at_]) != nullptr) ++at_;
      const std::string_view word = text_.substr(start, at_ - start);
      const bool number = !word.empty() && (word[0] == '-' || (word[0] >= '0' && word[0] <= '9'));
      if (!(number || word == "true" || word == "false" || word == "null")) fail_at(start, "an unknown value");
    }
  }

  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }
  bool consume(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!consume(c)) fail(std::string("'") + c + "' expected");
  }
  [[noreturn]] void fail(const std::string& what) { fail_at(at_, what); }
  [[noreturn]] void fail_at(size_t where, const std::string& what) {
    throw error("not a " + std::string(what_) + ": " + what + " at byte " + std::to_string(where));
  }

  std::string_view text_;
  std::string_view what_;
  size_t at_ = 0;
  size_t strings_ = 0;
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
    if (prefixes.size() == max_strings || line.size() > max_string_bytes)
      throw error("not a pyprefix list: line " + std::to_string(line_number) +
                  (line.size() > max_string_bytes
                       ? " is longer than any path"
                       : " is past the limit of " + std::to_string(max_strings) + " prefixes"));
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
  if (first == '[') return JsonReader(text, "pyprefix list").read_list();
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

Manifest parse_manifest(std::string_view text) { return JsonReader(text, "pyprefix manifest").read_manifest(); }

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
