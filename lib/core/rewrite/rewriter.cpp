// The Rewriter: paths under a prefix shortened wherever text or JSON holds them, streaming.
//
// The scan looks only at the bytes that can start a path: the widest vector scan the processor
// runs finds each '/' (slash_scan.hpp), and only a '/' after a byte that lets a path start costs
// a Trimmer lookup, which reads at most the
// longest prefix's length. Input is consumed up to the first candidate that lacks those bytes;
// the rest waits in `pending` for the next chunk, so memory is bounded by the lookahead, not by
// the length of a line. JSON strings are matched by their decoded bytes; a matched prefix
// always ends on a whole escape (it ends in '/'), so dropping its raw bytes keeps the JSON valid.
#include <pyprefix/rewriter.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>
#include <utility>

#include <pyprefix/error.hpp>

#include "core/json_escapes.hpp"
#include "core/normalise/fs_encoding.hpp"
#include "core/rewrite/input_kinds.hpp"
#include "core/rewrite/json_sniff.hpp"
#include "core/rewrite/pstats.hpp"
#include "core/rewrite/python_file.hpp"
#include "core/rewrite/record_rewriter.hpp"
#include "core/rewrite/slash_scan.hpp"

namespace pyprefix {
namespace {

using detail::ByteSet;

constexpr ByteSet byte_set(std::string_view members, bool whitespace) {
  ByteSet set{};
  for (char c : members) set[static_cast<unsigned char>(c)] = true;
  if (whitespace)
    for (char c : {' ', '\t', '\n', '\r', '\v', '\f'}) set[static_cast<unsigned char>(c)] = true;
  return set;
}

// The bytes after which a path may start (NUL too, which no path holds): never a letter, a
// digit or one of "/ . - _ ~", so
// that "/opt/usr/lib/..." and "x/usr/lib/..." are not taken for "/usr/lib/...".
constexpr ByteSet path_starts_after = byte_set(std::string_view("\"'([{<,;:=|@\0", 13), true);
// The bytes that end a path, for RewriteTo::module: "decoder.py:337", "x.py(12)", "x.py\", line",
// perf's "__init__.py+0xa".
constexpr ByteSet path_ends_at = byte_set(std::string_view("\"'()[]{}<>,;:=|@+\0", 18), true);

bool starts_after(char c) { return path_starts_after[static_cast<unsigned char>(c)]; }

// Every byte a path may follow where escapes may be (may_start_at): path_starts_after's, and
// those that may end an escape of a quoted string (\n \t \r \0 \xHH \uHHHH). A '/' after any
// other byte (inside a path: after a letter, '.', '-', '_', '~' or '/') is passed over at once.
constexpr ByteSet may_precede_escaped =
    byte_set(std::string_view("\"'([{<,;:=|@\0ntr0123456789abcdefABCDEF", 38), true);
// The same sets with '\\', which may begin an escaped slash ("\/"): what a '/' must follow to be
// looked at.
constexpr ByteSet with_backslash(ByteSet set) {
  set['\\'] = true;
  return set;
}
constexpr ByteSet slash_after_plain = with_backslash(path_starts_after);
constexpr ByteSet slash_after_escaped = with_backslash(may_precede_escaped);

// A longer path (PATH_MAX is 4096) keeps its short form under RewriteTo::module.
constexpr size_t longest_module_path = 4096;
// Output is handed to the sink in pieces of about this size.
constexpr size_t output_piece = 64u << 10;
// RewriteFormat::detect decides on this many bytes after leading whitespace (or fewer, at the end).
constexpr size_t detection_sample = 4096;

// One decoded character of a JSON string: up to four bytes, and how many raw bytes it took.
// Escapes with no file-name bytes (a lone surrogate outside U+DC80..U+DCFF, an unknown escape)
// decode to NUL, which no prefix holds.
struct Decoded {
  char bytes[4] = {};
  size_t size = 0;  // 0: the raw bytes end before the escape does
  size_t raw = 0;
};

// The \uXXXX at `at` (the backslash), or -1 when it is not one; -2 when `in` ends inside it
// (every hex digit there so far).
long hex_escape(std::string_view in, size_t at) {
  if (at < in.size() && in[at] != '\\') return -1;
  if (at + 1 >= in.size()) return -2;
  if (in[at + 1] != 'u') return -1;
  return detail::json_hex4(in, at + 2);
}

// One code point of a \u escape (or a pair of them) as file-name bytes, by fs_encoding's rule
// (U+DC80..U+DCFF are the undecodable bytes they escape); NUL when it names none.
Decoded code_point_bytes(char32_t code_point, size_t raw) {
  Decoded out;
  bool ok = false;
  const std::string bytes = detail::encode_file_name(std::u32string_view(&code_point, 1), ok);
  if (!ok) {
    out.size = 1;  // bytes[0] is already NUL
  } else {
    std::memcpy(out.bytes, bytes.data(), bytes.size());
    out.size = bytes.size();
  }
  out.raw = raw;
  return out;
}

// The character of a JSON string at `at` (not its closing quote), as file-name bytes: the
// surrogate escapes json.dumps writes for undecodable bytes (\udcff) become those bytes.
// `final`: nothing follows `in`, so an escape cut short is taken as it is.
Decoded decode_at(std::string_view in, size_t at, bool final) {
  Decoded out;
  if (in[at] != '\\') {
    out.bytes[0] = in[at];
    out.size = out.raw = 1;
    return out;
  }
  const auto unknown = [&](size_t raw) {
    out.bytes[0] = '\0';
    out.size = 1;
    out.raw = raw;
    return out;
  };
  if (at + 1 >= in.size()) return final ? unknown(in.size() - at) : out;
  if (const int simple = detail::json_simple_escape(in[at + 1]); simple >= 0) {
    out.bytes[0] = static_cast<char>(simple);
    out.size = 1;
    out.raw = 2;
    return out;
  }
  const long unit = hex_escape(in, at);
  if (unit == -2) return final ? unknown(in.size() - at) : out;
  if (unit < 0) return unknown(2);
  if (detail::json_high_surrogate(unit)) {
    const long low = hex_escape(in, at + 6);
    if (low == -2 && !final) return out;  // its low half may follow
    if (detail::json_low_surrogate(low)) return code_point_bytes(detail::json_surrogate_pair(unit, low), 12);
  }
  return code_point_bytes(static_cast<char32_t>(unit), 6);  // a lone high surrogate names no bytes
}

}  // namespace

struct Rewriter::State {
  const Trimmer& trimmer;
  Sink sink;
  RewriteOptions options;
  RewriteFormat format;
  size_t lookahead;                 // decoded bytes a candidate needs to be decided
  std::string pending;              // input not yet consumed; it starts where scanning may restart
  std::string out;                  // output not yet handed to the sink
  unsigned long long consumed = 0;  // input bytes before `pending`
  bool after_boundary = true;       // JSON: the byte before `pending` lets a path start
  std::string behind;               // text: the last bytes consumed before `pending`, for escapes
  bool pstats_detected = false;     // pstats by its first bytes, not by RewriteOptions::format
  bool in_string = false;           // JSON: `pending` starts inside a string
  bool finished = false;
  std::vector<std::string> warnings;
  std::string window;              // a candidate's decoded bytes (JSON), reused
  std::vector<size_t> window_raw;  // the raw offset after each of them
  std::string module;              // the last replacement's module name
  struct RecentFolder {
    std::string folder;  // a head up to its last '/' ("" matches no head: each starts with '/')
    size_t prefix = 0;   // the length of its longest prefix
  };
  std::array<RecentFolder, 4> recent_folders;  // prefix_length()'s, replaced in turn
  size_t next_recent = 0;
  const detail::SlashScan slash_scan = detail::widest_slash_scan();
  std::unique_ptr<detail::RecordRewriter> records;  // pprof and jitdump: their own rewriter

  State(const Trimmer& trimmer_, Sink sink_, RewriteOptions options_)
      : trimmer(trimmer_),
        sink(std::move(sink_)),
        options(options_),
        format(options_.format),
        lookahead(trimmer_.longest_prefix() + (options_.to == RewriteTo::module || options_.keep_width
                                                   ? longest_module_path + 2  // the path's end, two spaces
                                                   : 0)) {}

  void emit(std::string_view piece) {
    if (piece.empty()) return;
    if (piece.size() >= output_piece && out.empty()) return sink(piece);
    out.append(piece);
    if (out.size() >= output_piece) flush();
  }
  void flush() {
    if (out.empty()) return;
    sink(out);
    out.clear();
  }

  // The length of the longest prefix `head` (a candidate's first longest_prefix() bytes) starts
  // with. Every prefix ends in '/', so the answer depends only on `head` up to its last '/': the
  // last few folders are remembered with their answers, so that the paths of a folder met again
  // (a listing, a stack's frames and the native libraries between them) cost a compare, not a
  // lookup.
  size_t prefix_length(std::string_view head) {
    const void* slash = head.empty() ? nullptr : memrchr(head.data(), '/', head.size());
    if (slash == nullptr) return 0;  // every prefix ends in '/'
    const size_t folder = static_cast<size_t>(static_cast<const char*>(slash) - head.data()) + 1;
    for (const RecentFolder& recent : recent_folders)
      if (recent.folder.size() == folder && head.compare(0, folder, recent.folder) == 0) return recent.prefix;
    RecentFolder& replaced = recent_folders[next_recent++ % recent_folders.size()];
    replaced.folder.assign(head.data(), folder);
    replaced.prefix = folder - trimmer.trim(replaced.folder).size();
    return replaced.prefix;
  }

  // What the path in `candidate` (decoded bytes from a '/' that may start a path) becomes:
  // how many of its bytes are replaced, and by what. `whole`: nothing follows `candidate` in
  // the path's text (the input, or the JSON string, ends there) when it is shorter than the
  // lookahead.
  std::pair<size_t, std::string_view> replacement(std::string_view candidate, bool whole) {
    const size_t prefix = prefix_length(candidate.substr(0, trimmer.longest_prefix()));
    if (prefix == 0 || options.to != RewriteTo::module) return {prefix, {}};
    size_t end = prefix;
    while (end < candidate.size() && !path_ends_at[static_cast<unsigned char>(candidate[end])]) ++end;
    if (end == candidate.size() && !whole) return {prefix, {}};  // longer than any path
    const std::string_view path = candidate.substr(0, end);
    if (!detail::is_python_file(path)) return {prefix, {}};
    module = options.index->which(path).module;
    if (module.empty()) return {prefix, {}};
    return {end, module};
  }

  // Consumes a prefix of `in` (all of it when `final`), writing its output; returns its length.
  size_t process(std::string_view in, bool final) {
    return format == RewriteFormat::json ? process_json(in, final) : process_text(in, final);
  }

  // The byte `back` places before `pos` in `in` (behind `in`, from `behind`), or -1.
  int byte_before(std::string_view in, size_t pos, size_t back) const {
    if (back <= pos) return static_cast<unsigned char>(in[pos - back]);
    const size_t more = back - pos;
    return more <= behind.size() ? static_cast<unsigned char>(behind[behind.size() - more]) : -1;
  }

  // Text: whether a path may start at `pos` of `in`: at the input's start, after a byte that
  // lets one start, or right after an escape of a quoted string (\n \t \r \0 \xHH \uHHHH)
  // whose backslash no backslash precedes.
  bool may_start_at(std::string_view in, size_t pos) const {
    const int previous = byte_before(in, pos, 1);
    if (previous < 0) return consumed == 0 && pos == 0;
    if (starts_after(static_cast<char>(previous))) return true;
    auto escape_of = [&](size_t length) {  // the escape's backslash is `length` bytes back
      return byte_before(in, pos, length) == '\\' && byte_before(in, pos, length + 1) != '\\';
    };
    auto hex_at = [&](size_t back) {
      const int c = byte_before(in, pos, back);
      return c >= 0 && detail::json_hex_digit(static_cast<char>(c)) >= 0;
    };
    if ((previous == 'n' || previous == 't' || previous == 'r' || previous == '0') && escape_of(2)) return true;
    if (hex_at(1) && hex_at(2) && byte_before(in, pos, 3) == 'x' && escape_of(4)) return true;
    return hex_at(1) && hex_at(2) && hex_at(3) && hex_at(4) && byte_before(in, pos, 5) == 'u' && escape_of(6);
  }

  // Text: the candidate at `from`, its escaped slashes ("\/") decoded, into `window`: at most
  // `limit` bytes. True when `in` ended before the limit.
  bool decode_escaped_slashes(std::string_view in, size_t from, size_t limit) {
    window.clear();
    window_raw.clear();
    size_t at = from;
    while (at < in.size() && window.size() < limit) {
      const size_t raw = in[at] == '\\' && at + 1 < in.size() && in[at + 1] == '/' ? 2 : 1;
      at += raw;
      window.push_back(in[at - 1]);
      window_raw.push_back(at - from);
    }
    return at == in.size() && window.size() < limit;
  }

  size_t process_text(std::string_view in, bool final) {
    size_t emitted = 0, at = 0;
    auto consumed_up_to = [&](size_t end) {  // keeps what escapes need to be seen across chunks
      behind.append(in.substr(end >= 8 ? end - 8 : 0, std::min<size_t>(end, 8)));
      if (behind.size() > 8) behind.erase(0, behind.size() - 8);
      return end;
    };
    // Without a backslash in these bytes or the few behind them, no escape ends before a '/':
    // only the byte before it decides.
    const bool has_backslash =
        (!in.empty() && std::memchr(in.data(), '\\', in.size()) != nullptr) || behind.find('\\') != std::string::npos;
    const ByteSet& may_precede = has_backslash ? may_precede_escaped : path_starts_after;
    const ByteSet& slash_after = has_backslash ? slash_after_escaped : slash_after_plain;
    while (at < in.size()) {
      const size_t slash = detail::next_slash(in, at, slash_after, !has_backslash, slash_scan);
      if (slash == in.size()) break;
      at = slash + 1;
      // A path starts at its '/', or at the backslash of an escaped slash.
      const bool escaped = slash > 0 && in[slash - 1] == '\\';
      const size_t start = escaped ? slash - 1 : slash;
      if (start < emitted) continue;
      // next_slash() checked the byte before a '/'; an escaped one's backslash needs it too.
      if (escaped && start > 0 && !may_precede[static_cast<unsigned char>(in[start - 1])]) continue;
      if (!may_start_at(in, start)) continue;
      const size_t available = in.size() - start;
      const size_t needed = escaped ? 2 * lookahead : lookahead;
      if (available < needed && !final) {
        emit(in.substr(emitted, start - emitted));
        return consumed_up_to(start);
      }
      size_t replaced = 0;
      std::string_view by;
      if (escaped) {
        // The prefix first (most escaped slashes are URLs under none); the rest only for a match.
        decode_escaped_slashes(in, start, trimmer.longest_prefix());
        if (trimmer.trim(window).size() == window.size()) continue;
        const bool ended = decode_escaped_slashes(in, start, lookahead);
        const auto found_replacement = replacement(window, final && ended);
        by = found_replacement.second;
        replaced = found_replacement.first == 0 ? 0 : window_raw[found_replacement.first - 1];
      } else {
        std::tie(replaced, by) =
            replacement(in.substr(slash, std::min(available, lookahead)), final && available <= lookahead);
      }
      if (replaced == 0) continue;
      const size_t lost = replaced > by.size() ? replaced - by.size() : 0;  // a module name may be longer
      emit(in.substr(emitted, start - emitted));
      emit(by);
      emitted = at = start + replaced;
      if (options.keep_width) keep_width(in, start, lost, emitted, at);
    }
    // A backslash at the end may begin an escaped slash: it waits for the next bytes.
    const size_t end = !final && !in.empty() && in.back() == '\\' && emitted < in.size() ? in.size() - 1 : in.size();
    emit(in.substr(emitted, end - emitted));
    return consumed_up_to(end);
  }

  // RewriteOptions::keep_width: when two spaces follow the path just shortened by `lost` bytes
  // (it started at `start`; its rest begins at `emitted`), its rest and `lost` more spaces are
  // written now. The path's end and the two spaces must lie within the lookahead from its start,
  // so that the answer depends on no chunk border.
  void keep_width(std::string_view in, size_t start, size_t lost, size_t& emitted, size_t& at) {
    const size_t limit = std::min(in.size(), start + lookahead);
    size_t end = emitted;
    while (end < limit && !path_ends_at[static_cast<unsigned char>(in[end])]) ++end;
    if (end + 2 > limit || in[end] != ' ' || in[end + 1] != ' ') return;
    emit(in.substr(emitted, end - emitted));
    out.append(lost, ' ');
    emitted = at = end;
  }

  // Decodes the candidate at `from` into `window` (at most `lookahead` bytes, to the string's
  // end at most); false when `in` ends first and more may come.
  bool decode_window(std::string_view in, size_t from, bool final, bool& string_ends) {
    window.clear();
    window_raw.clear();
    string_ends = false;
    for (size_t at = from; window.size() < lookahead;) {
      if (at >= in.size()) return final;
      if (in[at] == '"') {
        string_ends = true;
        return true;
      }
      const Decoded one = decode_at(in, at, final);
      if (one.size == 0) return false;
      at += one.raw;
      for (size_t i = 0; i < one.size; ++i) {
        window.push_back(one.bytes[i]);
        window_raw.push_back(at - from);
      }
    }
    return true;
  }

  size_t process_json(std::string_view in, bool final) {
    size_t emitted = 0, at = 0;
    while (at < in.size()) {
      if (!in_string) {
        const void* quote = std::memchr(in.data() + at, '"', in.size() - at);
        if (quote == nullptr) {
          at = in.size();
          break;
        }
        at = static_cast<size_t>(static_cast<const char*>(quote) - in.data()) + 1;
        in_string = after_boundary = true;
        continue;
      }
      size_t next = at;  // the next byte that matters inside a string
      while (next < in.size() && in[next] != '"' && in[next] != '\\' && in[next] != '/') ++next;
      if (next > at) after_boundary = starts_after(in[next - 1]);
      if (next == in.size()) {
        at = next;
        break;
      }
      if (in[next] == '"') {
        in_string = false;
        after_boundary = true;
        at = next + 1;
        continue;
      }
      const Decoded one = decode_at(in, next, final);
      if (one.size == 0) {  // an escape cut short: wait for the rest
        emit(in.substr(emitted, next - emitted));
        return next;
      }
      if (one.size == 1 && one.bytes[0] == '/' && after_boundary) {
        bool string_ends = false;
        if (!decode_window(in, next, final, string_ends)) {
          emit(in.substr(emitted, next - emitted));
          return next;
        }
        const auto [replaced, by] = replacement(window, string_ends || final);
        if (replaced > 0) {
          emit(in.substr(emitted, next - emitted));
          emit(by);
          emitted = at = next + window_raw[replaced - 1];
          after_boundary = starts_after(window[replaced - 1]);
          continue;
        }
      }
      after_boundary = starts_after(one.bytes[one.size - 1]);
      at = next + one.raw;
    }
    emit(in.substr(emitted, at - emitted));
    return at;
  }

  // RewriteFormat::detect: true once the format is known (always, when `final`), from the first
  // 64 KiB: a binary input or a capture is refused before anything is written.
  bool detect(bool final) {
    if (pending.size() < detail::recognition_sample && !final) return false;
    const detail::InputKind kind =
        detail::recognise_input(std::string_view(pending).substr(0, detail::recognition_sample));
    if (kind.kind == detail::InputKind::Kind::refused) throw error("the input " + kind.why_refused);
    if (kind.kind == detail::InputKind::Kind::pprof || kind.kind == detail::InputKind::Kind::jitdump) {
      format = kind.kind == detail::InputKind::Kind::pprof ? RewriteFormat::pprof : RewriteFormat::jitdump;
      start_records();
      in_records([this] { records->write(pending); });
      pending.clear();
      return true;
    }
    if (kind.kind == detail::InputKind::Kind::pstats) {
      format = RewriteFormat::pstats;
      pstats_detected = true;
      return true;
    }
    const size_t first = pending.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (pending[first] != '{' && pending[first] != '[')) {
      format = RewriteFormat::text;
      return true;
    }
    format = detail::starts_as_json(std::string_view(pending).substr(first, detection_sample)) ? RewriteFormat::json
                                                                                               : RewriteFormat::text;
    return true;
  }

  // RewriteFormat::pprof and ::jitdump: a rewriter of the format's records.
  void start_records() {
    auto to_out = [this](std::string_view piece) { emit(piece); };
    records = format == RewriteFormat::pprof ? detail::pprof_rewriter(trimmer, options, warnings, to_out)
                                             : detail::jitdump_rewriter(trimmer, options, warnings, to_out);
  }

  // Refusals of a binary format, as the one line of a Rewriter's error.
  template <typename Step>
  void in_records(Step step) {
    try {
      step();
    } catch (const error& e) {
      throw error(std::string("the input ") + e.what());
    }
  }

  // RewriteFormat::pstats: the whole file is held, and rewritten at the end.
  void hold(std::string_view chunk) {
    if (pending.size() + chunk.size() > detail::max_pstats_bytes)
      throw error("the input is a pstats file larger than 64 MiB, which pyprefix does not hold to rewrite");
    pending.append(chunk);
  }

  // Feeds `chunk` after what is pending, consuming what can be decided.
  void feed(std::string_view chunk, bool final) {
    // A candidate cut by the end of `pending` needs at most this many more raw bytes (a JSON
    // escape is at most 6 raw bytes a decoded byte).
    const size_t step = 6 * lookahead + 16;
    size_t at = 0;
    for (;;) {
      if (pending.empty()) {
        const size_t used = process(chunk.substr(at), final);
        consumed += used;
        pending.assign(chunk.substr(at + used));
        return;
      }
      const size_t old = pending.size();
      const size_t take = std::min(chunk.size() - at, step);
      pending.append(chunk.data() + at, take);
      const size_t used = process(pending, final && at + take == chunk.size());
      consumed += used;
      if (used >= old) {  // what is left came from `chunk`: read it from there
        at += used - old;
        pending.clear();
      } else {
        pending.erase(0, used);
        at += take;
      }
      if (at == chunk.size()) return;
    }
  }
};

Rewriter::Rewriter(const Trimmer& trimmer, Sink sink, RewriteOptions options) {
  if (trimmer.flavour() == PathFlavour::windows)
    throw error("rewriting finds POSIX paths; a Windows list's paths are not looked for in text");
  if (options.to == RewriteTo::module && options.index == nullptr)
    throw error("rewriting to module names needs a CodeIndex (RewriteOptions::index)");
  if (!sink) throw error("a Rewriter needs a sink for its output");
  state_ = std::make_unique<State>(trimmer, std::move(sink), options);
}

Rewriter::~Rewriter() = default;
Rewriter::Rewriter(Rewriter&&) noexcept = default;
Rewriter& Rewriter::operator=(Rewriter&&) noexcept = default;

void Rewriter::write(std::string_view chunk) {
  State& state = *state_;
  if (state.finished) throw error("Rewriter::write() after finish()");
  if (state.format == RewriteFormat::detect) {
    state.pending.append(chunk);
    if (!state.detect(false)) return;
    chunk = {};
  }
  if (state.format == RewriteFormat::pstats) return state.hold(chunk);
  if (state.format == RewriteFormat::pprof || state.format == RewriteFormat::jitdump) {
    if (!state.records) state.start_records();
    state.in_records([&] { state.records->write(chunk); });
    return state.flush();
  }
  state.feed(chunk, false);
  state.flush();
}

void Rewriter::finish() {
  State& state = *state_;
  if (state.finished) return;
  if (state.format == RewriteFormat::detect) state.detect(true);
  if (state.format == RewriteFormat::pprof || state.format == RewriteFormat::jitdump) {
    if (!state.records) state.start_records();
    state.in_records([&] { state.records->finish(); });
    state.flush();
    state.finished = true;
    return;
  }
  if (state.format == RewriteFormat::pstats) {
    std::string rewritten;
    try {
      rewritten = detail::rewrite_pstats(state.trimmer, state.pending, state.options, state.warnings);
    } catch (const error& e) {
      if (!state.pstats_detected) throw error(std::string("the input ") + e.what());
      // Text that only starts as marshal does ("{(1, 2): ...}", a printed dictionary): nothing
      // was written yet, so it is rewritten as the text it is.
      state.format = RewriteFormat::text;
    }
    if (state.format == RewriteFormat::pstats) {
      state.emit(rewritten);
      state.pending.clear();
    }
  }
  state.feed({}, true);
  state.flush();
  state.finished = true;
  if (state.format == RewriteFormat::json && state.in_string)
    state.warnings.push_back("the input ends inside a JSON string (at byte " + std::to_string(state.consumed) +
                             "): rewritten as far as it goes");
}

RewriteFormat Rewriter::format() const noexcept { return state_->format; }

const std::vector<std::string>& Rewriter::warnings() const noexcept { return state_->warnings; }

std::string rewrite(const Trimmer& trimmer, std::string_view input, RewriteOptions options,
                    std::vector<std::string>* warnings) {
  std::string out;
  out.reserve(input.size());
  Rewriter rewriter(
      trimmer, [&out](std::string_view piece) { out.append(piece); }, options);
  rewriter.write(input);
  rewriter.finish();
  if (warnings != nullptr) *warnings = rewriter.warnings();
  return out;
}

}  // namespace pyprefix
