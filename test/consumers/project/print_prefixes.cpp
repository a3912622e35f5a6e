// A tracer-like consumer: prints pyprefix::prefixes() one a line, as `pyprefix list` does.
#include <cstdio>

#include <pyprefix/pyprefix.hpp>

int main() {
  try {
    for (const std::string& prefix : pyprefix::prefixes()) std::printf("%s\n", prefix.c_str());
  } catch (const pyprefix::error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}
