// Compressed inputs, for rewrite: gzip (zlib) and zstd (libzstd; ddtrace's pprof files, for
// one), recognised by their magic bytes, decompressed as they are read, and their output
// compressed again the same way.
#ifndef PYPREFIX_LIB_FILES_COMPRESSED_STREAMS_HPP
#define PYPREFIX_LIB_FILES_COMPRESSED_STREAMS_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "files/byte_streams.hpp"

namespace pyprefix::detail {

// How an input is compressed, and the level to compress its output at: for gzip, what its
// header's XFL byte hints (2: 9, the slowest; 4: 1, the fastest; else zlib's default, 6); for
// zstd, whose frames keep no level, zstd's default (3).
struct Compression {
  enum class Format { none, gzip, zstd } format = Format::none;
  int level = 0;
};

// The bytes of an Input, decompressed when it is gzip or zstd (every member or frame of it).
class DecompressingInput {
 public:
  // A compressed input that decompresses past `max_inflated` bytes is a pyprefix::error.
  DecompressingInput(Input& input, uint64_t max_inflated);
  ~DecompressingInput();
  DecompressingInput(const DecompressingInput&) = delete;
  DecompressingInput& operator=(const DecompressingInput&) = delete;

  // How the input is compressed; known once the first next() has returned.
  const Compression& compression() const { return compression_; }
  bool compressed() const { return compression_.format != Compression::Format::none; }
  // The next bytes, valid until the next call; empty at the end. A corrupt or truncated stream
  // is a pyprefix::error naming the input and the compressed byte where it went wrong.
  std::string_view next();

 private:
  void start();
  bool refill();
  // One step of the decompressor on the raw bytes at raw_at_: the bytes it put in inflated_.
  size_t inflate_some();
  size_t decompress_some();
  const char* format_name() const;
  [[noreturn]] void corrupt(const std::string& why);
  void count(size_t produced);

  struct Zlib;
  struct Zstd;
  Input& input_;
  std::unique_ptr<Zlib> zlib_;
  std::unique_ptr<Zstd> zstd_;
  Compression compression_;
  std::string raw_, inflated_;
  size_t raw_at_ = 0, raw_size_ = 0;
  unsigned long long raw_before_ = 0;  // compressed bytes before raw_
  uint64_t max_inflated_, inflated_total_ = 0;
  bool started_ = false, ended_ = false;
  bool in_member_ = false;  // inside a gzip member or a zstd frame: its end has not come yet
};

// Writes to an Output, compressed as `compression` says.
class CompressingOutput {
 public:
  CompressingOutput(Output& output, const Compression& compression);
  ~CompressingOutput();
  CompressingOutput(const CompressingOutput&) = delete;
  CompressingOutput& operator=(const CompressingOutput&) = delete;

  void append(std::string_view bytes);
  // Ends the compressed stream and flushes the Output.
  void finish();

 private:
  void deflate_some(std::string_view bytes, int flush);
  void compress_some(std::string_view bytes, bool end);

  struct Zlib;
  struct Zstd;
  Output& output_;
  std::unique_ptr<Zlib> zlib_;
  std::unique_ptr<Zstd> zstd_;
};

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_FILES_COMPRESSED_STREAMS_HPP
