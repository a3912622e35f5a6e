"""pyprefix's prefix list, specified in Python: the oracle the tests compare the C++ against.

It is PyTorch's torch.profiler.python_tracer._prefix_regex():

    raw = site.getsitepackages() + sys.path + [site.getuserbase(), site.getusersitepackages()] + roots
    prefixes = sorted({os.path.abspath(p) for p in raw}, reverse=True)
    return [p + os.sep for p in prefixes]

with the documented rules where torch's code falls short: package roots found with
importlib.util.find_spec (never imported); bytes, os.PathLike and odd sys.path entries converted
or skipped; no second separator after "/"; results as os.fsencode bytes. It runs in the same
interpreter and environment as the code under test, so every answer is Python's own.
"""
import importlib.machinery
import importlib.util
import json
import os
import site
import sys

KINDS = ("unknown", "application", "package-root", "third-party", "stdlib")  # least to most specific
KIND_OF_SOURCE = {"sys.path": "application", "package-root": "package-root", "site-packages": "third-party",
                  "user-base": "third-party", "user-site": "third-party", "install-scheme": "third-party",
                  "stdlib": "stdlib"}


def entry_text(entry):
    """The str a sys.path entry stands for, or None when pyprefix skips it."""
    if not isinstance(entry, (str, bytes)):
        try:
            entry = os.fspath(entry)
        except Exception:  # not os.PathLike, or its __fspath__ raised
            return None
    if isinstance(entry, bytes):
        entry = os.fsdecode(entry)
    if "\0" in entry:
        return None
    try:
        os.fsencode(entry)
    except UnicodeEncodeError:
        return None
    return entry


def package_roots(names):
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        if spec.submodule_search_locations is not None:
            for location in spec.submodule_search_locations:
                yield os.path.dirname(location)
        elif spec.has_location:
            yield os.path.dirname(spec.origin)


def classifying_folders():
    """--classify: the stdlib (its zip, sysconfig stdlib, platstdlib, DESTSHARED) and the
    purelib and platlib of every POSIX install scheme."""
    import sysconfig
    yield os.path.join(sys.base_prefix, getattr(sys, "platlibdir", "lib"), "python%d%d.zip" % sys.version_info[:2]), "stdlib"
    yield sysconfig.get_path("stdlib"), "stdlib"
    yield sysconfig.get_path("platstdlib"), "stdlib"
    if sysconfig.get_config_var("DESTSHARED") is not None:
        yield sysconfig.get_config_var("DESTSHARED"), "stdlib"
    for scheme in sysconfig.get_scheme_names():
        if not scheme.startswith(("nt", "osx")):
            yield sysconfig.get_path("purelib", scheme), "install-scheme"
            yield sysconfig.get_path("platlib", scheme), "install-scheme"


def raw_entries(packages=(), classify=False):
    """(entry, source) pairs in torch's order."""
    yield from ((e, "site-packages") for e in site.getsitepackages())
    yield from ((e, "sys.path") for e in list(sys.path))
    yield site.getuserbase(), "user-base"
    yield site.getusersitepackages(), "user-site"
    yield from ((e, "package-root") for e in package_roots(packages))
    if classify:
        yield from classifying_folders()


def report(packages=(), classify=False):
    """[(prefix bytes, [source, ...])] in pyprefix's order."""
    sources = {}
    for entry, source in raw_entries(packages, classify):
        text = entry_text(entry)
        if text is None:
            continue
        seen = sources.setdefault(os.path.abspath(text), [])
        if source not in seen:
            seen.append(source)
    ordered = sorted(sources, reverse=True)
    return [(os.fsencode(p if p.endswith(os.sep) else p + os.sep), sources[p]) for p in ordered]


def prefixes(packages=(), classify=False):
    return [prefix for prefix, _ in report(packages, classify)]


def as_json(items):
    items = ['{"prefix": %s, "sources": %s}' % (json.dumps(os.fsdecode(p)), json.dumps(s)) for p, s in items]
    return "[" + "".join(("\n  " if i == 0 else ",\n  ") + item for i, item in enumerate(items)) \
        + ("\n]\n" if items else "]\n")


def kind_of(sources):
    return max((KIND_OF_SOURCE[s] for s in sources), key=KINDS.index, default="unknown")


def spec_files(spec):
    """The files that are `spec`'s module: its origin and its bytecode (also under -O, -OO); for a
    frozen stdlib module (3.11+), its source file and bytecode."""
    origin = spec.origin
    if origin == "frozen":
        origin = getattr(spec.loader_state, "filename", None)
        if origin is None:  # frozen with no file at all (importlib._bootstrap): Python cannot contradict
            return None
    if not origin or not os.path.isabs(origin):
        return set()
    files = {os.path.abspath(origin)}
    if spec.cached:
        files.add(os.path.abspath(spec.cached))
    if origin.endswith(".py"):
        files.update(importlib.util.cache_from_source(origin, optimization=level) for level in ("", 1, 2))
    return files


def module_of(path):
    """The module Python imports the file at `path` as, per importlib itself: the dotted name the
    file has below its longest import root, kept only when the module loaded under that name, or
    else importlib.util.find_spec of that name, has this very file (a path with no file is named
    by its place alone)."""
    if path.startswith("<frozen ") and path.endswith(">"):
        return path[8:-1]
    global _roots
    if _roots is None:
        _roots = (sorted({os.path.join(os.path.abspath(p), "") for p in sys.path + site.getsitepackages() if p},
                         key=len, reverse=True),
                  sorted(importlib.machinery.all_suffixes(), key=len, reverse=True))
    roots, suffixes = _roots
    root = next((r for r in roots if path.startswith(r)), None)
    if root is None:
        return None
    parts = path[len(root):].split("/")
    file = parts.pop()
    if parts and parts[-1] == "__pycache__":
        parts.pop()
        stem = file.split(".")[0]
    else:
        suffix = next((x for x in suffixes if file.endswith(x) and len(file) > len(x)), None)
        if suffix is None:
            return None
        stem = file[:-len(suffix)]
    if stem != "__init__":
        parts.append(stem)
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    name = ".".join(parts)
    if not os.path.isfile(path):  # a trace's path with no file here: named by its place, as pyprefix names it
        return name
    loaded = sys.modules.get(name)
    if getattr(loaded, "__file__", None):  # imported under this name: its own __file__ says which file
        source = os.path.abspath(loaded.__file__)
        if path == source or (source.endswith(".py") and path in {
                importlib.util.cache_from_source(source, optimization=level) for level in ("", 1, 2)}):
            return name
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        return None
    if spec is None:
        return None
    if spec.name != name:  # an alias (importlib._bootstrap is _frozen_importlib): Python cannot contradict
        return name
    files = spec_files(spec)
    return name if files is None or path in files else None


def packages_distributions():
    """importlib.metadata.packages_distributions() (3.10+), written out for 3.8 and 3.9 as 3.10
    computes it: each distribution's top_level.txt, else the top-level names of its .py files."""
    import importlib.metadata as metadata
    if hasattr(metadata, "packages_distributions"):
        return metadata.packages_distributions()
    names = {}
    for distribution in metadata.distributions():
        declared = (distribution.read_text("top_level.txt") or "").split()
        inferred = {f.parts[0] if len(f.parts) > 1 else f.with_suffix("").name
                    for f in distribution.files or () if f.suffix == ".py"}
        for name in declared or inferred:
            names.setdefault(name, []).append(distribution.metadata["Name"])
    return names


def normalised(name):
    """A distribution or module name as PEP 503 compares them."""
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def owner_of(path, module):
    """(name, version) of the distribution importlib.metadata says owns `path`: the one whose
    files() list it, else the one packages_distributions() gives its top-level name. And where
    pyprefix departs from importlib.metadata (docs/which.md): a distribution whose metadata names
    no file and no top-level name owns the top-level name that is its own, PEP 503-normalised,
    when no other distribution names it."""
    global _owners
    import importlib.metadata as metadata
    if _owners is None:
        _owners = {"files": {}, "top": packages_distributions(),
                   "versions": {d.metadata["Name"]: d.version for d in metadata.distributions()}, "nameless": {}}
        for distribution in metadata.distributions():
            owner = (distribution.metadata["Name"], distribution.version)
            for file in distribution.files or ():
                _owners["files"].setdefault(os.path.abspath(str(file.locate())), owner)
            if distribution.files is None and not (distribution.read_text("top_level.txt") or "").split():
                _owners["nameless"].setdefault(normalised(owner[0]), owner)
    if path in _owners["files"]:
        return _owners["files"][path]
    top = (module or "").split(".")[0]
    if not top:  # not a module file (a "file.py(12): f" line, data): the top-level folder it is in
        root = next((r for r in _roots[0] if path.startswith(r)), None) if _roots else None
        top = path[len(root):].split("/")[0] if root and "/" in path[len(root):] else ""
    names = _owners["top"].get(top, [])
    if len(names) == 1 and names[0] in _owners["versions"]:
        return names[0], _owners["versions"][names[0]]
    if top and not names and normalised(top) in _owners["nameless"]:
        return _owners["nameless"][normalised(top)]
    return None, None


_owners = None
_roots = None


def trim(data, items, as_json_lines):
    """What `pyprefix trim [--json]` writes for the bytes `data`."""
    lines = data.split(b"\n")
    complete = lines[:-1]  # the piece after the last newline, if any, has none
    out = []
    for line, newline in [(l, True) for l in complete] + ([(lines[-1], False)] if lines[-1] else []):
        matches = [] if line.startswith(b"<") else [(p, s) for p, s in items if line.startswith(p)]
        prefix, sources = max(matches, key=lambda m: len(m[0])) if matches else (None, None)
        short = line[len(prefix):] if prefix else line
        if as_json_lines:
            kind = kind_of(sources) if prefix else ("stdlib" if line.startswith(b"<frozen ") else "unknown")
            path = os.fsdecode(line)
            module = module_of(path) if "\0" not in path else None
            distribution, version = owner_of(path, module)
            text = '{"path": %s, "short": %s, "prefix": %s, "kind": "%s", "module": %s, "distribution": %s, ' \
                   '"version": %s}\n' % (
                       json.dumps(path), json.dumps(os.fsdecode(short)),
                       json.dumps(os.fsdecode(prefix)) if prefix else "null", kind, json.dumps(module),
                       json.dumps(distribution), json.dumps(version))
            out.append(text.encode("ascii"))
        else:
            out.append(short + (b"\n" if newline else b""))
    return b"".join(out)


def main(arguments):
    """What `pyprefix [list|trim] [--json] [--classify] [--package NAME]... [FILE]` prints, when
    run as `python -c`."""
    if not (sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
        assert sys.path[0] == "", "run me with python -c, which puts '' first on sys.path"
        del sys.path[0]  # the embedded interpreter has no '' entry: -c adds it
    packages = [name for option, name in zip(arguments, arguments[1:]) if option == "--package"]
    items = report(packages, "--classify" in arguments)
    if arguments and arguments[0] == "trim":
        with open(arguments[-1], "rb") as f:
            sys.stdout.buffer.write(trim(f.read(), items, "--json" in arguments))
    elif "--json" in arguments:
        sys.stdout.write(as_json(items))
    else:
        sys.stdout.buffer.write(b"".join(p + b"\n" for p, _ in items))
