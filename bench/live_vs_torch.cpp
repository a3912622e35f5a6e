// The live call against torch's own in-process _prefix_regex(), in one Python process with
// torch already imported: both compute the same list (checked, byte for byte) from the same
// interpreter state, so the ratio is what a profiler inside Python pays for pyprefix's list.
// Each side runs in alternating rounds of 2,000 calls; the medians of 15 rounds are printed.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <pyprefix/pyprefix.hpp>

namespace {

constexpr int calls_per_round = 2000;
constexpr int rounds = 15;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// torch's list, as os.fsencode bytes.
std::vector<std::string> torch_list(PyObject* prefix_regex) {
  PyObject* list = PyObject_CallObject(prefix_regex, nullptr);
  std::vector<std::string> result;
  for (Py_ssize_t i = 0; list != nullptr && i < PyList_GET_SIZE(list); ++i) {
    PyObject* bytes = PyUnicode_EncodeFSDefault(PyList_GET_ITEM(list, i));
    result.emplace_back(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
    Py_DECREF(bytes);
  }
  Py_XDECREF(list);
  return result;
}

}  // namespace

int main() {
  // As a Python application would start: named as the interpreter pyprefix was built against.
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  PyConfig_SetBytesString(&config, &config.program_name, PYPREFIX_PYTHON_EXECUTABLE);
  const PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) Py_ExitStatusException(status);
  PyObject* tracer = PyImport_ImportModule("torch.profiler.python_tracer");
  if (tracer == nullptr) {
    PyErr_Print();
    std::fprintf(stderr, "live_vs_torch: needs torch (Debian's python3-torch) in the Python it embeds\n");
    return 1;
  }
  PyObject* prefix_regex = PyObject_GetAttrString(tracer, "_prefix_regex");
  pyprefix::Options options;
  options.packages = {"torch"};  // torch adds its own import root; so does this call

  const std::vector<std::string> ours = pyprefix::prefixes(options), theirs = torch_list(prefix_regex);
  if (ours != theirs) {
    std::fprintf(stderr, "live_vs_torch: the lists differ (%zu against %zu prefixes)\n", ours.size(), theirs.size());
    return 1;
  }
  std::vector<double> pyprefix_us, torch_us;
  for (int round = 0; round < rounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls_per_round; ++i) pyprefix::prefixes(options);
    auto end = std::chrono::steady_clock::now();
    pyprefix_us.push_back(std::chrono::duration<double, std::micro>(end - start).count() / calls_per_round);
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls_per_round; ++i) Py_XDECREF(PyObject_CallObject(prefix_regex, nullptr));
    end = std::chrono::steady_clock::now();
    torch_us.push_back(std::chrono::duration<double, std::micro>(end - start).count() / calls_per_round);
  }
  const double ours_us = median(pyprefix_us), torch_median_us = median(torch_us);
  std::printf(
      "live call, %zu prefixes (the same list): pyprefix %.1f us, torch's _prefix_regex() %.1f us: %.2fx of torch's "
      "cost\n",
      ours.size(), ours_us, torch_median_us, ours_us / torch_median_us);
  Py_DECREF(prefix_regex);
  Py_DECREF(tracer);
  return 0;
}
