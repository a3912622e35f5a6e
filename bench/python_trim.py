"""Trimming from Python: pyprefix.Trimmer.trim against the pure-Python loops that tools use
today, over real paths (every .py file under this interpreter's import prefixes):
  - torch's: the reverse-sorted prefix list scanned with str.startswith, first match wins;
  - pyinstrument's: the shortest os.path.relpath against every prefix.
At the real list (pyprefix.prefixes(packages=["torch"]) where torch is installed), and at 250
prefixes: the real ones plus folders of the paths themselves, so that paths match deep and
nested prefixes offer several candidates. Each figure is the best of 5 runs, in ns per path.
Usage: PYTHONPATH=<build>/python python3 bench/python_trim.py"""
import operator
import os
import sys
import timeit

import pyprefix

try:
    import torch  # noqa: F401  (the real list holds its root)
    packages = ["torch"]
except ImportError:
    packages = []

real = pyprefix.prefixes(packages=packages)
paths = []
for prefix in real:
    for folder, _, files in os.walk(prefix):
        paths.extend(os.path.join(folder, name) for name in files if name.endswith(".py"))
        if len(paths) > 200000:
            break
paths = sorted(set(paths))[:100000]

folders = sorted({os.path.dirname(p) + "/" for p in paths})
step = max(1, len(folders) // (250 - len(real)))
many = sorted(set(real) | set(folders[::step][:250 - len(real)]), reverse=True)


def torch_scan(prefixes):
    def trim(path):
        for prefix in prefixes:
            if path.startswith(prefix):
                return path[len(prefix):]
        return path
    return trim


def shortest_relpath(prefixes):
    def trim(path):
        return min((os.path.relpath(path, prefix) for prefix in prefixes), key=len)
    return trim


def ns_per_path(trim, sample, setup=None):
    """Best of 5 runs over the sample; setup() before each run, outside the time."""
    times = []
    for _ in range(5):
        if setup is not None:
            trim = setup()
        start = timeit.default_timer()
        [trim(p) for p in sample]
        times.append(timeit.default_timer() - start)
    return min(times) / len(sample) * 1e9


print("Python %s, %d real paths, torch %s" % (sys.version.split()[0], len(paths), "installed" if packages else "absent"))
# The floor any trim called from Python pays: the loop, one call, and a new str for the result.
floor_call = ns_per_path(len, paths)
floor_slice = ns_per_path(operator.itemgetter(slice(20, None)), paths)
print("floor: a call of len() %.0f ns; p[20:] through operator.itemgetter (a call and a new str) %.0f ns"
      % (floor_call, floor_slice))
for name, prefixes in (("real list", sorted(real, reverse=True)), ("250 prefixes", many)):
    trimmer = pyprefix.Trimmer(prefixes)
    scan = torch_scan(prefixes)
    assert [trimmer.trim(p) for p in paths] == [scan(p) for p in paths], "pyprefix and the scan disagree"
    # First sight of every path: a new Trimmer each run, so its cache of recent answers is empty.
    cold = ns_per_path(None, paths, setup=lambda: pyprefix.Trimmer(prefixes).trim)
    # A profiler's case: the same co_filename objects again and again (a hot set of 1,000 files).
    hot = paths[::max(1, len(paths) // 1000)][:1000] * 10
    trimmer.trim(hot[0])
    warm = ns_per_path(trimmer.trim, hot)
    theirs_hot = ns_per_path(scan, hot)
    theirs = ns_per_path(scan, paths)
    relpath = ns_per_path(shortest_relpath(prefixes), paths[:2000])
    print("%-13s %3d prefixes: pyprefix %3.0f ns first sight (%5.1fx the scan), %3.0f ns seen before (%5.1fx); "
          "startswith scan %6.0f ns; shortest relpath %8.0f ns (%6.0fx pyprefix's first sight)"
          % (name, len(prefixes), cold, theirs / cold, warm, theirs_hot / warm, theirs, relpath, relpath / cold))
