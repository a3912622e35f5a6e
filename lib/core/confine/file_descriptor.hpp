// An open file descriptor, closed with its owner.
#ifndef PYPREFIX_LIB_CORE_CONFINE_FILE_DESCRIPTOR_HPP
#define PYPREFIX_LIB_CORE_CONFINE_FILE_DESCRIPTOR_HPP

#include <unistd.h>

#include <cerrno>

namespace pyprefix::detail {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }
  // Gives the descriptor up without closing it (another object owns it now).
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes it, keeping errno: a failed open's caller reads errno after its descriptors go.
  void reset() noexcept {
    if (fd_ >= 0) {
      const int saved_errno = errno;
      close(fd_);
      errno = saved_errno;
    }
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_CONFINE_FILE_DESCRIPTOR_HPP
