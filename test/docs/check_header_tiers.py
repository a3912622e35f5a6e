"""The tiers cannot drift. The README's which-target table names every core header (every
public header but the Python-tier prefixes.hpp and the umbrella pyprefix.hpp), and no core
header includes a header outside the core. Every file of lib/ belongs to the tier of its
folder (lib/CMakeLists.txt; lib/ask/ has one tier a folder) and includes only what that tier
may: the headers of its own tier and of the tiers below it, Python.h and Boost only where the
tier has them, and no Python-tier public header in the core. Every target a tier's
CMakeLists.txt links (or takes the objects of) is its own or a lower tier's, so that no way
leads upwards. docs/design.md names every source file of lib/.

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
if "#include <pyprefix/pyprefix.h>" in open(os.path.join(include, "pyprefix_core.h")).read():
    problems.append("the core's C header pyprefix_core.h includes the full pyprefix.h")
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
    "ask/child": ({"core", "ask/child"}, False, True),
    "ask/process": ({"core", "ask/child", "ask/process"}, False, True),
    "ask/attach": ({"core", "ask/child", "ask/process", "ask/attach"}, False, True),
    "ask/entry": ({"core", "ask/child", "ask/process", "ask/attach", "ask/entry"}, False, True),
    "embedded": ({"core", "embedded"}, True, False),
    "library": ({"core", "ask/entry", "embedded", "library"}, True, False),
    "files": ({"core", "files"}, False, False),
    "tool": ({"core", "ask/entry", "embedded", "files", "tool"}, True, False),
    "python": ({"core", "embedded", "library", "files", "tool", "python"}, True, False),
}
# The targets each tier defines, by the prefix of their names.
TARGET_TIERS = {
    "pyprefix_core": "core", "pyprefix_ask_child_objects": "ask/child", "pyprefix_ask_process_objects": "ask/process",
    "pyprefix_ask_attach_objects": "ask/attach", "pyprefix_ask_entry_objects": "ask/entry",
    "pyprefix_embedded_objects": "embedded", "pyprefix_library_objects": "library", "pyprefix": "library",
    "pyprefix_module": "library", "pyprefix::module": "library", "pyprefix_files": "files",
    "pyprefix_cli_support": "tool", "pyprefix_live_plugin": "tool", "pyprefix_cli": "tool", "pyprefix_python": "python",
}
# What a tier's targets may link, beyond the targets of the tiers it may include: the libraries
# ask, embedded and tool take the objects of all of ask's folders into one archive or program.
LINKS_TOO = {"library": {"ask/child", "ask/process", "ask/attach"}, "tool": {"ask/child", "ask/process", "ask/attach"}}


def tier_of(relative):
    parts = relative.split(os.sep)
    return "/".join(parts[:2]) if parts[0] == "ask" and len(parts) > 1 else parts[0]


lib = os.path.join(source, "lib")
checked = 0
for folder, _, names in os.walk(lib):
    relative = os.path.relpath(folder, lib)
    if relative in (".", "ask") or "__pycache__" in relative:
        continue
    tier = tier_of(relative)
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
            if tier_of(os.path.dirname(included)) not in allowed:
                problems.append("%s (tier %s) includes %s" % (path, tier, included))
        if "#include <Python.h>" in text and not python_h:
            problems.append("%s (tier %s) includes Python.h" % (path, tier))
        if "#include <boost/" in text and not boost:
            problems.append("%s (tier %s) includes Boost" % (path, tier))
        if tier == "core" and re.search(r"#include <pyprefix/(prefixes|pyprefix)\.hpp>", text):
            problems.append("%s (core) includes a Python-tier public header" % path)
# The link graph: every target named in a tier's target_link_libraries or $<TARGET_OBJECTS:>.
links = 0
for tier in TIERS:
    cmake = os.path.join(lib, tier, "CMakeLists.txt")
    text = open(cmake, encoding="utf-8").read()
    named = set()
    for call in re.findall(r"target_link_libraries\(([^)]*)\)", text):
        named.update(re.findall(r"\b(pyprefix(?:_[a-z_]+|::module)?)\b", call.split(None, 1)[1] if " " in call else ""))
    named.update(re.findall(r"\$<TARGET_OBJECTS:([a-z_]+)>", text))
    for target in sorted(named):
        if target not in TARGET_TIERS:
            continue  # a target of the tier's own, such as ${target} in a loop
        links += 1
        if TARGET_TIERS[target] not in TIERS[tier][0] | LINKS_TOO.get(tier, set()):
            problems.append("lib/%s/CMakeLists.txt (tier %s) links %s, of tier %s" % (tier, tier, target,
                                                                                   TARGET_TIERS[target]))
# docs/design.md names every source file.
design = open(os.path.join(source, "docs", "design.md"), encoding="utf-8").read()
sources = 0
for folder, _, names in os.walk(lib):
    if "__pycache__" in folder:
        continue
    for name in names:
        if name.endswith((".cpp", ".hpp", ".py", ".hpp.in", ".py.in", ".pyi")):
            sources += 1
            stem = name.split(".")[0]
            if not re.search(r"\b%s\b" % re.escape(stem), design):
                problems.append("docs/design.md does not name lib/%s" % os.path.relpath(os.path.join(folder, name), lib))
if problems:
    sys.exit("\n".join(problems))
print("%d core headers, as the README lists them, each including only core headers; %d files of lib/, "
      "each including only what its tier may; %d links, none upwards; %d source files, each named in "
      "docs/design.md" % (len(core), checked, links, sources))
