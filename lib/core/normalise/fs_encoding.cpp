#include "core/normalise/fs_encoding.hpp"

namespace pyprefix::detail {
namespace {

constexpr char32_t escape_base = 0xDC00;

bool in_range(unsigned char byte, unsigned char low, unsigned char high) { return byte >= low && byte <= high; }

// The length of the well-formed UTF-8 sequence at the start of `bytes`, or 0. The ranges are
// those of Unicode's table 3-7, which CPython's strict decoder follows: no overlong forms, no
// encoded surrogates, nothing past U+10FFFF.
size_t sequence_length(std::string_view bytes) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = at(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  if (in_range(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (in_range(lead, 0xF0, 0xF4)) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    return 0;
  }
  if (bytes.size() < length || !in_range(at(1), second_low, second_high)) return 0;
  for (size_t i = 2; i < length; ++i)
    if (!in_range(at(i), 0x80, 0xBF)) return 0;
  return length;
}

}  // namespace

bool is_well_formed_utf8(std::string_view bytes) noexcept {
  for (size_t i = 0; i < bytes.size();) {
    const size_t length = static_cast<unsigned char>(bytes[i]) < 0x80 ? 1 : sequence_length(bytes.substr(i));
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::u32string decode_file_name(std::string_view bytes) {
  std::u32string code_points;
  code_points.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t length = sequence_length(bytes.substr(i));
    const auto lead = static_cast<unsigned char>(bytes[i]);
    if (length == 0) {
      code_points += static_cast<char32_t>(escape_base + lead);
      ++i;
      continue;
    }
    static constexpr unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t value = lead & lead_mask[length];
    for (size_t k = 1; k < length; ++k) value = (value << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3F);
    code_points += value;
    i += length;
  }
  return code_points;
}

std::string encode_file_name(std::u32string_view code_points, bool& ok) {
  std::string bytes;
  ok = true;
  for (char32_t value : code_points) {
    if (value >= escape_base + 0x80 && value <= escape_base + 0xFF) {
      bytes += static_cast<char>(value - escape_base);
    } else if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
      ok = false;
      return {};
    } else if (value < 0x80) {
      bytes += static_cast<char>(value);
    } else if (value < 0x800) {
      bytes += static_cast<char>(0xC0 | (value >> 6));
      bytes += static_cast<char>(0x80 | (value & 0x3F));
    } else if (value < 0x10000) {
      bytes += static_cast<char>(0xE0 | (value >> 12));
      bytes += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
      bytes += static_cast<char>(0x80 | (value & 0x3F));
    } else {
      bytes += static_cast<char>(0xF0 | (value >> 18));
      bytes += static_cast<char>(0x80 | ((value >> 12) & 0x3F));
      bytes += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
      bytes += static_cast<char>(0x80 | (value & 0x3F));
    }
  }
  return bytes;
}

}  // namespace pyprefix::detail
