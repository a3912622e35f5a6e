// The JSON writers: saved lists, manifests and the keys trim --json and which --json add.
#include "core/saved/json_writer.hpp"

#include <pyprefix/manifest.hpp>

#include "core/interpreter_fields.hpp"
#include "core/normalise/fs_encoding.hpp"

namespace pyprefix {
namespace detail {
namespace {

// A \uXXXX escape with lower-case hex digits, as json.dumps writes it; `unit` is below 0x10000.
void append_escape(std::string& out, char32_t unit) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(unit >> shift) & 0xF];
}

}  // namespace

std::string json_string(std::string_view file_name) {
  std::string out = "\"";
  for (char32_t c : decode_file_name(file_name)) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || (c >= 0x7F && c < 0x10000)) {
          append_escape(out, c);
        } else if (c >= 0x10000) {  // outside the BMP: a UTF-16 surrogate pair, as json.dumps writes it
          append_escape(out, 0xD800 + ((c - 0x10000) >> 10));
          append_escape(out, 0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

// An array of the items, each written by `write`, one a line indented by `indent`.
template <typename Item, typename Write>
std::string json_array(const std::vector<Item>& items, std::string_view indent, Write write) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += indent;
    out += write(items[i]);
  }
  if (!items.empty()) {
    out += "\n";
    out += indent.substr(2);
  }
  return out + "]";
}

std::string json_prefix(const Prefix& prefix) {
  std::string out = "{\"prefix\": " + json_string(prefix.path) + ", \"sources\": [";
  for (size_t k = 0; k < prefix.sources.size(); ++k) {
    out += k == 0 ? "\"" : ", \"";
    out += source_name(prefix.sources[k]);
    out += "\"";
  }
  out += "]";
  if (!prefix.resolved.empty()) out += ", \"resolved\": " + json_string(prefix.resolved);
  return out + "}";
}

std::string json_distribution(const Distribution& distribution) {
  std::string out = "{\"name\": " + json_string(distribution.name) +
                    ", \"version\": " + json_string(distribution.version) +
                    ", \"metadata\": " + json_string(distribution.metadata) + ", \"roots\": [";
  for (size_t k = 0; k < distribution.roots.size(); ++k)
    out += (k == 0 ? "" : ", ") + json_string(distribution.roots[k]);
  out += "]";
  if (distribution.roots_inferred) out += ", \"roots_from\": \"name\"";
  return out + "}";
}

}  // namespace

std::string json_list(const std::vector<Prefix>& prefixes) { return json_array(prefixes, "  ", json_prefix) + "\n"; }

namespace {

std::string json_or_null(std::string_view text, bool present) { return present ? json_string(text) : "null"; }

}  // namespace

std::string json_which_keys(const Which& which) {
  const Distribution* owner = which.distribution;
  return ", \"module\": " + json_or_null(which.module, !which.module.empty()) +
         ", \"distribution\": " + json_or_null(owner ? owner->name : "", owner != nullptr) +
         ", \"version\": " + json_or_null(owner ? owner->version : "", owner != nullptr && !owner->version.empty());
}

std::string json_distributions(const std::vector<Distribution>& distributions) {
  return json_array(distributions, "  ", json_distribution) + "\n";
}

}  // namespace detail

std::string manifest_json(const Manifest& manifest) {
  using detail::json_string;
  const Interpreter& python = manifest.interpreter;
  std::string out = "{\"format\": \"pyprefix-manifest/1\",\n \"interpreter\": {";
  for (const detail::InterpreterField& field : detail::interpreter_fields)
    out += json_string(std::string(field.name)) + ": " + json_string(python.*field.member) + ", ";
  out += json_string(std::string(detail::extension_suffixes_field)) + ": [";
  for (size_t i = 0; i < python.extension_suffixes.size(); ++i)
    out += (i == 0 ? "" : ", ") + json_string(python.extension_suffixes[i]);
  out += "]},\n \"path_flavour\": ";
  out += manifest.path_flavour == PathFlavour::windows ? "\"windows\"" : "\"posix\"";
  out += ",\n \"sys_path\": " + detail::json_array(manifest.sys_path, "   ", json_string);
  out += ",\n \"prefixes\": " + detail::json_array(manifest.prefixes, "   ", detail::json_prefix);
  out += ",\n \"distributions\": " + detail::json_array(manifest.distributions, "   ", detail::json_distribution);
  return out + "}\n";
}

}  // namespace pyprefix
