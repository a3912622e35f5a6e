// A consumer of pyprefix::core: trims the paths on stdin by a saved list, as `pyprefix trim
// --prefixes FILE` does, without any Python.
#include <cstdio>
#include <iostream>
#include <string>

#include <pyprefix/error.hpp>
#include <pyprefix/prefix_file.hpp>
#include <pyprefix/trimmer.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: trim_saved SAVED_LIST < paths\n");
    return 2;
  }
  try {
    const pyprefix::Trimmer trimmer(pyprefix::read_prefix_file(argv[1]));
    for (std::string line; std::getline(std::cin, line);) std::cout << trimmer.trim(line) << '\n';
  } catch (const pyprefix::error& e) {
    std::fprintf(stderr, "trim_saved: %s\n", e.what());
    return 1;
  }
  return 0;
}
