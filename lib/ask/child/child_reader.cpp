#include "ask/child/child_reader.hpp"

#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include <pyprefix/error.hpp>

#include "ask/child/child_process.hpp"
#include "ask/child/child_program_source.hpp"
#include "ask/child/executable.hpp"
#include "ask/child/python_command_line.hpp"
#include "core/confine/trusted_path.hpp"
#include "core/entries/compiled_cache.hpp"
#include "core/entries/records.hpp"
#include "core/normalise/posix_path.hpp"

namespace pyprefix::detail {
namespace {

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

// The child program as this interpreter compiles it, kept in the compiled-reader cache under a
// name for this program and the interpreter's executable file (its real path, device, inode,
// size and time). Every rule of the cache is compiled_cache.cpp's: pyprefix reads the file and
// hands its bytes to the child in a memory file on descriptor 4. What is cached is compiled only
// by an isolated child (-I -S: compile.py), which runs nothing of the environment; the child
// that reads never writes the cache. The bytes begin with the compiling interpreter's bytecode
// magic, which the bootstrap checks before it loads them: a wrapper script (pyenv's shims) may
// run another Python under the same file, and then compiles for itself.
class CompiledChildProgram {
 public:
  CompiledChildProgram() = default;
  CompiledChildProgram(const std::string& executable, std::chrono::milliseconds timeout) {
    const FileDescriptor folder = open_compiled_cache();
    char real[PATH_MAX];
    struct stat status {};
    if (folder.get() < 0 || realpath(executable.c_str(), real) == nullptr || stat(real, &status) != 0) return;
    char identity[128];
    std::snprintf(identity, sizeof identity, "%llx-%llx-%llx-%lld.%ld", static_cast<unsigned long long>(status.st_dev),
                  static_cast<unsigned long long>(status.st_ino), static_cast<unsigned long long>(status.st_size),
                  static_cast<long long>(status.st_mtim.tv_sec), static_cast<long>(status.st_mtim.tv_nsec));
    const std::string name =
        std::string("reader-") + child_program_hash + "-" + short_hash(std::string(real) + "\n" + identity) + ".bin";
    std::optional<std::string> bytes = read_cached(folder.get(), name);
    if (bytes && bytes->compare(0, compiled_header.size(), compiled_header) != 0) bytes.reset();  // damaged
    if (!bytes) {
      bytes = compiled_in_isolation(executable, timeout);
      if (!bytes) return;
      write_cached(folder.get(), name, *bytes);
    }
    memory_ = FileDescriptor(memfd_create("pyprefix-reader", MFD_CLOEXEC));
    if (memory_.get() >= 0 &&
        pwrite(memory_.get(), bytes->data(), bytes->size(), 0) != static_cast<ssize_t>(bytes->size()))
      memory_.reset();
  }
  bool handed() const { return memory_.get() >= 0; }
  int descriptor() const { return memory_.get(); }

 private:
  // How compile.py's answer begins (the bytecode magic and the marshalled program follow).
  static constexpr std::string_view compiled_header{child_compiled_header, sizeof child_compiled_header};

  // compile.py's answer, or none when the child fails.
  static std::optional<std::string> compiled_in_isolation(const std::string& executable,
                                                          std::chrono::milliseconds timeout) {
    ChildRequest request;
    request.argv = {executable, "-I", "-S", "-c", child_compile_source, child_program_source};
    request.timeout = timeout;
    request.max_output = max_cached_file;
    request.answer_channel = true;
    try {
      ChildResult child = run_child(request);
      if (child.ending != ChildResult::Ending::exited || child.status != 0 ||
          child.answer.compare(0, compiled_header.size(), compiled_header) != 0)
        return std::nullopt;
      return std::move(child.answer);
    } catch (const error&) {
      return std::nullopt;  // no cache: the reading child compiles for itself
    }
  }

  // The first 64 bits of FNV-1a, in hexadecimal: a name, not a defence (the cache's rules are).
  static std::string short_hash(const std::string& text) {
    unsigned long long hash = 0xcbf29ce484222325ull;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", hash);
    return hex;
  }

  FileDescriptor memory_;
};

}  // namespace

RawEntries run_reader(ChildRequest request, const std::string& name, const std::string& start, bool cached,
                      const Options& options) {
  CompiledChildProgram program;
  if (cached) program = CompiledChildProgram(request.argv.front(), options.timeout);
  request.argv.insert(request.argv.end(),
                      {"-c", child_bootstrap_source, child_program_source, options.classify ? "classify" : "plain",
                       start, program.handed() ? "cached" : ""});
  request.argv.insert(request.argv.end(), options.packages.begin(), options.packages.end());
  request.passed_descriptor = program.descriptor();
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

RawEntries read_child_entries(const std::string& executable, const Options& options) {
  if (const std::string why = why_interpreter_untrusted(executable); !why.empty())
    throw error("refusing to run '" + executable + "' as user " + std::to_string(geteuid()) + ": " + why +
                " (run pyprefix as that user)");
  ChildRequest request;
  request.argv = {executable};
  if (options.isolated) request.argv.insert(request.argv.end(), {"-I", "-S"});
  return run_reader(std::move(request), executable, options.isolated ? "isolated" : "command", true, options);
}

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
  return run_reader(std::move(request), executable, start_for(command_line.first_entry, options.isolated), false,
                    options);
}

}  // namespace pyprefix::detail
