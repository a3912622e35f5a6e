"""pyprefix: where Python code lives, for profilers.

The directories Python imports from, exactly as PyTorch's profiler computes them but without
importing torch, and a fast matcher that shortens and classifies paths by them:

    >>> import pyprefix
    >>> trimmer = pyprefix.Trimmer(pyprefix.report(classify=True).prefixes)
    >>> trimmer.trim(json.__file__)
    'json/__init__.py'
    >>> trimmer.match(json.__file__).kind
    <Kind.STDLIB: 'stdlib'>

Paths are str (as os.fsdecode gives them, so undecodable bytes round-trip as surrogate
escapes) or, where a bytes path is given, bytes. Errors from the interpreter asked are
pyprefix.Error; bad arguments are TypeError or ValueError.
"""
import os
import sys
import warnings
from typing import Iterable, List, NamedTuple, Optional, Sequence, Tuple, TypeVar, Union

from ._constants import Interpreter, Kind
from ._pyprefix import DEFAULT_TIMEOUT, Error, __version__, abspath
from ._pyprefix import CodeIndex as _CodeIndex
from ._pyprefix import Trimmer as _Trimmer
from ._pyprefix import _manifest, _prefixes, _read_manifest, _report

__all__ = ["CodeIndex", "DEFAULT_TIMEOUT", "Distribution", "Error", "Interpreter", "Kind", "Manifest", "Match",
           "Prefix", "Report", "Trimmer", "Which", "__version__", "abspath", "interpreter", "manifest", "prefixes",
           "read_manifest", "report", "rewrite", "rewrite_file"]

_AnyData = TypeVar("_AnyData", str, bytes)


class Prefix(NamedTuple):
    """One entry of the list: a directory ending in "/", and every source that produced it."""
    path: str
    sources: Tuple[str, ...]
    resolved: Optional[str]


class Report(NamedTuple):
    """The list with its provenance, what was skipped on the way, and the interpreter asked."""
    prefixes: List[Prefix]
    diagnostics: List[str]
    interpreter: Interpreter


class Match(NamedTuple):
    """Where a path falls: what is left after its longest matching prefix, that prefix, its kind."""
    short: Union[str, bytes]
    prefix: Union[str, bytes, None]
    kind: Kind


class Which(NamedTuple):
    """Which code a path is: the module Python imports it as, and the distribution that owns it."""
    module: Optional[str]
    distribution: Optional[str]
    version: Optional[str]


class Distribution(NamedTuple):
    """An installed distribution, read from its metadata as importlib.metadata reads it."""
    name: str
    version: str
    metadata: str
    roots: List[str]


class Manifest(NamedTuple):
    """What `pyprefix manifest` writes: everything needed to trim and classify later, elsewhere."""
    interpreter: Interpreter
    path_flavour: str  # "posix" or "windows"
    sys_path: List[str]
    prefixes: List[Prefix]
    distributions: List[Distribution]


_KINDS = {kind.value: kind for kind in Kind}
_Path = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _options(python: Optional[_Path], isolated: bool, pid: int = 0, program: Optional[Sequence[_Path]] = None
             ) -> Optional[_Path]:
    # Isolated without an interpreter, a process or a program named asks this one, in a child process.
    if isolated and python is None and not pid and not program:
        python = sys.executable
    return python


def prefixes(packages: Iterable[str] = (), python: Optional[_Path] = None, isolated: bool = False,
             classify: bool = False, timeout: float = DEFAULT_TIMEOUT, resolve_symlinks: bool = False, pid: int = 0,
             attach: bool = False, program: Optional[Sequence[_Path]] = None,
             working_directory: Optional[_Path] = None) -> List[str]:
    """The import prefixes, longest first, each ending in "/": this process's interpreter's,
    `python`'s (a path or a name on PATH, asked in a child process), running process `pid`'s
    (its Python as it started, inside its root, as its user; with `attach`, the list it has
    now, read inside it through PEP 768, Python 3.14+), or the `program` you will run's
    (["python3", "app/main.py", ...], in `working_directory`: sys.path[0] as its start sets it;
    the program does not run)."""
    return _prefixes(packages, _options(python, isolated, pid, program), isolated, classify, resolve_symlinks,
                     timeout, pid, attach, program, working_directory)


def report(packages: Iterable[str] = (), python: Optional[_Path] = None, isolated: bool = False,
           classify: bool = False, timeout: float = DEFAULT_TIMEOUT, resolve_symlinks: bool = False, pid: int = 0,
           attach: bool = False, program: Optional[Sequence[_Path]] = None,
           working_directory: Optional[_Path] = None) -> Report:
    """prefixes() with the sources of each prefix, the diagnostics and the interpreter."""
    items, diagnostics, facts = _report(packages, _options(python, isolated, pid, program), isolated, classify,
                                        resolve_symlinks, timeout, pid, attach, program, working_directory)
    return Report([Prefix(*item) for item in items], diagnostics, Interpreter(*facts))


def interpreter(python: Optional[_Path] = None, isolated: bool = False,
                timeout: float = DEFAULT_TIMEOUT) -> Interpreter:
    """The interpreter that prefixes(python=python) reads."""
    return report(python=python, isolated=isolated, timeout=timeout).interpreter


def manifest(packages: Iterable[str] = (), python: Optional[_Path] = None, isolated: bool = False,
             classify: bool = False, timeout: float = DEFAULT_TIMEOUT, resolve_symlinks: bool = False, pid: int = 0,
             attach: bool = False, program: Optional[Sequence[_Path]] = None,
             working_directory: Optional[_Path] = None) -> str:
    """What `pyprefix manifest` writes for the same options, as JSON text: the list with its
    sources, sys.path, the interpreter and the installed distributions, for read_manifest() and
    `pyprefix trim --prefixes` later, without the environment's files. For a running process
    `pid` the metadata is read inside its root with its rights."""
    return _manifest(packages, _options(python, isolated, pid, program), isolated, classify, resolve_symlinks,
                     timeout, pid, attach, program, working_directory)


def read_manifest(path: _Path) -> Manifest:
    """A `pyprefix manifest` file, checked strictly (pyprefix.Error names the problem and its byte).
    Trimmer(manifest.prefixes, manifest.path_flavour) then trims as in the environment it describes."""
    facts, flavour, sys_path, items, distributions = _read_manifest(path)
    return Manifest(Interpreter(*facts), flavour, sys_path, [Prefix(*item) for item in items],
                    [Distribution(*item) for item in distributions])


class Trimmer(_Trimmer):
    """Shortens and classifies paths by the longest matching prefix, at a cost that does not grow
    with the number of prefixes. Built from report().prefixes (with kinds) or from bare paths."""
    __slots__ = ()

    def match(self, path: Union[str, bytes]) -> Match:
        """(short path, prefix or None, Kind) for a str or bytes path."""
        short, prefix, kind = self._match(path)
        return Match(short, prefix, _KINDS[kind])

    def rewrite(self, data: _AnyData, format: str = "detect", index: Optional["CodeIndex"] = None) -> _AnyData:
        """`data` (str or bytes, the type given back) with every path under a prefix shortened,
        wherever text or JSON holds it, and inside pstats, pprof (uncompressed) and jitdump data,
        as `pyprefix rewrite` does; with an `index`, a Python file's path becomes its module name.
        `format`: "detect", "text", "json", "pstats", "pprof" or "jitdump". A JSON document cut
        inside a string is rewritten as far as it goes, with a RuntimeWarning."""
        as_str = isinstance(data, str)
        raw = data.encode("utf-8", "surrogateescape") if as_str else data
        out, problems = self._rewrite(raw, format, index)
        for problem in problems:
            warnings.warn(problem, RuntimeWarning, stacklevel=2)
        return out.decode("utf-8", "surrogateescape") if as_str else out

    def rewrite_file(self, source: _Path, destination: Optional[_Path] = None, format: str = "detect",
                     index: Optional["CodeIndex"] = None) -> None:
        """The file `source` rewritten into `destination` (None: in place), streaming, through a
        new file renamed over it once whole; gzip stays gzip, zstd zstd; an existing destination keeps its
        mode and owner; a symlink or anything but a regular file is refused (pyprefix.Error)."""
        for problem in self._rewrite_file(source, source if destination is None else destination, format, index):
            warnings.warn(problem, RuntimeWarning, stacklevel=2)


class CodeIndex(_CodeIndex):
    """Module names and distributions for paths, for the interpreter that prefixes() would ask
    (same arguments): its import roots, and the metadata of what is installed in them. Built
    once, then fast to ask. For running process `pid`, its manifest's: the metadata is read
    inside its root, as its user, while pyprefix holds the process.

        >>> pyprefix.CodeIndex(pid=4242).which("/srv/venv/lib/python3.12/site-packages/yaml/nodes.py")
        Which(module='yaml.nodes', distribution='PyYAML', version='6.0.3')
    """
    __slots__ = ()

    def __init__(self, packages: Iterable[str] = (), python: Optional[_Path] = None, isolated: bool = False,
                 classify: bool = False, timeout: float = DEFAULT_TIMEOUT, resolve_symlinks: bool = False,
                 pid: int = 0, attach: bool = False) -> None:
        super().__init__(packages, _options(python, isolated, pid), isolated, classify, resolve_symlinks, timeout,
                         pid, attach)

    @classmethod
    def from_manifest(cls, path: _Path) -> "CodeIndex":
        """The index a manifest carries, reading no other file (its distributions own their roots)."""
        index = cls.__new__(cls)
        index._load_manifest(path)
        return index

    def which(self, path: Union[str, bytes]) -> Which:
        """(module, distribution, version) of a file, None where there is none."""
        return Which(*self._which(path))

    @property
    def distributions(self) -> List[Distribution]:
        """Every installed distribution found, by name."""
        return [Distribution(*item) for item in self._distributions()]

    @property
    def diagnostics(self) -> List[str]:
        """What the metadata could not give (a RECORD that is not CSV, a missing version...)."""
        return self._diagnostics()


def rewrite(data: _AnyData, trimmer: Optional[Trimmer] = None, format: str = "detect",
            index: Optional[CodeIndex] = None) -> _AnyData:
    """Trimmer.rewrite() with `trimmer`, or with one of this interpreter's list (report()'s,
    asked anew at each call: keep a Trimmer to rewrite often).

        >>> pyprefix.rewrite('  File "%s", line 1' % json.__file__)
        '  File "json/__init__.py", line 1'
    """
    return (trimmer if trimmer is not None else Trimmer(report().prefixes)).rewrite(data, format, index)


def rewrite_file(source: _Path, destination: Optional[_Path] = None, trimmer: Optional[Trimmer] = None,
                 format: str = "detect", index: Optional[CodeIndex] = None) -> None:
    """Trimmer.rewrite_file() with `trimmer`, or with one of this interpreter's list."""
    (trimmer if trimmer is not None else Trimmer(report().prefixes)).rewrite_file(source, destination, format, index)
