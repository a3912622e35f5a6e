"""Imports the consumer's extension module and checks it from inside: its list equals the
reference's, computed in this same process (whose sys.path holds this script's folder); a
call from a native thread gives the same; and the process maps at most one libpython (none
when the executable has it built in). Usage: python check_module.py REFERENCE"""
import sys

reference = {"__name__": "reference"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), reference)

import pyprefix_consumer

expected = reference["prefixes"]()
ours = pyprefix_consumer.prefixes()
assert ours == expected, "the module's list differs from the reference's:\n%r\n%r" % (ours, expected)
assert pyprefix_consumer.prefixes(True) == expected, "a call from a native thread differs"
with open("/proc/self/maps") as maps:
    libpythons = {line.split()[-1] for line in maps if "libpython" in line.split()[-1]}
assert len(libpythons) <= 1, "more than one libpython in the process: %s" % sorted(libpythons)
print("module: %d prefixes, the reference's, from this thread and a native one; libpython mapped: %s"
      % (len(ours), sorted(libpythons) or "none (built into the executable)"))
