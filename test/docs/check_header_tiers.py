"""The README's which-target table cannot drift from the headers: its pyprefix::core row names
every public header but the Python-tier prefixes.hpp and the umbrella pyprefix.hpp, and no core
header includes a header outside the core.

    python3 check_header_tiers.py SOURCE_DIR
"""
import os
import re
import sys

source = sys.argv[1]
include = os.path.join(source, "include", "pyprefix")
row = next(line for line in open(os.path.join(source, "README.md"), encoding="utf-8")
           if line.startswith("| `pyprefix::core` |"))
documented = set(re.findall(r"`([a-z_]+\.hpp)`", row))
installed = {name for name in os.listdir(include) if name.endswith(".hpp")}
core = installed - {"prefixes.hpp", "pyprefix.hpp"}
problems = []
if documented != core:
    problems.append("README's core headers %s are not the core headers %s" % (sorted(documented), sorted(core)))
for name in sorted(core):
    for included in re.findall(r"#include <pyprefix/([a-z_]+\.h(?:pp)?)>", open(os.path.join(include, name)).read()):
        if included not in core:
            problems.append("the core header %s includes %s, which is not a core header" % (name, included))
if problems:
    sys.exit("\n".join(problems))
print("%d core headers, as the README lists them, each including only core headers" % len(core))
