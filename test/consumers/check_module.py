"""Imports the consumer's extension module and checks it from inside: its list equals the
reference's, computed in this same process (whose sys.path holds this script's folder), and
torch's own _prefix_regex() where torch is installed; a call from a native thread and one from
inside a C profile function (as a tracer makes it) give the same, the latter without nesting;
and the process maps at most one libpython (none when the executable has it built in).
Usage: python check_module.py REFERENCE"""
import sys

reference = {"__name__": "reference"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), reference)

import pyprefix_consumer

expected = reference["prefixes"]()
ours = pyprefix_consumer.prefixes()
assert ours == expected, "the module's list differs from the reference's:\n%r\n%r" % (ours, expected)
assert pyprefix_consumer.prefixes(True) == expected, "a call from a native thread differs"


def traced_work():
    return sorted(str(n) for n in range(3))


seen, deepest, events = pyprefix_consumer.prefixes_while_profiling(traced_work)
assert seen == expected, "a call from a profile function differs"
assert deepest == 1 and events >= 2, "the profile function nested %d deep over %d events" % (deepest, events)

try:
    import os
    from torch.profiler.python_tracer import _prefix_regex
except ImportError:
    torch = "torch not installed"
else:
    theirs = [os.fsencode(p) for p in _prefix_regex()]
    assert pyprefix_consumer.prefixes(False, "torch") == theirs, "the list differs from torch's _prefix_regex()"
    torch = "torch's _prefix_regex() too"
with open("/proc/self/maps") as maps:
    libpythons = {line.split()[-1] for line in maps if "libpython" in line.split()[-1]}
assert len(libpythons) <= 1, "more than one libpython in the process: %s" % sorted(libpythons)
print("module: %d prefixes, the reference's (%s), from this thread, a native one and a profile function;"
      " libpython mapped: %s" % (len(ours), torch, sorted(libpythons) or "none (built into the executable)"))
