// gzip with zlib's inflate and deflate (windowBits 16 + 15: the gzip wrapper, not zlib's).
#include "files/gzip_stream.hpp"

#include <zlib.h>

#include <cstring>

#include <pyprefix/error.hpp>

namespace pyprefix::detail {

struct InflatingInput::Zlib {
  z_stream stream{};
  bool open = false;
  ~Zlib() {
    if (open) inflateEnd(&stream);
  }
};

InflatingInput::InflatingInput(Input& input, uint64_t max_inflated)
    : input_(input),
      zlib_(std::make_unique<Zlib>()),
      raw_(stream_chunk, '\0'),
      inflated_(stream_chunk, '\0'),
      max_inflated_(max_inflated) {}

InflatingInput::~InflatingInput() = default;

bool InflatingInput::refill() {
  raw_before_ += raw_size_;
  raw_at_ = 0;
  raw_size_ = input_.read_into(raw_.data(), raw_.size());
  return raw_size_ > 0;
}

void InflatingInput::start() {
  started_ = true;
  // The two magic bytes may come in two reads (a pipe): read until there are two, or the end.
  raw_size_ = input_.read_into(raw_.data(), raw_.size());
  while (raw_size_ == 1) {
    const size_t more = input_.read_into(raw_.data() + 1, raw_.size() - 1);
    if (more == 0) break;
    raw_size_ += more;
  }
  compressed_ =
      raw_size_ >= 2 && static_cast<unsigned char>(raw_[0]) == 0x1f && static_cast<unsigned char>(raw_[1]) == 0x8b;
  if (!compressed_) return;
  if (inflateInit2(&zlib_->stream, 16 + MAX_WBITS) != Z_OK) throw error("cannot start zlib's inflate");
  zlib_->open = true;
}

std::string_view InflatingInput::next() {
  if (ended_) return {};
  if (!started_) start();
  if (!compressed_) {
    if (raw_at_ == raw_size_ && !refill()) {
      ended_ = true;
      return {};
    }
    const std::string_view bytes(raw_.data() + raw_at_, raw_size_ - raw_at_);
    raw_at_ = raw_size_;
    return bytes;
  }
  z_stream& stream = zlib_->stream;
  for (;;) {
    if (raw_at_ == raw_size_ && !refill()) {
      ended_ = true;
      if (in_member_)
        throw error(input_.name() + " is a truncated gzip stream (it ends at byte " + std::to_string(raw_before_) +
                    ")");
      return {};
    }
    stream.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_at_);
    stream.avail_in = static_cast<uInt>(raw_size_ - raw_at_);
    stream.next_out = reinterpret_cast<Bytef*>(inflated_.data());
    stream.avail_out = static_cast<uInt>(inflated_.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    raw_at_ = raw_size_ - stream.avail_in;
    const size_t produced = inflated_.size() - stream.avail_out;
    if (status == Z_STREAM_END) {
      inflateReset(&stream);  // another member may follow: gzip files may be concatenated
      in_member_ = false;
    } else if (status == Z_OK || status == Z_BUF_ERROR) {
      in_member_ = true;
    } else {
      ended_ = true;
      throw error(input_.name() + " is not a valid gzip stream: " +
                  (stream.msg != nullptr ? std::string(stream.msg) : "zlib error " + std::to_string(status)) +
                  ", at byte " + std::to_string(raw_before_ + raw_at_));
    }
    inflated_total_ += produced;
    if (inflated_total_ > max_inflated_) {
      ended_ = true;
      throw error(input_.name() + " inflates to more than " + std::to_string(max_inflated_) +
                  " bytes, the limit for compressed input (--max-inflated BYTES raises it)");
    }
    if (produced > 0) return {inflated_.data(), produced};
  }
}

struct DeflatingOutput::Zlib {
  z_stream stream{};
  bool open = false;
  std::string buffer = std::string(stream_chunk, '\0');
  ~Zlib() {
    if (open) deflateEnd(&stream);
  }
};

DeflatingOutput::DeflatingOutput(Output& output, bool compress) : output_(output) {
  if (!compress) return;
  zlib_ = std::make_unique<Zlib>();
  if (deflateInit2(&zlib_->stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw error("cannot start zlib's deflate");
  zlib_->open = true;
}

DeflatingOutput::~DeflatingOutput() = default;

void DeflatingOutput::append(std::string_view bytes) {
  if (!zlib_) return output_.append(bytes);
  if (!bytes.empty()) deflate_some(bytes, Z_NO_FLUSH);
}

void DeflatingOutput::finish() {
  if (zlib_) deflate_some({}, Z_FINISH);
  output_.flush();
}

void DeflatingOutput::deflate_some(std::string_view bytes, int flush) {
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

}  // namespace pyprefix::detail
