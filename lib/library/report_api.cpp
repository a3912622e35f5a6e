// The C API's functions that ask Python: reports, and a trimmer from a report.
#include <algorithm>
#include <cstring>
#include <string>

#include <pyprefix/prefixes.hpp>

#include "core/c_api/handles.hpp"
#include "core/interpreter_fields.hpp"

using pyprefix::detail::guarded;
using pyprefix::detail::invalid_argument;

extern "C" {

pyprefix_status pyprefix_manifest_json(const pyprefix_options* options, char** json) {
  if (json == nullptr) return invalid_argument("no result");
  *json = nullptr;
  return guarded([&] {
    const pyprefix::Manifest manifest = pyprefix::manifest(options != nullptr ? options->options : pyprefix::Options{});
    *json = pyprefix::detail::c_string_copy(pyprefix::manifest_json(manifest));
  });
}

pyprefix_status pyprefix_report_new(const pyprefix_options* options, pyprefix_report** report) {
  if (report == nullptr) return invalid_argument("no result");
  *report = nullptr;
  return guarded([&] {
    const pyprefix::Options asked = options != nullptr ? options->options : pyprefix::Options{};
    *report = new pyprefix_report{pyprefix::report(asked), asked.pid};
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
  const pyprefix::detail::InterpreterField* field = pyprefix::detail::interpreter_field(fact);
  return field != nullptr ? (report->report.interpreter.*field->member).c_str() : nullptr;
}

const char* pyprefix_report_extension_suffix(const pyprefix_report* report, size_t index) {
  if (report == nullptr || index >= report->report.interpreter.extension_suffixes.size()) return nullptr;
  return report->report.interpreter.extension_suffixes[index].c_str();
}

pyprefix_status pyprefix_trimmer_from_report(const pyprefix_report* report, pyprefix_trimmer** trimmer) {
  if (report == nullptr || trimmer == nullptr) return invalid_argument("no report or no result");
  *trimmer = nullptr;
  return guarded([&] { *trimmer = new pyprefix_trimmer{pyprefix::Trimmer(report->report.prefixes)}; });
}

}  // extern "C"
