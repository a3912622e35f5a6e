#include "cli/trim_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <pyprefix/error.hpp>

#include "cli/json.hpp"

namespace pyprefix::detail {
namespace {

constexpr size_t chunk_size = 1u << 20;

class Output {
 public:
  Output() { buffer_.reserve(2 * chunk_size); }

  void append(std::string_view text) {
    buffer_.append(text.data(), text.size());
    if (buffer_.size() >= chunk_size) flush();
  }

  void flush() {
    for (size_t done = 0; done < buffer_.size();) {
      const ssize_t written = write(1, buffer_.data() + done, buffer_.size() - done);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) throw error(std::string("cannot write the output: ") + std::strerror(errno));
      done += static_cast<size_t>(written);
    }
    buffer_.clear();
  }

 private:
  std::string buffer_;
};

void write_line(const Trimmer& trimmer, std::string_view line, bool json, bool newline, Output& out) {
  if (!json) {
    out.append(trimmer.trim(line));
  } else {
    const Match match = trimmer.match(line);
    out.append("{\"path\": ");
    out.append(json_string(line));
    out.append(", \"short\": ");
    out.append(json_string(match.short_path));
    out.append(", \"prefix\": ");
    out.append(match.prefix.empty() ? std::string("null") : json_string(match.prefix));
    out.append(", \"kind\": \"");
    out.append(kind_name(match.kind));
    out.append("\"}");
  }
  if (newline || json) out.append("\n");
}

class Input {
 public:
  explicit Input(const std::string& name) : name_(name) {
    if (name == "-") return;
    fd_ = open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw error("cannot read '" + name + "': " + std::strerror(errno));
  }
  ~Input() {
    if (fd_ > 0) close(fd_);
  }
  Input(Input&& other) noexcept : name_(std::move(other.name_)), fd_(other.fd_) { other.fd_ = -1; }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  // Up to `size` bytes into `buffer`; 0 at the end.
  size_t read_into(char* buffer, size_t size) {
    for (;;) {
      const ssize_t got = read(fd_, buffer, size);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) throw error("cannot read '" + name_ + "': " + std::strerror(errno));
    }
  }

 private:
  std::string name_;
  int fd_ = 0;  // standard input unless a file was opened
};

void trim_stream(const Trimmer& trimmer, Input& input, bool json, Output& out) {
  std::string buffer(chunk_size, '\0');
  std::string carried;  // the start of a line that continues in the next chunk
  for (size_t got; (got = input.read_into(buffer.data(), buffer.size())) > 0;) {
    std::string_view chunk(buffer.data(), got);
    size_t start = 0;
    if (!carried.empty()) {
      const size_t end = chunk.find('\n');
      if (end == std::string_view::npos) {
        carried.append(chunk);
        continue;
      }
      carried.append(chunk.substr(0, end));
      write_line(trimmer, carried, json, true, out);
      carried.clear();
      start = end + 1;
    }
    for (size_t end; (end = chunk.find('\n', start)) != std::string_view::npos; start = end + 1)
      write_line(trimmer, chunk.substr(start, end - start), json, true, out);
    carried.append(chunk.substr(start));
  }
  if (!carried.empty()) write_line(trimmer, carried, json, false, out);
}

}  // namespace

void trim_files(const Trimmer& trimmer, const std::vector<std::string>& files, bool json) {
  std::vector<Input> inputs;
  for (const std::string& file : files) inputs.emplace_back(file);
  if (inputs.empty()) inputs.emplace_back("-");
  Output out;
  for (Input& input : inputs) trim_stream(trimmer, input, json, out);
  out.flush();
}

}  // namespace pyprefix::detail
