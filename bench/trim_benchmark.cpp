// ns per path for pyprefix::Trimmer, PyTorch's trimming algorithm, and one strlen pass, over
// real paths gathered from the machine's Python installations, as the prefix list grows.
//
// The lists: the embedded interpreter's real prefix list, grown to N entries in two ways:
// with real package directories from the same installations (what editable installs add to
// sys.path), which interleave with the real prefixes and often match deeper; and with other
// conda environments' folders, which never match. Run by bench/trim.sh, which plots the result.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <set>

#include <boost/filesystem.hpp>

#include <pyprefix/pyprefix.hpp>

namespace {

namespace fs = boost::filesystem;

struct Corpus {
  std::vector<std::string> prefixes;             // the real list, torch's order
  std::vector<std::string> paths;                // real .py files under those prefixes
  std::vector<std::string> package_directories;  // candidates for growing the list
};

const Corpus& corpus() {
  static const Corpus gathered = [] {
    Corpus corpus;
    corpus.prefixes = pyprefix::prefixes();
    std::set<std::string> directories;
    for (const std::string& prefix : corpus.prefixes) {
      boost::system::error_code failure;
      fs::recursive_directory_iterator walk(prefix, fs::directory_options::skip_permission_denied, failure), end;
      for (; !failure && walk != end && corpus.paths.size() < 200000; walk.increment(failure)) {
        const fs::path& path = walk->path();
        if (path.extension() == ".py") corpus.paths.push_back(path.native());
        if (walk.depth() <= 1 && fs::is_directory(path, failure)) directories.insert(path.native() + "/");
      }
    }
    corpus.package_directories.assign(directories.begin(), directories.end());
    std::sort(corpus.paths.begin(), corpus.paths.end());
    corpus.paths.erase(std::unique(corpus.paths.begin(), corpus.paths.end()), corpus.paths.end());
    return corpus;
  }();
  return gathered;
}

enum class Growth {
  package_directories,  // editable installs: real package folders, which paths fall under
  conda_environments,   // other environments' site-packages and stdlib, which no path falls under
};

// The real list grown to `size` entries (never shrunk), reverse-sorted as torch keeps it.
// Conda environments live in the home folder next to pyenv ("/root/miniconda3/envs/...",
// which sorts before "/root/.pyenv" in torch's reverse order), so torch's scan passes them all
// before it reaches the prefixes that match.
std::vector<std::string> prefix_list(size_t size, Growth growth) {
  const Corpus& all = corpus();
  std::vector<std::string> list = all.prefixes;
  const size_t wanted = std::max(size, list.size()) - list.size();
  const size_t available = all.package_directories.size();
  for (size_t i = 0; i < wanted; ++i) {
    if (growth == Growth::conda_environments) {
      const std::string environment = "/root/miniconda3/envs/env-" + std::to_string(1000 + i / 2);
      list.push_back(environment + (i % 2 == 0 ? "/lib/python3.11/site-packages/" : "/lib/python3.11/"));
    } else if (i < available) {
      list.push_back(all.package_directories[i * available / wanted]);
    }
  }
  std::sort(list.begin(), list.end(), std::greater<>());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  return list;
}

// PyTorch's ValueCache::trimPrefixes, as written in torch/csrc/autograd/profiler_python.cpp:
// a std::string copy, a linear scan for the first match in reverse-sorted order, an erase.
std::string torch_trim(const std::vector<std::string>& prefixes, std::string s) {
  for (const auto& p : prefixes) {
    if (s.compare(0, p.size(), p) == 0) {
      s.erase(0, p.size());
      return s;
    }
  }
  return s;
}

void report(benchmark::State& state, size_t prefixes) {
  state.counters["prefixes"] = static_cast<double>(prefixes);
  state.counters["paths"] = static_cast<double>(corpus().paths.size());
  state.counters["ns_per_path"] =
      benchmark::Counter(static_cast<double>(corpus().paths.size()) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void pyprefix_trimmer(benchmark::State& state, Growth growth) {
  const std::vector<std::string> prefixes = prefix_list(static_cast<size_t>(state.range(0)), growth);
  const pyprefix::Trimmer trimmer(prefixes);
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& path : corpus().paths) total += trimmer.trim(path).size();
    benchmark::DoNotOptimize(total);
  }
  report(state, prefixes.size());
}

void torch_algorithm(benchmark::State& state, Growth growth) {
  const std::vector<std::string> prefixes = prefix_list(static_cast<size_t>(state.range(0)), growth);
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& path : corpus().paths) total += torch_trim(prefixes, path).size();
    benchmark::DoNotOptimize(total);
  }
  report(state, prefixes.size());
}

void strlen_pass(benchmark::State& state) {
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& path : corpus().paths) {
      const char* text = path.c_str();
      benchmark::DoNotOptimize(text);
      total += std::strlen(text);
    }
    benchmark::DoNotOptimize(total);
  }
  report(state, 0);
}

// The same on 512 of the paths, which stay in the L1 and L2 caches: a profiler trims the
// same few hundred co_filename strings over and over, and the cold corpus above (a megabyte of
// strings) measures memory as much as matching.
const std::vector<std::string>& hot_paths() {
  static const std::vector<std::string> hot(corpus().paths.begin(),
                                            corpus().paths.begin() + std::min<size_t>(512, corpus().paths.size()));
  return hot;
}

void hot_report(benchmark::State& state) {
  state.counters["paths"] = static_cast<double>(hot_paths().size());
  state.counters["ns_per_path"] =
      benchmark::Counter(static_cast<double>(hot_paths().size()) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void pyprefix_trimmer_hot(benchmark::State& state) {
  const pyprefix::Trimmer trimmer(corpus().prefixes);
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& path : hot_paths()) total += trimmer.trim(path).size();
    benchmark::DoNotOptimize(total);
  }
  hot_report(state);
}

void strlen_pass_hot(benchmark::State& state) {
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& path : hot_paths()) {
      const char* text = path.c_str();
      benchmark::DoNotOptimize(text);
      total += std::strlen(text);
    }
    benchmark::DoNotOptimize(total);
  }
  hot_report(state);
}

void list_sizes(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(0);  // the real list
  for (int size : {16, 32, 64, 128, 250, 512}) benchmark->Arg(size);
}

}  // namespace

BENCHMARK_CAPTURE(pyprefix_trimmer, packages, Growth::package_directories)->Apply(list_sizes);
BENCHMARK_CAPTURE(torch_algorithm, packages, Growth::package_directories)->Apply(list_sizes);
BENCHMARK_CAPTURE(pyprefix_trimmer, conda, Growth::conda_environments)->Apply(list_sizes);
BENCHMARK_CAPTURE(torch_algorithm, conda, Growth::conda_environments)->Apply(list_sizes);
BENCHMARK(strlen_pass);
BENCHMARK(pyprefix_trimmer_hot);
BENCHMARK(strlen_pass_hot);
BENCHMARK_MAIN();
