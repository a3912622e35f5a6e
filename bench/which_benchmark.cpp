// CodeIndex for Debian's dist-packages with python3-torch: how long building it takes (the first
// build in this process, then the median of 9 more), how much heap it holds, and how long a
// lookup takes over every file under the import roots (the first pass, which lists each folder
// once, and the median of 5 passes after it).
#include <ftw.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <pyprefix/pyprefix.hpp>

namespace {

std::vector<std::string> files;

int collect(const char* path, const struct stat*, int type, struct FTW*) {
  if (type == FTW_F) files.emplace_back(path);
  return files.size() > 200000 ? 1 : 0;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <class Work>
double milliseconds(Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  pyprefix::Options options;
  options.python = argc > 1 ? argv[1] : "/usr/bin/python3";
  options.packages = {"torch"};
  const pyprefix::Report report = pyprefix::report(options);

  const size_t heap_before = mallinfo2().uordblks;
  const pyprefix::CodeIndex* first = nullptr;
  const double first_ms = milliseconds([&] { first = new pyprefix::CodeIndex(report); });
  const size_t heap_bytes = mallinfo2().uordblks - heap_before;
  std::vector<double> builds;
  for (int i = 0; i < 9; ++i) builds.push_back(milliseconds([&] { pyprefix::CodeIndex again(report); }));

  for (const std::string& root : report.sys_path) nftw(root.c_str(), collect, 64, FTW_PHYS);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  size_t named = 0, owned = 0;
  const auto pass = [&] {
    named = owned = 0;
    for (const std::string& file : files) {
      const pyprefix::Which which = first->which(file);
      named += which.module.empty() ? 0 : 1;
      owned += which.distribution != nullptr ? 1 : 0;
    }
  };
  const double first_pass_ns = milliseconds(pass) * 1e6 / static_cast<double>(files.size());
  std::vector<double> passes;
  for (int i = 0; i < 5; ++i) passes.push_back(milliseconds(pass) * 1e6 / static_cast<double>(files.size()));

  std::printf("index of %zu distributions (%s): first build %.1f ms, then %.1f ms (median of 9), heap %.1f MiB\n",
              first->distributions().size(), report.interpreter.executable.c_str(), first_ms, median(builds),
              static_cast<double>(heap_bytes) / (1 << 20));
  std::printf(
      "lookups over %zu files (%zu named, %zu owned): %.0f ns first pass (folders listed once), %.0f ns after\n",
      files.size(), named, owned, first_pass_ns, median(passes));
  delete first;
  return 0;
}
