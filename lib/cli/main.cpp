// The pyprefix command-line tool.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <new>
#include <optional>
#include <vector>

#include <unistd.h>

#include <pyprefix/pyprefix.hpp>

#include "cli/json.hpp"

namespace {

constexpr const char* usage_text =
    "usage: pyprefix [list] [--python EXE] [--isolated] [--timeout SECS] [--classify]\n"
    "                [--resolve-symlinks] [--package NAME]... [--json]\n"
    "       pyprefix --version | --help\n"
    "\n"
    "Prints the directories Python imports from, longest first, one a line, each ending in '/',\n"
    "exactly as PyTorch's _prefix_regex() computes them for the interpreter pyprefix embeds,\n"
    "or for EXE.\n"
    "\n"
    "  list            print the prefix list (the default)\n"
    "  --python EXE    ask EXE (a path, or a name looked up on PATH) instead: any CPython 3.8+,\n"
    "                  run in a child process with this environment\n"
    "  --isolated      the list `EXE -I` gives, running no code from the environment: .pth\n"
    "                  import lines, sitecustomize and packages are never executed\n"
    "  --timeout SECS  how long EXE may take (default 20)\n"
    "  --classify      also list the stdlib folders and install schemes' purelib and platlib,\n"
    "                  which classify paths (more than torch's list)\n"
    "  --resolve-symlinks  with --json, give each prefix under a symlink its real path too\n"
    "  --package NAME  add the directory the top-level module NAME is imported from; found\n"
    "                  with importlib.util.find_spec, never imported (repeatable)\n"
    "  --json          print an array of {\"prefix\": ..., \"sources\": [...]} objects\n"
    "  --version       print pyprefix's version and the Python it embeds\n"
    "  --help          print this help\n"
    "\n"
    "Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.\n";

// Holds back what is written to file descriptor 2 while it lives: a failed interpreter start-up
// makes CPython print a multi-line dump of its path configuration, and the tool promises one
// line per error. forward() passes the held-back text on (warnings from .pth files, say).
class HeldBackStderr {
 public:
  HeldBackStderr() : file_(std::tmpfile()), saved_(file_ ? dup(2) : -1) {
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
  enum class Action { list, version, help } action = Action::list;
  pyprefix::Options options;
  bool json = false;
};

// The value of `--name VALUE` or `--name=VALUE` when `argument` is that option, else nothing.
std::optional<std::string> option_value(std::string_view argument, std::string_view name, int argc, char** argv, int& i) {
  if (argument == name) {
    if (i + 1 == argc) throw usage_error{std::string(name) + " needs a value"};
    return std::string(argv[++i]);
  }
  if (argument.size() > name.size() && argument.substr(0, name.size()) == name && argument[name.size()] == '=')
    return std::string(argument.substr(name.size() + 1));
  return std::nullopt;
}

std::chrono::milliseconds parse_seconds(const std::string& text) {
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(seconds > 0 && seconds <= 86400))
    throw usage_error{"--timeout takes a number of seconds from 0 to 86400, not '" + text + "'"};
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
}

Command parse(int argc, char** argv) {
  Command command;
  bool verb_seen = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      command.action = Command::Action::help;
    } else if (argument == "--version") {
      command.action = Command::Action::version;
    } else if (argument == "--json") {
      command.json = true;
    } else if (argument == "--isolated") {
      command.options.isolated = true;
    } else if (argument == "--classify") {
      command.options.classify = true;
    } else if (argument == "--resolve-symlinks") {
      command.options.resolve_symlinks = true;
    } else if (auto package = option_value(argument, "--package", argc, argv, i)) {
      command.options.packages.push_back(std::move(*package));
    } else if (auto python = option_value(argument, "--python", argc, argv, i)) {
      command.options.python = std::move(*python);
    } else if (auto timeout = option_value(argument, "--timeout", argc, argv, i)) {
      command.options.timeout = parse_seconds(*timeout);
    } else if (argument == "list" && !verb_seen) {
      verb_seen = true;
    } else if (!argument.empty() && argument[0] == '-') {
      throw usage_error{"unknown option '" + std::string(argument) + "'"};
    } else {
      throw usage_error{"unexpected argument '" + std::string(argument) + "'"};
    }
  }
  return command;
}

void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void print_list(const pyprefix::Report& report, bool json) {
  if (!json) {
    for (const pyprefix::Prefix& prefix : report.prefixes) {
      write(prefix.path);
      write("\n");
    }
    return;
  }
  write("[");
  for (size_t i = 0; i < report.prefixes.size(); ++i) {
    const pyprefix::Prefix& prefix = report.prefixes[i];
    write(i == 0 ? "\n  " : ",\n  ");
    write("{\"prefix\": " + pyprefix::detail::json_string(prefix.path) + ", \"sources\": [");
    for (size_t k = 0; k < prefix.sources.size(); ++k) {
      write(k == 0 ? "\"" : ", \"");
      write(pyprefix::source_name(prefix.sources[k]));
      write("\"");
    }
    write("]");
    if (!prefix.resolved.empty()) write(", \"resolved\": " + pyprefix::detail::json_string(prefix.resolved));
    write("}");
  }
  write(report.prefixes.empty() ? "]\n" : "\n]\n");
}

int run(const Command& command) {
  switch (command.action) {
    case Command::Action::help:
      write(usage_text);
      break;
    case Command::Action::version: {
      pyprefix::Interpreter python = pyprefix::interpreter();
      write(std::string("pyprefix ") + pyprefix::version + "\nPython " + python.version + " (" + python.executable + ")\n");
      break;
    }
    case Command::Action::list: {
      pyprefix::Report report = pyprefix::report(command.options);
      for (const std::string& line : report.diagnostics) std::fprintf(stderr, "pyprefix: warning: %s\n", line.c_str());
      print_list(report, command.json);
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

int main(int argc, char** argv) {
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
