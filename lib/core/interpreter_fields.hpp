// Every field of pyprefix::Interpreter, in one table that every reader and writer uses: the
// reader's records, manifests (read and written), the C API and the Python package, whose
// Interpreter class CMake generates from it (cmake/cpp_tables.cmake). A field added to
// Interpreter is added here and reaches all of them.
#ifndef PYPREFIX_LIB_CORE_INTERPRETER_FIELDS_HPP
#define PYPREFIX_LIB_CORE_INTERPRETER_FIELDS_HPP

#include <string>
#include <string_view>

#include <pyprefix/report.hpp>

namespace pyprefix::detail {

// How a text field is carried: one line of text, or a file name as bytes (os.fsencode).
enum class FieldForm { text, file_name };

struct InterpreterField {
  std::string_view name;  // in records, manifests, the C API and Python's Interpreter
  std::string Interpreter::*member;
  FieldForm form;
  std::string_view python;  // what Python calls it (the Python package's documentation)
};

// The text fields, in the order of Interpreter and of Python's Interpreter tuple.
inline constexpr InterpreterField interpreter_fields[] = {
    {"version", &Interpreter::version, FieldForm::text, "platform.python_version()"},
    {"executable", &Interpreter::executable, FieldForm::file_name, "sys.executable"},
    {"prefix", &Interpreter::prefix, FieldForm::file_name, "sys.prefix"},
    {"base_prefix", &Interpreter::base_prefix, FieldForm::file_name, "sys.base_prefix"},
    {"platform", &Interpreter::platform, FieldForm::text, "sys.platform"},
    {"cache_tag", &Interpreter::cache_tag, FieldForm::text,
     "sys.implementation.cache_tag: the names of __pycache__ files"},
};

// The one list field, after the text fields; the reader's records carry one
// "extension_suffix" record for each of its items.
inline constexpr std::string_view extension_suffixes_field = "extension_suffixes";
inline constexpr std::string_view extension_suffixes_python = "importlib.machinery.EXTENSION_SUFFIXES";
inline constexpr std::string_view extension_suffix_record = "extension_suffix";

// The text field called `name`, or nullptr.
inline const InterpreterField* interpreter_field(std::string_view name) {
  for (const InterpreterField& field : interpreter_fields)
    if (field.name == name) return &field;
  return nullptr;
}

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_INTERPRETER_FIELDS_HPP
