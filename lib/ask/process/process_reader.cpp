#include "ask/process/process_reader.hpp"

#include <utility>

#include "ask/child/child_reader.hpp"

namespace pyprefix::detail {

RawEntries read_process_entries(const TargetProcess& target, const Options& options) {
  ChildRequest request;
  request.argv = {target.started_as};
  if (options.isolated)
    request.argv.insert(request.argv.end(), {"-I", "-S"});
  else
    request.argv.insert(request.argv.end(), target.flags.begin(), target.flags.end());
  const std::string start = start_for(target.first_entry, options.isolated);
  request.environment = target.environment;
  request.executable = target.executable.get();
  request.search = target.search;
  request.confinement = target.confinement();
  // No cache: the child runs as another user, in another root, with that process's environment.
  RawEntries raw = run_reader(std::move(request), target.name, start, false, options);
  raw.root_on_host = target.root_on_host;
  return raw;
}

}  // namespace pyprefix::detail
