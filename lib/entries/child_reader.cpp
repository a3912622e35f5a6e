#include "entries/child_reader.hpp"

#include <cstdio>

#include <pyprefix/error.hpp>

#include "entries/reader_source.hpp"
#include "entries/records.hpp"
#include "spawn/child_process.hpp"

namespace pyprefix::detail {
namespace {

// The child's own prologue around the reader. It parses under Python 2 too, so that an old
// interpreter is named, not guessed; then it sets up what a plain `python` start would have
// and runs the reader: argv is [-c, reader source, "classify" or "plain", package names...].
constexpr const char* prologue = R"PY(import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
if sys.flags.isolated:
    # Started with -I -S: what site.main() does, but .pth files are read for their directories
    # without running their import lines, and sitecustomize and usercustomize are not imported.
    import site
    setattr(site, "exec", lambda *arguments, **keywords: None)  # site.exec would not parse in Python 2
    site.execsitecustomize = site.execusercustomize = lambda: None
    site.main()
elif not getattr(sys.flags, "safe_path", False):
    del sys.path[0]  # the '' that -c puts first
reader = {"__name__": "pyprefix_reader"}
exec(compile(sys.argv[1], "<pyprefix reader>", "exec"), reader)
answer = os.fdopen(3, "wb")
answer.write(reader["read"](sys.argv[3:], sys.argv[2] == "classify"))
answer.close()
)PY";

constexpr size_t max_answer = 256u << 20;

// The last line a failing Python printed: the exception, below its traceback.
std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);  // npos + 1 == 0: a single line
}

std::string seconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

// Why the child gave no usable answer, in one line.
[[noreturn]] void throw_no_answer(const std::string& executable, const ChildResult& child,
                                  std::chrono::milliseconds timeout) {
  const std::string name = "'" + executable + "'";
  switch (child.ending) {
    case ChildResult::Ending::timed_out:
      throw error(name + " did not answer within " + seconds(timeout) + " s");
    case ChildResult::Ending::too_much_output:
      throw error(name + " printed more than " + std::to_string(max_answer >> 20) + " MiB");
    case ChildResult::Ending::signalled:
      throw error(name + " was killed by signal " + std::to_string(child.status));
    case ChildResult::Ending::reaped_elsewhere:
      throw error(name + " ended without a complete answer (its exit status went to another part of this process)");
    case ChildResult::Ending::exited:
      break;
  }
  if (child.status != 0) {
    const std::string detail = last_line(child.err);
    throw error(name + " exited with status " + std::to_string(child.status) + (detail.empty() ? "" : ": " + detail));
  }
  throw error(name + " is not a Python 3 interpreter: it gave no answer");
}

}  // namespace

RawEntries read_child_entries(const std::string& executable, const Options& options) {
  ChildRequest child_request;
  child_request.argv = {executable};
  if (options.isolated) child_request.argv.insert(child_request.argv.end(), {"-I", "-S"});
  child_request.argv.insert(child_request.argv.end(),
                            {"-c", prologue, reader_source, options.classify ? "classify" : "plain"});
  child_request.argv.insert(child_request.argv.end(), options.packages.begin(), options.packages.end());
  child_request.timeout = options.timeout;
  child_request.max_output = max_answer;
  child_request.answer_channel = true;
  const ChildResult child = run_child(child_request);
  // A host that ignores SIGCHLD or reaps every child leaves no exit status: the answer's own
  // end record then tells a complete answer from a cut-off one.
  const bool finished = (child.ending == ChildResult::Ending::exited && child.status == 0) ||
                        child.ending == ChildResult::Ending::reaped_elsewhere;
  if (!finished || child.answer.empty()) throw_no_answer(executable, child, options.timeout);
  const std::string name = "'" + executable + "'";
  const std::string too_old = "pyprefix-reader-too-old ";
  if (child.answer.rfind(too_old, 0) == 0)
    throw error(name + " is Python " + child.answer.substr(too_old.size(), child.answer.find('\0') - too_old.size()) +
                "; pyprefix needs 3.8 or newer");
  return parse_records(child.answer, name);
}

}  // namespace pyprefix::detail
