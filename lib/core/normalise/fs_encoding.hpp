// File names as Python sees them: UTF-8 with surrogate escapes.
#ifndef PYPREFIX_LIB_CORE_NORMALISE_FS_ENCODING_HPP
#define PYPREFIX_LIB_CORE_NORMALISE_FS_ENCODING_HPP

#include <string>
#include <string_view>

namespace pyprefix::detail {

// The code points of os.fsdecode(bytes) under CPython's UTF-8 file-system encoding: each byte
// that is not part of a well-formed UTF-8 sequence becomes the lone surrogate U+DC00 + byte.
// Sorting by these, not by bytes, is sorting as Python sorts the decoded strings.
std::u32string decode_file_name(std::string_view bytes);

// True when `bytes` decode without surrogate escapes. UTF-8 keeps code-point order in byte
// order, so well-formed names sort the same as bytes and as decoded strings.
bool is_well_formed_utf8(std::string_view bytes) noexcept;

// The inverse of decode_file_name for the code points it produces; other lone surrogates and
// values past U+10FFFF have no file-name bytes, and the result is empty with `ok` false.
std::string encode_file_name(std::u32string_view code_points, bool& ok);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_NORMALISE_FS_ENCODING_HPP
