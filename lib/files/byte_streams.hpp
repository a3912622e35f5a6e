// The tool's files: reading a file or standard input, and buffered writing to a descriptor,
// for trim and rewrite. Errors are pyprefix::error, one line naming the file.
#ifndef PYPREFIX_LIB_FILES_BYTE_STREAMS_HPP
#define PYPREFIX_LIB_FILES_BYTE_STREAMS_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pyprefix::detail {

// Reads and writes of this size stay in a core's L2 cache.
constexpr size_t stream_chunk = 1u << 16;

// A file opened for reading by name ("-": standard input), or a descriptor already open.
class Input {
 public:
  explicit Input(const std::string& name);
  // Takes over `fd`, which is closed with the Input; `shown` names it in messages.
  Input(int fd, std::string shown);
  ~Input();
  Input(Input&& other) noexcept;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  Input& operator=(Input&&) = delete;

  // "standard input" or "'NAME'".
  const std::string& name() const { return name_; }
  // Up to `size` bytes into `buffer`; 0 at the end.
  size_t read_into(char* buffer, size_t size);

 private:
  std::string name_;
  int fd_ = 0;  // standard input unless a file was opened
};

// Buffered writes to a descriptor (standard output by default), stream_chunk bytes at a time;
// a longer piece goes straight through.
class Output {
 public:
  // `shown` names the descriptor in messages ("the output": "cannot write the output: ...").
  explicit Output(int fd = 1, std::string shown = "the output");
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void append(std::string_view bytes);
  void flush();
  // From now on, zero bytes are skipped with lseek rather than written, so that blocks holding
  // nothing else stay holes (a sparse input stays sparse); the file's size is set by
  // finish_holes(). Only for a new regular file written from its start.
  void keep_holes() { keeps_holes_ = true; }
  // Flushes, and sets the file's size to what was written (a hole at the end is not written).
  void finish_holes();

 private:
  void write_all(std::string_view bytes);
  void write_through(std::string_view bytes);

  int fd_;
  std::string shown_;
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
  uint64_t position_ = 0;  // where the next write goes, holes counted
  bool keeps_holes_ = false;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_FILES_BYTE_STREAMS_HPP
