// CPython's command-line rules, read from a process's argv (Python/getopt.c, Modules/main.c).
#include "ask/child/python_command_line.hpp"

#include <cstring>

namespace pyprefix::detail {

bool is_python_name(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.substr(0, 6) != "python") return false;
  size_t i = 6;
  while (i < name.size() && ((name[i] >= '0' && name[i] <= '9') || name[i] == '.')) ++i;
  while (i < name.size() && name[i] >= 'a' && name[i] <= 'z') ++i;
  return i == name.size();
}

PythonCommandLine read_python_command_line(const std::vector<std::string>& argv) {
  PythonCommandLine command_line;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& argument = argv[i];
    if (argument == "--") {  // what follows is the script ("-": standard input, as before it)
      if (i + 1 < argv.size() && argv[i + 1] != "-") command_line.first_entry = {FirstEntry::Kind::script, argv[i + 1]};
      return command_line;
    }
    if (argument.rfind("--", 0) == 0) {
      command_line.options.push_back(argument);
      if (argument == "--check-hash-based-pycs" && i + 1 < argv.size())  // the one long option with a value
        command_line.options.push_back(argv[++i]);
      continue;
    }
    if (argument == "-" || argument.empty() || argument[0] != '-') {
      if (argument != "-") command_line.first_entry = {FirstEntry::Kind::script, argument};
      return command_line;  // the rest is the script's
    }
    for (size_t j = 1; j < argument.size(); ++j) {
      const char option = argument[j];
      if (option == 'c' || option == 'm') {
        if (j > 1) command_line.options.push_back(argument.substr(0, j));  // "-Ic": "-I"
        // "-c" and "-" keep the '' of FirstEntry's default
        if (option == 'm') command_line.first_entry.kind = FirstEntry::Kind::module;
        return command_line;
      }
      if (option == 'W' || option == 'X') {
        command_line.options.push_back(argument);
        if (j + 1 == argument.size() && i + 1 < argv.size()) command_line.options.push_back(argv[++i]);
        break;
      }
      if (j + 1 == argument.size()) command_line.options.push_back(argument);
      if (std::strchr("IEsSP", option) != nullptr) {
        const std::string flag{'-', option};
        bool known = false;
        for (const std::string& seen : command_line.flags) known = known || seen == flag;
        if (!known) command_line.flags.push_back(flag);
      }
    }
  }
  return command_line;
}

std::vector<std::string> search_candidates(const std::string& name, std::string_view search_path) {
  std::vector<std::string> candidates;
  for (size_t start = 0; start <= search_path.size();) {
    size_t end = search_path.find(':', start);
    if (end == std::string_view::npos) end = search_path.size();
    const std::string_view folder = search_path.substr(start, end - start);
    candidates.push_back((folder.empty() ? std::string(".") : std::string(folder)) + "/" + name);
    start = end + 1;
  }
  return candidates;
}

std::vector<std::string> python_candidates(const std::string& python, const std::vector<std::string>& environment) {
  if (python.find('/') != std::string::npos) return {python};
  for (const std::string& variable : environment)
    if (variable.rfind("PATH=", 0) == 0) return search_candidates(python, std::string_view(variable).substr(5));
  return search_candidates(python, "/bin:/usr/bin");  // what execvp uses when PATH is unset
}

}  // namespace pyprefix::detail
