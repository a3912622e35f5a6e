// The pyprefix command-line tool.
#include "tool/command.hpp"

int main(int argc, char** argv) { return pyprefix::detail::run_command(argc, argv); }
