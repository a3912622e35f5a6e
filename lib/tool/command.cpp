// The pyprefix command-line tool: running a parsed command and printing what it asked for, for
// lib/tool/main.cpp and `python -m pyprefix`.
#include "tool/command.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <pyprefix/pyprefix.hpp>

#include "core/printable.hpp"
#include "core/saved/json_writer.hpp"
#include "core/saved/saved_file.hpp"
#include "files/rewrite_file.hpp"
#include "tool/arguments.hpp"
#include "tool/trim_command.hpp"

namespace {

using pyprefix::detail::Command;

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

void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void print_list(const pyprefix::Report& report, bool json) {
  if (json) return write(pyprefix::detail::json_list(report.prefixes));
  for (const pyprefix::Prefix& prefix : report.prefixes) {
    write(prefix.path);
    write("\n");
  }
}

// What `pyprefix which` prints for a path: "PATH: MODULE (DISTRIBUTION VERSION)", "-" for what
// there is not; with `json`, a {"path", "module", "distribution", "version"} line.
std::string which_line(std::string_view path, const pyprefix::Which& which, bool json) {
  if (json)
    return "{\"path\": " + pyprefix::detail::json_string(path) + pyprefix::detail::json_which_keys(which) + "}\n";
  std::string line(path);
  line += ": " + (which.module.empty() ? std::string("-") : which.module);
  if (which.distribution != nullptr)
    line += " (" + which.distribution->name + (which.distribution->version.empty() ? "" : " ") +
            which.distribution->version + ")";
  return line + "\n";
}

// What `pyprefix list --distributions` prints: "NAME VERSION" a line, or their JSON.
std::string distribution_listing(const std::vector<pyprefix::Distribution>& distributions, bool json) {
  if (json) return pyprefix::detail::json_distributions(distributions);
  std::string out;
  for (const pyprefix::Distribution& distribution : distributions)
    out += distribution.name + " " + distribution.version + "\n";
  return out;
}

// The list, with its warnings on stderr.
void print_warnings(const std::vector<std::string>& diagnostics) {
  for (const std::string& line : diagnostics)
    std::fprintf(stderr, "pyprefix: warning: %s\n", pyprefix::detail::printable(line).c_str());
}

pyprefix::Report report_with_warnings(const pyprefix::Options& options, const pyprefix::detail::CommandHost& host) {
  pyprefix::Report report = host.report(options);
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

// A manifest's list as a Report (no diagnostics: the manifest's were printed when it was read).
pyprefix::Report report_of(const pyprefix::Manifest& manifest) {
  return {manifest.prefixes, {}, manifest.interpreter, manifest.sys_path};
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

Listing listing_for(const Command& command, const pyprefix::detail::CommandHost& host) {
  if (command.saved_prefixes.empty()) return {report_with_warnings(command.options, host), std::nullopt};
  pyprefix::detail::SavedFile saved = pyprefix::detail::read_saved_file(command.saved_prefixes);
  pyprefix::Manifest& manifest = saved.manifest;
  pyprefix::Report report = report_of(manifest);
  return {std::move(report), saved.is_manifest ? std::optional<pyprefix::Manifest>(std::move(manifest)) : std::nullopt};
}

// `pyprefix manifest`, with its warnings on stderr.
pyprefix::Manifest manifest_for(const pyprefix::Options& options, const pyprefix::detail::CommandHost& host) {
  std::vector<std::string> diagnostics;
  pyprefix::Manifest manifest = host.manifest(options, &diagnostics);
  print_warnings(diagnostics);
  return manifest;
}

// What trim --json and which work from for a running process: its manifest, read as above.
Listing process_listing(const Command& command, const pyprefix::detail::CommandHost& host) {
  pyprefix::Manifest manifest = manifest_for(command.options, host);
  pyprefix::Report report = report_of(manifest);
  return {std::move(report), std::move(manifest)};
}

// The signal that asked the tool to stop during a rewrite in place, or 0. A handler may only set it.
volatile sig_atomic_t stop_signal = 0;

extern "C" void remember_stop_signal(int signal_number) { stop_signal = signal_number; }

// While the tool rewrites in place: SIGINT, SIGTERM and SIGHUP stop the rewrite between chunks,
// so that no hidden temporary name is left (where the folder's file system has no O_TMPFILE),
// and the tool then dies of the signal as it would have.
class StopBetweenChunks {
 public:
  explicit StopBetweenChunks(bool owns_signals) : owns_(owns_signals) {
    if (!owns_) return;
    struct sigaction action {};
    action.sa_handler = remember_stop_signal;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < std::size(signals_); ++i) {
      sigaction(signals_[i], &action, &saved_[i]);
      if (saved_[i].sa_handler == SIG_IGN) sigaction(signals_[i], &saved_[i], nullptr);  // nohup's stays ignored
    }
  }
  ~StopBetweenChunks() {
    if (!owns_) return;
    for (size_t i = 0; i < std::size(signals_); ++i) sigaction(signals_[i], &saved_[i], nullptr);
    if (stop_signal != 0) raise(stop_signal);
  }
  StopBetweenChunks(const StopBetweenChunks&) = delete;
  StopBetweenChunks& operator=(const StopBetweenChunks&) = delete;

  static void check() {
    if (stop_signal != 0) throw pyprefix::error("stopped by signal " + std::to_string(stop_signal));
  }

 private:
  static constexpr int signals_[] = {SIGINT, SIGTERM, SIGHUP};
  bool owns_;
  struct sigaction saved_[3]{};
};

int run(const Command& command, const pyprefix::detail::CommandHost& host) {
  switch (command.action) {
    case Command::Action::help:
      write(pyprefix::detail::usage_text);
      break;
    case Command::Action::version: {
      const pyprefix::Interpreter python = host.interpreter(command.options);
      write(std::string("pyprefix ") + pyprefix::version + "\nPython " + python.version + " (" + python.executable +
            ")\n");
      break;
    }
    case Command::Action::list:
      if (command.distributions && command.options.pid != 0) {
        write(distribution_listing(manifest_for(command.options, host).distributions, command.json));
      } else if (command.distributions) {
        const pyprefix::CodeIndex index = index_with_warnings(report_with_warnings(command.options, host));
        write(distribution_listing(index.distributions(), command.json));
      } else {
        print_list(report_with_warnings(command.options, host), command.json);
      }
      break;
    case Command::Action::manifest:
      write(pyprefix::manifest_json(manifest_for(command.options, host)));
      break;
    case Command::Action::trim: {
      const bool reads_process = command.json && command.options.pid != 0 && command.saved_prefixes.empty();
      const Listing listing = reads_process ? process_listing(command, host) : listing_for(command, host);
      const pyprefix::Trimmer trimmer = listing.trimmer();
      // JSON lines also name each path's module and distribution, from an index of the list.
      const std::optional<pyprefix::CodeIndex> index =
          command.json ? std::optional<pyprefix::CodeIndex>(listing.index()) : std::nullopt;
      std::fflush(stdout);
      pyprefix::detail::trim_files(trimmer, index ? &*index : nullptr, command.files, command.json);
      break;
    }
    case Command::Action::rewrite: {
      const bool to_module = command.rewrite.to == pyprefix::RewriteTo::module;
      const bool reads_process = to_module && command.options.pid != 0 && command.saved_prefixes.empty();
      const Listing listing = reads_process ? process_listing(command, host) : listing_for(command, host);
      const pyprefix::Trimmer trimmer = listing.trimmer();
      const std::optional<pyprefix::CodeIndex> index =
          to_module ? std::optional<pyprefix::CodeIndex>(listing.index()) : std::nullopt;
      pyprefix::RewriteOptions options = command.rewrite;
      options.index = index ? &*index : nullptr;
      pyprefix::detail::FileRewriteOptions file_options;
      file_options.max_inflated_bytes = command.max_inflated_bytes;
      std::fflush(stdout);
      if (!command.in_place) {
        file_options.between_chunks = host.between_chunks;
        print_warnings(pyprefix::detail::rewrite_files(trimmer, command.files, options, file_options));
        break;
      }
      const StopBetweenChunks stopping(host.owns_signals);
      file_options.between_chunks = [&host] {
        StopBetweenChunks::check();
        if (host.between_chunks) host.between_chunks();
      };
      print_warnings(pyprefix::detail::rewrite_files_in_place(trimmer, command.files, options, file_options));
      break;
    }
    case Command::Action::which: {
      const bool reads_process = command.options.pid != 0 && command.saved_prefixes.empty();
      const pyprefix::CodeIndex index =
          (reads_process ? process_listing(command, host) : listing_for(command, host)).index();
      for (const std::string& path : command.files) write(which_line(path, index.which(path), command.json));
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

int run_command(int argc, char** argv, const CommandHost& host) {
  Command command;
  try {
    command = parse_arguments(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "pyprefix: %s (see pyprefix --help)\n", e.message.c_str());
    return 2;
  }
  try {
    HeldBackStderr held_back;
    const int status = run(command, host);
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
