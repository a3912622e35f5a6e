// The pyprefix command-line tool: the command, asking Python through the dispatcher with the
// plugin it loads only when it embeds, and handling SIGINT, SIGTERM and SIGHUP itself.
#include <string>
#include <vector>

#include "ask/entry/asking.hpp"
#include "tool/command.hpp"
#include "tool/live_plugin.hpp"

int main(int argc, char** argv) {
  using namespace pyprefix;
  detail::CommandHost host;
  host.report = [](const Options& options) { return detail::ask_report(options, detail::read_through_plugin); };
  host.manifest = [](const Options& options, std::vector<std::string>* diagnostics) {
    return detail::ask_manifest(options, diagnostics, detail::read_through_plugin);
  };
  host.interpreter = [](const Options& options) {
    return detail::ask_interpreter(options, detail::read_through_plugin);
  };
  host.owns_signals = true;
  return detail::run_command(argc, argv, host);
}
