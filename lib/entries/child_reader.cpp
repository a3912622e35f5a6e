#include "entries/child_reader.hpp"

#include <cstdio>
#include <cstdlib>

#include <pyprefix/error.hpp>

#include "entries/reader_source.hpp"
#include "entries/records.hpp"
#include "spawn/child_process.hpp"

namespace pyprefix::detail {
namespace {

// The child's own prologue around the reader. It parses under Python 2 too, so that an old
// interpreter is named, not guessed; then it sets up what the start being imitated would have
// and runs the reader. argv is [-c, reader source, "classify" or "plain", start, cache, package
// names...]. cache ("" for none) names the file that keeps the reader compiled by this kind of
// interpreter (its cache tag and bytecode magic are appended), so that only the first start
// compiles it: it is trusted only in a folder of this user's that no one else may write to.
// start is one of
//   isolated       `-I -S` were given: run site as `-I` would, but without running .pth import
//                  lines, sitecustomize or usercustomize
//   command        a plain `python` start: drop the '' that -c puts first
//   prompt         a process started with -c, - or no script: keep that ''
//   module         a process started with -m: the working directory first
//   script:PATH    a process started with a script: the script's real folder first (a folder or
//                  zip file run as a script is put first itself)
// (-I and -P, and PYTHONSAFEPATH, put nothing first, for the child as for the process.)
constexpr const char* prologue = R"PY(import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
start = sys.argv[3]
if start == "isolated":
    import site
    setattr(site, "exec", lambda *arguments, **keywords: None)  # site.exec would not parse in Python 2
    site.execsitecustomize = site.execusercustomize = lambda: None
    site.main()
elif not (sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
    if start == "command":
        del sys.path[0]
    elif start == "module":
        sys.path[0] = os.getcwd()
    elif start.startswith("script:"):
        script = start[7:]
        if not os.path.isdir(script):
            import zipimport
            try:
                zipimport.zipimporter(script)
            except Exception:
                script = os.path.dirname(os.path.realpath(script))
        sys.path[0] = script
code, cache = None, sys.argv[4]
if cache:
    import marshal
    folder = os.path.dirname(cache)
    cache += "-%s-%s.bin" % (sys.implementation.cache_tag, sys.modules["_frozen_importlib_external"].MAGIC_NUMBER.hex())
    def trusted():
        status = os.stat(folder)
        return status.st_uid == os.getuid() and not status.st_mode & 0o022
    try:
        if trusted():
            with open(cache, "rb") as file:
                code = marshal.loads(file.read())
    except Exception:
        pass
    if type(code).__name__ != "code":
        code = None
if code is None:
    code = compile(sys.argv[1], "<pyprefix reader>", "exec")
    if cache:
        try:
            os.makedirs(folder, 0o700, exist_ok=True)
            if trusted():
                part = "%s.%d" % (cache, os.getpid())
                with open(part, "wb") as file:
                    file.write(marshal.dumps(code))
                os.replace(part, cache)
        except Exception:
            pass  # no cache: compiled again next time
reader = {"__name__": "pyprefix_reader"}
exec(code, reader)
answer = os.fdopen(3, "wb")
answer.write(reader["read"](sys.argv[5:], sys.argv[2] == "classify"))
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

// Where children of this user keep the compiled reader: PYPREFIX_CACHE_DIR (empty: nowhere),
// else $XDG_CACHE_HOME/pyprefix, else $HOME/.cache/pyprefix; "" when there is no such place.
std::string reader_cache() {
  std::string folder;
  if (const char* chosen = std::getenv("PYPREFIX_CACHE_DIR"))
    folder = chosen;
  else if (const char* cache_home = std::getenv("XDG_CACHE_HOME"); cache_home != nullptr && *cache_home == '/')
    folder = std::string(cache_home) + "/pyprefix";
  else if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    folder = std::string(home) + "/.cache/pyprefix";
  return folder.empty() || folder.front() != '/' ? std::string() : folder + "/reader-" + reader_source_hash;
}

// Runs the reader in the child that `request` starts (its argv holds the executable and its
// flags), behind the prologue, and parses its answer. `cache` as the prologue takes it.
RawEntries run_reader(ChildRequest request, const std::string& start, const std::string& cache,
                      const Options& options) {
  const std::string executable = request.argv.front();
  request.argv.insert(request.argv.end(),
                      {"-c", prologue, reader_source, options.classify ? "classify" : "plain", start, cache});
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
  return run_reader(std::move(request), options.isolated ? "isolated" : "command", reader_cache(), options);
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
