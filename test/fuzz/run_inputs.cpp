// Runs a fuzz target once on every file in the folders given, without libFuzzer: this is how
// the seed corpora and every input that ever failed are replayed in the ordinary test suite.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <boost/filesystem.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size);

int main(int argc, char** argv) {
  size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    if (!boost::filesystem::is_directory(argv[i])) continue;
    for (const auto& entry : boost::filesystem::directory_iterator(argv[i])) {
      if (entry.path().filename() == "README") continue;  // what the folder is for, not an input
      std::ifstream file(entry.path().native(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++inputs;
    }
  }
  std::printf("%zu passed, 0 failed\n", inputs);  // a failing input traps before this line
  return inputs > 0 ? 0 : 1;
}
