// The C API's options object: plain data in the core, checked by the one options check.
#include <chrono>
#include <string>
#include <utility>

#include "core/c_api/handles.hpp"
#include "core/options_check.hpp"

using pyprefix::detail::guarded;
using pyprefix::detail::invalid_argument;

namespace {

// Applies `change` to the options when the result keeps the options check's rules (the same
// as the library's, the tool's and the Python package's); otherwise leaves them as they were.
template <class Change>
pyprefix_status change_options(pyprefix_options* options, Change change) {
  if (options == nullptr) return invalid_argument("no options");
  std::string problem;
  const pyprefix_status status = guarded([&] {
    pyprefix::Options changed = options->options;
    change(changed);
    problem = pyprefix::detail::options_problem(changed);
    if (problem.empty()) options->options = std::move(changed);
  });
  return status != PYPREFIX_OK ? status : problem.empty() ? PYPREFIX_OK : invalid_argument(problem.c_str());
}

}  // namespace

extern "C" {

pyprefix_status pyprefix_options_new(pyprefix_options** options) {
  if (options == nullptr) return invalid_argument("no result");
  *options = nullptr;
  return guarded([&] { *options = new pyprefix_options{}; });
}

void pyprefix_options_free(pyprefix_options* options) { delete options; }

pyprefix_status pyprefix_options_add_package(pyprefix_options* options, const char* name) {
  if (options == nullptr || name == nullptr) return invalid_argument("no options or no package name");
  return guarded([&] { options->options.packages.emplace_back(name); });
}

pyprefix_status pyprefix_options_set_python(pyprefix_options* options, const char* executable) {
  if (options == nullptr || executable == nullptr) return invalid_argument("no options or no executable");
  return guarded([&] { options->options.python = executable; });
}

pyprefix_status pyprefix_options_set_flags(pyprefix_options* options, int isolated, int classify,
                                           int resolve_symlinks) {
  return change_options(options, [&](pyprefix::Options& o) {
    o.isolated = isolated != 0;
    o.classify = classify != 0;
    o.resolve_symlinks = resolve_symlinks != 0;
  });
}

pyprefix_status pyprefix_options_set_isolated(pyprefix_options* options, int on) {
  return change_options(options, [&](pyprefix::Options& o) { o.isolated = on != 0; });
}

pyprefix_status pyprefix_options_set_classify(pyprefix_options* options, int on) {
  return change_options(options, [&](pyprefix::Options& o) { o.classify = on != 0; });
}

pyprefix_status pyprefix_options_set_resolve_symlinks(pyprefix_options* options, int on) {
  return change_options(options, [&](pyprefix::Options& o) { o.resolve_symlinks = on != 0; });
}

pyprefix_status pyprefix_options_set_host_paths(pyprefix_options* options, int on) {
  return change_options(options, [&](pyprefix::Options& o) { o.host_paths = on != 0; });
}

pyprefix_status pyprefix_options_set_attach(pyprefix_options* options, int on) {
  return change_options(options, [&](pyprefix::Options& o) { o.attach = on != 0; });
}

pyprefix_status pyprefix_options_set_program(pyprefix_options* options, const char* const* argv, size_t count) {
  if (argv == nullptr && count > 0) return invalid_argument("no program");
  for (size_t i = 0; i < count; ++i)
    if (argv[i] == nullptr) return invalid_argument("a NULL string in the program");
  return change_options(options, [&](pyprefix::Options& o) { o.program.assign(argv, argv + count); });
}

pyprefix_status pyprefix_options_set_working_directory(pyprefix_options* options, const char* folder) {
  if (folder == nullptr) return invalid_argument("no folder");
  return change_options(options, [&](pyprefix::Options& o) { o.working_directory = folder; });
}

pyprefix_status pyprefix_options_set_timeout_ms(pyprefix_options* options, long milliseconds) {
  return change_options(options, [&](pyprefix::Options& o) { o.timeout = std::chrono::milliseconds(milliseconds); });
}

pyprefix_status pyprefix_options_set_pid(pyprefix_options* options, int pid, int host_paths) {
  // 0 is "no process" in Options; this call names one.
  if (pid == 0) return invalid_argument("pid must be a process id above 0 (leave it unset for none)");
  return change_options(options, [&](pyprefix::Options& o) {
    o.pid = pid;
    o.host_paths = host_paths != 0;
  });
}

}  // extern "C"
