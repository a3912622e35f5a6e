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
import importlib.util
import json
import os
import site
import sys

SOURCES = ("site-packages", "sys.path", "user-base", "user-site", "package-root")


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


def raw_entries(packages=()):
    """(entry, source) pairs in torch's order."""
    yield from ((e, "site-packages") for e in site.getsitepackages())
    yield from ((e, "sys.path") for e in list(sys.path))
    yield site.getuserbase(), "user-base"
    yield site.getusersitepackages(), "user-site"
    yield from ((e, "package-root") for e in package_roots(packages))


def report(packages=()):
    """[(prefix bytes, [source, ...])] in pyprefix's order."""
    sources = {}
    for entry, source in raw_entries(packages):
        text = entry_text(entry)
        if text is None:
            continue
        seen = sources.setdefault(os.path.abspath(text), [])
        if source not in seen:
            seen.append(source)
    ordered = sorted(sources, reverse=True)
    return [(os.fsencode(p if p.endswith(os.sep) else p + os.sep), sources[p]) for p in ordered]


def prefixes(packages=()):
    return [prefix for prefix, _ in report(packages)]


def as_json(packages=()):
    items = ['{"prefix": %s, "sources": %s}' % (json.dumps(os.fsdecode(p)), json.dumps(s))
             for p, s in report(packages)]
    return "[" + "".join(("\n  " if i == 0 else ",\n  ") + item for i, item in enumerate(items)) \
        + ("\n]\n" if items else "]\n")


def main(arguments):
    """What `pyprefix [--json] [--package NAME]...` prints, when run as `python -c`."""
    if not (sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
        assert sys.path[0] == "", "run me with python -c, which puts '' first on sys.path"
        del sys.path[0]  # the embedded interpreter has no '' entry: -c adds it
    packages = [name for option, name in zip(arguments, arguments[1:]) if option == "--package"]
    if "--json" in arguments:
        sys.stdout.write(as_json(packages))
    else:
        sys.stdout.buffer.write(b"".join(p + b"\n" for p in prefixes(packages)))
