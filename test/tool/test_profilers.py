"""`pyprefix rewrite` on what the profilers people use write, made here by those very tools from
one application (app/main.py and its own module, importing json, email, textwrap and
urllib.parse), with the list of that program (`-- PYTHON app/main.py`). Each result is read back
by the tool's own reader (pstats.Stats, callgrind_annotate, lcov --summary, JSON and XML
parsers, HTML's parser), compared with the reference rule (test/reference/rewrite.py), and
checked to keep no path under a prefix. Captures that a tool reads back are refused and left as
they are. A producer that is not installed here is reported as skipped with its reason: Debian
12 has cProfile, yappi and coverage; Debian sid (the sid suite) also memray, pyinstrument,
Scalene and Python 3.15's sampler.

Environment: PYPREFIX_CLI, PYPREFIX_REFERENCE_DIR; the Python is Debian's /usr/bin/python3,
whose packages these profilers are.
"""
import gzip
import html.parser
import json
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree

import pytest

sys.path.insert(0, os.environ["PYPREFIX_REFERENCE_DIR"])
import rewrite as reference  # noqa: E402

CLI = os.environ["PYPREFIX_CLI"]
PYTHON = "/usr/bin/python3"

MAIN = r'''
import email.message, json, sys, textwrap, urllib.parse
from work import crunch
def main(rounds):
    total = 0
    for i in range(rounds):
        message = email.message.EmailMessage()
        message["Subject"] = textwrap.shorten("report %d " % i * 5, 40)
        total += len(json.dumps({"q": urllib.parse.quote("a b/%d" % i), "n": crunch(i)}))
    return total
if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
'''
WORK = "def crunch(n):\n    return sum(k * k for k in range(n % 50))\n"


def has_module(name, python=PYTHON):
    return os.access(python, os.X_OK) and subprocess.run(
        [python, "-c", "import " + name], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def app():
    """(the project folder, its list as bytes, the environment) for the application."""
    if not os.access(PYTHON, os.X_OK):
        pytest.skip("no Debian python3 here")
    folder = tempfile.mkdtemp(prefix="pyprefix-profilers-")
    os.chmod(folder, 0o755)
    os.makedirs(os.path.join(folder, "app"))
    for name, text in (("main.py", MAIN), ("work.py", WORK)):
        with open(os.path.join(folder, "app", name), "w") as file:
            file.write(text)
    env = {"PATH": os.environ["PATH"], "HOME": folder, "PYTHONDONTWRITEBYTECODE": "1", "LC_ALL": "C.UTF-8"}
    listed = subprocess.run([CLI, "--cwd", folder, "--", PYTHON, "app/main.py"], env=env, capture_output=True,
                            check=True).stdout
    with open(os.path.join(folder, "list"), "wb") as file:
        file.write(listed)
    yield folder, [line for line in listed.split(b"\n") if line], env
    shutil.rmtree(folder, ignore_errors=True)


def run(argv, folder, env, **keywords):
    keywords.setdefault("timeout", 300)
    result = subprocess.run(argv, cwd=folder, env=env, capture_output=True, **keywords)
    assert result.returncode == 0, (argv, result.stderr[-2000:])
    return result


def rewritten(folder, path, *options, list_file="list"):
    """The file rewritten with the application's list (to stdout)."""
    result = subprocess.run([CLI, "rewrite", "--prefixes", os.path.join(folder, list_file), *options, path],
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_the_reference_says(folder, name, listed, list_file="list"):
    """`name` rewritten, compared with the reference rule in its own terms: a pstats file as the
    loaded table, JSON as the parsed document, anything else byte for byte (and then no path
    under a prefix is left). Returns the output."""
    original = open(os.path.join(folder, name), "rb").read()
    out = rewritten(folder, os.path.join(folder, name), list_file=list_file)
    if name.endswith((".prof", ".pstat", ".pstats")):
        assert marshal.loads(out) == reference.rewrite_pstats(marshal.loads(original), listed)
    elif name.endswith(".json"):
        assert json.loads(out) == reference.rewrite_json_value(json.loads(original), listed)
    else:
        assert out == reference.rewrite_text(original, listed)
        no_prefix_left(out, listed)
    return out


def refused(folder, path, message):
    """A capture is refused in one line naming it, and left as it is (also with -i)."""
    before = open(path, "rb").read()
    for in_place in ([], ["-i"]):
        result = subprocess.run([CLI, "rewrite", "--prefixes", os.path.join(folder, "list"), *in_place, path],
                                capture_output=True, timeout=60)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and message in lines[0], lines
        assert open(path, "rb").read() == before


def no_prefix_left(data, listed):
    """No path under a prefix is left where a path may start (the reference finds none)."""
    assert reference.rewrite_text(data, listed) == data


def app_frames_shortened(data):
    """The application's own frames are named as torch would: work.py, not /tmp/.../app/work.py."""
    assert b"work.py" in data and b"/app/work.py" not in data


def test_cprofile(app):
    folder, listed, env = app
    run([PYTHON, "-m", "cProfile", "-o", "out.prof", "app/main.py"], folder, env)
    out = as_the_reference_says(folder, "out.prof", listed)
    assert ("work.py", 1, "crunch") in marshal.loads(out)
    short = os.path.join(folder, "short.prof")
    with open(short, "wb") as file:
        file.write(out)
    totals = "import pstats, sys; s = pstats.Stats(sys.argv[1]); print(s.total_calls, s.prim_calls, s.total_tt)"
    assert run([PYTHON, "-c", totals, short], folder, env).stdout == \
        run([PYTHON, "-c", totals, "out.prof"], folder, env).stdout


YAPPI = r'''
import runpy, sys, yappi
yappi.start()
runpy.run_path("app/main.py", run_name="__main__")
yappi.stop()
stats = yappi.get_func_stats()
stats.save("yappi.pstat", type="pstat")
stats.save("yappi.callgrind", type="callgrind")
'''


def test_yappi(app):
    folder, listed, env = app
    if not has_module("yappi"):
        pytest.skip("no yappi for %s (Debian's python3-yappi)" % PYTHON)
    run([PYTHON, "-c", YAPPI], folder, dict(env, PYTHONPATH="app"))
    out = as_the_reference_says(folder, "yappi.pstat", listed)
    assert any(key[0] == "work.py" for key in marshal.loads(out))
    with open(os.path.join(folder, "yappi-short.pstat"), "wb") as file:
        file.write(out)
    run([PYTHON, "-c", "import pstats; pstats.Stats('yappi-short.pstat').print_stats(5)"], folder, env)
    out = as_the_reference_says(folder, "yappi.callgrind", listed)
    app_frames_shortened(out)
    if shutil.which("callgrind_annotate"):
        with open(os.path.join(folder, "short.callgrind"), "wb") as file:
            file.write(out)
        annotated = run(["callgrind_annotate", "short.callgrind"], folder, env).stdout
        assert b"work.py" in annotated


def test_coverage(app):
    folder, listed, env = app
    if not has_module("coverage"):
        pytest.skip("no coverage for %s (Debian's python3-coverage)" % PYTHON)
    run([PYTHON, "-m", "coverage", "run", "app/main.py"], folder, env)
    run([PYTHON, "-m", "coverage", "json", "-o", "cov.json"], folder, env)
    run([PYTHON, "-m", "coverage", "xml", "-o", "cov.xml"], folder, env)
    run([PYTHON, "-m", "coverage", "lcov", "-o", "cov.lcov"], folder, env)
    report = run([PYTHON, "-m", "coverage", "report", "--include=*"], folder, env).stdout
    as_the_reference_says(folder, "cov.json", listed)
    # XML and lcov: text, read back by their readers.
    for name in ("cov.xml", "cov.lcov"):
        out = as_the_reference_says(folder, name, listed)
        with open(os.path.join(folder, "short-" + name), "wb") as file:
            file.write(out)
    xml.etree.ElementTree.parse(os.path.join(folder, "short-cov.xml"))
    if shutil.which("lcov"):
        assert b"lines" in run(["lcov", "--summary", "short-cov.lcov"], folder, env).stdout + \
            run(["lcov", "--summary", "short-cov.lcov"], folder, env).stderr
    # The terminal report, a fixed-width table: its columns stay aligned with --keep-width.
    with open(os.path.join(folder, "report.txt"), "wb") as file:
        file.write(report)
    out = rewritten(folder, os.path.join(folder, "report.txt"), "--keep-width")
    assert out == reference.rewrite_text(report, listed, keep_width=True)
    assert [len(line) for line in out.splitlines()] == [len(line) for line in report.splitlines()]


def test_memray(app):
    folder, listed, env = app
    if not has_module("memray"):
        pytest.skip("no memray for %s (Debian sid's python3-memray)" % PYTHON)
    run([PYTHON, "-m", "memray", "run", "-o", "cap.bin", "app/main.py"], folder, env)
    run([PYTHON, "-m", "memray", "run", "--no-compress", "-o", "raw.bin", "app/main.py"], folder, env)
    refused(folder, os.path.join(folder, "cap.bin"), "is lz4-compressed")
    refused(folder, os.path.join(folder, "raw.bin"), "is memray's capture, not text: rewrite a report")
    run([PYTHON, "-m", "memray", "stats", "--json", "-o", "stats.json", "cap.bin"], folder, env)
    as_the_reference_says(folder, "stats.json", listed)
    run([PYTHON, "-m", "memray", "flamegraph", "-o", "flame.html", "cap.bin"], folder, env)
    html.parser.HTMLParser().feed(as_the_reference_says(folder, "flame.html", listed).decode())


def test_pyinstrument(app):
    folder, listed, env = app
    if not has_module("pyinstrument"):
        pytest.skip("no pyinstrument for %s (Debian sid's python3-pyinstrument)" % PYTHON)
    for renderer, name in (("json", "p.json"), ("speedscope", "p.speedscope.json"), ("html", "p.html"),
                           ("text", "p.txt"), ("session", "p.pyisession")):
        run([PYTHON, "-m", "pyinstrument", "-r", renderer, "-o", name, "app/main.py"], folder, env)
    refused(folder, os.path.join(folder, "p.pyisession"), "is pyinstrument's session")
    for name in ("p.json", "p.speedscope.json", "p.txt"):
        as_the_reference_says(folder, name, listed)
    html.parser.HTMLParser().feed(as_the_reference_says(folder, "p.html", listed).decode())


def test_python_315_sampler(app):
    folder, listed, env = app
    python = shutil.which("python3.15")
    if python is None or not has_module("profiling.sampling", python):
        pytest.skip("no Python 3.15 here (the sid suite has it)")
    own = [line for line in subprocess.run([CLI, "--cwd", folder, "--", python, "app/main.py"], env=env,
                                           capture_output=True, check=True).stdout.split(b"\n") if line]
    with open(os.path.join(folder, "list315"), "wb") as file:
        file.write(b"".join(line + b"\n" for line in own))
    for option, name in (("--collapsed", "s.collapsed"), ("--pstats", "s.pstats"), ("--gecko", "s.gecko.json"),
                         ("--binary", "s.bin")):
        run([python, "-m", "profiling.sampling", "run", option, "-o", name, "app/main.py"], folder, env)
    refused(folder, os.path.join(folder, "s.bin"), "profiling.sampling binary capture")
    for name in ("s.collapsed", "s.pstats", "s.gecko.json"):
        as_the_reference_says(folder, name, own, list_file="list315")


def test_gzip_of_a_report_stays_gzip(app):
    folder, listed, env = app
    run([PYTHON, "-m", "cProfile", "-o", "g.prof", "app/main.py"], folder, env)
    listing = run([PYTHON, "-c", "import pstats; pstats.Stats('g.prof').print_stats()"], folder, env).stdout
    with gzip.open(os.path.join(folder, "listing.txt.gz"), "wb") as file:
        file.write(listing)
    out = rewritten(folder, os.path.join(folder, "listing.txt.gz"))
    assert gzip.decompress(out) == reference.rewrite_text(listing, listed)


def test_scalene(app):
    folder, listed, env = app
    if not has_module("scalene"):
        pytest.skip("no Scalene for %s (Debian sid's python3-scalene)" % PYTHON)
    run([PYTHON, "-m", "scalene", "--cli", "--json", "--cpu-only", "--outfile", "scalene.json", "app/main.py"],
        folder, env)
    out = as_the_reference_says(folder, "scalene.json", listed)
    assert "main.py" in json.loads(out)["files"]


PYPI_PROFILERS = ["py-spy==0.4.3", "viztracer==1.1.1"]


@pytest.fixture(scope="module")
def pypi_venv(app):
    """A venv of Debian's python3 with py-spy and VizTracer from PyPI, at pinned versions."""
    folder, _, env = app
    venv = os.path.join(folder, "venv")
    subprocess.run([PYTHON, "-m", "venv", venv], check=True, capture_output=True)
    result = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check",
                             *PYPI_PROFILERS], capture_output=True, timeout=600, env=dict(env, HOME=folder))
    if result.returncode != 0:
        pytest.skip("PyPI's %s could not be installed here: %s" % (
            " and ".join(PYPI_PROFILERS), (result.stderr.decode().strip().splitlines() or ["no reason given"])[-1]))
    return venv


def test_py_spy(app, pypi_venv):
    folder, listed, env = app
    py_spy = os.path.join(pypi_venv, "bin", "py-spy")
    outputs = {"raw": "spy.txt", "speedscope": "spy.speedscope.json", "chrometrace": "spy.chrome.json",
               "flamegraph": "spy.svg"}
    for form, name in outputs.items():
        run([py_spy, "record", "--full-filenames", "--rate", "1000", "--format", form, "-o", name, "--",
             PYTHON, "app/main.py"], folder, env)
    for form, name in outputs.items():
        out = as_the_reference_says(folder, name, listed)
        if form == "flamegraph":
            xml.etree.ElementTree.fromstring(out)
        assert b"main.py" in out and b"/app/main.py" not in out, form


def test_viztracer(app, pypi_venv):
    folder, _, env = app
    python = os.path.join(pypi_venv, "bin", "python")
    # The list of the program as it runs here: the venv's Python.
    listed = [line for line in subprocess.run([CLI, "--cwd", folder, "--", python, "app/main.py"], env=env,
                                              capture_output=True, check=True).stdout.split(b"\n") if line]
    with open(os.path.join(folder, "venv-list"), "wb") as file:
        file.write(b"".join(line + b"\n" for line in listed))
    run([os.path.join(pypi_venv, "bin", "viztracer"), "-o", "viz.json", "app/main.py"], folder, env)
    app_frames_shortened(as_the_reference_says(folder, "viz.json", listed, list_file="venv-list"))
