// The C API's functions that ask Python: reports, and a trimmer from a report.
#include <algorithm>
#include <cstring>
#include <string>

#include <pyprefix/prefixes.hpp>

#include "core/c_api/handles.hpp"

using pyprefix::detail::guarded;
using pyprefix::detail::invalid_argument;

extern "C" {

pyprefix_status pyprefix_report_new(const pyprefix_options* options, pyprefix_report** report) {
  if (report == nullptr) return invalid_argument("no result");
  *report = nullptr;
  return guarded([&] {
    *report = new pyprefix_report{pyprefix::report(options != nullptr ? options->options : pyprefix::Options{})};
  });
}

void pyprefix_report_free(pyprefix_report* report) { delete report; }

size_t pyprefix_report_size(const pyprefix_report* report) {
  return report != nullptr ? report->report.prefixes.size() : 0;
}

const char* pyprefix_report_prefix(const pyprefix_report* report, size_t index, size_t* length) {
  if (length != nullptr) *length = 0;
  if (report == nullptr || index >= report->report.prefixes.size()) return nullptr;
  const std::string& path = report->report.prefixes[index].path;
  if (length != nullptr) *length = path.size();
  return path.c_str();
}

pyprefix_kind pyprefix_report_prefix_kind(const pyprefix_report* report, size_t index) {
  if (report == nullptr || index >= report->report.prefixes.size()) return PYPREFIX_KIND_UNKNOWN;
  return static_cast<pyprefix_kind>(pyprefix::kind_of(report->report.prefixes[index].sources));
}

size_t pyprefix_report_diagnostic_count(const pyprefix_report* report) {
  return report != nullptr ? report->report.diagnostics.size() : 0;
}

const char* pyprefix_report_diagnostic(const pyprefix_report* report, size_t index) {
  if (report == nullptr || index >= report->report.diagnostics.size()) return nullptr;
  return report->report.diagnostics[index].c_str();
}

const char* pyprefix_report_interpreter(const pyprefix_report* report, const char* fact) {
  if (report == nullptr || fact == nullptr) return nullptr;
  const pyprefix::Interpreter& python = report->report.interpreter;
  const std::string* value = std::strcmp(fact, "version") == 0       ? &python.version
                             : std::strcmp(fact, "executable") == 0  ? &python.executable
                             : std::strcmp(fact, "prefix") == 0      ? &python.prefix
                             : std::strcmp(fact, "base_prefix") == 0 ? &python.base_prefix
                             : std::strcmp(fact, "platform") == 0    ? &python.platform
                                                                     : nullptr;
  return value != nullptr ? value->c_str() : nullptr;
}

pyprefix_status pyprefix_trimmer_from_report(const pyprefix_report* report, pyprefix_trimmer** trimmer) {
  if (report == nullptr || trimmer == nullptr) return invalid_argument("no report or no result");
  *trimmer = nullptr;
  return guarded([&] { *trimmer = new pyprefix_trimmer{pyprefix::Trimmer(report->report.prefixes)}; });
}

}  // extern "C"
