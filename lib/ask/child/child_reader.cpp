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

// The child program as an interpreter compiled it before, kept in the compiled-reader cache
// under a name for this program and this interpreter's executable file (its path, device,
// inode, size and time), so that code compiled by one Python is never loaded by another. Every
// rule of the cache is compiled_cache.cpp's: pyprefix reads the file and hands its bytes to the
// child in a memory file on descriptor 4; a child that compiled the program afresh leaves its
// code there instead, and pyprefix writes that into the cache once the answer is read.
class CompiledChildProgram {
 public:
  CompiledChildProgram() = default;
  explicit CompiledChildProgram(const std::string& executable) {
    folder_ = open_compiled_cache();
    char real[PATH_MAX];
    struct stat status {};
    if (folder_.get() < 0 || realpath(executable.c_str(), real) == nullptr || stat(real, &status) != 0) return;
    memory_ = FileDescriptor(memfd_create("pyprefix-reader", MFD_CLOEXEC));
    if (memory_.get() < 0) return;
    char identity[128];
    std::snprintf(identity, sizeof identity, "%llx-%llx-%llx-%lld.%ld", static_cast<unsigned long long>(status.st_dev),
                  static_cast<unsigned long long>(status.st_ino), static_cast<unsigned long long>(status.st_size),
                  static_cast<long long>(status.st_mtim.tv_sec), static_cast<long>(status.st_mtim.tv_nsec));
    name_ =
        std::string("reader-") + child_program_hash + "-" + short_hash(std::string(real) + "\n" + identity) + ".bin";
    if (std::optional<std::string> bytes = read_cached(folder_.get(), name_)) {
      handed_ = std::move(*bytes);
      if (pwrite(memory_.get(), handed_.data(), handed_.size(), 0) != static_cast<ssize_t>(handed_.size()))
        handed_.clear();
    }
  }
  bool handed() const { return memory_.get() >= 0; }
  int descriptor() const { return memory_.get(); }
  // After a complete answer: what the child left, when it is new, written into the cache.
  void keep() const {
    struct stat status {};
    if (memory_.get() < 0 || fstat(memory_.get(), &status) != 0 || status.st_size <= 0 ||
        static_cast<size_t>(status.st_size) > max_cached_file)
      return;
    std::string bytes(static_cast<size_t>(status.st_size), '\0');
    if (pread(memory_.get(), bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()) || bytes == handed_)
      return;
    write_cached(folder_.get(), name_, bytes);
  }

 private:
  // The first 64 bits of FNV-1a, in hexadecimal: a name, not a defence (the cache's rules are).
  static std::string short_hash(const std::string& text) {
    unsigned long long hash = 0xcbf29ce484222325ull;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", hash);
    return hex;
  }

  FileDescriptor folder_, memory_;
  std::string name_, handed_;
};

}  // namespace

RawEntries run_reader(ChildRequest request, const std::string& name, const std::string& start, bool cached,
                      const Options& options) {
  CompiledChildProgram program;
  if (cached) program = CompiledChildProgram(request.argv.front());
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
  RawEntries raw = parse_records(child.answer, quoted, child_answer_limits);
  program.keep();
  return raw;
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
