// The tool's files: reading by name or from standard input, buffered writing.
#include "tool/byte_streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {

Input::Input(const std::string& name) : name_(name == "-" ? "standard input" : "'" + name + "'") {
  if (name == "-") return;
  fd_ = open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw error("cannot read " + name_ + ": " + std::strerror(errno));
}

Input::Input(int fd, std::string shown) : name_(std::move(shown)), fd_(fd) {}

Input::~Input() {
  if (fd_ > 0) close(fd_);
}

Input::Input(Input&& other) noexcept : name_(std::move(other.name_)), fd_(std::exchange(other.fd_, -1)) {}

size_t Input::read_into(char* buffer, size_t size) {
  for (;;) {
    const ssize_t got = read(fd_, buffer, size);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) throw error("cannot read " + name_ + ": " + std::strerror(errno));
  }
}

Output::Output(int fd, std::string shown) : fd_(fd), shown_(std::move(shown)), buffer_(new char[stream_chunk]) {}

void Output::append(std::string_view bytes) {
  if (size_ + bytes.size() > stream_chunk) {
    flush();
    if (bytes.size() > stream_chunk) return write_all(bytes);
  }
  std::memcpy(buffer_.get() + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
}

void Output::flush() {
  write_all({buffer_.get(), size_});
  size_ = 0;
}

void Output::write_all(std::string_view bytes) {
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t written = write(fd_, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw error("cannot write " + shown_ + ": " + std::strerror(errno));
    done += static_cast<size_t>(written);
  }
}

}  // namespace pyprefix::detail
