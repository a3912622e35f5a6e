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


# How each mode runs, the program it keeps compiled, and the start of its cached file's name.
MODES = {"child": (["--python", PYTHON], [READER, CHILD_MAIN], "reader-"), "embedded": ([], [READER], "live-")}


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


def compiled_by_python(source, destination):
    """`source` compiled and marshalled by the interpreter under test, as the child would cache it."""
    subprocess.run([PYTHON, "-c", "import marshal, sys\n"
                    "open(sys.argv[2], 'wb').write(marshal.dumps(compile(open(sys.argv[1]).read(), 'r', 'exec')))",
                    source, destination], check=True)


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
    compiled_by_python(marked, folder / files[0])
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
