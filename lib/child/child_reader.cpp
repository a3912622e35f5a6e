#include "child/child_reader.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <pyprefix/error.hpp>

#include "child/child_process.hpp"
#include "child/child_program_source.hpp"
#include "child/executable.hpp"
#include "child/python_command_line.hpp"
#include "core/confine/trusted_path.hpp"
#include "core/entries/compiled_cache.hpp"
#include "core/entries/records.hpp"
#include "core/normalise/posix_path.hpp"

namespace pyprefix::detail {
namespace {

// The child's bootstrap: the only code it compiles on every start. It parses under Python 2 too,
// so that an old interpreter is named, not guessed; then it loads the child program (the
// reader with lib/child/child_main.py) as this kind of interpreter compiled it before (its
// cache tag and bytecode magic name the file), or compiles it, and runs it. The cache folder
// comes open as descriptor 4, checked by open_compiled_cache(); its 4194304 is max_cached_file.
constexpr const char* bootstrap = R"PY(import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
code, cache = None, sys.argv[4]
if cache:
    import marshal
    cache += "-%s-%s.bin" % (sys.implementation.cache_tag, sys.modules["_frozen_importlib_external"].MAGIC_NUMBER.hex())
    try:
        # read_cached()'s rule (compiled_cache.cpp), in the folder pyprefix opened as descriptor 4.
        file = os.open(cache, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=4)
        try:
            status = os.fstat(file)
            if status.st_mode & 0o170022 == 0o100000 and status.st_uid == os.geteuid() and status.st_nlink == 1 \
                    and status.st_size <= 4194304:
                code = marshal.loads(os.read(file, status.st_size + 1))
        finally:
            os.close(file)
    except Exception:
        pass
fresh = type(code).__name__ != "code"
if fresh:
    code = compile(sys.argv[1], "<pyprefix child>", "exec")
exec(code, {"__name__": "pyprefix_reader", "CODE": code, "CACHE": cache, "FRESH": fresh})
)PY";

// The last line a failing Python printed: the exception, below its traceback.
std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);  // npos + 1 == 0: a single line
}

// Why the child gave no usable answer, in one line.
[[noreturn]] void throw_no_answer(const std::string& executable, const ChildResult& child,
                                  std::chrono::milliseconds timeout) {
  const std::string name = "'" + executable + "'";
  switch (child.ending) {
    case ChildResult::Ending::timed_out:
      throw error(name + " did not answer within " + seconds_text(timeout) + " s");
    case ChildResult::Ending::too_much_output:
      throw error(name + " printed more than " + std::to_string(max_child_answer_bytes >> 20) + " MiB");
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
// flags), behind the bootstrap, and parses its answer. `cache`, the file's name in the folder
// `cache_folder` (-1: no cache), as the bootstrap takes it; `name` is the Python for messages.
RawEntries run_reader(ChildRequest request, const std::string& name, const std::string& start, int cache_folder,
                      const Options& options) {
  const std::string cache = cache_folder >= 0 ? std::string("reader-") + child_program_hash : std::string();
  request.argv.insert(request.argv.end(),
                      {"-c", bootstrap, child_program_source, options.classify ? "classify" : "plain", start, cache});
  request.argv.insert(request.argv.end(), options.packages.begin(), options.packages.end());
  request.passed_descriptor = cache_folder;
  request.timeout = options.timeout;
  request.max_output = max_child_answer_bytes;
  request.answer_channel = true;
  const ChildResult child = run_child(request);
  // A host that ignores SIGCHLD or reaps every child leaves no exit status: the answer's own
  // end record then tells a complete answer from a cut-off one.
  const bool finished = (child.ending == ChildResult::Ending::exited && child.status == 0) ||
                        child.ending == ChildResult::Ending::reaped_elsewhere;
  if (!finished || child.answer.empty()) throw_no_answer(name, child, options.timeout);
  const std::string quoted = "'" + name + "'";
  const std::string too_old = "pyprefix-reader-too-old ";
  if (child.answer.rfind(too_old, 0) == 0)
    throw error(quoted + " is Python " + child.answer.substr(too_old.size(), child.answer.find('\0') - too_old.size()) +
                "; pyprefix needs 3.8 or newer");
  return parse_records(child.answer, quoted, child_answer_limits);
}

// Why an interpreter may have been made what it is by another user than this one (or root),
// or "": its executable, a venv's pyvenv.cfg and the home it names, its prefix's lib folder and
// the standard libraries there. Such an interpreter runs that user's code as it starts, before
// -I or -S can help.
std::string why_interpreter_untrusted(const std::string& executable) {
  const uid_t user = geteuid();
  const std::string path = abspath(executable, current_directory());
  std::string why = why_untrusted(path, user);
  const std::string folder = path.substr(0, path.rfind('/'));
  for (const std::string& config : {folder + "/pyvenv.cfg", folder.substr(0, folder.rfind('/')) + "/pyvenv.cfg"}) {
    std::ifstream file(config);
    if (!why.empty() || !file) continue;
    why = why_untrusted(config, user);
    for (std::string line; why.empty() && std::getline(file, line);) {
      const size_t equals = line.find('=');
      if (line.compare(0, 4, "home") == 0 && equals != std::string::npos &&
          line.find_first_not_of(" \t", 4) == equals) {
        const size_t start = line.find_first_not_of(" \t", equals + 1);
        if (start != std::string::npos)
          why = why_untrusted(line.substr(start, line.find_last_not_of(" \t\r") + 1 - start), user);
      }
    }
  }
  char real[PATH_MAX];
  if (why.empty() && realpath(path.c_str(), real) != nullptr) {
    const std::string binary = real;
    const std::string prefix = binary.substr(0, binary.rfind('/', binary.rfind('/') - 1));
    const std::string lib = prefix + "/lib";
    struct stat status {};
    if (stat(lib.c_str(), &status) == 0) why = why_untrusted(lib, user);
    if (DIR* listing = why.empty() ? opendir(lib.c_str()) : nullptr) {
      while (const dirent* entry = readdir(listing))
        if (why.empty() && std::strncmp(entry->d_name, "python3", 7) == 0)
          why = why_untrusted(lib + "/" + entry->d_name, user);
      closedir(listing);
    }
  }
  return why;
}

}  // namespace

RawEntries read_child_entries(const std::string& executable, const Options& options) {
  if (const std::string why = why_interpreter_untrusted(executable); !why.empty())
    throw error("refusing to run '" + executable + "' as user " + std::to_string(geteuid()) + ": " + why +
                " (run pyprefix as that user)");
  ChildRequest request;
  request.argv = {executable};
  if (options.isolated) request.argv.insert(request.argv.end(), {"-I", "-S"});
  const FileDescriptor cache = open_compiled_cache();
  return run_reader(std::move(request), executable, options.isolated ? "isolated" : "command", cache.get(), options);
}

namespace {

// How child_main.py imitates a start: its `start` argument for how sys.path[0] came about.
std::string start_for(const FirstEntry& first_entry, bool isolated) {
  if (isolated)  // -I puts nothing first but a folder or zip file run as a script
    return first_entry.kind == FirstEntry::Kind::script ? "isolated:" + first_entry.script : "isolated";
  switch (first_entry.kind) {
    case FirstEntry::Kind::command:
      return "prompt";
    case FirstEntry::Kind::module:
      return "module";
    case FirstEntry::Kind::none:
      return "command";
    case FirstEntry::Kind::script:
      return "script:" + first_entry.script;
  }
  return "command";
}

}  // namespace

RawEntries read_program_entries(const Options& options) {
  const std::string& folder = options.working_directory;
  auto in_folder = [&folder](const std::string& path) {
    return folder.empty() || path.empty() || path[0] == '/' ? path : folder + "/" + path;
  };
  const std::string& python = options.program.front();
  // Absolute: the path checked below is the path run, whatever folder the child starts in.
  const std::string executable =
      abspath(find_executable(python.find('/') == std::string::npos ? python : in_folder(python)), current_directory());
  if (const std::string why = why_interpreter_untrusted(executable); !why.empty())
    throw error("refusing to run '" + executable + "' as user " + std::to_string(geteuid()) + ": " + why +
                " (run pyprefix as that user)");
  if (!folder.empty()) {
    struct stat status {};
    if (stat(folder.c_str(), &status) != 0 || !S_ISDIR(status.st_mode))
      throw error("the program's working folder '" + folder + "' is not a folder");
  }
  const PythonCommandLine command_line = read_python_command_line(options.program);
  if (command_line.first_entry.kind == FirstEntry::Kind::script) {
    struct stat status {};
    if (stat(in_folder(command_line.first_entry.script).c_str(), &status) != 0)
      throw error("the program's script '" + command_line.first_entry.script + "' cannot be opened" +
                  (folder.empty() ? std::string() : " in '" + folder + "'") + ": " + std::strerror(errno));
  }
  ChildRequest request;
  request.argv = {executable};
  request.argv.insert(request.argv.end(), command_line.options.begin(), command_line.options.end());
  if (options.isolated) request.argv.insert(request.argv.end(), {"-I", "-S"});
  if (!folder.empty()) request.working_directory = folder;
  // The program's own start is imitated, so no compiled reader is kept for it: its options
  // (-X, -W, -O) may differ from the cached one's.
  return run_reader(std::move(request), executable, start_for(command_line.first_entry, options.isolated), -1, options);
}

RawEntries read_process_entries(const TargetProcess& target, const Options& options) {
  ChildRequest request;
  request.argv = {target.started_as};
  if (options.isolated)
    request.argv.insert(request.argv.end(), {"-I", "-S"});
  else
    request.argv.insert(request.argv.end(), target.flags.begin(), target.flags.end());
  const std::string start = start_for(target.first_entry, options.isolated);
  request.environment = target.environment;
  request.executable = target.executable.get();
  request.search = target.search;
  request.confinement = target.confinement();
  // No cache: the child runs as another user, in another root, with that process's environment.
  RawEntries raw = run_reader(std::move(request), target.name, start, -1, options);
  raw.root_on_host = target.root_on_host;
  return raw;
}

}  // namespace pyprefix::detail
