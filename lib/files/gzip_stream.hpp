// gzip, read and written with zlib, for rewrite: an input is inflated when it starts with
// gzip's magic bytes, and its output is deflated again.
#ifndef PYPREFIX_LIB_FILES_GZIP_STREAM_HPP
#define PYPREFIX_LIB_FILES_GZIP_STREAM_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "files/byte_streams.hpp"

namespace pyprefix::detail {

// The bytes of an Input, inflated when it is gzip (every member of a multi-member file).
class InflatingInput {
 public:
  // A compressed input that inflates past `max_inflated` bytes is a pyprefix::error.
  InflatingInput(Input& input, uint64_t max_inflated);
  ~InflatingInput();
  InflatingInput(const InflatingInput&) = delete;
  InflatingInput& operator=(const InflatingInput&) = delete;

  // Whether the input is gzip; known once the first next() has returned.
  bool compressed() const { return compressed_; }
  // The next bytes, valid until the next call; empty at the end. A corrupt or truncated gzip
  // stream is a pyprefix::error naming the input and the compressed byte where it went wrong.
  std::string_view next();

 private:
  void start();
  bool refill();

  struct Zlib;
  Input& input_;
  std::unique_ptr<Zlib> zlib_;
  std::string raw_, inflated_;
  size_t raw_at_ = 0, raw_size_ = 0;
  unsigned long long raw_before_ = 0;  // compressed bytes before raw_
  uint64_t max_inflated_, inflated_total_ = 0;
  bool started_ = false, compressed_ = false, ended_ = false;
  bool in_member_ = false;  // inside a gzip member: its end has not come yet
};

// Writes to an Output, deflating as gzip when `compress`.
class DeflatingOutput {
 public:
  DeflatingOutput(Output& output, bool compress);
  ~DeflatingOutput();
  DeflatingOutput(const DeflatingOutput&) = delete;
  DeflatingOutput& operator=(const DeflatingOutput&) = delete;

  void append(std::string_view bytes);
  // Ends the gzip stream and flushes the Output.
  void finish();

 private:
  void deflate_some(std::string_view bytes, int flush);

  struct Zlib;
  Output& output_;
  std::unique_ptr<Zlib> zlib_;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_FILES_GZIP_STREAM_HPP
