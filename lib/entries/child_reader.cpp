#include "entries/child_reader.hpp"

#include <cstdio>
#include <cstdlib>

#include <pyprefix/error.hpp>

#include "entries/compiled_cache.hpp"
#include "entries/reader_source.hpp"
#include "entries/records.hpp"
#include "spawn/child_process.hpp"

namespace pyprefix::detail {
namespace {

// The child's bootstrap: the only code it compiles on every start. It parses under Python 2 too,
// so that an old interpreter is named, not guessed; then it loads the child program (the
// reader with lib/entries/child_main.py) as this kind of interpreter compiled it before (its
// cache tag and bytecode magic name the file), or compiles it, and runs it. The cached file is
// trusted only in a folder of this user's that no one else may write to.
constexpr const char* bootstrap = R"PY(import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
code, cache = None, sys.argv[4]
if cache:
    import marshal
    cache += "-%s-%s.bin" % (sys.implementation.cache_tag, sys.modules["_frozen_importlib_external"].MAGIC_NUMBER.hex())
    try:
        status = os.stat(os.path.dirname(cache))
        if status.st_uid == os.getuid() and not status.st_mode & 0o022:
            with open(cache, "rb") as file:
                code = marshal.loads(file.read())
    except Exception:
        pass
fresh = type(code).__name__ != "code"
if fresh:
    code = compile(sys.argv[1], "<pyprefix child>", "exec")
exec(code, {"__name__": "pyprefix_reader", "CODE": code, "CACHE": cache, "FRESH": fresh})
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

// Runs the reader in the child that `request` starts (its argv holds the executable and its
// flags), behind the bootstrap, and parses its answer. `cache` as the bootstrap takes it.
RawEntries run_reader(ChildRequest request, const std::string& start, const std::string& cache,
                      const Options& options) {
  const std::string executable = request.argv.front();
  request.argv.insert(request.argv.end(),
                      {"-c", bootstrap, child_program_source, options.classify ? "classify" : "plain", start, cache});
  request.argv.insert(request.argv.end(), options.packages.begin(), options.packages.end());
  request.timeout = options.timeout;
  request.max_output = max_answer;
  request.answer_channel = true;
  const ChildResult child = run_child(request);
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

}  // namespace

RawEntries read_child_entries(const std::string& executable, const Options& options) {
  ChildRequest request;
  request.argv = {executable};
  if (options.isolated) request.argv.insert(request.argv.end(), {"-I", "-S"});
  const std::string cache = compiled_cache_folder();
  return run_reader(std::move(request), options.isolated ? "isolated" : "command",
                    cache.empty() ? cache : cache + "/reader-" + child_program_hash, options);
}

RawEntries read_process_entries(const TargetProcess& target, const Options& options) {
  ChildRequest request;
  request.argv = {target.executable};
  std::string start = "isolated";
  if (options.isolated) {
    request.argv.insert(request.argv.end(), {"-I", "-S"});
  } else {
    request.argv.insert(request.argv.end(), target.flags.begin(), target.flags.end());
    switch (target.first_entry.kind) {
      case FirstEntry::Kind::command:
        start = "prompt";
        break;
      case FirstEntry::Kind::module:
        start = "module";
        break;
      case FirstEntry::Kind::none:
        start = "command";
        break;
      case FirstEntry::Kind::script:
        start = "script:" + target.first_entry.script;
        break;
    }
  }
  request.environment = target.environment;
  request.view = target.view();
  request.identity = target.identity;
  // No cache: the child runs as another user, in another root, with that process's environment.
  RawEntries raw = run_reader(std::move(request), start, "", options);
  raw.diagnostics.insert(raw.diagnostics.begin(), target.diagnostics.begin(), target.diagnostics.end());
  raw.root_on_host = target.root_on_host;
  return raw;
}

}  // namespace pyprefix::detail
