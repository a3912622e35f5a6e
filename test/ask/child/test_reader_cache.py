"""The cache of the compiled reader, for the child of `--python` and for the tool's embedded
interpreter: written on the first start, used on the next, ignored when it is damaged or lies
in a folder others may write to, and nowhere when PYPREFIX_CACHE_DIR is empty. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON, PYPREFIX_READER
(<build>/generated/core/entries/reader.py, lib/core/entries/reader.py with its codes) and PYPREFIX_CHILD_MAIN (lib/ask/child/child_main.py), which the child runs as
one program.
"""
import os
import stat
import subprocess

import pytest

CLI = os.environ["PYPREFIX_CLI"]
PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]
READER = os.environ["PYPREFIX_READER"]
CHILD_MAIN = os.environ["PYPREFIX_CHILD_MAIN"]
# A sanitizer build's settings (its leak suppressions for the embedded interpreter) carry over.
SANITIZER_OPTIONS = {name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")}


# How each mode runs, the program it keeps compiled, the start of its cached file's name, and
# whether the file starts with the bytecode magic (a child's: bootstrap.py checks it).
MODES = {"child": (["--python", PYTHON], [READER, CHILD_MAIN], "reader-", True),
         "embedded": ([], [READER], "live-", False)}


@pytest.fixture(params=sorted(MODES))
def mode(request):
    return MODES[request.param]


@pytest.fixture
def run(tmp_path, mode):
    home = tmp_path / "home"
    home.mkdir()
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    base.update(SANITIZER_OPTIONS)

    def pyprefix(**variables):
        return subprocess.run([CLI] + mode[0], env=dict(base, **variables), capture_output=True, timeout=60,
                              cwd=tmp_path)
    return pyprefix


def cached_files(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def compiled_by_python(source, destination, magic):
    """`source` compiled and marshalled by the interpreter under test, as pyprefix caches it
    (after compile.py's header and the bytecode magic, for a child)."""
    subprocess.run([PYTHON, "-c", "import marshal, sys\n"
                    "magic = b'pyprefix-compiled\\0' + sys.modules['_frozen_importlib_external'].MAGIC_NUMBER"
                    " if sys.argv[3] == '1' else b''\n"
                    "open(sys.argv[2], 'wb').write(magic + marshal.dumps(compile(open(sys.argv[1]).read(), 'r', 'exec')))",
                    source, destination, "1" if magic else "0"], check=True)


def test_written_once_then_used(tmp_path, run, mode):
    uncached = run(PYPREFIX_CACHE_DIR="")
    assert uncached.returncode == 0, uncached.stderr
    folder = tmp_path / "cache"
    first = run(PYPREFIX_CACHE_DIR=str(folder))
    assert first.stdout == uncached.stdout
    files = cached_files(folder)
    assert len(files) == 1 and files[0].startswith(mode[2]) and files[0].endswith(".bin"), files
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    # A cached reader that fails on purpose proves the next start runs the cached code.
    marked = tmp_path / "marked.py"
    program = "".join(open(part).read() for part in mode[1])
    marked.write_text(program.replace('records = [FORMAT]', 'raise Failure("read from the cache")', 1))
    compiled_by_python(marked, folder / files[0], mode[3])
    used = run(PYPREFIX_CACHE_DIR=str(folder))
    assert used.returncode == 1 and b"read from the cache" in used.stderr, used
    # Nobody else may have written it: in a folder others can write to, it is not trusted.
    os.chmod(folder, 0o777)
    distrusted = run(PYPREFIX_CACHE_DIR=str(folder))
    assert distrusted.returncode == 0 and distrusted.stdout == uncached.stdout, distrusted.stderr
    os.chmod(folder, 0o700)
    # A damaged file is compiled over.
    (folder / files[0]).write_bytes(b"\x00not marshal data")
    damaged = run(PYPREFIX_CACHE_DIR=str(folder))
    assert damaged.returncode == 0 and damaged.stdout == uncached.stdout, damaged.stderr
    assert (folder / files[0]).read_bytes() != b"\x00not marshal data"
    assert run(PYPREFIX_CACHE_DIR=str(folder)).stdout == uncached.stdout


def test_default_place_and_none(tmp_path, run):
    assert run(PYPREFIX_CACHE_DIR="").returncode == 0
    assert not (tmp_path / "home" / ".cache").exists()  # empty: no cache anywhere
    assert run().returncode == 0
    assert len(cached_files(tmp_path / "home" / ".cache" / "pyprefix")) == 1
    assert run(XDG_CACHE_HOME=str(tmp_path / "xdg")).returncode == 0
    assert len(cached_files(tmp_path / "xdg" / "pyprefix")) == 1


def test_the_environment_never_reaches_the_cache(tmp_path):
    """A run that is not isolated executes .pth lines and sitecustomize; code there that meddles
    with marshal or descriptor 4 must not become the compiled reader of later runs, isolated ones
    included: what is cached is compiled by an isolated child alone (compile.py)."""
    poison = tmp_path / "poison"
    poison.mkdir()
    marker = tmp_path / "ran"
    payload = "open(%r, 'a').write('ran\\n')" % str(marker)
    (poison / "sitecustomize.py").write_text(
        "import marshal, os\n"
        "payload = compile(%r, 'payload', 'exec')\n"
        "real = marshal.dumps\n"
        "marshal.dumps = lambda code, *rest: real(payload) if getattr(code, 'co_name', '') == '<module>' "
        "else real(code, *rest)\n"
        "try:\n"
        "    os.ftruncate(4, 0)\n"
        "    os.pwrite(4, real(payload), 0)\n"
        "except OSError:\n"
        "    pass\n" % payload)
    cache = tmp_path / "cache"
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "PYPREFIX_CACHE_DIR": str(cache)}
    base.update(SANITIZER_OPTIONS)
    poisoned = subprocess.run([CLI, "--python", PYTHON], env=dict(base, PYTHONPATH=str(poison)), capture_output=True,
                              timeout=60)
    assert poisoned.returncode == 0, poisoned.stderr
    for options in (["--python", PYTHON, "--isolated"], ["--python", PYTHON]):
        clean = subprocess.run([CLI] + options, env=base, capture_output=True, timeout=60)
        assert clean.returncode == 0, clean.stderr
    assert not marker.exists(), marker.read_text()
    assert len(cached_files(cache)) == 1


def test_a_wrapper_that_runs_another_python_gets_no_foreign_bytecode(tmp_path):
    """pyenv's shims are one script for every version: the cached file is named for the script,
    and its magic tells the bootstrap whether the Python behind it compiled it."""
    pythons = sorted({p for p in os.environ.get("PYPREFIX_TEST_PYTHONS", "").split("|") if p} |
                     {PYTHON, "/usr/bin/python3"})
    others = [p for p in pythons if os.path.exists(p) and subprocess.run(
        [p, "-c", "import sys; assert sys.version_info >= (3, 8)"], capture_output=True).returncode == 0]
    versions = {}
    for python in others:
        versions.setdefault(subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"],
                                           capture_output=True, text=True).stdout, python)
    if len(versions) < 2:
        pytest.skip("one Python minor version here: a wrapper cannot switch between two")
    first, second = list(versions.values())[:2]
    wrapper = tmp_path / "python3"
    wrapper.write_text('#!/bin/sh\nexec "$WRAPPED" "$@"\n')
    wrapper.chmod(0o755)
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
            "PYPREFIX_CACHE_DIR": str(tmp_path / "cache")}
    base.update(SANITIZER_OPTIONS)
    for python in (first, second, first):
        through = subprocess.run([CLI, "--python", str(wrapper)], env=dict(base, WRAPPED=python), capture_output=True,
                                 timeout=60)
        direct = subprocess.run([CLI, "--python", python], env=dict(base, PYPREFIX_CACHE_DIR=""), capture_output=True,
                                timeout=60)
        assert through.returncode == 0, through.stderr
        assert through.stdout == direct.stdout
