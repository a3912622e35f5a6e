"""`pyprefix rewrite` on what real producers write, made here by those producers, against the
reference rewriter (test/reference/rewrite.py): text byte for byte, JSON as parsed documents.

Producers: the build's Python (a traceback, a faulthandler dump, a warning, logging's
%(pathname)s, a cProfile + pstats listing), pyenv's 3.12 and 3.13 with -X perf (their perf
maps, and `perf record`/`perf script`), austin (Debian's, sampling pyenv's 3.10), and Python
3.15's profiling.sampling --jsonl. Then JSON with escaped slashes, JSON Lines, gzip,
truncated JSON and every refusal of -i. (torch's profiler is no producer here: it shortens its
paths itself, with _prefix_regex(); Python 3.15's JSON sampler runs in the sid suite.)

Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON, PYPREFIX_REFERENCE_DIR.
"""
import glob
import gzip
import json
import marshal
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.environ["PYPREFIX_REFERENCE_DIR"])
import rewrite as reference  # noqa: E402

CLI = os.environ["PYPREFIX_CLI"]
PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]
PYENV = os.path.expanduser("~/.pyenv/versions")


def run(argv, **keywords):
    keywords.setdefault("timeout", 300)
    return subprocess.run(argv, capture_output=True, **keywords)


def environment(**variables):
    """This process's environment without PYTHON* variables, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(variables)
    return env


def prefixes(python, env):
    """The list of `python` in `env`, as bytes, from the tool (its equality with the reference
    list is the business of the list's own tests)."""
    result = run([CLI, "--python", python], env=env, check=True)
    return [line for line in result.stdout.split(b"\n") if line]


def rewritten(data, python, env, *options):
    result = run([CLI, "rewrite", "--python", python, *options], input=data, env=env)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def folder():
    path = tempfile.mkdtemp(prefix="pyprefix-rewrite-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


# A program whose stderr holds a faulthandler dump, a warning, a logging line with
# %(pathname)s and a traceback, all from the stdlib's json and from the program's own module;
# its stdout, a cProfile + pstats listing.
PROGRAM = r'''
import cProfile, faulthandler, json, logging, pstats, sys, warnings
import helper
logging.basicConfig(format="%(pathname)s:%(lineno)d %(levelname)s %(message)s")
json.loads('{"a": 1}', object_hook=lambda d: faulthandler.dump_traceback(all_threads=False))
helper.warn_and_log()
cProfile.run("json.dumps([helper.work()] * 50)", sys.argv[1])
pstats.Stats(sys.argv[1], stream=sys.stdout).sort_stats("cumulative").print_stats()
json.loads("{bad")
'''
HELPER = r'''
import json, logging, warnings
def warn_and_log():
    warnings.warn("a warning from a module of the program's own")
    logging.getLogger("helper").warning("logged from %s", __name__)
def work():
    return json.loads(json.dumps({"n": [1, 2, 3]}))
'''


def produce(folder):
    lib = os.path.join(folder, "lib")
    os.mkdir(lib)
    with open(os.path.join(lib, "helper.py"), "w") as file:
        file.write(HELPER)
    env = environment(PYTHONPATH=lib, PYTHONDONTWRITEBYTECODE="1")
    result = run([PYTHON, "-c", PROGRAM, os.path.join(folder, "profile.out")], env=env)
    assert result.returncode == 1 and b"Traceback" in result.stderr, result.stderr
    return result.stdout, result.stderr, env, lib


def test_tracebacks_dumps_warnings_logging_and_pstats_lose_their_prefixes(folder):
    listing, messages, env, lib = produce(folder)
    listed = prefixes(PYTHON, env)
    assert (lib + "/").encode() in listed
    for produced, shortened in ((messages, b'File "json/decoder.py"'), (messages, b"helper.py:"),
                                (listing, b"json/__init__.py:")):
        ours = rewritten(produced, PYTHON, env).stdout
        assert ours == reference.rewrite_text(produced, listed)
        assert shortened in ours and ours != produced
    assert b"(dumps)" in listing  # pstats' own form: path:line(function)


def module_names(python, env, paths):
    """Python's own answer for each path: the module whose spec has it as its origin (found
    by find_spec under the longest sys.path entry holding it), or None."""
    program = r'''
import importlib.util, json, os, sys
answers = {}
for path in json.loads(sys.stdin.read()):
    answer = None
    for root in sorted((os.path.abspath(p or ".") for p in sys.path), key=len, reverse=True):
        if path.startswith(root + "/"):
            relative = path[len(root) + 1:]
            parts = relative.split("/")
            parts[-1] = parts[-1].split(".")[0]
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join(parts)
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.origin == path:
                answer = name
            break
    answers[path] = answer
print(json.dumps(answers))
'''
    result = run([python, "-c", program], input=json.dumps(paths).encode(), env=env, check=True)
    return json.loads(result.stdout)


def test_python_files_become_module_names_as_python_imports_them(folder):
    _, messages, env, lib = produce(folder)
    listed = prefixes(PYTHON, env)
    candidates = sorted({path.decode() for path in re.findall(rb"/[^\s\"'()\[\]{}<>,;:=|@+]*\.py\b", messages)})
    names = module_names(PYTHON, env, candidates)
    assert names[os.path.join(lib, "helper.py")] == "helper"
    ours = rewritten(messages, PYTHON, env, "--to", "module").stdout
    assert ours == reference.rewrite_text(messages, listed, lambda path: names.get(path.decode()))
    assert b'File "json.decoder", line' in ours


def escaped_trace(listed):
    """A Chrome-trace-like document naming files under the list's prefixes, its slashes
    escaped as some writers write them (\\/ and \\u002f)."""
    events = [{"name": "%sjson/decoder.py(337): decode" % prefix.decode(), "ph": "X", "ts": i, "dur": 1.5,
               "args": {"file": prefix.decode() + "x.py", prefix.decode() + "key": [i, None, True]}}
              for i, prefix in enumerate(listed)]
    text = json.dumps({"traceEvents": events, "displayTimeUnit": "ms"})
    return text.replace("/", "\\u002f", 5).replace("/", "\\/", 7).encode()


def test_json_is_rewritten_inside_its_strings_and_stays_json(folder):
    env = environment()
    listed = prefixes(PYTHON, env)
    document = escaped_trace(listed)
    ours = rewritten(document, PYTHON, env).stdout
    assert json.loads(ours) == reference.rewrite_json_value(json.loads(document), listed)
    lines = b"".join(json.dumps(event).encode() + b"\n" for event in json.loads(document)["traceEvents"])
    ours = rewritten(lines, PYTHON, env).stdout
    assert reference.parsed_json_lines(ours) == reference.rewrite_json_lines(lines, listed)
    # Said to be text, the same document is rewritten where text holds paths (after a quote).
    as_text = rewritten(document, PYTHON, env, "--format", "text").stdout
    assert as_text == reference.rewrite_text(document, listed)


def test_gzip_is_read_and_written_again_and_a_corrupt_stream_is_one_line(folder):
    env = environment()
    listed = prefixes(PYTHON, env)
    document = escaped_trace(listed)
    path = os.path.join(folder, "trace.json.gz")
    with gzip.open(path, "wb") as file:
        file.write(document)
    ours = run([CLI, "rewrite", "--python", PYTHON, path], env=env)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout[:2] == b"\x1f\x8b"
    assert json.loads(gzip.decompress(ours.stdout)) == reference.rewrite_json_value(json.loads(document), listed)
    compressed = open(path, "rb").read()
    for broken, says in ((compressed[:len(compressed) // 2], "is a truncated gzip stream (it ends at byte %d)"
                          % (len(compressed) // 2)),
                         (compressed[:-8] + bytes([compressed[-8] ^ 0xFF]) + compressed[-7:],
                          "is not a valid gzip stream: incorrect data check")):
        with open(path, "wb") as file:
            file.write(broken)
        result = run([CLI, "rewrite", "--python", PYTHON, path], env=env)
        assert result.returncode == 1
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1 and says in lines[0] and "at byte" in lines[0], lines


def test_truncated_json_is_rewritten_as_far_as_it_goes_with_a_warning(folder):
    env = environment()
    listed = prefixes(PYTHON, env)
    document = json.dumps([{"name": prefix.decode() + "a.py(1): f"} for prefix in listed]).encode()
    cut = document[:document.rindex(b"a.py")]
    result = run([CLI, "rewrite", "--python", PYTHON], input=cut, env=env)
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        "pyprefix: warning: standard input: the input ends inside a JSON string (at byte %d): rewritten as far as "
        "it goes" % len(cut)]
    # Rewritten as far as it goes: the rest of the document after it gives the whole one rewritten.
    assert json.loads(result.stdout + document[len(cut):]) == reference.rewrite_json_value(json.loads(document), listed)


def big_text(listed, megabytes):
    line = b"".join(b"  File \"%sjson/decoder.py\", line 337, in decode\n" % prefix for prefix in listed)
    return line * (megabytes * (1 << 20) // len(line) + 1)


def test_in_place_keeps_mode_and_owner_and_refuses_what_is_not_a_regular_file(folder):
    env = environment()
    listed = prefixes(PYTHON, env)
    text = big_text(listed, 1)
    path = os.path.join(folder, "perf-1.map")
    with open(path, "wb") as file:
        file.write(text)
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # root rewrites another user's map: it stays theirs
    before = os.stat(path)
    result = run([CLI, "rewrite", "--python", PYTHON, "-i", path], env=env)
    assert result.returncode == 0, result.stderr
    after = os.stat(path)
    assert open(path, "rb").read() == reference.rewrite_text(text, listed)
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # a new file, renamed over the old one
    assert os.listdir(folder) == ["perf-1.map"]

    link = os.path.join(folder, "link.map")
    os.symlink(path, link)
    fifo = os.path.join(folder, "fifo.map")
    os.mkfifo(fifo)
    directory = os.path.join(folder, "folder.map")
    os.mkdir(directory)
    missing = os.path.join(folder, "missing.map")
    for target, says in ((link, "is a symlink"), (fifo, "is not a regular file"), (directory, "is not a regular file"),
                         (missing, "No such file or directory")):
        kept = open(path, "rb").read()
        result = run([CLI, "rewrite", "--python", PYTHON, "-i", target], env=env, timeout=60)
        assert result.returncode == 1, target
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1 and says in lines[0], lines
        assert open(path, "rb").read() == kept
    assert sorted(os.listdir(folder)) == ["fifo.map", "folder.map", "link.map", "perf-1.map"]
    usage = run([CLI, "rewrite", "-i"], env=env)
    assert usage.returncode == 2 and b"rewrite -i needs the FILEs" in usage.stderr


def writes_a_new_file(pid, folder):
    """Whether process `pid` has its new file in `folder` open: an unnamed one (O_TMPFILE, which
    /proc shows as FOLDER/#INODE (deleted)) or a hidden temporary name."""
    try:
        targets = [os.readlink("/proc/%d/fd/%s" % (pid, fd)) for fd in os.listdir("/proc/%d/fd" % pid)]
    except OSError:
        return False
    return any(target.startswith(folder + "/#") or target.startswith(folder + "/.big.map.pyprefix-")
               for target in targets)


@pytest.mark.parametrize("ending", ["disappears", "sigterm", "sighup under nohup"])
def test_in_place_leaves_no_partial_file(folder, ending):
    env = environment()
    listed = prefixes(PYTHON, env)
    path = os.path.join(folder, "big.map")
    text = big_text(listed, 64)
    with gzip.open(path, "wb", compresslevel=1) as file:  # gzip: slow enough to be caught mid-way
        file.write(text)
    original = open(path, "rb").read()
    ignore_hangup = (lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if ending == "sighup under nohup" else None
    process = subprocess.Popen([CLI, "rewrite", "--python", PYTHON, "-i", path], env=env, stderr=subprocess.PIPE,
                               preexec_fn=ignore_hangup)
    deadline = time.monotonic() + 60
    while not writes_a_new_file(process.pid, folder):
        assert process.poll() is None and time.monotonic() < deadline, "the rewrite ended before it could be caught"
        time.sleep(0.005)
    if ending == "disappears":
        os.unlink(path)
    else:
        process.send_signal(signal.SIGTERM if ending == "sigterm" else signal.SIGHUP)
    _, errors = process.communicate(timeout=120)
    if ending == "disappears":
        assert process.returncode == 1
        assert errors.decode().splitlines() == ["pyprefix: '%s' disappeared while pyprefix rewrote it" % path]
        assert os.listdir(folder) == []
    elif ending == "sigterm":
        assert process.returncode == -signal.SIGTERM
        assert os.listdir(folder) == ["big.map"] and open(path, "rb").read() == original
    else:  # an ignored SIGHUP stays ignored: the rewrite finishes
        assert process.returncode == 0, errors
        assert os.listdir(folder) == ["big.map"] and open(path, "rb").read() != original


PSTATS_PROGRAM = r'''
import cProfile, json, profile, sys
import helper
code = "json.loads(json.dumps([helper.work()] * 20))"
cProfile.run(code, sys.argv[1] + "/cProfile.prof")
profile.run(code, sys.argv[1] + "/profile.prof")  # its callers map to counts, not 4-tuples
'''
TOTALS = "import pstats, sys; s = pstats.Stats(sys.argv[1]); print(s.total_calls, s.prim_calls, repr(s.total_tt))"


def pstats_readers():
    """Every Python here that may read the result: the build's, pyenv's, and sid's 3.14 and 3.15."""
    found = [PYTHON] + sorted(glob.glob(os.path.join(PYENV, "3.*", "bin", "python3")))
    found += [path for path in ("/usr/bin/python3.14", "/usr/bin/python3.15") if os.access(path, os.X_OK)]
    return [python for python in found if os.access(python, os.X_OK)]


def test_pstats_files_are_rewritten_in_their_own_encoding(folder):
    """cProfile's and profile's files, made here: rewritten as marshal, each key's file shortened
    as the reference rule says (which the text rule would corrupt), and every Python here loads
    the result into pstats.Stats with the same totals as the original."""
    env = environment()
    listed = prefixes(PYTHON, env)
    with open(os.path.join(folder, "helper.py"), "w") as file:
        file.write("def work():\n    return sum(range(100))\n")
    subprocess.run([PYTHON, "-c", PSTATS_PROGRAM, folder], cwd=folder, env=environment(PYTHONPATH=folder),
                   check=True)
    readers = pstats_readers()
    for name in ("cProfile.prof", "profile.prof"):
        path = os.path.join(folder, name)
        original = open(path, "rb").read()
        result = run([CLI, "rewrite", "--python", PYTHON, path], env=env)
        assert result.returncode == 0 and result.stderr == b"", result.stderr
        expected = reference.rewrite_pstats(marshal.loads(original), listed)
        assert marshal.loads(result.stdout) == expected
        assert any(key[0].startswith("json/") for key in expected)  # something was shortened
        short = os.path.join(folder, "short-" + name)
        with open(short, "wb") as file:
            file.write(result.stdout)
        for python in readers:
            totals = [run([python, "-c", TOTALS, each], check=True).stdout for each in (path, short)]
            assert totals[0] == totals[1], (python, totals)
        # In place, the same bytes.
        assert run([CLI, "rewrite", "--python", PYTHON, "-i", path], env=env).returncode == 0
        assert open(path, "rb").read() == result.stdout


def test_pstats_keys_that_would_merge_keep_their_paths(folder):
    listed = [b"/srv/app/", b"/usr/lib/python3.11/"]
    with open(os.path.join(folder, "list"), "wb") as file:
        file.write(b"".join(prefix + b"\n" for prefix in listed))
    stats = {("/srv/app/json/decoder.py", 1, "f"): (1, 1, 0.5, 0.5, {("/srv/app/main.py", 3, "main"): (1, 1, 0.5, 0.5)}),
             ("/usr/lib/python3.11/json/decoder.py", 1, "f"): (2, 2, 0.25, 0.25, {}),
             ("/srv/app/main.py", 3, "main"): (1, 1, 0.0, 1.0, {}),
             ("~", 0, "<built-in method builtins.len>"): (4, 4, 0.0, 0.0, {})}
    path = os.path.join(folder, "merge.prof")
    with open(path, "wb") as file:
        marshal.dump(stats, file)
    result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), path])
    assert result.returncode == 0, result.stderr
    assert marshal.loads(result.stdout) == reference.rewrite_pstats(stats, listed)
    assert set(marshal.loads(result.stdout)) == {("/srv/app/json/decoder.py", 1, "f"), ("main.py", 3, "main"),
                                                 ("/usr/lib/python3.11/json/decoder.py", 1, "f"),
                                                 ("~", 0, "<built-in method builtins.len>")}
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "2 functions would share a name once shortened (as in 'json/decoder.py')" in lines[0]


BINARY_INPUTS = [
    ("nul", b"/usr/lib/python3.11/json/decoder.py\x00\x01\x02", "is binary, not text (a NUL byte at offset 35)"),
    ("memray", b"memray\x00\r\x00\x00\x00/usr/lib/python3.11/x.py", "is memray's capture, not text: rewrite a report"),
    ("sampling", b"HCAT\x01\x00\x00\x00", "is Python 3.15's profiling.sampling binary capture"),
    ("lz4", b"\x04\x22\x4d\x18/usr/lib/python3.11/x.py", "is lz4-compressed"),
    # zstd inside zstd (what `zstd` makes of a zstd file): the tool decompresses one layer.
    ("zstd", b"(\xb5/\xfd\x04X\xe1\x00\x00(\xb5/\xfd/usr/lib/python3.11/x.py\xdf\x8f\xe61",
     "is zstd-compressed (twice, when the tool decompressed it)"),
    ("xz", b"\xfd7zXZ\x00/usr", "is xz-compressed"),
    ("bzip2", b"BZh91AY&SY/usr/lib/python3.11/x.py", "is bzip2-compressed"),
    ("zip", b"PK\x03\x04/usr/lib/python3.11/x.py", "is a zip archive"),
    ("elf", b"\x7fELF\x02\x01\x01/usr/lib/python3.11/x.py", "is an ELF file"),
    ("perf.data", b"PERFILE2/usr/lib/python3.11/x.py", "is perf's perf.data"),
]


@pytest.mark.parametrize("name, data, message", BINARY_INPUTS, ids=[case[0] for case in BINARY_INPUTS])
def test_binary_inputs_are_refused_and_left_as_they_are(folder, name, data, message):
    with open(os.path.join(folder, "list"), "wb") as file:
        file.write(b"/usr/lib/python3.11/\n")
    path = os.path.join(folder, name)
    with open(path, "wb") as file:
        file.write(data)
    for in_place in ([], ["-i"]):
        result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), *in_place, path])
        assert result.returncode == 1 and result.stdout == b""
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1 and ("'%s' %s" % (path, message)) in lines[0], lines
        assert "left as it is" in lines[0]
        assert open(path, "rb").read() == data
        assert sorted(os.listdir(folder)) == sorted(["list", name])
    # gzip around it changes nothing; --format text rewrites it all the same.
    result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list")], input=gzip.compress(data))
    assert result.returncode == 1 and message in result.stderr.decode()
    forced = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), "--format", "text"], input=data)
    assert forced.returncode == 0
    if name == "zstd":  # the outer layer is decompressed, the inner rewritten, and compressed again
        unzstd = ["zstd", "-q", "-d", "-c"]
        inner = subprocess.run(unzstd, input=data, capture_output=True, check=True).stdout
        rewritten = subprocess.run(unzstd, input=forced.stdout, capture_output=True, check=True).stdout
        assert rewritten == reference.rewrite_text(inner, [b"/usr/lib/python3.11/"])
    else:
        assert forced.stdout == reference.rewrite_text(data, [b"/usr/lib/python3.11/"])


def test_what_is_not_binary(folder):
    """Invalid UTF-8 alone (perf prints any path bytes), a NUL past the first 64 KiB, and JSON
    that starts as marshal's dictionary does ('{') stay text and JSON."""
    prefixes_file = os.path.join(folder, "list")
    with open(prefixes_file, "wb") as file:
        file.write(b"/usr/lib/python3.11/\n")
    for data in (b"\xff\xfe /usr/lib/python3.11/caf\xe9.py\n",
                 b"/usr/lib/python3.11/x.py\n" * 3000 + b"\x00 /usr/lib/python3.11/y.py\n",
                 b'{"f": "/usr/lib/python3.11/x.py"}', b'{ "f": 1}', b"{\n}", b"{",
                 # A printed dictionary with tuple keys starts as marshal's does: it is text all the same.
                 b"{('/usr/lib/python3.11/x.py', 1, 'f'): (1, 1, 0.5, 0.5, {})}\n",
                 # A log line naming memray is not memray's capture.
                 b"memray run -o out.bin /usr/lib/python3.11/x.py\n"):
        result = run([CLI, "rewrite", "--prefixes", prefixes_file], input=data)
        assert result.returncode == 0, (data[:20], result.stderr)
        assert result.stdout == reference.rewrite_text(data, [b"/usr/lib/python3.11/"])


def pyenv_python(minor):
    found = sorted(glob.glob(os.path.join(PYENV, "3.%d.*" % minor, "bin", "python3")))
    if not found:
        pytest.skip("no pyenv CPython 3.%d under %s" % (minor, PYENV))
    return found[-1]


PERF_WORK = r'''
import json, os, sys
def work():
    for i in range(200000):
        json.dumps({"a": [i, str(i)]})
work()
print(os.getpid())
'''


@pytest.mark.parametrize("minor", [12, 13])
def test_perf_maps_of_python_x_perf(folder, minor):
    python = pyenv_python(minor)
    env = environment(PYTHONDONTWRITEBYTECODE="1")
    result = run([python, "-X", "perf", "-c", PERF_WORK], env=env, check=True)
    perf_map = "/tmp/perf-%d.map" % int(result.stdout)
    try:
        text = open(perf_map, "rb").read()
        assert b"py::dumps:" in text
        listed = prefixes(python, env)
        ours = rewritten(text, python, env).stdout
        assert ours == reference.rewrite_text(text, listed)
        assert b"py::dumps:json/__init__.py" in ours
    finally:
        os.unlink(perf_map)


@pytest.mark.parametrize("minor", [12, 13])
def test_perf_script_frames_and_a_map_rewritten_in_place(folder, minor):
    python = pyenv_python(minor)
    perf = shutil.which("perf")
    if perf is None:
        pytest.skip("no perf (Debian's linux-perf)")
    env = environment(PYTHONDONTWRITEBYTECODE="1")
    data = os.path.join(folder, "perf.data")
    # DWARF unwinding: these builds keep no frame pointers, so -g would lose the Python frames.
    recorded = run([perf, "record", "-F", "499", "--call-graph", "dwarf", "-o", data, "--", python, "-X", "perf", "-c",
                    PERF_WORK], env=env)
    if recorded.returncode != 0 and b"perf_event_open" in recorded.stderr:
        pytest.skip("perf_event_open is refused here: %s" % recorded.stderr.decode().strip().splitlines()[0])
    assert recorded.returncode == 0, recorded.stderr
    perf_map = "/tmp/perf-%d.map" % int(recorded.stdout)
    try:
        script = run([perf, "script", "-i", data], env=env, check=True).stdout
        assert b"py::dumps:" in script
        listed = prefixes(python, env)
        ours = rewritten(script, python, env).stdout
        assert ours == reference.rewrite_text(script, listed)
        # The map rewritten in place, perf script names the frames short.
        result = run([CLI, "rewrite", "--python", python, "-i", perf_map], env=env)
        assert result.returncode == 0, result.stderr
        after = run([perf, "script", "-i", data], env=env, check=True).stdout
        assert b"py::dumps:json/__init__.py" in after
        assert b"py::dumps:" + listed[0] not in after
    finally:
        if os.path.exists(perf_map):
            os.unlink(perf_map)


def sampling_python():
    """An interpreter with Python 3.15's own sampling profiler: the build's, or python3.15 on PATH."""
    for python in (PYTHON, shutil.which("python3.15")):
        if python and run([python, "-c", "import profiling.sampling"]).returncode == 0:
            return python
    pytest.skip("no Python with profiling.sampling (3.15+) here: the sid suite has one")


def test_python_315_sampler_jsonl_names_files_short(folder):
    python = sampling_python()
    script = os.path.join(folder, "work.py")
    with open(script, "w") as file:
        file.write("import json\nfor i in range(300000):\n    json.dumps({'a': [i]})\n")
    output = os.path.join(folder, "profile.jsonl")
    env = environment(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=folder)
    sampled = run([python, "-m", "profiling.sampling", "run", "--jsonl", "-o", output, script], env=env)
    assert sampled.returncode == 0, sampled.stderr
    document = open(output, "rb").read()
    assert b'"type":"string_table"' in document and b"/json/__init__.py" in document
    listed = prefixes(python, env)
    ours = rewritten(document, python, env).stdout
    assert reference.parsed_json_lines(ours) == reference.rewrite_json_lines(document, listed)
    assert b'"value":"json/__init__.py"' in ours and b'"value":"work.py"' in ours


def test_austins_samples_name_files_short(folder):
    austin = shutil.which("austin")
    if austin is None:
        pytest.skip("no austin (Debian's austin package)")
    # austin 1.0 (Debian 12's) reads CPython 3.8 to 3.10.
    candidates = [p for minor in (10, 9, 8) for p in sorted(glob.glob(os.path.join(PYENV, "3.%d.*" % minor, "bin",
                                                                                       "python3")))]
    if not candidates:
        pytest.skip("no pyenv CPython 3.8 to 3.10, which austin 1.0 reads, under %s" % PYENV)
    python = candidates[-1]
    env = environment(PYTHONDONTWRITEBYTECODE="1")
    output = os.path.join(folder, "austin.txt")
    sampled = run([austin, "-i", "1000", "-o", output, python, "-c", PERF_WORK], env=env)
    assert sampled.returncode == 0, sampled.stderr
    text = open(output, "rb").read()
    listed = prefixes(python, env)
    assert any(b"(" + p + b"json/" in text for p in listed)  # austin's "dumps (/usr/lib/.../json/__init__.py)"
    ours = rewritten(text, python, env).stdout
    assert ours == reference.rewrite_text(text, listed)
    assert b"dumps (json/__init__.py)" in ours
