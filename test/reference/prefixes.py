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
            text = '{"path": %s, "short": %s, "prefix": %s, "kind": "%s"}\n' % (
                json.dumps(os.fsdecode(line)), json.dumps(os.fsdecode(short)),
                json.dumps(os.fsdecode(prefix)) if prefix else "null", kind)
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
