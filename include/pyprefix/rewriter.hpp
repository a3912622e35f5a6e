// pyprefix: where Python code lives, for native profilers and C++ tracers.
//
// Paths inside real profiles: the Rewriter shortens every path under a prefix wherever text or
// JSON holds it (perf maps, tracebacks, cProfile listings, Chrome traces), and inside pstats,
// pprof and jitdump files in their own encoding, streaming. Core: no Python needed.
#ifndef PYPREFIX_REWRITER_HPP
#define PYPREFIX_REWRITER_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pyprefix/code_index.hpp>
#include <pyprefix/trimmer.hpp>

namespace pyprefix {

/// How a Rewriter reads its input.
///
/// Example:
///   pyprefix::RewriteOptions options;
///   options.format = pyprefix::RewriteFormat::json;  // a Chrome trace, whatever it starts with
enum class RewriteFormat : std::uint8_t {
  detect,   ///< by the first 64 KiB: pstats, jitdump, pprof, JSON (or JSON Lines) when it starts as JSON
            ///< does, else text; another binary input (a NUL byte, or a known format's magic bytes) is refused
  text,     ///< a path starts at a line's start or after a byte no path follows (space, quote, `(`, `:`...)
  json,     ///< paths inside JSON strings only, matched by their decoded value, the output valid JSON
  pstats,   ///< a pstats file (marshal: cProfile, profile, yappi), each function's file shortened; held whole
  pprof,    ///< pprof's Profile, uncompressed: each string only Function.filename names shortened
  jitdump,  ///< perf's jitdump: each code-load record's name rewritten as text, its size fixed
};

/// What a path under a prefix becomes.
///
/// Example:
///   pyprefix::RewriteOptions options;
///   options.to = pyprefix::RewriteTo::module;  // "/usr/lib/python3.11/json/decoder.py:337" -> "json.decoder:337"
enum class RewriteTo : std::uint8_t {
  short_path,  ///< the path without its longest matching prefix, as Trimmer::trim() shortens it
  module,      ///< a Python file's dotted module name (CodeIndex::which()); the short path otherwise
};

/// How a Rewriter reads and what it writes.
///
/// Example:
///   const pyprefix::CodeIndex index(pyprefix::read_manifest("capture.pyprefix.json"));
///   pyprefix::RewriteOptions options{pyprefix::RewriteFormat::detect, pyprefix::RewriteTo::module, &index};
struct RewriteOptions {
  RewriteFormat format = RewriteFormat::detect;
  RewriteTo to = RewriteTo::short_path;
  /// Names the modules for RewriteTo::module (required then; pyprefix::error otherwise). Not
  /// owned: it must outlive the Rewriter.
  const CodeIndex* index = nullptr;
  /// Text: a shortened path that two or more spaces follow gets as many more spaces as it lost,
  /// so that the columns of a fixed-width report (coverage's, memray's summary) stay aligned.
  bool keep_width = false;
};

/// Rewrites a stream of bytes: every byte passes unchanged except that each path under a
/// prefix loses its longest matching prefix (or becomes its module name). A path starts at the
/// start of the input or of a line, or after whitespace, `"`, `'`, `(`, `[`, `{`, `<`, `,`, `;`,
/// `:`, `=`, `|`, `@` or NUL; never after a letter, a digit or one of `/ . - _ ~`. In text, it also
/// starts right after an escape a quoted string holds (`\n`, `\t`, `\r`, `\0`, `\xHH`,
/// `\uHHHH`, whose backslash no backslash precedes), and a path written with escaped slashes
/// (`\/usr\/lib\/...`, JSON inside HTML) is matched by what they stand for. CRLF and
/// invalid UTF-8 pass through. With RewriteFormat::detect, a binary input (a NUL byte in its
/// first 64 KiB, or the magic bytes of a capture or a compressed or binary format) is refused:
/// write() or finish() throws pyprefix::error("the input is ...") before any output, and
/// RewriteFormat::text rewrites it all the same; a pstats file is rewritten in its own encoding.
/// Chunks may end anywhere, even inside a JSON escape; memory stays bounded whatever the length
/// of a line (but a pstats file, 64 MiB at most, is held whole). POSIX paths only: a Windows
/// Trimmer is refused.
/// Lifetimes: the Trimmer (and RewriteOptions::index) must outlive the Rewriter; each piece of
/// output given to the sink is valid only during that call.
///
/// Example:
///   pyprefix::Trimmer trimmer({"/usr/lib/python3.11/"});
///   std::string out;
///   pyprefix::Rewriter rewriter(trimmer, [&](std::string_view piece) { out.append(piece); });
///   rewriter.write("  File \"/usr/lib/python3.11/json/deco");
///   rewriter.write("der.py\", line 337, in decode\n");
///   rewriter.finish();  // out == "  File \"json/decoder.py\", line 337, in decode\n"
class Rewriter {
 public:
  /// Receives the output, in order, in pieces of any size.
  using Sink = std::function<void(std::string_view)>;

  /// Throws pyprefix::error for a Windows Trimmer, or for RewriteTo::module without an index.
  Rewriter(const Trimmer& trimmer, Sink sink, RewriteOptions options = {});
  ~Rewriter();
  Rewriter(Rewriter&&) noexcept;
  Rewriter& operator=(Rewriter&&) noexcept;

  /// The next bytes of the input. What can be decided is written to the sink before it returns
  /// (with RewriteFormat::detect, nothing until its first 64 KiB have come or the input ends).
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/"});
  ///   std::string out;
  ///   pyprefix::Rewriter rewriter(trimmer, [&](std::string_view piece) { out.append(piece); },
  ///   {pyprefix::RewriteFormat::text}); rewriter.write("/srv/app/main.py:12\n");  // out == "main.py:12\n"
  void write(std::string_view chunk);

  /// The end of the input: writes what is left. A JSON input that ends inside a string is
  /// rewritten as far as it goes, with a warning. Nothing may be written after it.
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/"});
  ///   pyprefix::Rewriter rewriter(trimmer, [](std::string_view) {});
  ///   rewriter.write("{\"file\": \"/srv/app/x.py");
  ///   rewriter.finish();  // rewriter.warnings(): the input ends inside a JSON string
  void finish();

  /// The format read: the one asked for, or, with RewriteFormat::detect, the one detected
  /// (detect until the first bytes other than whitespace have come).
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/"});
  ///   pyprefix::Rewriter rewriter(trimmer, [](std::string_view) {});
  ///   rewriter.write("[{\"name\": \"f\"}]");
  ///   rewriter.finish();
  ///   bool json = rewriter.format() == pyprefix::RewriteFormat::json;  // true
  RewriteFormat format() const noexcept;

  /// What finish() found wrong with the input, one line each (a truncated JSON document).
  ///
  /// Example:
  ///   pyprefix::Trimmer trimmer({"/srv/app/"});
  ///   pyprefix::Rewriter rewriter(trimmer, [](std::string_view) {});
  ///   rewriter.finish();
  ///   for (const std::string& line : rewriter.warnings()) std::fprintf(stderr, "warning: %s\n", line.c_str());
  const std::vector<std::string>& warnings() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The whole of `input` rewritten at once, as a Rewriter writes it; warnings, if wanted, into
/// `warnings`.
///
/// Example:
///   pyprefix::Trimmer trimmer({"/usr/lib/python3.11/"});
///   std::string out = pyprefix::rewrite(trimmer, "{\"f\": \"\\/usr\\/lib\\/python3.11\\/json\\/decoder.py\"}");
///   // out == "{\"f\": \"json\\/decoder.py\"}"
std::string rewrite(const Trimmer& trimmer, std::string_view input, RewriteOptions options = {},
                    std::vector<std::string>* warnings = nullptr);

}  // namespace pyprefix

#endif  // PYPREFIX_REWRITER_HPP
