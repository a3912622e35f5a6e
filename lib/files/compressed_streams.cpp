// gzip with zlib's inflate and deflate (windowBits 16 + 15: the gzip wrapper, not zlib's), zstd
// with libzstd's streaming API.
#include "files/compressed_streams.hpp"

#include <zlib.h>
#include <zstd.h>

#include <cstring>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {
namespace {

constexpr unsigned char zstd_magic[] = {0x28, 0xb5, 0x2f, 0xfd};

}  // namespace

struct DecompressingInput::Zlib {
  z_stream stream{};
  bool open = false;
  ~Zlib() {
    if (open) inflateEnd(&stream);
  }
};

struct DecompressingInput::Zstd {
  ZSTD_DStream* stream = ZSTD_createDStream();
  ~Zstd() { ZSTD_freeDStream(stream); }
};

DecompressingInput::DecompressingInput(Input& input, uint64_t max_inflated)
    : input_(input), raw_(stream_chunk, '\0'), inflated_(stream_chunk, '\0'), max_inflated_(max_inflated) {}

DecompressingInput::~DecompressingInput() = default;

bool DecompressingInput::refill() {
  raw_before_ += raw_size_;
  raw_at_ = 0;
  raw_size_ = input_.read_into(raw_.data(), raw_.size());
  return raw_size_ > 0;
}

void DecompressingInput::start() {
  started_ = true;
  // The magic bytes (and gzip's XFL byte) may come in several reads (a pipe): read until
  // there are enough, or the end.
  raw_size_ = input_.read_into(raw_.data(), raw_.size());
  while (raw_size_ > 0 && raw_size_ < 10) {
    const size_t more = input_.read_into(raw_.data() + raw_size_, raw_.size() - raw_size_);
    if (more == 0) break;
    raw_size_ += more;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw_.data());
  if (raw_size_ >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
    compression_.format = Compression::Format::gzip;
    const int hint = raw_size_ >= 9 ? bytes[8] : 0;
    compression_.level = hint == 2 ? 9 : hint == 4 ? 1 : 6;
    zlib_ = std::make_unique<Zlib>();
    if (inflateInit2(&zlib_->stream, 16 + MAX_WBITS) != Z_OK) throw error("cannot start zlib's inflate");
    zlib_->open = true;
  } else if (raw_size_ >= 4 && std::memcmp(bytes, zstd_magic, 4) == 0) {
    compression_.format = Compression::Format::zstd;
    compression_.level = ZSTD_CLEVEL_DEFAULT;
    zstd_ = std::make_unique<Zstd>();
    if (zstd_->stream == nullptr || ZSTD_isError(ZSTD_initDStream(zstd_->stream)))
      throw error("cannot start zstd's decompression");
  }
}

void DecompressingInput::count(size_t produced) {
  inflated_total_ += produced;
  if (inflated_total_ > max_inflated_) {
    ended_ = true;
    throw error(input_.name() + " inflates to more than " + std::to_string(max_inflated_) +
                " bytes, the limit for compressed input (--max-inflated BYTES raises it)");
  }
}

std::string_view DecompressingInput::next() {
  if (ended_) return {};
  if (!started_) start();
  if (!compressed()) {
    if (raw_at_ == raw_size_ && !refill()) {
      ended_ = true;
      return {};
    }
    const std::string_view bytes(raw_.data() + raw_at_, raw_size_ - raw_at_);
    raw_at_ = raw_size_;
    return bytes;
  }
  for (;;) {
    if (raw_at_ == raw_size_ && !refill()) {
      ended_ = true;
      if (in_member_)
        throw error(input_.name() + " is a truncated " + format_name() + " stream (it ends at byte " +
                    std::to_string(raw_before_) + ")");
      return {};
    }
    const size_t produced = compression_.format == Compression::Format::gzip ? inflate_some() : decompress_some();
    count(produced);
    if (produced > 0) return {inflated_.data(), produced};
  }
}

const char* DecompressingInput::format_name() const {
  return compression_.format == Compression::Format::gzip ? "gzip" : "zstd";
}

void DecompressingInput::corrupt(const std::string& why) {
  ended_ = true;
  throw error(input_.name() + " is not a valid " + format_name() + " stream: " + why + ", at byte " +
              std::to_string(raw_before_ + raw_at_));
}

size_t DecompressingInput::inflate_some() {
  z_stream& stream = zlib_->stream;
  stream.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_at_);
  stream.avail_in = static_cast<uInt>(raw_size_ - raw_at_);
  stream.next_out = reinterpret_cast<Bytef*>(inflated_.data());
  stream.avail_out = static_cast<uInt>(inflated_.size());
  const int status = inflate(&stream, Z_NO_FLUSH);
  raw_at_ = raw_size_ - stream.avail_in;
  if (status == Z_STREAM_END) {
    inflateReset(&stream);  // another member may follow: gzip files may be concatenated
    in_member_ = false;
  } else if (status == Z_OK || status == Z_BUF_ERROR) {
    in_member_ = true;
  } else {
    corrupt(stream.msg != nullptr ? std::string(stream.msg) : "zlib error " + std::to_string(status));
  }
  return inflated_.size() - stream.avail_out;
}

size_t DecompressingInput::decompress_some() {
  ZSTD_inBuffer in{raw_.data(), raw_size_, raw_at_};
  ZSTD_outBuffer out{inflated_.data(), inflated_.size(), 0};
  const size_t status = ZSTD_decompressStream(zstd_->stream, &out, &in);
  raw_at_ = in.pos;
  if (ZSTD_isError(status)) corrupt(ZSTD_getErrorName(status));
  in_member_ = status != 0;  // 0: a frame ended, and was flushed whole
  return out.pos;
}

struct CompressingOutput::Zlib {
  z_stream stream{};
  bool open = false;
  std::string buffer = std::string(stream_chunk, '\0');
  ~Zlib() {
    if (open) deflateEnd(&stream);
  }
};

struct CompressingOutput::Zstd {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  std::string buffer = std::string(ZSTD_CStreamOutSize(), '\0');
  ~Zstd() { ZSTD_freeCCtx(context); }
};

CompressingOutput::CompressingOutput(Output& output, const Compression& compression) : output_(output) {
  if (compression.format == Compression::Format::gzip) {
    zlib_ = std::make_unique<Zlib>();
    if (deflateInit2(&zlib_->stream, compression.level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw error("cannot start zlib's deflate");
    zlib_->open = true;
  } else if (compression.format == Compression::Format::zstd) {
    zstd_ = std::make_unique<Zstd>();
    if (zstd_->context == nullptr ||
        ZSTD_isError(ZSTD_CCtx_setParameter(zstd_->context, ZSTD_c_compressionLevel, compression.level)))
      throw error("cannot start zstd's compression");
  }
}

CompressingOutput::~CompressingOutput() = default;

void CompressingOutput::append(std::string_view bytes) {
  if (bytes.empty()) return;
  if (zlib_) return deflate_some(bytes, Z_NO_FLUSH);
  if (zstd_) return compress_some(bytes, false);
  output_.append(bytes);
}

void CompressingOutput::finish() {
  if (zlib_) deflate_some({}, Z_FINISH);
  if (zstd_) compress_some({}, true);
  output_.flush();
}

void CompressingOutput::deflate_some(std::string_view bytes, int flush) {
  z_stream& stream = zlib_->stream;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  int status = Z_OK;
  do {
    stream.next_out = reinterpret_cast<Bytef*>(zlib_->buffer.data());
    stream.avail_out = static_cast<uInt>(zlib_->buffer.size());
    status = deflate(&stream, flush);
    if (status == Z_STREAM_ERROR) throw error("zlib's deflate failed");
    output_.append({zlib_->buffer.data(), zlib_->buffer.size() - stream.avail_out});
  } while (stream.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
}

void CompressingOutput::compress_some(std::string_view bytes, bool end) {
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  for (;;) {
    ZSTD_outBuffer out{zstd_->buffer.data(), zstd_->buffer.size(), 0};
    const size_t left = ZSTD_compressStream2(zstd_->context, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) throw error(std::string("zstd's compression failed: ") + ZSTD_getErrorName(left));
    output_.append({zstd_->buffer.data(), out.pos});
    if (end ? left == 0 : in.pos == in.size) return;
  }
}

}  // namespace pyprefix::detail
