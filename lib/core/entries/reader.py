"""pyprefix's reader: interpreter state -> raw entries, the rules written once.

The same code runs in two places. Inside a process that runs Python (pyprefix linked into a
program or an extension module), it is compiled once per interpreter and its records go to a
bytearray. In the child process of `--python` and `--isolated`, a short prologue runs it and its
records go to file descriptor 3. Either way the C++ side parses the records with one parser
(lib/core/entries/records.cpp), so every diagnostic and error reads the same.

It reads the interpreter's state and changes none of it, imports nothing but `site` (already
imported unless Python runs with -S) and, for classify, `sysconfig`, and runs on CPython 3.8 and
newer. read(packages, classify) returns bytes: NUL-terminated records,

    pyprefix-reader 1         always first
    I<fact>=<bytes>           version, executable, prefix, base_prefix, platform, cache_tag, cwd
                              (os.getcwdb()), and extension_suffix once for each suffix
    E<source>:<bytes>         one raw entry as os.fsencode bytes; <source> is its stable name
    D<text>                   a diagnostic: what was skipped, and why
    X<text>                   the error that ended the reading (nothing follows)
    end                       always last when there was no error
"""
import os
import sys

FORMAT = b"pyprefix-reader 1"
MISSING = object()
# os.fsencode without its Python-level wrapper: the reader's cost is mostly per entry.
ENCODING = sys.getfilesystemencoding()
ERRORS = sys.getfilesystemencodeerrors()

# The codes of the entries' sources (SITE_PACKAGES = b"site-packages" and the rest), which CMake
# puts in place of the next line from lib/core/sources.hpp's source_table (lib/core/CMakeLists.txt).
# @pyprefix_source_codes@


class Failure(Exception):
    """Ends the reading; its text is the one-line error the caller gets."""


def describe(exception):
    """'Type: first line of the text', or 'Type' alone."""
    try:
        text = str(exception).strip()
    except Exception:
        text = ""
    return type(exception).__name__ + (": " + text.splitlines()[0] if text else "")


def text_record(records, tag, text):
    """A D or X record: one line of UTF-8, whatever the text holds."""
    text = text.replace("\0", "\\0").replace("\r", "\\r").replace("\n", "\\n")
    records.append(tag.encode("ascii") + text.encode("utf-8", "backslashreplace"))


def calling(what, function, *arguments):
    """function(*arguments), its exception turned into a Failure that names `what`."""
    try:
        return function(*arguments)
    except Exception as exception:
        raise Failure(what + " raised " + describe(exception)) from None


def call_method(owner, owner_name, method, *arguments):
    """owner.method(*arguments); a Failure names the call as it was written, 'site.getuserbase()'."""
    try:
        return getattr(owner, method)(*arguments)
    except Exception as exception:
        what = "%s.%s(%s)" % (owner_name, method, ", ".join(map(repr, arguments)))
        raise Failure(what + " raised " + describe(exception)) from None


def entry_bytes(entry):
    """(bytes, None) for an entry, or (None, why) when it is skipped: a str as it is, bytes
    through os.fsdecode, an os.PathLike through os.fspath, then os.fsencode."""
    if type(entry) is str and "\0" not in entry:  # the common case, first
        try:
            return entry.encode(ENCODING, ERRORS), None
        except Exception as exception:
            return None, "os.fsencode() raised " + describe(exception)
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
        return entry.encode(ENCODING, ERRORS), None
    except Exception as exception:
        return None, "os.fsencode() raised " + describe(exception)


def add(records, entry, source, where, index=None):
    """An E record, or a D record naming `where` (with [index] when given) and why."""
    path, why = entry_bytes(entry)
    if why is None:
        records.append(b"E" + source + b":" + path)
    else:
        text_record(records, "D", (where if index is None else "%s[%d]" % (where, index)) + " skipped: " + why)


def add_each(records, entries, source, where):
    if not isinstance(entries, (list, tuple)):
        raise Failure(where + " is a " + type(entries).__name__ + ", not a list")
    # A copy first: converting an entry may run Python code (__fspath__) that changes the original.
    try:
        items = tuple(entries)
    except Exception as exception:
        raise Failure("tuple(%s) raised %s" % (where, describe(exception))) from None
    record_start = b"E" + source + b":"
    for index, entry in enumerate(items):
        if type(entry) is str and "\0" not in entry:  # entry_bytes' common case, inline: sys.path is long
            try:
                records.append(record_start + entry.encode(ENCODING, ERRORS))
                continue
            except Exception:
                pass  # add() says why
        add(records, entry, source, where, index)


# What platform.python_version() gives, without importing platform.
VERSION_RECORD = b"Iversion=" + sys.version.split(" ")[0].encode("ascii", "replace")


def add_interpreter_facts(records):
    records.append(VERSION_RECORD)
    for name, value in ((b"Iexecutable=", sys.executable), (b"Iprefix=", sys.prefix),
                        (b"Ibase_prefix=", sys.base_prefix), (b"Iplatform=", sys.platform),
                        (b"Icache_tag=", getattr(sys.implementation, "cache_tag", None) or "")):
        value_bytes, why = entry_bytes(value)
        records.append(name + (value_bytes if why is None else b""))
    try:  # relative entries ('' from -c, PYTHONPATH) are taken from here
        records.append(b"Icwd=" + os.getcwdb())
    except OSError:
        pass  # a deleted working directory: the caller says so if it needs one
    # What a file must end with to be imported as an extension module, as
    # importlib.machinery.EXTENSION_SUFFIXES (importlib._bootstrap_external, always loaded).
    machinery = sys.modules.get("_frozen_importlib_external")
    for suffix in getattr(machinery, "EXTENSION_SUFFIXES", ()):
        records.append(b"Iextension_suffix=" + suffix.encode("ascii", "replace"))


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


def dirname(path):
    """posixpath.dirname for bytes, without its generic-path overhead (this runs on every call)."""
    head = path[:path.rfind(b"/") + 1]
    if head and head != b"/" * len(head):
        head = head.rstrip(b"/")
    return head


def add_package_root(records, name):
    if not isinstance(name, str) or not name.isidentifier():
        raise Failure("invalid package name '%s': give a top-level module name, such as torch" % (name,))
    where = "package '%s'" % name
    try:
        spec = find_spec(name)
    except Exception as exception:
        text_record(records, "D", "%s skipped: importlib.util.find_spec() raised %s" % (where, describe(exception)))
        return
    if spec is None:
        text_record(records, "D", where + " not found")
        return
    try:
        if spec.submodule_search_locations is not None:  # a package, regular or namespace: each portion
            locations = list(spec.submodule_search_locations)
        elif spec.has_location:  # a single-file module
            locations = [spec.origin]
        else:  # built-in or frozen: no folder
            return
    except Exception as exception:
        text_record(records, "D", "%s skipped: reading its spec raised %s" % (where, describe(exception)))
        return
    for location in locations:
        # torch takes dirname() of the raw location and normalises afterwards; so do we, which
        # differs from normalising first for locations such as "/a/b/..".
        path, why = entry_bytes(location)
        if why is None:
            records.append(b"E" + PACKAGE_ROOT + b":" + dirname(path))
        else:
            text_record(records, "D", where + " location skipped: " + why)


def add_classifying_folders(records):
    """The stdlib (its zip, sysconfig's stdlib, platstdlib and DESTSHARED), then purelib and
    platlib of every POSIX install scheme (all but Windows' and macOS frameworks')."""
    # The zipped stdlib that the interpreter puts on sys.path, whether or not it exists, built
    # from the base prefix and platlibdir ("lib" before 3.9) as CPython's getpath builds it.
    zip_path = calling("os.path.join(sys.base_prefix, ...)", os.path.join, sys.base_prefix,
                       getattr(sys, "platlibdir", "lib"), "python%d%d.zip" % sys.version_info[:2])
    add(records, zip_path, STDLIB, "the stdlib zip")
    sysconfig = calling("import sysconfig", __import__, "sysconfig")
    for name in ("stdlib", "platstdlib"):
        add(records, call_method(sysconfig, "sysconfig", "get_path", name), STDLIB,
            "sysconfig.get_path(%r)" % name)
    shared = call_method(sysconfig, "sysconfig", "get_config_var", "DESTSHARED")
    if shared is not None:
        add(records, shared, STDLIB, "sysconfig.get_config_var('DESTSHARED')")
    schemes = call_method(sysconfig, "sysconfig", "get_scheme_names")
    for index, scheme in enumerate(calling("tuple(sysconfig.get_scheme_names())", tuple, schemes)):
        if not isinstance(scheme, str):
            text_record(records, "D", "sysconfig.get_scheme_names()[%d] skipped: %s is not str"
                        % (index, type(scheme).__name__))
            continue
        if scheme.startswith(("nt", "osx")):
            continue
        for key in ("purelib", "platlib"):
            where = "sysconfig.get_path(%r, %r)" % (key, scheme)
            try:
                path = sysconfig.get_path(key, scheme)
            except Exception as exception:
                text_record(records, "D", where + " skipped: it raised " + describe(exception))
                continue
            add(records, path, INSTALL_SCHEME, where)


def read(packages, classify, facts=True):
    """The records for this interpreter: its facts (unless the caller needs none), then torch's
    raw entries in torch's order (site-packages, sys.path, user base, user site, package
    roots), then the classifying folders."""
    records = [FORMAT]
    try:
        if facts:
            add_interpreter_facts(records)
        site = sys.modules.get("site") or calling("import site", __import__, "site")
        add_each(records, call_method(site, "site", "getsitepackages"), SITE_PACKAGES, "site.getsitepackages()")
        path = getattr(sys, "path", MISSING)
        if path is MISSING:
            raise Failure("sys.path is missing")
        add_each(records, path, SYS_PATH, "sys.path")
        add(records, call_method(site, "site", "getuserbase"), USER_BASE, "site.getuserbase()")
        add(records, call_method(site, "site", "getusersitepackages"), USER_SITE, "site.getusersitepackages()")
        for name in packages:
            add_package_root(records, name)
        if classify:
            add_classifying_folders(records)
        records.append(b"end")
    except Failure as failure:
        text_record(records, "X", str(failure))
    records.append(b"")  # so that the join ends the last record with a NUL too
    return b"\0".join(records)
