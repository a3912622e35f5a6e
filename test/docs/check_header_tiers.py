"""The tiers cannot drift. The README's which-target table names every core header (every
public header but the Python-tier prefixes.hpp and the umbrella pyprefix.hpp), and no core
header includes a header outside the core. Every file of lib/ belongs to the tier of its
folder (lib/CMakeLists.txt) and includes only what that tier may: the headers of its own tier
and of the tiers below it, Python.h and Boost only where the tier has them, and no Python-tier
public header in the core.

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
# tier: (the tiers it may include, whether it may include Python.h, whether it may include Boost)
TIERS = {
    "core": ({"core"}, False, False),
    "child": ({"core", "child"}, False, True),
    "embedded": ({"core", "embedded"}, True, False),
    "library": ({"core", "child", "embedded", "library"}, True, False),
    "files": ({"core", "files"}, False, False),
    "tool": ({"core", "child", "embedded", "files", "tool"}, True, False),
    "python": ({"core", "embedded", "files", "tool", "python"}, True, False),
}
lib = os.path.join(source, "lib")
checked = 0
for folder, _, names in os.walk(lib):
    relative = os.path.relpath(folder, lib)
    if relative == "." or "__pycache__" in relative:
        continue
    tier = relative.split(os.sep)[0]
    if tier not in TIERS:
        problems.append("lib/%s is no tier of lib/CMakeLists.txt" % relative)
        continue
    allowed, python_h, boost = TIERS[tier]
    for name in names:
        if not name.endswith((".cpp", ".hpp", ".hpp.in")):
            continue
        checked += 1
        path = os.path.join("lib", relative, name)
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        for included in re.findall(r'#include "([^"]+)"', text):
            if included.split("/")[0] not in allowed:
                problems.append("%s (tier %s) includes %s" % (path, tier, included))
        if "#include <Python.h>" in text and not python_h:
            problems.append("%s (tier %s) includes Python.h" % (path, tier))
        if "#include <boost/" in text and not boost:
            problems.append("%s (tier %s) includes Boost" % (path, tier))
        if tier == "core" and re.search(r"#include <pyprefix/(prefixes|pyprefix)\.hpp>", text):
            problems.append("%s (core) includes a Python-tier public header" % path)
if problems:
    sys.exit("\n".join(problems))
print("%d core headers, as the README lists them, each including only core headers; %d files of lib/, "
      "each including only what its tier may" % (len(core), checked))
