// A hostile host: an application that runs Python itself and calls pyprefix from its own
// threads while it mistreats sys.path, edits it concurrently, and finalises the interpreter
// under the calls. One scenario a process (finalising is for good); hostile_test.cpp runs them
// and checks what they print. Each prints "<scenario> ok ..." and exits 0, or says what failed.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <pyprefix/pyprefix.hpp>

#include "support/python_host.hpp"

using namespace pyprefix::test;

// Allocation failures on demand: the n-th operator new from when this is set to n throws
// std::bad_alloc (-1: none fails). Only the out-of-memory scenario sets it. TSan's runtime
// brings its own operator new and delete, whole, so there the scenario is not built (and
// test/CMakeLists.txt does not list it).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PYPREFIX_RUNTIME_OWNS_OPERATOR_NEW 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define PYPREFIX_RUNTIME_OWNS_OPERATOR_NEW 1
#endif

std::atomic<long> allocations_until_failure{-1};

#ifndef PYPREFIX_RUNTIME_OWNS_OPERATOR_NEW

void* operator new(std::size_t size) {
  if (allocations_until_failure.load() >= 0 && allocations_until_failure.fetch_sub(1) == 0) throw std::bad_alloc();
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
// Every other form goes through the one above, so that all of them pair with free() (a
// sanitizer's own forms would not), and the program runs under ASan and TSan too.
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return operator new(size, std::nothrow); }
// g++ takes these for frees of memory from the operator new above, which they are meant to be.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
// The aligned forms too: a sanitizer runtime defines the whole set in one object, which would
// clash with this set if any member were left to it.
void* operator new(std::size_t size, std::align_val_t alignment) {
  const auto align = static_cast<std::size_t>(alignment);
  if (allocations_until_failure.load() >= 0 && allocations_until_failure.fetch_sub(1) == 0) throw std::bad_alloc();
  if (void* memory = std::aligned_alloc(align, (size + align - 1) / align * align + (size == 0 ? align : 0)))
    return memory;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t alignment) { return operator new(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return operator new(size, alignment);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return operator new(size, alignment, std::nothrow);
}
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }
#endif  // PYPREFIX_RUNTIME_OWNS_OPERATOR_NEW

namespace {

int failures = 0;

// "<scenario> ok: <details>" when every check passed, else "<scenario> failed: <details>".
void summarise(const char* scenario, const std::string& details) {
  std::printf("%s %s: %s\n", scenario, failures == 0 ? "ok" : "failed", details.c_str());
}

void check(bool condition, const std::string& what) {
  if (!condition) {
    std::printf("FAILED: %s\n", what.c_str());
    ++failures;
  }
}

// The reference counts of every object a call touches, as Python reports them.
std::vector<std::string> reference_counts() {
  return python(
      "import site, sys\n"
      "def counts():\n"
      "    # Objects of the test's own: None, small ints and one-character strings are shared by\n"
      "    # the whole interpreter, and their counts move with everything else it does.\n"
      "    own = [e for e in sys.path if not (e is None or isinstance(e, int) or (isinstance(e, str) and len(e) < "
      "2))]\n"
      "    watched = [sys.path, site.getsitepackages, site.getuserbase, site.getusersitepackages] + own\n"
      "    return [str(sys.getrefcount(o)) for o in watched]\n"
      "result = counts()\n");
}

const char* const odd_entries =
    "import importlib.util, json, pathlib, site, sys\n"
    "class Anything: pass\n"
    "sys.path.extend([b'/tmp/bytes', b'/tmp/\\xff\\xfe-undecodable', pathlib.Path('/tmp/path-object'), None, 7,\n"
    "                 Anything(), '/tmp/nul\\0inside', '', '~', '/', '//x', '/tmp/' + 'x' * 10000,\n"
    "                 '/tmp/\\udcff-escaped', '/tmp/d\\u00efr-\\u65e5\\u672c'])\n";

// Odd entries give the reference's answer, leave nothing pending, and leak no reference.
void odd_entries_scenario() {
  python(odd_entries);
  const std::vector<std::string> before = reference_counts();
  std::vector<std::string> ours;
  for (int i = 0; i < 100; ++i) ours = pyprefix::prefixes();
  check(ours == reference_prefixes(), "the list differs from the reference's");
  check(no_python_exception_pending(), "a Python exception is pending");
  const std::vector<std::string> after = reference_counts();
  for (size_t i = 0; i < before.size() && i < after.size(); ++i)
    check(before[i] == after[i], "the reference count of watched object " + std::to_string(i) + " went from " +
                                     before[i] + " to " + after[i] + " over 100 calls");
  summarise("odd-entries", std::to_string(ours.size()) + " prefixes, reference counts compared over 100 calls");
}

// Eight threads call at once while a Python thread edits sys.path; every answer is a list the
// editor's entries could produce, or an error naming the cause.
void threads_scenario() {
  python(odd_entries);
  // Every list a state of sys.path can give is a subset of the list with all the pool in it.
  const std::vector<std::string> allowed_list = python(
      "pool = ['/tmp/edit-%d' % i for i in range(50)] + [b'/tmp/edit-bytes', None, 3]\n"
      "saved = list(sys.path)\n"
      "sys.path.extend(pool)\n"
      "namespace = {'__name__': 'reference'}\n"
      "exec(compile(open('" PYPREFIX_TEST_REFERENCE
      "').read(), 'prefixes.py', 'exec'), namespace)\n"
      "result = namespace['prefixes']()\n"
      "sys.path[:] = saved\n");
  python(
      "import threading, random\n"
      "stop = threading.Event()\n"
      "def edit():\n"
      "    rng = random.Random(1)\n"
      "    while not stop.is_set():\n"
      "        sys.path.insert(rng.randrange(len(sys.path) + 1), rng.choice(pool))\n"
      "        if len(sys.path) > 80:\n"
      "            victim = rng.choice(pool)\n"
      "            if victim in sys.path: sys.path.remove(victim)\n"
      "editor = threading.Thread(target=edit, daemon=True)\n"
      "editor.start()\n");
  const std::set<std::string> allowed(allowed_list.begin(), allowed_list.end());
  std::atomic<int> calls{0}, errors{0}, strays{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        try {
          for (const std::string& prefix : pyprefix::prefixes()) {
            if (allowed.count(prefix) != 0) continue;
            if (strays++ == 0) std::printf("stray prefix: %s\n", prefix.c_str());
          }
          ++calls;
        } catch (const pyprefix::error& e) {
          ++errors;
          std::printf("error: %s\n", e.what());
        }
      }
    });
  for (std::thread& thread : threads) thread.join();
  python("stop.set()\neditor.join()\n");
  check(calls == 800, "not every call returned a list");
  check(strays == 0, "a prefix that no state of sys.path could produce");
  check(no_python_exception_pending(), "a Python exception is pending");
  summarise("threads", std::to_string(calls) + " calls, " + std::to_string(errors) + " errors, " +
                           std::to_string(strays) + " stray prefixes");
}

// The host finalises Python while four threads are calling, and they go on calling after.
void finalize_scenario(PythonHost& host) {
  python("import sys\nsys.path.append('/tmp/before-finalising')\n");
  std::atomic<bool> finalised{false};
  std::atomic<int> answers{0}, shutting_down{0}, answers_after{0}, other_errors{0}, finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
      while (std::chrono::steady_clock::now() < end) {
        const bool after = finalised.load();
        try {
          pyprefix::prefixes();
          ++answers;
          answers_after += after;
        } catch (const pyprefix::error& e) {  // never catch (...): CPython may end a thread by unwinding it
          const std::string what = e.what();
          if (what.find("shutting down") != std::string::npos || what.find("finalised") != std::string::npos)
            ++shutting_down;
          else
            ++other_errors;
        }
      }
      ++finished;  // not reached by a thread that CPython ends by unwinding it
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  host.finalize();  // Py_FinalizeEx, with calls in flight
  finalised = true;
  for (std::thread& thread : threads) thread.join();
  check(answers > 0, "no call succeeded before finalising");
  check(shutting_down > 0, "no call was refused after finalising");
  check(answers_after == 0, "a call succeeded after the interpreter was finalised");
  check(other_errors == 0, "a call failed for another reason");
  check(finished == 4, "a calling thread was ended by CPython's forced unwind");
  summarise("finalize", std::to_string(answers) + " answers before, " + std::to_string(shutting_down) +
                            " refused, no hang, no crash");
}

// 100,000 sys.path entries and one of 10 MB: the right answer. The times for 25,000, 50,000
// and 100,000 entries are printed, to show that they grow linearly (a figure, not a check).
void bounds_scenario() {
  const auto seconds_for_prefixes = [] {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> list = pyprefix::prefixes();
    return std::make_pair(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), list);
  };
  python("import sys\nsaved = list(sys.path)\n");
  std::string growth;
  for (int entries : {25000, 50000, 100000}) {
    python("sys.path[:] = saved + ['/tmp/many/%d' % i for i in range(" + std::to_string(entries) + ")]\n");
    char figure[64];
    std::snprintf(figure, sizeof figure, "%d entries %.3f s; ", entries, seconds_for_prefixes().first);
    growth += figure;
  }
  python("sys.path.append('/tmp/' + 'y' * (10 * 1024 * 1024))\n");
  const auto [seconds, ours] = seconds_for_prefixes();
  check(ours == reference_prefixes(), "the list differs from the reference's");
  char details[160];
  std::snprintf(details, sizeof details, "%zu prefixes (the longest %zu bytes) in %.2f s", ours.size(),
                ours.empty() ? size_t{0} : ours.front().size(), seconds);
  summarise("bounds", growth + details);
}

// std::bad_alloc at every allocation of a call in turn, until one call succeeds: after each
// failure this thread holds no GIL, and at the end Py_FinalizeEx does not wait for calls that
// were counted as in flight and never ended.
void out_of_memory_scenario(PythonHost& host) {
#ifdef PYPREFIX_RUNTIME_OWNS_OPERATOR_NEW
  check(false, "this build's sanitizer runtime owns operator new: no allocation failure can be injected");
  return;
#endif
  int failed_calls = 0;
  std::vector<std::string> ours;
  for (long allocation = 0; allocation < 1000000 && ours.empty(); ++allocation) {
    allocations_until_failure = allocation;
    try {
      ours = pyprefix::prefixes();
    } catch (const std::bad_alloc&) {
      ++failed_calls;
    }
    allocations_until_failure = -1;
    if (PyGILState_Check() != 0) {
      check(false, "the GIL is still held after a std::bad_alloc at allocation " + std::to_string(allocation));
      break;
    }
  }
  check(!ours.empty(), "no call succeeded");
  check(ours == reference_prefixes(), "the list differs from the reference's");
  check(no_python_exception_pending(), "a Python exception is pending");
  const auto start = std::chrono::steady_clock::now();
  host.finalize();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check(seconds < 5, "Py_FinalizeEx waited " + std::to_string(seconds) + " s for calls no longer in flight");
  summarise("out-of-memory",
            std::to_string(failed_calls) + " calls failed with std::bad_alloc, each cleanly, then one succeeded");
}

// A daemon's SIGCHLD handling: ignored (the kernel reaps every child at once) or a handler
// that reaps every child with waitpid(-1). Calls that run a child process still get the list,
// without waiting for their timeout.
void reap_every_child(int) {
  const int saved_errno = errno;
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  errno = saved_errno;
}

void sigchld_scenario(const char* name, bool ignore) {
  pyprefix::Options options;
  options.python = PYPREFIX_PYTHON_EXECUTABLE;
  const std::vector<std::string> expected = pyprefix::prefixes(options);
  struct sigaction action {};
  action.sa_handler = ignore ? SIG_IGN : reap_every_child;
  action.sa_flags = SA_RESTART;
  sigaction(SIGCHLD, &action, nullptr);
  options.timeout = std::chrono::seconds(60);
  const auto start = std::chrono::steady_clock::now();
  int answers = 0;
  for (int call = 0; call < 20; ++call) {
    try {
      check(pyprefix::prefixes(options) == expected, "the list differs from the one before");
      ++answers;
    } catch (const pyprefix::error& e) {
      check(false, e.what());
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check(seconds < 30, "20 calls took " + std::to_string(seconds) + " s: they waited for their timeout");
  char details[96];
  std::snprintf(details, sizeof details, "%d of 20 calls answered in %.2f s", answers, seconds);
  summarise(name, details);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string scenario = argc == 2 ? argv[1] : "";
  PythonHost host;
  if (scenario == "odd-entries")
    odd_entries_scenario();
  else if (scenario == "threads")
    threads_scenario();
  else if (scenario == "finalize")
    finalize_scenario(host);
  else if (scenario == "bounds")
    bounds_scenario();
  else if (scenario == "out-of-memory")
    out_of_memory_scenario(host);
  else if (scenario == "sigchld-ignored")
    sigchld_scenario("sigchld-ignored", true);
  else if (scenario == "sigchld-reaper")
    sigchld_scenario("sigchld-reaper", false);
  else {
    std::printf(
        "usage: hostile_host odd-entries|threads|finalize|bounds|out-of-memory|sigchld-ignored|sigchld-reaper\n");
    return 2;
  }
  std::fflush(stdout);
  return failures == 0 ? 0 : 1;
}
