"""pyprefix's reader: interpreter state -> raw entries, the rules written once.

The same code runs in two places. Inside a process that runs Python (pyprefix linked into a
program or an extension module), it is compiled once per interpreter and its records go to a
bytearray. In the child process of `--python` and `--isolated`, a short prologue runs it and its
records go to file descriptor 3. Either way the C++ side parses the records with one parser
(lib/entries/records.cpp), so every diagnostic and error reads the same.

It reads the interpreter's state and changes none of it, imports nothing but `site` (already
imported unless Python runs with -S) and, for classify, `sysconfig`, and runs on CPython 3.8 and
newer. read(write, packages, classify) calls write(bytes) with NUL-terminated records:

    pyprefix-reader 1         always first
    I<fact>=<bytes>           version, executable, prefix, base_prefix, platform
    E<source>:<bytes>         one raw entry as os.fsencode bytes; <source> is its stable name
    D<text>                   a diagnostic: what was skipped, and why
    X<text>                   the error that ended the reading (nothing follows)
    end                       always last when there was no error
"""
import os
import sys

FORMAT = b"pyprefix-reader 1"
MISSING = object()

SITE_PACKAGES = b"site-packages"
SYS_PATH = b"sys.path"
USER_BASE = b"user-base"
USER_SITE = b"user-site"
PACKAGE_ROOT = b"package-root"
STDLIB = b"stdlib"
INSTALL_SCHEME = b"install-scheme"


class Failure(Exception):
    """Ends the reading; its text is the one-line error the caller gets."""


def describe(exception):
    """'Type: first line of the text', or 'Type' alone."""
    try:
        text = str(exception).strip()
    except Exception:
        text = ""
    return type(exception).__name__ + (": " + text.splitlines()[0] if text else "")


def text_record(write, tag, text):
    """A D or X record: one line of UTF-8, whatever the text holds."""
    text = text.replace("\0", "\\0").replace("\r", "\\r").replace("\n", "\\n")
    write(tag.encode("ascii") + text.encode("utf-8", "backslashreplace") + b"\0")


def calling(what, function, *arguments):
    """function(*arguments), its exception turned into a Failure that names `what`."""
    try:
        return function(*arguments)
    except Exception as exception:
        raise Failure(what + " raised " + describe(exception)) from None


def call_method(owner, owner_name, method, *arguments):
    """owner.method(*arguments); a Failure names the call as it was written, 'site.getuserbase()'."""
    what = "%s.%s(%s)" % (owner_name, method, ", ".join(map(repr, arguments)))
    return calling(what, lambda: getattr(owner, method)(*arguments))


def entry_bytes(entry):
    """(bytes, None) for an entry, or (None, why) when it is skipped: a str as it is, bytes
    through os.fsdecode, an os.PathLike through os.fspath, then os.fsencode."""
    if not isinstance(entry, (str, bytes)):
        if not hasattr(type(entry), "__fspath__"):
            return None, type(entry).__name__ + " is not str, bytes or os.PathLike"
        try:
            entry = os.fspath(entry)
        except Exception as exception:
            return None, "os.fspath() raised " + describe(exception)
    if isinstance(entry, bytes):
        try:
            entry = os.fsdecode(entry)
        except Exception as exception:
            return None, "os.fsdecode() raised " + describe(exception)
    if "\0" in entry:
        return None, "it contains a NUL character"
    try:
        return os.fsencode(entry), None
    except Exception as exception:
        return None, "os.fsencode() raised " + describe(exception)


def add(write, entry, source, where):
    path, why = entry_bytes(entry)
    if why is None:
        write(b"E" + source + b":" + path + b"\0")
    else:
        text_record(write, "D", where + " skipped: " + why)


def add_each(write, entries, source, where):
    if not isinstance(entries, (list, tuple)):
        raise Failure(where + " is a " + type(entries).__name__ + ", not a list")
    # A copy first: converting an entry may run Python code (__fspath__) that changes the original.
    for index, entry in enumerate(calling("tuple(%s)" % where, tuple, entries)):
        add(write, entry, source, "%s[%d]" % (where, index))


def add_interpreter_facts(write):
    version = sys.version.split(" ")[0]  # what platform.python_version() gives, without importing platform
    facts = (("version", version), ("executable", sys.executable), ("prefix", sys.prefix),
             ("base_prefix", sys.base_prefix), ("platform", sys.platform))
    for name, value in facts:
        value_bytes, why = entry_bytes(value)
        write(b"I" + name.encode("ascii") + b"=" + (value_bytes if why is None else b"") + b"\0")


def find_spec(name):
    """importlib.util.find_spec(name) for a top-level name, step for step, without importing
    importlib.util, whose own imports (contextlib, collections, functools) cost 4 to 6 ms in a
    fresh child. Runs the finders, never the package's code."""
    if name in sys.modules:
        module = sys.modules[name]
        if module is None:
            return None
        spec = getattr(module, "__spec__", None)
        if spec is None:
            raise ValueError("%s.__spec__ is None" % name)
        return spec
    import _frozen_importlib  # importlib._bootstrap, always loaded
    return _frozen_importlib._find_spec(name, None)


def add_package_root(write, name):
    if not isinstance(name, str) or not name.isidentifier():
        raise Failure("invalid package name '%s': give a top-level module name, such as torch" % (name,))
    where = "package '%s'" % name
    try:
        spec = find_spec(name)
    except Exception as exception:
        text_record(write, "D", "%s skipped: importlib.util.find_spec() raised %s" % (where, describe(exception)))
        return
    if spec is None:
        text_record(write, "D", where + " not found")
        return
    try:
        if spec.submodule_search_locations is not None:  # a package, regular or namespace: each portion
            locations = list(spec.submodule_search_locations)
        elif spec.has_location:  # a single-file module
            locations = [spec.origin]
        else:  # built-in or frozen: no folder
            return
    except Exception as exception:
        text_record(write, "D", "%s skipped: reading its spec raised %s" % (where, describe(exception)))
        return
    for location in locations:
        # torch takes dirname() of the raw location and normalises afterwards; so do we, which
        # differs from normalising first for locations such as "/a/b/..".
        path, why = entry_bytes(location)
        if why is None:
            write(b"E" + PACKAGE_ROOT + b":" + os.path.dirname(path) + b"\0")
        else:
            text_record(write, "D", where + " location skipped: " + why)


def add_classifying_folders(write):
    """The stdlib (its zip, sysconfig's stdlib, platstdlib and DESTSHARED), then purelib and
    platlib of every POSIX install scheme (all but Windows' and macOS frameworks')."""
    # The zipped stdlib that the interpreter puts on sys.path, whether or not it exists, built
    # from the base prefix and platlibdir ("lib" before 3.9) as CPython's getpath builds it.
    zip_path = calling("os.path.join(sys.base_prefix, ...)", os.path.join, sys.base_prefix,
                       getattr(sys, "platlibdir", "lib"), "python%d%d.zip" % sys.version_info[:2])
    add(write, zip_path, STDLIB, "the stdlib zip")
    sysconfig = calling("import sysconfig", __import__, "sysconfig")
    for name in ("stdlib", "platstdlib"):
        add(write, call_method(sysconfig, "sysconfig", "get_path", name), STDLIB, "sysconfig.get_path(%r)" % name)
    shared = call_method(sysconfig, "sysconfig", "get_config_var", "DESTSHARED")
    if shared is not None:
        add(write, shared, STDLIB, "sysconfig.get_config_var('DESTSHARED')")
    schemes = call_method(sysconfig, "sysconfig", "get_scheme_names")
    for index, scheme in enumerate(calling("tuple(sysconfig.get_scheme_names())", tuple, schemes)):
        if not isinstance(scheme, str):
            text_record(write, "D", "sysconfig.get_scheme_names()[%d] skipped: %s is not str"
                        % (index, type(scheme).__name__))
            continue
        if scheme.startswith(("nt", "osx")):
            continue
        for key in ("purelib", "platlib"):
            where = "sysconfig.get_path(%r, %r)" % (key, scheme)
            try:
                path = sysconfig.get_path(key, scheme)
            except Exception as exception:
                text_record(write, "D", where + " skipped: it raised " + describe(exception))
                continue
            add(write, path, INSTALL_SCHEME, where)


def read(write, packages, classify):
    """Writes the records for this interpreter: torch's raw entries in torch's order
    (site-packages, sys.path, user base, user site, package roots), then the classifying folders."""
    write(FORMAT + b"\0")
    try:
        add_interpreter_facts(write)
        site = calling("import site", __import__, "site")
        add_each(write, call_method(site, "site", "getsitepackages"), SITE_PACKAGES, "site.getsitepackages()")
        path = getattr(sys, "path", MISSING)
        if path is MISSING:
            raise Failure("sys.path is missing")
        add_each(write, path, SYS_PATH, "sys.path")
        add(write, call_method(site, "site", "getuserbase"), USER_BASE, "site.getuserbase()")
        add(write, call_method(site, "site", "getusersitepackages"), USER_SITE, "site.getusersitepackages()")
        for name in packages:
            add_package_root(write, name)
        if classify:
            add_classifying_folders(write)
    except Failure as failure:
        text_record(write, "X", str(failure))
        return
    write(b"end\0")
