"""pprof and perf's jitdump rewritten in their own encoding, and read back by their own readers.

pprof: profiles written by google/pprof's own profile package (pprof_check/, a Go program built
here from the Go module proxy), with the string table as it writes it, first, last and
interleaved, uncompressed, gzip at levels 1 and 9 and zstd; ddtrace's profiler (zstd) and
austin2pprof, from PyPI at pinned versions. Each is read back with the same package and with
`go tool pprof -raw`: the same samples, values, labels, locations, lines and mappings, and only
the file names of functions changed, each as `pyprefix trim` shortens it (or kept whole where
the string also serves something else). jitdump: a real `-X perf_jit` recording of Python
3.13+ under `perf record`, rewritten in place, turned into ELF files by `perf inject -j` and
shown by `perf script`. Corrupt, truncated and oversized inputs each get one line and are left
as they are. Whatever cannot run here (Go, PyPI, perf, a Python 3.13+) is skipped with its reason.

Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON (the build's interpreter).
"""
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

CLI = os.environ["PYPREFIX_CLI"]
PYTHON = os.environ.get("PYPREFIX_TEST_PYTHON", sys.executable)
HERE = os.path.dirname(os.path.abspath(__file__))
PREFIXES = [b"/usr/lib/python3.11/", b"/opt/venv/lib/python3.11/site-packages/"]
APP = """import json, time
def work():
    t = time.time()
    while time.time() - t < 1.5:
        json.loads(json.dumps({"a": list(range(300))}))
work()
"""


def run(argv, **keywords):
    return subprocess.run(argv, capture_output=True, timeout=600, **keywords)


# ---- protocol buffers, enough to split a Profile into its top-level records ----

def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def top_level_records(data):
    """[(field number, the record's bytes)] of a serialised message."""
    records, at = [], 0
    while at < len(data):
        start = at
        tag, at = varint(data, at)
        wire = tag & 7
        if wire == 0:
            _, at = varint(data, at)
        elif wire == 2:
            length, at = varint(data, at)
            at += length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ValueError("wire type %d at %d" % (wire, start))
        records.append((tag >> 3, data[start:at]))
    return records


def laid_out(data, layout):
    """The same records with the string table (field 6) where `layout` says: as written, first,
    last, or interleaved with the other records (each kind keeping its own order)."""
    records = top_level_records(data)
    strings = [record for field, record in records if field == 6]
    others = [record for field, record in records if field != 6]
    if layout == "first":
        return b"".join(strings + others)
    if layout == "last":
        return b"".join(others + strings)
    if layout == "interleaved":
        mixed = []
        while strings or others:
            mixed += strings[:1] + others[:1]
            strings, others = strings[1:], others[1:]
        return b"".join(mixed)
    return data


def decompressed(data):
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        return run(["zstd", "-q", "-d", "-c"], input=data, check=True).stdout
    return data


def trimmed(paths, list_file):
    """What `pyprefix trim` makes of each path."""
    result = run([CLI, "trim", "--prefixes", list_file], input="".join(p + "\n" for p in paths).encode(), check=True)
    return dict(zip(paths, result.stdout.decode().splitlines()))


# ---- pprof ----

@pytest.fixture(scope="module")
def pprof_check(tmp_path_factory):
    """The Go reader and writer, built with google/pprof's profile package at its pinned version."""
    if shutil.which("go") is None:
        pytest.skip("no Go toolchain here (go): google/pprof's reader cannot be built")
    binary = str(tmp_path_factory.mktemp("go") / "pprof_check")
    built = run(["go", "build", "-o", binary, "."], cwd=os.path.join(HERE, "pprof_check"),
                env=dict(os.environ, GOFLAGS="-mod=mod"))
    if built.returncode != 0:
        reason = (built.stderr.decode().strip().splitlines() or ["no reason given"])[-1]
        if "dial tcp" in reason or "proxy" in reason or "lookup" in reason:
            pytest.skip("the Go module proxy cannot be reached for github.com/google/pprof: " + reason)
        pytest.fail("pprof_check does not build: " + built.stderr.decode())
    return binary


def dump(pprof_check, path):
    result = run([pprof_check, "dump", path])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def raw_listing(path):
    """What `go tool pprof -raw` prints of a profile (uncompressed or gzip)."""
    result = run(["go", "tool", "pprof", "-raw", path])
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def other_strings(profile):
    """Every string of a dumped profile that serves something else than a function's file."""
    strings = set(profile["comments"] or []) | {profile["drop_frames"], profile["keep_frames"],
                                                profile["default_sample_type"], profile["doc_url"]}
    for kind, unit in profile["sample_types"] + ([profile["period_type"]] if profile.get("period_type") else []):
        strings |= {kind, unit}
    for function in profile["functions"]:
        strings |= {function["name"], function["system_name"]}
    for mapping in profile["mappings"] or []:
        strings |= {mapping["file"], mapping["build_id"]}
    for sample in profile["samples"]:
        for key, values in (sample["labels"] or {}).items():
            strings |= {key, *values}
        for key, units in (sample["numeric_units"] or {}).items():
            strings |= {key, *units}
        strings |= set(sample["numeric_labels"] or {})
    return strings


def check_read_back(pprof_check, before_path, after_path, list_file, shortened=None):
    """The profile after is the profile before but for function file names, each shortened as
    `pyprefix trim` shortens it (or `shortened` says), unless the string serves something else too;
    `go tool pprof -raw` says the same. Returns the file names that changed."""
    before, after = dump(pprof_check, before_path), dump(pprof_check, after_path)
    files = sorted({function["filename"] for function in before["functions"]})
    expected = shortened or trimmed(files, list_file)
    kept = other_strings(before)
    changed = {}
    for old, new in zip(before["functions"], after["functions"]):
        want = old["filename"] if old["filename"] in kept else expected[old["filename"]]
        assert new["filename"] == want, (old, new)
        if want != old["filename"]:
            changed[old["filename"]] = want
        old["filename"] = new["filename"]
    assert before == after
    listing = raw_listing(before_path)
    for old in sorted(changed, key=len, reverse=True):
        listing = listing.replace(" %s:" % old, " %s:" % changed[old])
    assert listing == raw_listing(after_path)
    return changed


def written_profile(pprof_check, folder):
    path = os.path.join(folder, "written.pb")
    result = run([pprof_check, "write", path] + [prefix.decode() for prefix in PREFIXES])
    assert result.returncode == 0, result.stderr
    with open(path, "rb") as file:
        return file.read()


@pytest.fixture
def folder(tmp_path):
    with open(tmp_path / "list", "wb") as file:
        file.write(b"".join(prefix + b"\n" for prefix in PREFIXES))
    return str(tmp_path)


COMPRESSIONS = {
    "none": lambda data: data,
    "gzip-1": lambda data: gzip.compress(data, 1),
    "gzip-9": lambda data: gzip.compress(data, 9),
    "zstd": lambda data: run(["zstd", "-q", "-c"], input=data, check=True).stdout,
}


@pytest.mark.parametrize("layout", ["as-written", "first", "last", "interleaved"])
@pytest.mark.parametrize("compression", sorted(COMPRESSIONS))
def test_pprof_in_every_layout_and_compression(pprof_check, folder, layout, compression):
    profile = laid_out(written_profile(pprof_check, folder), layout)
    original = os.path.join(folder, "original.pb")
    with open(original, "wb") as file:
        file.write(profile)
    stored = COMPRESSIONS[compression](profile)
    path = os.path.join(folder, "profile.pprof")
    with open(path, "wb") as file:
        file.write(stored)
    result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), "-i", path])
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    with open(path, "rb") as file:
        rewritten = file.read()
    # The compression as given: gzip's header hints its level (XFL), zstd's magic.
    assert rewritten[:4] == stored[:4] and (compression[:4] != "gzip" or rewritten[8] == stored[8])
    plain = decompressed(rewritten)
    # Every record but the string table's, byte for byte and in order.
    assert [r for f, r in top_level_records(plain) if f != 6] == [r for f, r in top_level_records(profile) if f != 6]
    with open(os.path.join(folder, "rewritten.pb"), "wb") as file:
        file.write(plain)
    changed = check_read_back(pprof_check, original, os.path.join(folder, "rewritten.pb"), os.path.join(folder, "list"))
    # The standard library's and site-packages' files lose their prefixes; a file name that is also
    # a function's name or a label's value, the script outside them and the frozen module stay.
    assert changed["/usr/lib/python3.11/json/decoder.py"] == "json/decoder.py"
    assert changed["/opt/venv/lib/python3.11/site-packages/runpy.py"] == "runpy.py"
    for whole in ("/usr/lib/python3.11/named/twice.py", "/usr/lib/python3.11/labelled.py", "/srv/app/main.py",
                  "<frozen importlib._bootstrap>"):
        assert whole not in changed
    assert "/opt/venv/lib/python3.11/site-packages/labelled.py" in changed  # not a label's value


def test_pprof_to_module_names(pprof_check, folder):
    profile = written_profile(pprof_check, folder)
    path = os.path.join(folder, "profile.pb")
    with open(path, "wb") as file:
        file.write(gzip.compress(profile))
    manifest = os.path.join(folder, "manifest.json")
    result = run([CLI, "manifest", "--python", "/usr/bin/python3"])
    if result.returncode != 0:
        pytest.fail(result.stderr.decode())
    with open(manifest, "wb") as file:
        file.write(result.stdout)
    with open(os.path.join(folder, "original.pb"), "wb") as file:
        file.write(profile)
    result = run([CLI, "rewrite", "--prefixes", manifest, "--to", "module", "-i", path])
    assert result.returncode == 0, result.stderr
    with open(os.path.join(folder, "rewritten.pb"), "wb") as file:
        file.write(gzip.decompress(open(path, "rb").read()))
    # What pyprefix which names each file, the oracle for --to module.
    files = sorted({f["filename"] for f in dump(pprof_check, os.path.join(folder, "original.pb"))["functions"]})
    which = run([CLI, "which", "--prefixes", manifest, "--json", *files])
    assert which.returncode == 0, which.stderr
    short = trimmed(files, manifest)
    names = {}
    for line in which.stdout.decode().splitlines():
        entry = json.loads(line)
        path = entry["path"]
        # A Python file under a prefix becomes its module; anything else is shortened, or kept.
        under = short[path] != path and path.endswith(".py")
        names[path] = entry["module"] if under and entry.get("module") else short[path]
    changed = check_read_back(pprof_check, os.path.join(folder, "original.pb"), os.path.join(folder, "rewritten.pb"),
                              manifest, shortened=names)
    assert changed["/usr/lib/python3.11/json/decoder.py"] == "json.decoder"


def test_pprof_refusals_leave_the_file_as_it_is(pprof_check, folder):
    profile = written_profile(pprof_check, folder)
    records = top_level_records(profile)
    table_at = profile.index(next(r for f, r in records if f == 6))
    bad_index = bytes([0x2A, 0x06, 0x08, 0x63, 0x20, 0xC0, 0x84, 0x3D])  # a function whose file is string 1,000,000
    cases = {
        # cut inside the held string table, and inside a sample before it
        "cut-in-table": (profile[:table_at + 3], [], "is a pprof profile cut short"),
        "cut-in-sample": (profile[:len(records[0][1]) + len(records[1][1]) - 2], ["--format", "pprof"], "cut short"),
        "wire-type-7": (profile[:table_at] + b"\x0f" + profile[table_at:], ["--format", "pprof"],
                        "is not a pprof profile"),
        "string-past-the-table": (bad_index + profile, ["--format", "pprof"], "names string 1000000"),
        "first-string-not-empty": (laid_out(profile, "first").replace(b"\x32\x00", b"\x32\x01x", 1), ["--format", "pprof"],
                                   "its first string is not \"\""),
    }
    for name, (data, options, message) in cases.items():
        for wrapped in (data, gzip.compress(data)):  # compressed once: gzip's header holds the time
            path = os.path.join(folder, name)
            with open(path, "wb") as file:
                file.write(wrapped)
            result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), *options, "-i", path])
            lines = result.stderr.decode().splitlines()
            assert result.returncode == 1 and len(lines) == 1 and message in lines[0], (name, lines)
            assert open(path, "rb").read() == wrapped, name
            assert sorted(os.listdir(folder)) == sorted(["list", "written.pb", name]), name
            os.unlink(path)


def test_pprof_larger_than_pyprefix_holds(folder):
    """A string table of more than 256 MiB (1.3 MB of gzip): refused in one line, left as it is."""
    path = os.path.join(folder, "huge.pprof")
    entry = b"\x32\x80\x80\x04" + b"/usr/lib/python3.11/" * (65536 // 20) + b"/usr/lib/python3.11/"[: 65536 % 20]
    with gzip.open(path, "wb", compresslevel=1) as file:
        file.write(b"\x32\x00")
        for _ in range(257 * 16):
            file.write(entry)
    before = open(path, "rb").read()
    result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), "-i", path])
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and "exceed 256 MiB" in lines[0], lines
    assert open(path, "rb").read() == before and sorted(os.listdir(folder)) == ["huge.pprof", "list"]


PYPI_PRODUCERS = ["ddtrace==4.16.0", "austin-python==2.4.0", "austin-dist==3.7.0"]


@pytest.fixture(scope="module")
def producers_venv(tmp_path_factory):
    """A venv of Debian's python3 with ddtrace's profiler and austin with austin2pprof."""
    folder = str(tmp_path_factory.mktemp("producers"))
    venv = os.path.join(folder, "venv")
    run(["/usr/bin/python3", "-m", "venv", venv], check=True)
    result = run([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check", *PYPI_PRODUCERS],
                 env=dict(os.environ, HOME=folder))
    if result.returncode != 0:
        pytest.skip("PyPI's %s could not be installed here: %s" % (
            ", ".join(PYPI_PRODUCERS), (result.stderr.decode().strip().splitlines() or ["no reason given"])[-1]))
    with open(os.path.join(folder, "app.py"), "w") as file:
        file.write(APP)
    listed = run([CLI, "list", "--python", os.path.join(venv, "bin", "python")], check=True).stdout
    with open(os.path.join(folder, "list"), "wb") as file:
        file.write(listed)
    return folder, venv


def test_ddtrace_profiles(pprof_check, producers_venv):
    folder, venv = producers_venv
    output = os.path.join(folder, "dd")
    env = dict(os.environ, DD_PROFILING_ENABLED="true", DD_PROFILING_OUTPUT_PPROF=output, DD_TRACE_ENABLED="false",
               DD_PROFILING_UPLOAD_INTERVAL="1", DD_INSTRUMENTATION_TELEMETRY_ENABLED="false", HOME=folder)
    result = run([os.path.join(venv, "bin", "ddtrace-run"), os.path.join(venv, "bin", "python"), "app.py"],
                 cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    profiles = sorted(glob.glob(output + ".*.pprof"))
    assert profiles, os.listdir(folder)
    seen = {}
    for path in profiles:
        stored = open(path, "rb").read()
        assert stored[:4] == b"\x28\xb5\x2f\xfd"  # ddtrace writes zstd
        with open(path + ".before", "wb") as file:
            file.write(decompressed(stored))
        result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), "-i", path])
        assert result.returncode == 0 and result.stderr == b"", result.stderr
        rewritten = open(path, "rb").read()
        assert rewritten[:4] == stored[:4]
        with open(path + ".after", "wb") as file:
            file.write(decompressed(rewritten))
        seen.update(check_read_back(pprof_check, path + ".before", path + ".after", os.path.join(folder, "list")))
    assert any(new == "json/decoder.py" for new in seen.values()), seen


def test_austin2pprof_profiles(pprof_check, producers_venv):
    folder, venv = producers_venv
    # austin 3.7 at times misses the interpreter's state as the program starts (exit status 32,
    # 1 run in 3 here): a new run finds it.
    for _ in range(5):
        result = run([os.path.join(venv, "bin", "austin"), "-i", "1ms", "-o", "app.austin", "/usr/bin/python3",
                      "app.py"], cwd=folder)
        if result.returncode != 32:
            break
    assert result.returncode == 0, result.stderr
    result = run([os.path.join(venv, "bin", "austin2pprof"), "app.austin", "app.pprof"], cwd=folder)
    assert result.returncode == 0, result.stderr
    path = os.path.join(folder, "app.pprof")
    shutil.copy(path, path + ".before")
    listed = run([CLI, "list", "--python", "/usr/bin/python3"], check=True).stdout
    with open(os.path.join(folder, "debian-list"), "wb") as file:
        file.write(listed)
    result = run([CLI, "rewrite", "--prefixes", os.path.join(folder, "debian-list"), "-i", path])
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    changed = check_read_back(pprof_check, path + ".before", path, os.path.join(folder, "debian-list"))
    assert changed["/usr/lib/python3.11/json/decoder.py"] == "json/decoder.py", changed


# ---- jitdump ----

def jitdump_records(data):
    """The header and [(id, record bytes)] of a little-endian jitdump."""
    size = int.from_bytes(data[8:12], "little")
    records, at = [], size
    while at < len(data):
        kind, length = int.from_bytes(data[at:at + 4], "little"), int.from_bytes(data[at + 4:at + 8], "little")
        records.append((kind, data[at:at + length]))
        at += length
    return data[:size], records


def code_load_name(record):
    return record[56:record.index(b"\0", 56)]


def perf_jit_python():
    for python in ["/usr/bin/python3.15", "/usr/bin/python3.14", "/usr/bin/python3"] + sorted(
            glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[3-9]*/bin/python3")), reverse=True):
        if os.path.exists(python) and run([python, "-c", "import sys; assert sys.version_info >= (3, 13)"]).returncode == 0:
            return python
    return None


@pytest.fixture(scope="module")
def perf_jit_recording(tmp_path_factory):
    python = perf_jit_python()
    if python is None:
        pytest.skip("no Python 3.13 or newer here: -X perf_jit needs one")
    if shutil.which("perf") is None or os.geteuid() != 0:
        pytest.skip("perf record needs perf and root here")
    folder = str(tmp_path_factory.mktemp("perf_jit"))
    with open(os.path.join(folder, "app.py"), "w") as file:
        file.write("import os\nopen(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pid'), 'w')"
                   ".write(str(os.getpid()))\n" + APP)
    result = run(["perf", "record", "-q", "-k", "1", "-F", "499", "--call-graph", "dwarf", "-o", "perf.data", python,
                  "-X", "perf_jit", "app.py"], cwd=folder)
    if result.returncode != 0:
        pytest.skip("perf record cannot record here: " + (result.stderr.decode().strip().splitlines() or [""])[-1])
    dump = "/tmp/jit-%s.dump" % open(os.path.join(folder, "pid")).read()
    assert os.path.exists(dump)
    yield folder, python, dump
    os.unlink(dump)
    for jitted in glob.glob("/tmp/jitted-%s-*.so" % open(os.path.join(folder, "pid")).read()):
        os.unlink(jitted)


def test_jitdump_of_perf_jit_read_by_perf(perf_jit_recording):
    folder, python, dump = perf_jit_recording
    before = open(dump, "rb").read()
    # The list of the program as it ran, its folder first.
    result = run([CLI, "rewrite", "-i", dump, "--cwd", folder, "--", python, "app.py"])
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    after = open(dump, "rb").read()
    header, records = jitdump_records(before)
    new_header, new_records = jitdump_records(after)
    assert new_header == header and len(new_records) == len(records)
    names = []
    for (kind, old), (new_kind, new) in zip(records, new_records):
        assert new_kind == kind
        if kind != 0:
            assert new == old  # every other record byte for byte
            continue
        name, new_name = code_load_name(old), code_load_name(new)
        # The name rewritten as text, the record's size fixed, its code as it was.
        assert new[:4] == old[:4] and new[8:56] == old[8:56] and new[56 + len(new_name):] == old[56 + len(name):]
        assert int.from_bytes(new[4:8], "little") == len(new)
        names.append(new_name)
    assert b"py::JSONDecoder.decode:json/decoder.py" in names and b"py::work:app.py" in names, names[:20]
    assert not any(b":/" in name and b"/json/" in name for name in names)
    # perf's own reader: perf inject -j turns the code loads into ELF files, perf script names them.
    result = run(["perf", "inject", "-j", "-i", "perf.data", "-o", "perf.jit.data"], cwd=folder)
    assert result.returncode == 0, result.stderr
    script = run(["perf", "script", "-i", "perf.jit.data"], cwd=folder)
    assert script.returncode == 0, script.stderr
    assert b"py::JSONDecoder.decode:json/decoder.py" in script.stdout
    assert b"py::work:app.py" in script.stdout
    assert b"/json/decoder.py" not in script.stdout


def test_jitdump_refusals_leave_the_file_as_it_is(tmp_path):
    header = b"DTiJ" + (1).to_bytes(4, "little") + (40).to_bytes(4, "little") + bytes(28)
    name = b"py::f:/usr/lib/python3.11/json/decoder.py\0"
    load = (0).to_bytes(4, "little") + (56 + len(name) + 3).to_bytes(4, "little") + bytes(8) + bytes(8) + bytes(16) + \
        (3).to_bytes(8, "little") + bytes(8) + name + b"\x90\x90\xc3"
    (tmp_path / "list").write_bytes(b"/usr/lib/python3.11/\n")
    whole = header + load
    cases = {
        "cut": (whole[:-2], "is a jitdump file cut short"),
        "header-cut": (header[:20], "its header is incomplete"),
        "record-too-short": (header + (4).to_bytes(4, "little") + (8).to_bytes(4, "little") + bytes(8),
                             "says it is 8 bytes long"),
        "no-name": (header + load[:56] + b"x" * (len(load) - 56), "holds no name"),
    }
    for case, (data, message) in cases.items():
        path = tmp_path / case
        path.write_bytes(data)
        result = run([CLI, "rewrite", "--prefixes", str(tmp_path / "list"), "-i", str(path)])
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and message in lines[0], (case, lines)
        assert path.read_bytes() == data
    # And the whole one: its name shortened, its size 20 bytes less.
    path = tmp_path / "whole"
    path.write_bytes(whole)
    assert run([CLI, "rewrite", "--prefixes", str(tmp_path / "list"), "-i", str(path)]).returncode == 0
    rewritten = path.read_bytes()
    assert rewritten == header + load[:4] + (len(load) - 20).to_bytes(4, "little") + load[8:56] + \
        b"py::f:json/decoder.py\0\x90\x90\xc3"
