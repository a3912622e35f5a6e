// The pyprefix command-line tool: the command itself, for lib/tool/main.cpp and `python -m pyprefix`.
#include "tool/command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <pyprefix/pyprefix.hpp>

#include "core/options_check.hpp"
#include "core/printable.hpp"
#include "core/saved/json.hpp"
#include "core/saved/saved_file.hpp"
#include "tool/trim_command.hpp"

namespace {

constexpr const char* usage_text =
    "usage: pyprefix [list] [OPTIONS] [--distributions] [--json]\n"
    "       pyprefix manifest [OPTIONS]\n"
    "       pyprefix trim [OPTIONS | --prefixes FILE] [--json] [FILE...]\n"
    "       pyprefix which [OPTIONS | --prefixes FILE] [--json] PATH...\n"
    "       pyprefix --version [--python EXE] | --help\n"
    "\n"
    "list (the default) prints the directories Python imports from, longest first, one a line,\n"
    "each ending in '/', exactly as PyTorch's _prefix_regex() computes them for the interpreter\n"
    "pyprefix embeds, or for EXE.\n"
    "trim reads newline-separated paths (or `file.py(12): func` names) from the FILEs or stdin\n"
    "and writes each without its longest matching prefix; lines that match nothing pass as they are.\n"
    "manifest writes one JSON object that carries what trim and which need to work later, on\n"
    "another machine, without the environment's files: the interpreter, sys.path, the list\n"
    "with its sources, and the installed distributions.\n"
    "which prints, for each PATH, the module Python imports it as and the installed distribution\n"
    "that owns it, read from the metadata under the list's import roots.\n"
    "\n"
    "  --python EXE        ask EXE (a path, or a name looked up on PATH) instead: any CPython\n"
    "                      3.8+, run in a child process with this environment\n"
    "  --pid PID           ask running process PID's Python, started as that process was (its\n"
    "                      argv[0], flags, environment, working directory), inside its root or\n"
    "                      container (as root), as its user; with --python, that Python instead\n"
    "                      (for programs that embed Python). Changes the program made to sys.path\n"
    "                      after start-up are not seen\n"
    "  --host-paths        with --pid: print paths as this host reaches them, below\n"
    "                      /proc/PID/root, when the process sees another root\n"
    "  --isolated          the list `EXE -I` gives, running no code from the environment: .pth\n"
    "                      import lines, sitecustomize and packages are never executed\n"
    "  --timeout SECS      how long EXE may take (default 20)\n"
    "  --package NAME      add the directory the top-level module NAME is imported from; found\n"
    "                      with importlib.util.find_spec, never imported (repeatable)\n"
    "  --classify          also list the stdlib folders and install schemes' purelib and\n"
    "                      platlib, which classify paths (more than torch's list)\n"
    "  --resolve-symlinks  give each prefix under a symlink its real path too (list --json\n"
    "                      shows it; trim matches paths seen either way)\n"
    "  --prefixes FILE     trim, which: use a saved `pyprefix list` or `list --json` output, or a\n"
    "                      `pyprefix manifest`, instead of asking an interpreter\n"
    "  --distributions     list: the installed distributions instead (name, version, roots)\n"
    "  --json              list: an array of {\"prefix\", \"sources\"} objects (with\n"
    "                      --distributions, of {\"name\", \"version\", \"metadata\", \"roots\"});\n"
    "                      trim: JSON Lines of {\"path\", \"short\", \"prefix\", \"kind\", \"module\",\n"
    "                      \"distribution\", \"version\"}; which: JSON Lines of {\"path\", \"module\",\n"
    "                      \"distribution\", \"version\"}\n"
    "  --version           print pyprefix's version and the Python it asks (the embedded\n"
    "                      one, or EXE with --python)\n"
    "  --help              print this help\n"
    "\n"
    "Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.\n";

// Holds back what is written to file descriptor 2 while it lives: a failed interpreter start-up
// makes CPython print a multi-line dump of its path configuration, and the tool promises one
// line per error. forward() passes the held-back text on (warnings from .pth files, say).
class HeldBackStderr {
 public:
  // Both descriptors close on exec: no child gets root's stderr or this file.
  HeldBackStderr() : file_(std::tmpfile()), saved_(file_ ? fcntl(2, F_DUPFD_CLOEXEC, 3) : -1) {
    if (file_ != nullptr) fcntl(fileno(file_), F_SETFD, FD_CLOEXEC);
    if (saved_ >= 0) dup2(fileno(file_), 2);
  }
  ~HeldBackStderr() {
    restore();
    if (file_ != nullptr) std::fclose(file_);
  }
  HeldBackStderr(const HeldBackStderr&) = delete;
  HeldBackStderr& operator=(const HeldBackStderr&) = delete;

  void forward() {
    restore();
    if (file_ == nullptr) return;
    std::rewind(file_);
    char buffer[4096];
    while (size_t size = std::fread(buffer, 1, sizeof buffer, file_)) std::fwrite(buffer, 1, size, stderr);
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }

  std::FILE* file_;
  int saved_;
};

struct usage_error {
  std::string message;
};

struct Command {
  enum class Action { list, manifest, trim, which, version, help } action = Action::list;
  pyprefix::Options options;
  std::string saved_prefixes;      // trim --prefixes FILE
  std::vector<std::string> files;  // trim's inputs, which's paths
  bool json = false;
  bool distributions = false;  // list --distributions
};

// The value of `--name VALUE` or `--name=VALUE` when `argument` is that option, else nothing.
std::optional<std::string> option_value(std::string_view argument, std::string_view name, int argc, char** argv,
                                        int& i) {
  if (argument == name) {
    if (i + 1 == argc) throw usage_error{std::string(name) + " needs a value"};
    return std::string(argv[++i]);
  }
  if (argument.size() > name.size() && argument.substr(0, name.size()) == name && argument[name.size()] == '=')
    return std::string(argument.substr(name.size() + 1));
  return std::nullopt;
}

// Its range is the options check's (timeout_from_seconds).
std::chrono::milliseconds parse_seconds(const std::string& text) {
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || std::isnan(seconds))
    throw usage_error{"--timeout takes a number of seconds, not '" + text + "'"};
  return pyprefix::detail::timeout_from_seconds(seconds);
}

// The options check's rules, naming the flags: each is its field's name (host_paths: --host-paths).
std::string flag_name(pyprefix::detail::OptionField field) {
  std::string flag = "--" + pyprefix::detail::option_field_name(field);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

int parse_pid(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long pid = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || pid <= 0 || pid > 0x3fffffff)
    throw usage_error{"--pid takes a process id, not '" + text + "'"};
  return static_cast<int>(pid);
}

Command parse(int argc, char** argv) {
  Command command;
  bool asks_an_interpreter = false;  // options that --prefixes makes meaningless
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (i == 1 && (argument == "list" || argument == "manifest" || argument == "trim" || argument == "which")) {
      command.action = argument == "list"       ? Command::Action::list
                       : argument == "manifest" ? Command::Action::manifest
                       : argument == "trim"     ? Command::Action::trim
                                                : Command::Action::which;
    } else if (argument == "--help" || argument == "-h") {
      command.action = Command::Action::help;
    } else if (argument == "--version") {
      command.action = Command::Action::version;
    } else if (argument == "--json") {
      command.json = true;
    } else if (argument == "--distributions") {
      command.distributions = true;
    } else if (argument == "--isolated") {
      command.options.isolated = asks_an_interpreter = true;
    } else if (argument == "--classify") {
      command.options.classify = asks_an_interpreter = true;
    } else if (argument == "--resolve-symlinks") {
      command.options.resolve_symlinks = asks_an_interpreter = true;
    } else if (auto package = option_value(argument, "--package", argc, argv, i)) {
      command.options.packages.push_back(std::move(*package));
      asks_an_interpreter = true;
    } else if (auto python = option_value(argument, "--python", argc, argv, i)) {
      command.options.python = std::move(*python);
      asks_an_interpreter = true;
    } else if (auto pid = option_value(argument, "--pid", argc, argv, i)) {
      command.options.pid = parse_pid(*pid);
      asks_an_interpreter = true;
    } else if (argument == "--host-paths") {
      command.options.host_paths = asks_an_interpreter = true;
    } else if (auto timeout = option_value(argument, "--timeout", argc, argv, i)) {
      command.options.timeout = parse_seconds(*timeout);
    } else if (auto saved = option_value(argument, "--prefixes", argc, argv, i)) {
      command.saved_prefixes = std::move(*saved);
    } else if (argument.size() > 1 && argument[0] == '-') {
      throw usage_error{"unknown option '" + std::string(argument) + "'"};
    } else if (command.action == Command::Action::trim || command.action == Command::Action::which) {
      command.files.emplace_back(argument);
    } else {
      throw usage_error{"unexpected argument '" + std::string(argument) + "'"};
    }
  }
  if (!command.saved_prefixes.empty() && command.action != Command::Action::trim &&
      command.action != Command::Action::which)
    throw usage_error{"--prefixes goes with trim or which"};
  if (command.distributions && command.action != Command::Action::list)
    throw usage_error{"--distributions goes with list"};
  if (command.action == Command::Action::which && command.files.empty()) throw usage_error{"which needs a PATH"};
  if (std::string problem = pyprefix::detail::options_problem(command.options, flag_name); !problem.empty())
    throw usage_error{std::move(problem)};
  if (!command.saved_prefixes.empty() && asks_an_interpreter)
    throw usage_error{
        "--prefixes replaces asking an interpreter: drop --python, --pid, --isolated, --package, "
        "--classify, --resolve-symlinks"};
  return command;
}

void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void print_list(const pyprefix::Report& report, bool json) {
  if (json) return write(pyprefix::detail::json_list(report.prefixes));
  for (const pyprefix::Prefix& prefix : report.prefixes) {
    write(prefix.path);
    write("\n");
  }
}

// The list, with its warnings on stderr.
void print_warnings(const std::vector<std::string>& diagnostics) {
  for (const std::string& line : diagnostics)
    std::fprintf(stderr, "pyprefix: warning: %s\n", pyprefix::detail::printable(line).c_str());
}

pyprefix::Report report_with_warnings(const pyprefix::Options& options) {
  pyprefix::Report report = pyprefix::report(options);
  print_warnings(report.diagnostics);
  return report;
}

// The distribution index of a list, with its warnings on stderr.
template <typename Listing>
pyprefix::CodeIndex index_with_warnings(const Listing& listing) {
  pyprefix::CodeIndex index(listing);
  print_warnings(index.diagnostics());
  return index;
}

// What trim and which work from: the interpreter's list, a saved list (no interpreter facts),
// or a manifest (with its own distributions and path flavour).
struct Listing {
  pyprefix::Report report;
  std::optional<pyprefix::Manifest> manifest;

  pyprefix::Trimmer trimmer() const {
    return pyprefix::Trimmer(report.prefixes, manifest ? manifest->path_flavour : pyprefix::PathFlavour::posix);
  }
  pyprefix::CodeIndex index() const { return manifest ? index_with_warnings(*manifest) : index_with_warnings(report); }
};

Listing listing_for(const Command& command) {
  if (command.saved_prefixes.empty()) return {report_with_warnings(command.options), std::nullopt};
  pyprefix::detail::SavedFile saved = pyprefix::detail::read_saved_file(command.saved_prefixes);
  pyprefix::Manifest& manifest = saved.manifest;
  pyprefix::Report report{manifest.prefixes, {}, manifest.interpreter, manifest.sys_path};
  return {std::move(report), saved.is_manifest ? std::optional<pyprefix::Manifest>(std::move(manifest)) : std::nullopt};
}

// `pyprefix manifest`, with its warnings on stderr.
pyprefix::Manifest manifest_for(const pyprefix::Options& options) {
  std::vector<std::string> diagnostics;
  pyprefix::Manifest manifest = pyprefix::manifest(options, &diagnostics);
  print_warnings(diagnostics);
  return manifest;
}

// What trim --json and which work from for a running process: its manifest, read as above.
Listing process_listing(const Command& command) {
  pyprefix::Manifest manifest = manifest_for(command.options);
  pyprefix::Report report{manifest.prefixes, {}, manifest.interpreter, manifest.sys_path};
  return {std::move(report), std::move(manifest)};
}

int run(const Command& command) {
  switch (command.action) {
    case Command::Action::help:
      write(usage_text);
      break;
    case Command::Action::version: {
      const pyprefix::Interpreter python = pyprefix::interpreter(command.options);
      write(std::string("pyprefix ") + pyprefix::version + "\nPython " + python.version + " (" + python.executable +
            ")\n");
      break;
    }
    case Command::Action::list:
      if (command.distributions && command.options.pid != 0) {
        write(pyprefix::detail::distribution_listing(manifest_for(command.options).distributions, command.json));
      } else if (command.distributions) {
        const pyprefix::CodeIndex index = index_with_warnings(report_with_warnings(command.options));
        write(pyprefix::detail::distribution_listing(index.distributions(), command.json));
      } else {
        print_list(report_with_warnings(command.options), command.json);
      }
      break;
    case Command::Action::manifest:
      write(pyprefix::manifest_json(manifest_for(command.options)));
      break;
    case Command::Action::trim: {
      const bool reads_process = command.json && command.options.pid != 0 && command.saved_prefixes.empty();
      const Listing listing = reads_process ? process_listing(command) : listing_for(command);
      const pyprefix::Trimmer trimmer = listing.trimmer();
      // JSON lines also name each path's module and distribution, from an index of the list.
      const std::optional<pyprefix::CodeIndex> index =
          command.json ? std::optional<pyprefix::CodeIndex>(listing.index()) : std::nullopt;
      std::fflush(stdout);
      pyprefix::detail::trim_files(trimmer, index ? &*index : nullptr, command.files, command.json);
      break;
    }
    case Command::Action::which: {
      const bool reads_process = command.options.pid != 0 && command.saved_prefixes.empty();
      const pyprefix::CodeIndex index = (reads_process ? process_listing(command) : listing_for(command)).index();
      for (const std::string& path : command.files)
        write(pyprefix::detail::which_line(path, index.which(path), command.json));
      break;
    }
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "pyprefix: cannot write the output: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace

namespace pyprefix::detail {

int run_command(int argc, char** argv) {
  Command command;
  try {
    command = parse(argc, argv);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "pyprefix: %s (see pyprefix --help)\n", e.message.c_str());
    return 2;
  }
  try {
    HeldBackStderr held_back;
    const int status = run(command);
    held_back.forward();
    return status;
  } catch (const pyprefix::error& e) {
    std::fprintf(stderr, "pyprefix: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "pyprefix: out of memory\n");
    return 1;
  }
}

}  // namespace pyprefix::detail
