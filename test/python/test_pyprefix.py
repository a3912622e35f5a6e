"""The Python package pyprefix, against Python itself: the reference (test/reference/prefixes.py,
torch's function with pyprefix's rules) run in this same process or by the same interpreter in a
child, os.path.abspath, and the reference's trim. Run by ctest (python.pytest) for the
interpreter the build is for, with PYPREFIX_REFERENCE naming the reference."""
import gc
import gzip
import json
import json.decoder
import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

import pyprefix

REFERENCE_PATH = os.environ["PYPREFIX_REFERENCE"]
reference = {"__name__": "reference"}
exec(compile(open(REFERENCE_PATH).read(), REFERENCE_PATH, "exec"), reference)


@pytest.fixture
def saved_sys_path():
    saved = list(sys.path)
    yield
    sys.path[:] = saved


def as_bytes(paths):
    return [os.fsencode(p) for p in paths]


def reference_in_child(arguments, python=sys.executable, isolated=False):
    """What the reference prints when `python -c` runs it, as pyprefix's child would be run."""
    launcher = ("import sys\nnamespace = {'__name__': 'reference'}\n"
                "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), namespace)\n"
                "namespace['main'](sys.argv[2:])\n")
    command = [python] + (["-I"] if isolated else []) + ["-c", launcher, REFERENCE_PATH] + arguments
    return subprocess.run(command, check=True, stdout=subprocess.PIPE).stdout


# The list of this process, with packages and classify, equals the reference's in this process.
@pytest.mark.parametrize("packages, classify", [((), False), (("json", "pytest", "missing_module"), False),
                                                (("json",), True)])
def test_live_list_is_the_reference(packages, classify):
    ours = pyprefix.prefixes(packages=packages, classify=classify)
    assert all(isinstance(p, str) for p in ours)
    assert as_bytes(ours) == reference["prefixes"](packages, classify)
    report = pyprefix.report(packages=packages, classify=classify)
    assert [(os.fsencode(p.path), list(p.sources)) for p in report.prefixes] == reference["report"](packages, classify)
    assert ("package 'missing_module' not found" in report.diagnostics) == ("missing_module" in packages)


# Odd sys.path entries: bytes, undecodable, Path, None, int, NUL; each skipped one is named.
def test_odd_entries_in_a_live_process(saved_sys_path):
    sys.path.extend([b"/tmp/bytes", b"/tmp/\xff-undecodable", pathlib.Path("/tmp/path"), None, 5, "/tmp/a\0b",
                     "/tmp/d\u00efr", "/tmp/\udcfe-escaped"])
    report = pyprefix.report()
    assert as_bytes(p.path for p in report.prefixes) == reference["prefixes"]()
    assert "/tmp/\udcff-undecodable/" in [p.path for p in report.prefixes]
    assert len(report.diagnostics) == 3, report.diagnostics
    assert all(line.startswith("sys.path[") and "skipped" in line for line in report.diagnostics)


# Another interpreter (this one's executable, in a child) and isolated mode: the reference run
# by that interpreter.
def test_child_process_lists_are_the_reference():
    expected = reference_in_child(["--package", "json"])
    assert b"".join(os.fsencode(p) + b"\n" for p in pyprefix.prefixes(packages=["json"], python=sys.executable)) \
        == expected
    expected_isolated = reference_in_child([], isolated=True)
    assert b"".join(os.fsencode(p) + b"\n" for p in pyprefix.prefixes(isolated=True)) == expected_isolated
    assert pyprefix.interpreter(python=sys.executable).executable == sys.executable


def test_interpreter_describes_this_python():
    import importlib.machinery
    import platform
    described = pyprefix.interpreter()
    assert described == (platform.python_version(), sys.executable, sys.prefix, sys.base_prefix, sys.platform,
                         sys.implementation.cache_tag, importlib.machinery.EXTENSION_SUFFIXES)
    assert pyprefix.interpreter(python=sys.executable) == described


# trim and match agree with the reference's trim on every loaded module's file, as str and as
# bytes, with kinds from classify.
def test_trimmer_matches_reference_trim():
    report = pyprefix.report(classify=True)
    trimmer = pyprefix.Trimmer(report.prefixes)
    files = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)})
    files += ["<frozen os>", "<string>", "/nowhere/x.py", "", "relative/x.py"]
    data = b"".join(os.fsencode(f) + b"\n" for f in files)
    items = reference["report"]((), True)
    expected_short = reference["trim"](data, items, False).split(b"\n")[:-1]
    assert [os.fsencode(trimmer.trim(f)) for f in files] == expected_short
    assert [trimmer.trim(os.fsencode(f)) for f in files] == expected_short
    import json as json_module
    lines = [json_module.loads(line) for line in reference["trim"](data, items, True).splitlines()]
    for path, line in zip(files, lines):
        match = trimmer.match(path)
        assert (match.short, match.prefix, match.kind.value) == (line["short"], line["prefix"], line["kind"])
        match_bytes = trimmer.match(os.fsencode(path))
        assert match_bytes.short == os.fsencode(line["short"]) and match_bytes.kind is match.kind


# Surrogate escapes and non-ASCII names round-trip: what goes in as str comes out as str.
def test_surrogate_escapes_round_trip():
    trimmer = pyprefix.Trimmer(["/tmp/\udcff-odd", b"/tmp/d\xc3\xafr/", "/srv/"])
    assert trimmer.trim("/tmp/\udcff-odd/a\udcfe.py") == "a\udcfe.py"
    assert trimmer.trim(b"/tmp/\xff-odd/a.py") == b"a.py"
    assert trimmer.trim("/tmp/d\u00efr/\u65e5.py") == "\u65e5.py"
    assert trimmer.match("/tmp/d\u00efr/x.py") == ("x.py", "/tmp/d\u00efr/", pyprefix.Kind.UNKNOWN)
    assert trimmer.trim("/srv/a\0b") == "a\0b" and trimmer.trim("/srv/\u00ef\0") == "\u00ef\0"  # any byte passes
    path = "/elsewhere/x.py"
    assert trimmer.trim(path) is path  # nothing matched: the same object, no copy


def test_abspath_is_os_path_abspath():
    for path in [".", "a/", "/..", "//", "///x", "//x/../y/", "a/./b/../../c", "", "~", "/a\udcffb/../c"]:
        assert pyprefix.abspath(path) == os.path.abspath(path), path
        assert pyprefix.abspath(os.fsencode(path)) == os.path.abspath(os.fsencode(path)), path
    assert pyprefix.abspath(pathlib.Path("x/../y")) == os.path.abspath("y")


def test_kinds_and_names():
    assert [kind.value for kind in pyprefix.Kind] == ["unknown", "application", "package-root", "third-party",
                                                      "stdlib"]
    trimmer = pyprefix.Trimmer(pyprefix.report(classify=True).prefixes)
    assert trimmer.match(os.__file__).kind is pyprefix.Kind.STDLIB
    assert trimmer.match("<frozen importlib._bootstrap>").kind is pyprefix.Kind.STDLIB
    assert trimmer.match("/nowhere/x.py").kind is pyprefix.Kind.UNKNOWN


# Bad arguments: TypeError or ValueError with a clear text; a bad interpreter is pyprefix.Error.
@pytest.mark.parametrize("call, error, text", [
    (lambda: pyprefix.prefixes(packages=5), TypeError, "packages must be an iterable of str"),
    (lambda: pyprefix.prefixes(packages="torch"), TypeError, "not a str"),
    (lambda: pyprefix.prefixes(packages=[b"torch"]), TypeError, "package names must be str"),
    (lambda: pyprefix.prefixes(packages=["a\0b"]), ValueError, "NUL"),
    (lambda: pyprefix.prefixes(packages=["torch.nn"]), pyprefix.Error, "invalid package name 'torch.nn'"),
    (lambda: pyprefix.prefixes(python="/nonexistent/python"), pyprefix.Error, "does not exist"),
    (lambda: pyprefix.prefixes(python="no-such-python-anywhere"), pyprefix.Error, "was not found on PATH"),
    (lambda: pyprefix.prefixes(python=5), TypeError, "python must be str, bytes or os.PathLike"),
    (lambda: pyprefix.prefixes(timeout=-1), ValueError, "timeout"),
    (lambda: pyprefix.prefixes(timeout="soon"), TypeError, ""),
    (lambda: pyprefix.Trimmer(5), TypeError, ""),
    (lambda: pyprefix.Trimmer("/usr/lib/"), TypeError, "not a single path"),
    (lambda: pyprefix.Trimmer(["relative/"]), ValueError, "absolute"),
    (lambda: pyprefix.Trimmer([("/a/", ("nowhere",), None)]), ValueError, "unknown source"),
    (lambda: pyprefix.Trimmer(["/a/"]).trim(5), TypeError, "path must be str, bytes or os.PathLike"),
    (lambda: pyprefix.abspath(None), TypeError, "path must be str, bytes or os.PathLike"),
])
def test_bad_arguments_are_refused(call, error, text):
    with pytest.raises(error) as raised:
        call()
    assert text in str(raised.value)
    assert "\n" not in str(raised.value)


# Repeated calls leave every reference count as it was, and allocate nothing that stays.
def test_reference_counts_do_not_change():
    trimmer = pyprefix.Trimmer(pyprefix.report(classify=True).prefixes)
    path, path_bytes, packages = os.__file__, os.fsencode(os.__file__), ("json",)
    index = pyprefix.CodeIndex()
    watched = [path, path_bytes, packages, trimmer, pyprefix.Kind.STDLIB, sys.path, pyprefix.Trimmer,
               pyprefix.CodeIndex, index]

    def calls():
        trimmer.trim(path), trimmer.trim(path_bytes), trimmer.match(path), trimmer.match(path_bytes)
        pyprefix.prefixes(packages=packages), pyprefix.report(packages=packages), pyprefix.abspath(path)
        pyprefix.Trimmer([path]), index.which(path), index.distributions

    calls()
    gc.collect()
    before = [sys.getrefcount(o) for o in watched]
    blocks = sys.getallocatedblocks()
    for _ in range(2000):
        calls()
    gc.collect()
    assert [sys.getrefcount(o) for o in watched] == before
    assert sys.getallocatedblocks() - blocks < 200  # a leak per call would be thousands


def test_calls_from_threads_give_the_same_list():
    expected = pyprefix.prefixes()
    results = []
    threads = [threading.Thread(target=lambda: results.append(pyprefix.prefixes())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


# python -m pyprefix runs the same command: the reference's list, usage errors with exit 2.
def test_python_m_pyprefix_runs_the_command(tmp_path):
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    def run(*arguments):
        return subprocess.run([sys.executable, "-m", "pyprefix"] + list(arguments), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=str(tmp_path), env=environment)
    listed = run("--json")
    assert listed.returncode == 0, listed.stderr
    launcher = ("import sys\nnamespace = {'__name__': 'reference'}\n"
                "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), namespace)\n"
                "namespace['main'](sys.argv[2:])\n")
    expected = subprocess.run([sys.executable, "-c", launcher, REFERENCE_PATH, "--json"], stdout=subprocess.PIPE,
                              cwd=str(tmp_path), env=environment, check=True).stdout
    assert listed.stdout == expected
    assert run("--version").stdout.decode().startswith("pyprefix " + pyprefix.__version__ + "\nPython ")
    bad = run("--bogus")
    assert bad.returncode == 2 and bad.stdout == b"" and bad.stderr.count(b"\n") == 1


# CodeIndex names every loaded module's file and its owner as importlib does in this process
# (the reference's module_of and owner_of: find_spec and importlib.metadata).
def test_code_index_agrees_with_importlib():
    index = pyprefix.CodeIndex()
    files = sorted({os.path.abspath(m.__file__) for m in list(sys.modules.values()) if getattr(m, "__file__", None)})
    assert len(files) > 20
    for path in files:
        module = reference["module_of"](path)
        assert tuple(index.which(path)) == (module,) + tuple(reference["owner_of"](path, module)), path
        assert index.which(os.fsencode(path)).module == module
    assert index.which("<frozen importlib._bootstrap>") == ("importlib._bootstrap", None, None)
    assert index.which("/nowhere/my-scripts/x.py") == (None, None, None)
    assert all(isinstance(d, pyprefix.Distribution) for d in index.distributions)
    with pytest.raises(TypeError):
        index.which(5)
    with pytest.raises(pyprefix.Error):
        pyprefix.CodeIndex(python="/nonexistent/python")
    # The arguments of prefixes(), positional too; isolated asks this interpreter in a child.
    assert pyprefix.CodeIndex((), None, False, False, 5.0).which(os.__file__).module == "os"
    assert pyprefix.CodeIndex(isolated=True).which(os.__file__).module == "os"


# A profiler that dumps its report from an atexit handler registered before pyprefix's own hook
# (which atexit runs first) still gets the list.
def test_calls_from_atexit_handlers(tmp_path):
    code = ("import atexit, pyprefix\n"
            "atexit.register(lambda: print('at exit:', len(pyprefix.prefixes()) > 0))\n"
            "pyprefix.prefixes()\n")
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=str(tmp_path), env=environment)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"at exit: True\n", b"")


def test_manifest_round_trip_trims_and_names_as_live(tmp_path):
    # The manifest `python -m pyprefix manifest` writes, read back by the package, trims and
    # names every loaded module's file as the live Trimmer and CodeIndex do.
    written = subprocess.run([sys.executable, "-m", "pyprefix", "manifest", "--classify"], check=True,
                             stdout=subprocess.PIPE).stdout
    (tmp_path / "manifest.json").write_bytes(written)
    manifest = pyprefix.read_manifest(tmp_path / "manifest.json")
    live = pyprefix.report(classify=True, python=sys.executable)
    assert manifest.path_flavour == "posix"
    assert manifest.prefixes == live.prefixes
    assert manifest.interpreter == live.interpreter
    saved, here = pyprefix.Trimmer(manifest.prefixes, manifest.path_flavour), pyprefix.Trimmer(live.prefixes)
    offline, online = pyprefix.CodeIndex.from_manifest(tmp_path / "manifest.json"), pyprefix.CodeIndex(
        python=sys.executable, classify=True)
    assert [d.name for d in offline.distributions] == [d.name for d in online.distributions]
    files = [m.__file__ for m in list(sys.modules.values()) if isinstance(getattr(m, "__file__", None), str)]
    assert files
    for path in files:
        assert saved.match(path) == here.match(path)
        assert offline.which(path).module == online.which(path).module, path


def test_manifest_is_what_the_command_writes():
    # pyprefix.manifest() gives the very bytes `pyprefix manifest` writes for the same options,
    # for this interpreter asked in a child and with a package.
    for arguments, keywords in ((["--python", sys.executable], {"python": sys.executable}),
                                (["--python", sys.executable, "--classify", "--package", "json"],
                                 {"python": sys.executable, "classify": True, "packages": ["json"]})):
        written = subprocess.run([sys.executable, "-m", "pyprefix", "manifest"] + arguments, check=True,
                                 stdout=subprocess.PIPE).stdout
        assert pyprefix.manifest(**keywords).encode() == written
    with pytest.raises(ValueError, match="^timeout must be more than 0 and at most 86400 seconds$"):
        pyprefix.manifest(timeout=86401)


def test_windows_trimmer_compares_as_ntpath():
    import ntpath
    prefixes = ["C:\\Python311\\Lib", "c:/python311/lib/site-packages/", "\\\\server\\share\\py\\..\\lib"]
    trimmer = pyprefix.Trimmer(prefixes, path_flavour="windows")
    normal = [ntpath.normpath(p) + "\\" for p in prefixes]
    for path in ["C:/PYTHON311/Lib/json/decoder.py", "c:\\python311\\lib\\site-packages\\six.py",
                 "\\\\SERVER\\share\\lib\\x.py", "C:\\Python3111\\x.py"]:
        found = [p for p in normal if ntpath.normcase(path).startswith(ntpath.normcase(p))]
        best = max(found, key=len) if found else None
        assert trimmer.match(path)[:2] == ((path[len(best):], best) if best else (path, None)), path
    with pytest.raises(ValueError, match="absolute Windows paths"):
        pyprefix.Trimmer(["C:relative"], path_flavour="windows")
    with pytest.raises(ValueError, match="path_flavour"):
        pyprefix.Trimmer(["/x"], path_flavour="mac")


def test_bad_manifest_is_one_line_error(tmp_path):
    (tmp_path / "bad.json").write_text('{"format": "pyprefix-manifest/9", "path_flavour": "posix", "prefixes": []}')
    with pytest.raises(pyprefix.Error, match=r"format 'pyprefix-manifest/9'.* at byte 11$"):
        pyprefix.read_manifest(tmp_path / "bad.json")


def test_prefixes_of_a_running_process(tmp_path):
    # A process of this interpreter with a PYTHONPATH of its own writes the reference list at
    # start-up and sleeps; pid= must give the same list.
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ask", "process", "target.py")
    output = str(tmp_path / "out")
    extra = str(tmp_path / "extra")
    # A distribution in its PYTHONPATH, for its CodeIndex (read from its manifest).
    for path, text in {"demo/__init__.py": "", "demo-1.0.dist-info/RECORD": "demo/__init__.py,,\n",
                       "demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"}.items():
        os.makedirs(os.path.dirname(os.path.join(extra, path)), exist_ok=True)
        with open(os.path.join(extra, path), "w") as file:
            file.write(text)
    process = subprocess.Popen([sys.executable, target, REFERENCE_PATH, output],
                               env=dict(os.environ, PYTHONPATH=extra))
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(output):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        with open(output, "rb") as file:
            expected = file.read().splitlines()
        assert os.fsencode(extra + "/") in expected
        assert as_bytes(pyprefix.prefixes(pid=process.pid)) == expected
        assert as_bytes(p.path for p in pyprefix.report(pid=process.pid).prefixes) == expected
        index = pyprefix.CodeIndex(pid=process.pid)
        assert index.which(os.path.join(extra, "demo", "__init__.py")) == ("demo", "demo", "1.0")
        (tmp_path / "manifest.json").write_text(pyprefix.manifest(pid=process.pid))
        assert index.distributions == pyprefix.read_manifest(tmp_path / "manifest.json").distributions
    finally:
        process.kill()
        process.wait()
    with pytest.raises(pyprefix.Error, match="there is no process %d" % process.pid):
        pyprefix.prefixes(pid=process.pid)


# Rewriting, against the reference rewriter (test/reference/rewrite.py) with this process's list.
REWRITE_PATH = os.path.join(os.path.dirname(REFERENCE_PATH), "rewrite.py")
rewrite_reference = {"__name__": "rewrite_reference"}
exec(compile(open(REWRITE_PATH).read(), REWRITE_PATH, "exec"), rewrite_reference)


def loaded_files():
    return sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)})


def test_rewrite_str_and_bytes_as_the_reference_rewrites_them():
    listed = [os.fsencode(p) for p in pyprefix.prefixes()]
    trimmer = pyprefix.Trimmer(pyprefix.report().prefixes)
    text = "".join('  File "%s", line 3, in f\n%s:12: DeprecationWarning\n' % (path, path) for path in loaded_files())
    data = os.fsencode(text)
    expected = rewrite_reference["rewrite_text"](data, listed)
    assert expected != data
    assert trimmer.rewrite(data) == expected
    assert trimmer.rewrite(text) == os.fsdecode(expected)
    assert pyprefix.rewrite(text) == os.fsdecode(expected)
    document = json.dumps([{"name": path + "(1): f"} for path in loaded_files()]).replace("/", "\\/").encode()
    assert json.loads(trimmer.rewrite(document)) == rewrite_reference["rewrite_json_value"](json.loads(document), listed)
    index = pyprefix.CodeIndex()
    named = trimmer.rewrite('  File "%s", line 1' % json.decoder.__file__, index=index)
    assert named == '  File "json.decoder", line 1'


def test_rewrite_file_in_place_and_into_another_keeps_gzip(tmp_path):
    trimmer = pyprefix.Trimmer(pyprefix.report().prefixes)
    listed = [os.fsencode(p) for p in pyprefix.prefixes()]
    data = b"".join(b"%s:1\n" % os.fsencode(path) for path in loaded_files())
    source = tmp_path / "trace.txt.gz"
    source.write_bytes(gzip.compress(data))
    source.chmod(0o640)
    pyprefix.rewrite_file(source, tmp_path / "out.gz", trimmer)
    assert gzip.decompress((tmp_path / "out.gz").read_bytes()) == rewrite_reference["rewrite_text"](data, listed)
    trimmer.rewrite_file(source)
    assert gzip.decompress(source.read_bytes()) == rewrite_reference["rewrite_text"](data, listed)
    assert source.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gz", "trace.txt.gz"]
    (tmp_path / "link").symlink_to(source)
    with pytest.raises(pyprefix.Error, match="is a symlink"):
        trimmer.rewrite_file(tmp_path / "link")


def test_the_program_you_will_run(tmp_path):
    """prefixes(program=..., working_directory=...) is `pyprefix --cwd DIR -- PROGRAM`'s list: the
    script's folder first, as the program sets it; the options check names the fields."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("pass\n")
    program = [sys.executable, "app/main.py", "--an", "argument"]
    listed = pyprefix.prefixes(program=program, working_directory=tmp_path)
    assert str(tmp_path / "app") + "/" in listed
    tool = subprocess.run([sys.executable, "-m", "pyprefix", "--cwd", str(tmp_path), "--", *program],
                          capture_output=True, text=True, check=True).stdout
    assert tool.splitlines() == listed
    with pytest.raises(ValueError, match="program takes neither pid nor python"):
        pyprefix.prefixes(program=program, python=sys.executable)
    with pytest.raises(ValueError, match="working_directory goes with program"):
        pyprefix.prefixes(working_directory=tmp_path)
    with pytest.raises(TypeError, match="program must be a sequence of arguments"):
        pyprefix.prefixes(program="python3 app.py")
    with pytest.raises(pyprefix.Error, match="the program's script 'missing.py' cannot be opened"):
        pyprefix.prefixes(program=[sys.executable, "missing.py"], working_directory=tmp_path)


INTERRUPTED_REWRITE = r"""
import gzip, json.decoder, os, signal, sys
import pyprefix
path = sys.argv[1]
line = ("%s:1\n" % json.decoder.__file__).encode()
with open(path, "wb") as file:
    file.write(gzip.compress(line * (300_000_000 // len(line)), 1))
trimmer = pyprefix.Trimmer(pyprefix.report().prefixes)
print(os.stat(path).st_size, flush=True)
try:
    trimmer.rewrite_file(path)
    print("finished")
except KeyboardInterrupt:
    print("KeyboardInterrupt", signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, sorted(os.listdir(os.path.dirname(path))))
"""


def test_ctrl_c_during_rewrite_file_raises_keyboard_interrupt(tmp_path):
    """The package installs no signal handler: Ctrl-C in the middle of an in-place rewrite raises
    KeyboardInterrupt between chunks, and the file and its folder are as they were."""
    path = tmp_path / "big.txt.gz"
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED_REWRITE, str(path)], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ))
    size = int(child.stdout.readline())
    before = path.read_bytes()
    time.sleep(0.3)
    child.send_signal(2)
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0
    assert out.split() == ["KeyboardInterrupt", "True", "['big.txt.gz']"]
    assert path.stat().st_size == size and path.read_bytes() == before


def test_rewrite_refuses_bad_arguments_and_warns_of_a_cut_document():
    trimmer = pyprefix.Trimmer(pyprefix.report().prefixes)
    with pytest.raises(ValueError, match="format must be detect, text, json, pstats, pprof or jitdump, not 'xml'"):
        trimmer.rewrite("x", format="xml")
    with pytest.raises(TypeError, match="index must be a pyprefix.CodeIndex or None"):
        trimmer.rewrite("x", index=trimmer)
    with pytest.raises(TypeError):
        trimmer.rewrite(12)
    with pytest.warns(RuntimeWarning, match=r"the input ends inside a JSON string \(at byte 11\)"):
        assert trimmer.rewrite('{"f": "/x/y') == '{"f": "/x/y'
