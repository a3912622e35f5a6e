"""A process for `pyprefix --pid` to read: it computes the reference list (test/reference/prefixes.py)
as it is at start-up, writes it to OUTPUT (atomically), then sleeps until it is killed.

    python [FLAGS] target.py REFERENCE OUTPUT [PACKAGE...]

The reference is loaded by its path, so sys.path stays as Python made it.
"""
import importlib.util
import os
import sys
import time

spec = importlib.util.spec_from_file_location("pyprefix_reference", sys.argv[1])
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)
output = sys.argv[2]
with open(output + ".part", "wb") as file:
    file.write(b"".join(prefix + b"\n" for prefix in reference.prefixes(sys.argv[3:])))
os.rename(output + ".part", output)
time.sleep(600)
