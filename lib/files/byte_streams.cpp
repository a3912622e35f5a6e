// The tool's files: reading by name or from standard input, buffered writing.
#include "files/byte_streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

void Output::finish_holes() {
  flush();
  if (keeps_holes_ && ftruncate(fd_, static_cast<off_t>(position_)) != 0)
    throw error("cannot write " + shown_ + ": " + std::strerror(errno));
}

void Output::write_all(std::string_view bytes) {
  if (!keeps_holes_) return write_through(bytes);
  // Piece by piece at the file's block boundaries: a piece of zeros is skipped, not written. The
  // file is new and written once from its start, so what is skipped reads as zeros, and a block
  // that nothing is written into stays a hole.
  constexpr size_t block = 4096;
  static const char zeros[block] = {};
  while (!bytes.empty()) {
    const size_t size = std::min(bytes.size(), block - static_cast<size_t>(position_ % block));
    const std::string_view piece = bytes.substr(0, size);
    if (std::memcmp(piece.data(), zeros, size) == 0) {
      position_ += size;
      if (lseek(fd_, static_cast<off_t>(position_), SEEK_SET) < 0)
        throw error("cannot write " + shown_ + ": " + std::strerror(errno));
    } else {
      write_through(piece);
    }
    bytes.remove_prefix(size);
  }
}

void Output::write_through(std::string_view bytes) {
  position_ += bytes.size();
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t written = write(fd_, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw error("cannot write " + shown_ + ": " + std::strerror(errno));
    done += static_cast<size_t>(written);
  }
}

}  // namespace pyprefix::detail
