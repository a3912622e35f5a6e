#include "core/entries/records.hpp"

#include <pyprefix/error.hpp>

#include "core/interpreter_fields.hpp"
#include "core/printable.hpp"
#include "core/sources.hpp"

namespace pyprefix::detail {
namespace {

std::string one_line(std::string_view text) { return printable(text.substr(0, text.find('\n'))); }

// Stores an I record's fact; facts this version does not know are ignored, so that a later
// reader may add some.
void set_fact(RawEntries& raw, std::string_view fact) {
  const size_t equals = fact.find('=');
  if (equals == std::string_view::npos) return;
  const std::string_view name = fact.substr(0, equals);
  std::string value(fact.substr(equals + 1));
  Interpreter& interpreter = raw.interpreter;
  if (name == "cwd") {
    if (!value.empty() && value.front() == '/') raw.working_directory = std::move(value);  // else of no use
  } else if (const InterpreterField* field = interpreter_field(name)) {
    interpreter.*field->member = field->form == FieldForm::text ? one_line(value) : std::move(value);
  } else if (name == extension_suffix_record) {
    interpreter.extension_suffixes.push_back(one_line(value));
  }
}

}  // namespace

RawEntries parse_records(std::string_view answer, const std::string& who, RecordLimits limits) {
  const std::string unreadable = who + " gave an answer pyprefix cannot read";
  RawEntries raw;
  bool first = true;
  size_t records = 0;
  for (size_t start = 0; start < answer.size();) {
    if (++records > limits.records)
      throw error(who + " gave an answer of more than " + std::to_string(limits.records) + " records");
    const size_t end = answer.find('\0', start);
    if (end == std::string_view::npos) break;  // cut off
    const std::string_view record = answer.substr(start, end - start);
    start = end + 1;
    if (record.size() > limits.record_bytes)
      throw error(who + " gave an answer with a record of more than " + std::to_string(limits.record_bytes >> 10) +
                  " KiB");
    if (first) {
      if (record != reader_format) throw error(unreadable);
      first = false;
      continue;
    }
    if (record == "end") {
      if (start != answer.size()) throw error(unreadable + " (records after the end)");
      return raw;
    }
    const char tag = record.empty() ? '\0' : record[0];
    const std::string_view body = record.substr(record.empty() ? 0 : 1);
    if (tag == 'E') {
      const size_t colon = body.find(':');
      const auto source = source_named(body.substr(0, colon));
      if (colon == std::string_view::npos || !source) throw error(unreadable + " (an entry of no known source)");
      raw.entries.push_back({std::string(body.substr(colon + 1)), *source});
    } else if (tag == 'I') {
      set_fact(raw, body);
    } else if (tag == 'D' && !body.empty()) {
      raw.diagnostics.push_back(one_line(body));
    } else if (tag == 'X' && !body.empty()) {
      throw error(one_line(body));
    } else {
      throw error(unreadable);
    }
  }
  throw error(unreadable + (first ? "" : " (it is cut off)"));
}

}  // namespace pyprefix::detail
