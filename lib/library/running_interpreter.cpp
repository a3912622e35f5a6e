// The libraries' side of running_interpreter.hpp: this process's interpreter, behind the lock.
#include "child/running_interpreter.hpp"

#include "embedded/interpreter_lock.hpp"
#include "embedded/live_reader.hpp"

namespace pyprefix::detail {

RawEntries read_running_interpreter(const Options& options, bool with_facts) {
  interpreter_lock lock;
  return read_live_entries(options, with_facts);
}

}  // namespace pyprefix::detail
