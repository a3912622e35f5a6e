// `pyprefix trim`: the streaming line trimmer and its JSON Lines.
#include "tool/trim_command.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

#include <pyprefix/error.hpp>

#include "core/saved/json_writer.hpp"
#include "files/byte_streams.hpp"

namespace pyprefix::detail {
namespace {

// Writes `line` trimmed. `ending` is what follows it in the input ("\n", or "" for a last line
// without one): in plain mode the trimmed line and its ending are one piece of the input, so
// they are copied in one go.
// Trimmer::match, remembering the last folder. Traces list many files of one folder in a row,
// and a line's longest prefix is its folder's (every prefix ends in "/", so a match ends at or
// before the line's last "/"): the next line in the same folder costs a memrchr and a compare.
class FolderMatcher {
 public:
  explicit FolderMatcher(const Trimmer& trimmer) : trimmer_(trimmer) {}

  Match match(std::string_view line) {
    const void* last_slash = line.empty() || line.front() == '<' ? nullptr : memrchr(line.data(), '/', line.size());
    if (last_slash == nullptr) return trimmer_.match(line);
    const size_t folder_size = static_cast<size_t>(static_cast<const char*>(last_slash) - line.data()) + 1;
    if (!has_folder_ || line.substr(0, folder_size) != folder_) {
      folder_.assign(line.data(), folder_size);
      const Match folder_match = trimmer_.match(folder_);
      matched_size_ = folder_size - folder_match.short_path.size();
      prefix_ = folder_match.prefix;
      kind_ = folder_match.kind;
      has_folder_ = true;
    }
    return {line.substr(matched_size_), prefix_, kind_};
  }

 private:
  const Trimmer& trimmer_;
  std::string folder_;  // the last line's bytes up to and with its last "/"
  bool has_folder_ = false;
  size_t matched_size_ = 0;
  std::string_view prefix_;  // views the Trimmer's own copy
  Kind kind_ = Kind::unknown;
};

void write_line(FolderMatcher& matcher, const CodeIndex* index, std::string_view line, std::string_view ending,
                bool json, Output& out) {
  const Match match = matcher.match(line);
  if (!json) {
    out.append({match.short_path.data(), match.short_path.size() + ending.size()});
    return;
  }
  out.append("{\"path\": ");
  out.append(json_string(line));
  out.append(", \"short\": ");
  out.append(json_string(match.short_path));
  out.append(", \"prefix\": ");
  out.append(match.prefix.empty() ? std::string("null") : json_string(match.prefix));
  out.append(", \"kind\": \"");
  out.append(kind_name(match.kind));
  out.append("\"");
  if (index != nullptr) out.append(json_which_keys(index->which(line)));
  out.append("}\n");
}

// Far longer than any path (PATH_MAX is 4 KiB): a longer line is not held, it passes through
// unmatched as it comes (with --json, which must hold a line to write it twice, it is an error).
constexpr size_t max_line = 4u << 20;

void trim_stream(FolderMatcher& matcher, const CodeIndex* index, Input& input, const std::string& name, bool json,
                 Output& out) {
  std::string buffer(stream_chunk, '\0');
  std::string carried;   // a line that continues in the next chunk, with its newline once found
  bool passing = false;  // inside a line too long to be a path: its bytes go out as they come
  size_t lines = 0;      // lines finished so far, for the --json error
  auto pass_through = [&](std::string_view bytes) {
    if (json)
      throw error("line " + std::to_string(lines + 1) + " of " + name + " is longer than " +
                  std::to_string(max_line >> 20) + " MiB, which no path is; trim --json stops there");
    out.append(carried);
    out.append(bytes);
    carried.clear();
    passing = true;
  };
  for (size_t got; (got = input.read_into(buffer.data(), buffer.size())) > 0;) {
    const char* start = buffer.data();
    const char* end = start + got;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', got));
    if (passing) {
      out.append({start, static_cast<size_t>((newline != nullptr ? newline + 1 : end) - start)});
      if (newline == nullptr) continue;
      passing = false;
      ++lines;
      start = newline + 1;
    } else if (!carried.empty()) {
      if (newline == nullptr) {
        if (carried.size() + got > max_line)
          pass_through({start, got});
        else
          carried.append(start, got);
        continue;
      }
      carried.append(start, static_cast<size_t>(newline - start) + 1);
      write_line(matcher, index, std::string_view(carried).substr(0, carried.size() - 1), "\n", json, out);
      ++lines;
      carried.clear();
      start = newline + 1;
    }
    while ((newline = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(end - start))))) {
      if (static_cast<size_t>(newline - start) > max_line) {
        pass_through({start, static_cast<size_t>(newline - start) + 1});
        passing = false;
      } else {
        write_line(matcher, index, {start, static_cast<size_t>(newline - start)}, {newline, 1}, json, out);
      }
      ++lines;
      start = newline + 1;
    }
    if (static_cast<size_t>(end - start) > max_line)
      pass_through({start, static_cast<size_t>(end - start)});
    else
      carried.assign(start, end);
  }
  if (!carried.empty()) write_line(matcher, index, carried, "", json, out);
}

}  // namespace

void trim_files(const Trimmer& trimmer, const CodeIndex* index, const std::vector<std::string>& files, bool json) {
  std::vector<Input> inputs;
  for (const std::string& file : files) inputs.emplace_back(file);
  if (inputs.empty()) inputs.emplace_back("-");
  Output out;
  FolderMatcher matcher(trimmer);
  for (Input& input : inputs) trim_stream(matcher, index, input, input.name(), json, out);
  out.flush();
}

}  // namespace pyprefix::detail
