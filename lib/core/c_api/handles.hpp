// The C API's opaque objects and its error convention, shared by its parts: core_api.cpp
// and options_api.cpp (in pyprefix::core), lib/library/report_api.cpp (with the code that asks Python).
#ifndef PYPREFIX_LIB_CORE_C_API_HANDLES_HPP
#define PYPREFIX_LIB_CORE_C_API_HANDLES_HPP

#include <exception>
#include <new>
#include <string>

#include <pyprefix/pyprefix_core.h>
#include <pyprefix/code_index.hpp>
#include <pyprefix/error.hpp>
#include <pyprefix/options.hpp>
#include <pyprefix/report.hpp>
#include <pyprefix/trimmer.hpp>

struct pyprefix_options {
  pyprefix::Options options;
};

struct pyprefix_report {
  pyprefix::Report report;
  int process = 0;  // the running process it describes (Options::pid), whose files no index reads from here
};

struct pyprefix_trimmer {
  pyprefix::Trimmer trimmer;
};

struct pyprefix_index {
  pyprefix::CodeIndex index;
};

namespace pyprefix::detail {

// Sets this thread's pyprefix_last_error() text, cut to fit; never allocates, so that it can
// report a std::bad_alloc.
void set_last_error(const char* message) noexcept;

// Runs `body` and turns what it throws into a status and a last-error text, so that no C++
// exception crosses the C API. Only std::exception is caught: CPython's forced unwind of a
// thread it ends during finalisation is not an exception to swallow.
template <class Body>
pyprefix_status guarded(Body&& body) {
  try {
    body();
    return PYPREFIX_OK;
  } catch (const std::bad_alloc&) {
    set_last_error("out of memory");
    return PYPREFIX_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(e.what());
    return PYPREFIX_ERROR;
  }
}

// PYPREFIX_INVALID_ARGUMENT with a message naming the argument.
pyprefix_status invalid_argument(const char* what) noexcept;

// A malloc'ed copy of `text`, NUL-terminated, for pyprefix_string_free. Throws std::bad_alloc.
char* c_string_copy(const std::string& text);

}  // namespace pyprefix::detail

#endif  // PYPREFIX_LIB_CORE_C_API_HANDLES_HPP
