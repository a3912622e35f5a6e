// The pyprefix command-line tool.
#include "tool/command.hpp"

int main(int argc, char** argv) {
  pyprefix::detail::CommandHost host;
  host.owns_signals = true;
  return pyprefix::detail::run_command(argc, argv, host);
}
