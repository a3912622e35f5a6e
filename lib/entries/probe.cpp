#include "entries/probe.hpp"

#include <cstdio>

#include <pyprefix/error.hpp>

#include "entries/raw_entries.hpp"
#include "interpreter/child_process.hpp"

namespace pyprefix::detail {
namespace {

// Runs first, and parses under Python 2 too, so that an old interpreter is named, not guessed.
constexpr const char* prologue = R"PY(import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-probe-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
exec(sys.argv[1])
)PY";

// The reader: read_raw_entries() in Python, for the interpreter it runs in. Each record on
// file descriptor 3 ends with a NUL, which no entry can hold: "pyprefix-probe 1", then
// E<source digit><bytes>, D<diagnostic> or X<error>, and "end".
constexpr const char* reader = R"PY(
answer = os.fdopen(3, "wb")

def record(text):
    answer.write((text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")) + b"\0")

if sys.flags.isolated:
    # Started with -I -S: what site.main() does, but .pth files are read for their directories
    # without running their import lines, and sitecustomize and usercustomize are not imported.
    import site
    site.exec = lambda *arguments, **keywords: None
    site.execsitecustomize = site.execusercustomize = lambda: None
    site.main()
elif not getattr(sys.flags, "safe_path", False):
    del sys.path[0]  # the '' that -c puts first

import site

def find_spec(name):
    """importlib.util.find_spec(name) for a top-level name, step for step, without importing
    importlib.util, whose imports (contextlib, collections, functools) cost 4 to 6 ms."""
    if name in sys.modules:
        module = sys.modules[name]
        if module is None:
            return None
        spec = getattr(module, "__spec__", None)
        if spec is None:
            raise ValueError("%s.__spec__ is None" % name)
        return spec
    import importlib._bootstrap
    return importlib._bootstrap._find_spec(name, None)

def describe(exception):
    text = str(exception)
    return type(exception).__name__ + (": " + text.splitlines()[0] if text else "")

def entry_bytes(entry):
    """(bytes, None) for an entry, or (None, why) when it is skipped."""
    if not isinstance(entry, (str, bytes)):
        if not hasattr(type(entry), "__fspath__"):
            return None, type(entry).__name__ + " is not str, bytes or os.PathLike"
        try:
            entry = os.fspath(entry)
        except Exception as e:
            return None, "os.fspath() raised " + describe(e)
    if isinstance(entry, bytes):
        entry = os.fsdecode(entry)
    if "\0" in entry:
        return None, "it contains a NUL character"
    try:
        return os.fsencode(entry), None
    except Exception as e:
        return None, "os.fsencode() raised " + describe(e)

def add(entry, source, where):
    path, why = entry_bytes(entry)
    record(b"E" + source + path if why is None else "D" + where + " skipped: " + why)

def add_each(entries, source, where):
    if not isinstance(entries, (list, tuple)):
        raise Failure(where + " is a " + type(entries).__name__ + ", not a list")
    for index, entry in enumerate(tuple(entries)):
        add(entry, source, "%s[%d]" % (where, index))

def call(function):
    try:
        return getattr(site, function)()
    except Exception as e:
        raise Failure("site.%s() raised %s" % (function, describe(e)))

def add_package_root(name):
    if not name.isidentifier():
        raise Failure("invalid package name '%s': give a top-level module name, such as torch" % name)
    where = "package '%s'" % name
    try:
        spec = find_spec(name)
    except Exception as e:
        record("D%s skipped: importlib.util.find_spec() raised %s" % (where, describe(e)))
        return
    if spec is None:
        record("D%s not found" % where)
        return
    if spec.submodule_search_locations is not None:
        locations = list(spec.submodule_search_locations)
    elif spec.has_location:
        locations = [spec.origin]
    else:
        return
    for location in locations:
        path, why = entry_bytes(location)
        record(b"E4" + os.path.dirname(path) if why is None else "D" + where + " location skipped: " + why)

def add_classifying_folders():
    import sysconfig
    zip_name = "python%d%d.zip" % sys.version_info[:2]
    add(os.path.join(sys.base_prefix, getattr(sys, "platlibdir", "lib"), zip_name), b"5", "the stdlib zip")
    for name in ("stdlib", "platstdlib"):
        add(sysconfig.get_path(name), b"5", "sysconfig.get_path('%s')" % name)
    shared = sysconfig.get_config_var("DESTSHARED")
    if shared is not None:
        add(shared, b"5", "sysconfig.get_config_var('DESTSHARED')")
    for scheme in sysconfig.get_scheme_names():
        if scheme.startswith(("nt", "osx")):  # Windows' and macOS frameworks' schemes
            continue
        for key in ("purelib", "platlib"):
            where = "sysconfig.get_path('%s', '%s')" % (key, scheme)
            try:
                add(sysconfig.get_path(key, scheme), b"6", where)
            except Exception as e:
                record("D%s skipped: it raised %s" % (where, describe(e)))

class Failure(Exception):
    pass

record("pyprefix-probe 1")
try:
    add_each(call("getsitepackages"), b"0", "site.getsitepackages()")
    if not hasattr(sys, "path"):
        raise Failure("sys.path is missing")
    add_each(sys.path, b"1", "sys.path")
    add(call("getuserbase"), b"2", "site.getuserbase()")
    add(call("getusersitepackages"), b"3", "site.getusersitepackages()")
    for name in sys.argv[2:]:
        if name != "--classify":
            add_package_root(name)
    if "--classify" in sys.argv[2:]:
        add_classifying_folders()
    record("end")
except Failure as failure:
    record("X" + str(failure))
answer.close()
)PY";

constexpr size_t max_answer = 256u << 20;

// The last line a failing Python printed: the exception, below its traceback.
std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);  // npos + 1 == 0: a single line
}

// A record's text as one line: the answer comes from a program pyprefix does not trust.
std::string one_line(const std::string& text) { return text.substr(0, text.find('\n')); }

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
    case ChildResult::Ending::exited:
      break;
  }
  if (child.status != 0) {
    const std::string detail = last_line(child.err);
    throw error(name + " exited with status " + std::to_string(child.status) + (detail.empty() ? "" : ": " + detail));
  }
  throw error(name + " is not a Python 3 interpreter: it gave no answer");
}

static_assert(static_cast<int>(Source::package_root) == 4 && static_cast<int>(Source::install_scheme) == 6,
              "the reader numbers the sources 0 to 6 in their declaration order");

RawEntries parse_answer(const std::string& executable, const std::string& answer) {
  const std::string name = "'" + executable + "'";
  const std::string too_old = "pyprefix-probe-too-old ";
  if (answer.rfind(too_old, 0) == 0)
    throw error(name + " is Python " + answer.substr(too_old.size(), answer.find('\0') - too_old.size()) +
                "; pyprefix needs 3.8 or newer");
  const std::string unreadable = name + " gave an answer pyprefix cannot read";
  std::vector<std::string> records;
  for (size_t start = 0; start < answer.size();) {
    const size_t end = answer.find('\0', start);
    if (end == std::string::npos) throw error(unreadable + " (it is cut off)");
    records.push_back(answer.substr(start, end - start));
    start = end + 1;
  }
  if (records.empty() || records.front() != "pyprefix-probe 1") throw error(unreadable);
  RawEntries raw;
  for (size_t i = 1; i < records.size(); ++i) {
    const std::string& item = records[i];
    if (item == "end" && i + 1 == records.size()) return raw;
    if (item.size() >= 2 && item[0] == 'E' && item[1] >= '0' && item[1] <= '6')
      raw.entries.push_back({item.substr(2), static_cast<Source>(item[1] - '0')});
    else if (item.size() > 1 && item[0] == 'D')
      raw.diagnostics.push_back(one_line(item.substr(1)));
    else if (item.size() > 1 && item[0] == 'X')
      throw error(one_line(item.substr(1)));
    else
      throw error(unreadable);
  }
  throw error(unreadable + " (it is cut off)");
}

}  // namespace

RawEntries probe_raw_entries(const std::string& executable, const Options& options) {
  ChildRequest child_request;
  child_request.argv = {executable};
  if (options.isolated) child_request.argv.insert(child_request.argv.end(), {"-I", "-S"});
  child_request.argv.insert(child_request.argv.end(), {"-c", prologue, reader});
  if (options.classify) child_request.argv.push_back("--classify");  // never a package name: not an identifier
  child_request.argv.insert(child_request.argv.end(), options.packages.begin(), options.packages.end());
  child_request.timeout = options.timeout;
  child_request.max_output = max_answer;
  child_request.answer_channel = true;
  const ChildResult child = run_child(child_request);
  if (child.ending != ChildResult::Ending::exited || child.status != 0 || child.answer.empty())
    throw_no_answer(executable, child, options.timeout);
  return parse_answer(executable, child.answer);
}

}  // namespace pyprefix::detail
