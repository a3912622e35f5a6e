// The command line (lib/tool/arguments.cpp): what each form asks for, and each usage error in
// one line naming its argument. (test/tool/list_test.cpp runs the tool itself.)
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tool/arguments.hpp"

namespace {

using pyprefix::detail::Command;

Command parsed(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "pyprefix");
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  return pyprefix::detail::parse_arguments(static_cast<int>(argv.size()), argv.data());
}

// The usage error's message, or "no error".
std::string refusal(const std::vector<std::string>& arguments) {
  try {
    parsed(arguments);
  } catch (const pyprefix::detail::UsageError& e) {
    return e.message;
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(arguments)

BOOST_AUTO_TEST_CASE(what_each_form_asks_for) {
  const Command program = parsed({"trim", "--cwd", "/srv", "trace.txt", "--", "python3", "-X", "utf8", "app.py", "-v"});
  BOOST_TEST(static_cast<int>(program.action) == static_cast<int>(Command::Action::trim));
  BOOST_TEST(program.files == std::vector<std::string>{"trace.txt"}, boost::test_tools::per_element());
  BOOST_TEST(program.options.program == (std::vector<std::string>{"python3", "-X", "utf8", "app.py", "-v"}),
             boost::test_tools::per_element());
  BOOST_TEST(program.options.working_directory == "/srv");

  const Command rewrite = parsed({"rewrite", "-i", "--keep-width", "--max-inflated", "2G", "--format", "pstats", "x"});
  BOOST_TEST(rewrite.in_place);
  BOOST_TEST(rewrite.rewrite.keep_width);
  BOOST_TEST(rewrite.max_inflated_bytes == uint64_t{2} << 30);
  BOOST_TEST(static_cast<int>(rewrite.rewrite.format) == static_cast<int>(pyprefix::RewriteFormat::pstats));
  BOOST_TEST(parsed({"rewrite", "--max-inflated=512K", "x"}).max_inflated_bytes == 512u << 10);
  BOOST_TEST(parsed({"rewrite", "x"}).max_inflated_bytes == pyprefix::detail::default_max_inflated_bytes);

  const Command attach = parsed({"--pid", "42", "--attach", "--timeout", "1.5"});
  BOOST_TEST(attach.options.pid == 42);
  BOOST_TEST(attach.options.attach);
  BOOST_TEST(attach.options.timeout.count() == 1500);
  BOOST_TEST(parsed({}).options.timeout.count() == pyprefix::default_timeout.count());
}

BOOST_AUTO_TEST_CASE(usage_errors_name_their_argument) {
  const struct {
    std::vector<std::string> arguments;
    std::string message;
  } table[] = {
      {{"--"}, "-- needs the program you will run"},
      {{"--pid", "1", "--", "python3", "x.py"}, "a program after -- takes neither --pid nor --python"},
      {{"--python", "python3", "--", "python3", "x.py"}, "a program after -- takes neither --pid nor --python"},
      {{"--cwd", "/srv"}, "--cwd goes with a program after --"},
      {{"rewrite", "--max-inflated", "0", "x"}, "--max-inflated takes a number of bytes"},
      {{"rewrite", "--max-inflated", "1T", "x"}, "--max-inflated takes a number of bytes"},
      {{"rewrite", "--max-inflated", "99999999999999999999G", "x"}, "--max-inflated takes a number of bytes"},
      {{"rewrite", "--format", "xml"}, "--format takes detect, text, json, pstats, pprof or jitdump, not 'xml'"},
      {{"trim", "--keep-width"}, "--format, --to, --keep-width, --max-inflated and -i go with rewrite"},
      {{"rewrite", "-i"}, "rewrite -i needs the FILEs to rewrite"},
      {{"rewrite", "-i", "-"}, "rewrite -i rewrites files, not standard input"},
      {{"--attach"}, "--attach goes with --pid"},
      {{"--pid", "x"}, "--pid takes a process id, not 'x'"},
      {{"--timeout", "0"}, "--timeout must be more than 0"},
      {{"--bogus"}, "unknown option '--bogus'"},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.message) {
      const std::string message = refusal(row.arguments);
      BOOST_TEST(message.find(row.message) != std::string::npos, message);
      BOOST_TEST(message.find('\n') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
