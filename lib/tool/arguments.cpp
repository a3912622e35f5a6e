// The pyprefix command's arguments: its usage text and the parser.
#include "tool/arguments.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/options_check.hpp"
#include "core/rewrite/format_names.hpp"

namespace pyprefix::detail {

const char* const usage_text =
    "usage: pyprefix [list] [OPTIONS] [--distributions] [--json]\n"
    "       pyprefix manifest [OPTIONS]\n"
    "       pyprefix trim [OPTIONS | --prefixes FILE] [--json] [FILE...]\n"
    "       pyprefix rewrite [OPTIONS | --prefixes FILE] [--format F] [--to module] [-i]\n"
    "                        [--keep-width] [--max-inflated BYTES] [FILE...]\n"
    "       pyprefix which [OPTIONS | --prefixes FILE] [--json] PATH...\n"
    "       pyprefix COMMAND [OPTIONS] [--cwd DIR] -- PYTHON [PYTHON OPTIONS] (SCRIPT | -m MODULE |\n"
    "                        -c CODE | -) [ARGS]\n"
    "       pyprefix --version [--python EXE] | --help\n"
    "\n"
    "list (the default) prints the directories Python imports from, longest first, one a line,\n"
    "each ending in '/', exactly as PyTorch's _prefix_regex() computes them for the interpreter\n"
    "pyprefix embeds, or for EXE.\n"
    "trim reads newline-separated paths (or `file.py(12): func` names) from the FILEs or stdin\n"
    "and writes each without its longest matching prefix; lines that match nothing pass as they are.\n"
    "rewrite copies the FILEs or stdin, every byte as it is but each path under a prefix, which\n"
    "loses its prefix as with trim, wherever it is: perf maps, tracebacks, logs, JSON traces\n"
    "(matched inside strings, escapes and all), and pstats, pprof and jitdump files in their own\n"
    "encoding; gzip or zstd in, the same out.\n"
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
    "                      after start-up are not seen; for those, --attach\n"
    "  -- PYTHON ...       the list of the program you will run (as py-spy record -- python app.py\n"
    "                      takes it): its Python with its options, sys.path[0] as its start sets\n"
    "                      it (the script's folder, the working folder for -m, '' for -c and -);\n"
    "                      the program does not run. Comes last; with --isolated, as under -I\n"
    "  --cwd DIR           with --: the folder the program runs in\n"
    "  --attach            with --pid: the list the process has now, read inside it by its main\n"
    "                      thread at its next safe point (PEP 768; Python 3.14+), as its user\n"
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
    "                      shows it; trim matches paths seen either way); not with --pid\n"
    "  --format F          rewrite: read the input as text, json (JSON or JSON Lines), pstats,\n"
    "                      pprof, jitdump or detect (the default: pstats, jitdump, pprof or json\n"
    "                      when it starts as they do; another binary file, or a capture its tool\n"
    "                      reads back, is refused and left as it is, where text would rewrite it)\n"
    "  --to module         rewrite: a Python file's path becomes its module name (json.decoder),\n"
    "                      what follows it (:337) kept; other paths lose their prefix\n"
    "  -i, --in-place      rewrite: each FILE into itself (a regular file, not a symlink), keeping\n"
    "                      its mode and owner (set-id bits dropped) and its holes; never a partial\n"
    "                      file; its folder is reached through no symlink another user could place\n"
    "  --keep-width        rewrite: a shortened path that two spaces follow gets the spaces it\n"
    "                      lost, so that fixed-width tables stay aligned\n"
    "  --max-inflated BYTES  rewrite: how far a gzip or zstd input may inflate (default 1G; K, M, G)\n"
    "  --prefixes FILE     trim, which, rewrite: use a saved `pyprefix list` or `list --json` output, or a\n"
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

namespace {

// The value of `--name VALUE` or `--name=VALUE` when `argument` is that option, else nothing.
std::optional<std::string> option_value(std::string_view argument, std::string_view name, int argc, char** argv,
                                        int& i) {
  if (argument == name) {
    if (i + 1 == argc) throw UsageError{std::string(name) + " needs a value"};
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
    throw UsageError{"--timeout takes a number of seconds, not '" + text + "'"};
  return timeout_from_seconds(seconds);
}

// The options check's rules, naming the flags: each is its field's name (host_paths: --host-paths).
std::string flag_name(OptionField field) {
  if (field == OptionField::program) return "a program after --";
  if (field == OptionField::working_directory) return "--cwd";
  std::string flag = "--" + option_field_name(field);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

// A byte count: digits, then K, M or G (powers of 1024), as --max-inflated takes it.
uint64_t parse_bytes(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long count = std::strtoull(text.c_str(), &end, 10);
  const std::string unit = end != nullptr ? end : "";
  const int shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : -1;
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])) || errno != 0 || shift < 0 || count == 0 ||
      count > (~uint64_t{0} >> shift))
    throw UsageError{"--max-inflated takes a number of bytes (K, M or G may follow), not '" + text + "'"};
  return uint64_t{count} << shift;
}

int parse_pid(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long pid = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || pid <= 0 || pid > 0x3fffffff)
    throw UsageError{"--pid takes a process id, not '" + text + "'"};
  return static_cast<int>(pid);
}

}  // namespace

Command parse_arguments(int argc, char** argv) {
  Command command;
  bool asks_an_interpreter = false;  // options that --prefixes makes meaningless
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (i == 1 && (argument == "list" || argument == "manifest" || argument == "trim" || argument == "which" ||
                   argument == "rewrite")) {
      command.action = argument == "list"       ? Command::Action::list
                       : argument == "manifest" ? Command::Action::manifest
                       : argument == "trim"     ? Command::Action::trim
                       : argument == "rewrite"  ? Command::Action::rewrite
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
    } else if (argument == "--attach") {
      command.options.attach = asks_an_interpreter = true;
    } else if (argument == "--host-paths") {
      command.options.host_paths = asks_an_interpreter = true;
    } else if (auto timeout = option_value(argument, "--timeout", argc, argv, i)) {
      command.options.timeout = parse_seconds(*timeout);
    } else if (auto saved = option_value(argument, "--prefixes", argc, argv, i)) {
      command.saved_prefixes = std::move(*saved);
    } else if (argument == "--") {
      command.options.program.assign(argv + i + 1, argv + argc);
      if (command.options.program.empty())
        throw UsageError{
            "-- needs the program you will run: PYTHON [OPTIONS] (SCRIPT | -m MODULE | -c CODE | -) [ARGS]"};
      asks_an_interpreter = true;
      break;
    } else if (auto folder = option_value(argument, "--cwd", argc, argv, i)) {
      command.options.working_directory = std::move(*folder);
      asks_an_interpreter = true;
    } else if (argument == "-i" || argument == "--in-place") {
      command.in_place = true;
    } else if (argument == "--keep-width") {
      command.rewrite.keep_width = command.rewrite_options_given = true;
    } else if (auto bytes = option_value(argument, "--max-inflated", argc, argv, i)) {
      command.max_inflated_bytes = parse_bytes(*bytes);
      command.rewrite_options_given = true;
    } else if (auto format = option_value(argument, "--format", argc, argv, i)) {
      const std::optional<RewriteFormat> named = pyprefix::detail::rewrite_format_named(*format);
      if (!named)
        throw UsageError{"--format takes " + pyprefix::detail::rewrite_format_list() + ", not '" + *format + "'"};
      command.rewrite.format = *named;
      command.rewrite_options_given = true;
    } else if (auto to = option_value(argument, "--to", argc, argv, i)) {
      if (*to != "module") throw UsageError{"--to takes module, not '" + *to + "'"};
      command.rewrite.to = RewriteTo::module;
      command.rewrite_options_given = true;
    } else if (argument.size() > 1 && argument[0] == '-') {
      throw UsageError{"unknown option '" + std::string(argument) + "'"};
    } else if (command.action == Command::Action::trim || command.action == Command::Action::which ||
               command.action == Command::Action::rewrite) {
      command.files.emplace_back(argument);
    } else {
      throw UsageError{"unexpected argument '" + std::string(argument) + "'"};
    }
  }
  if ((command.in_place || command.rewrite_options_given) && command.action != Command::Action::rewrite)
    throw UsageError{"--format, --to, --keep-width, --max-inflated and -i go with rewrite"};
  if (command.in_place && command.files.empty()) throw UsageError{"rewrite -i needs the FILEs to rewrite"};
  if (command.in_place && std::find(command.files.begin(), command.files.end(), "-") != command.files.end())
    throw UsageError{"rewrite -i rewrites files, not standard input"};
  if (!command.saved_prefixes.empty() && command.action != Command::Action::trim &&
      command.action != Command::Action::rewrite && command.action != Command::Action::which)
    throw UsageError{"--prefixes goes with trim, which or rewrite"};
  if (command.distributions && command.action != Command::Action::list)
    throw UsageError{"--distributions goes with list"};
  if (command.action == Command::Action::which && command.files.empty()) throw UsageError{"which needs a PATH"};
  if (std::string problem = options_problem(command.options, flag_name); !problem.empty())
    throw UsageError{std::move(problem)};
  if (!command.saved_prefixes.empty() && asks_an_interpreter)
    throw UsageError{
        "--prefixes replaces asking an interpreter: drop --python, --pid, --attach, --isolated, --package, "
        "--classify, --resolve-symlinks"};
  return command;
}

}  // namespace pyprefix::detail
