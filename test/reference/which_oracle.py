"""Checks `pyprefix trim --json` (its module, distribution and version keys) against Python's own
answers in this interpreter and environment: importlib.metadata for distributions, and
importlib.util.find_spec for module names.

    python which_oracle.py PYPREFIX [--imports]

Distributions: every file that distributions() lists (files()), and for distributions with no
file list every file under the top-level names packages_distributions() gives them, must map to
that distribution and version; a file that two distributions list is counted apart, not judged.
Modules: every such file and every file of the stdlib that pyprefix names must be the origin (or,
for bytecode, the cached file) of find_spec(that name); and every .py file whose own dotted name
Python finds at that very file must be named. With --imports, names whose parent packages are not
imported yet are checked too (find_spec imports them); without, they are counted as unchecked.
Prints one JSON object of counts and the first mismatches; exits 0 (the caller judges).
"""
import csv
import importlib.metadata as metadata
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig

cli = sys.argv[1]
check_imports = "--imports" in sys.argv[2:]
# Modules imported to be checked may print (3.8's __phello__ says "Hello world!"): only the
# answer goes to stdout.
answer_out, sys.stdout = sys.stdout, sys.stderr
reference = {"__name__": "reference"}
reference_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prefixes.py")
exec(compile(open(reference_path).read(), reference_path, "exec"), reference)

# What importlib.metadata says each file belongs to.
def has_broken_record(distribution):
    """Whether the distribution's RECORD is not strict CSV: importlib.metadata then lists
    whatever its lenient reader makes of it, which is no answer to compare with."""
    text = distribution.read_text("RECORD")
    if text is None:
        return False
    try:
        list(csv.reader(text.splitlines(), strict=True))
    except csv.Error:
        return True
    return False


def name_and_version(distribution):
    """Its Name and Version, None where the metadata has none (Python 3.15's metadata["Name"]
    and .version raise KeyError there, where 3.14 and before gave None)."""
    return distribution.metadata.get("Name"), distribution.metadata.get("Version")


owners = {}
broken = 0
for distribution in metadata.distributions():
    name, version = name_and_version(distribution)
    if distribution.files is None:
        continue
    if has_broken_record(distribution):
        broken += 1
        continue
    for file in distribution.files:
        path = os.path.abspath(str(file.locate()))
        owners.setdefault(path, set()).add((name, version))
top_level = reference["packages_distributions"]()
by_name = {name_and_version(d)[0]: d for d in metadata.distributions()}
for root in [p for p in sys.path if os.path.isdir(p)]:
    for top, names in top_level.items():
        distributions = [by_name[n] for n in names if n in by_name and by_name[n].files is None]
        if len(distributions) != 1 or len(names) != 1:
            continue
        folder = os.path.join(root, top)
        for base, _, files in os.walk(folder):
            for file in files:
                path = os.path.abspath(os.path.join(base, file))
                owners.setdefault(path, {name_and_version(distributions[0])})

paths = sorted(owners)
stdlib = sysconfig.get_path("stdlib")
for base, folders, files in os.walk(stdlib):
    folders[:] = [f for f in folders if f not in ("site-packages", "dist-packages", "test", "tests", "idlelib")]
    paths.extend(os.path.join(base, f) for f in files if f.endswith((".py", ".so", ".pyc")))
paths = sorted(set(p for p in paths if "\n" not in p))

# pyprefix's answers: trim --json of the same paths, asking this interpreter.
answer = subprocess.run([cli, "trim", "--json", "--python", sys.executable], input="\n".join(paths).encode() + b"\n",
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
ours = {}
for line in answer.stdout.decode().splitlines():
    item = json.loads(line)
    ours[item["path"]] = item

counts = {"paths": len(paths), "distributions with a broken RECORD": broken, "owned": 0, "owned by two": 0, "distribution mismatches": 0, "named": 0,
          "module mismatches": 0, "modules missed": 0, "unchecked": 0, "redirected by an import hook": 0}
mismatches = []


def spec_file(name):
    """The files of find_spec(name) (the reference's spec_files), or None when it cannot be
    asked without importing, or has no file to compare."""
    parent = name.rpartition(".")[0]
    if parent and parent not in sys.modules and not check_imports:
        return None
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        return None
    if spec is None:
        return set()
    if spec.origin is None or spec.name != name:  # set up at run time, or an alias (collections.abc in 3.13)
        return None
    return reference["spec_files"](spec)


for path in paths:
    item = ours.get(path)
    if item is None:
        mismatches.append(("no answer", path))
        continue
    expected = owners.get(path)
    if expected is not None:
        if len(expected) > 1:
            counts["owned by two"] += 1
        else:
            counts["owned"] += 1
            (name, version), = expected
            if (item["distribution"], item["version"]) != (name, version):
                counts["distribution mismatches"] += 1
                mismatches.append(("distribution", path, [name, version], [item["distribution"], item["version"]]))
    module = item["module"]
    if not os.path.isfile(path):  # listed but absent (a dangling symlink): nothing to import
        continue
    if module:
        counts["named"] += 1
        found = spec_file(module)
        if found is None:
            counts["unchecked"] += 1
        elif "_distutils_hack" in sys.modules and (module.split(".")[0] == "distutils"
                                                   or module.startswith("setuptools._distutils")):
            # setuptools' .pth hook makes `import distutils` load setuptools._distutils: the
            # stdlib's files are still distutils' own, but Python imports another copy here.
            counts["redirected by an import hook"] += 1
        elif path not in found:
            counts["module mismatches"] += 1
            mismatches.append(("module", path, module, sorted(found)))
    elif path.endswith(".py") and os.path.basename(path) != "__init__.py":
        # Named by nobody: check that Python does not import it under its own dotted name.
        for root in sorted((os.path.abspath(p) + "/" for p in sys.path if p), key=len, reverse=True):
            if path.startswith(root):
                candidate = path[len(root):-3].replace("/", ".")
                if all(part.isidentifier() for part in candidate.split(".")):
                    found = spec_file(candidate)
                    if found is not None and path in found:
                        counts["modules missed"] += 1
                        mismatches.append(("missed", path, candidate))
                break

print(json.dumps({"counts": counts, "mismatches": mismatches[:20]}, indent=1), file=answer_out)
