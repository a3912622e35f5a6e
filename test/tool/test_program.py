"""`pyprefix -- PYTHON [OPTIONS] (SCRIPT | -m MODULE | -c CODE | -) [ARGS]`: the list of the
program you will run, against the list that very program computes when it runs. Each program
here loads the reference (test/reference/prefixes.py, torch's function with pyprefix's rules)
by path and writes what it gives from inside the script, the module, the folder, the zip, the
-c code or stdin; pyprefix, given the same command line and folder, must print the same bytes.
Every interpreter of the build's test list (3.8 to 3.13 here, 3.14 and 3.15 in the sid suite),
with the program's own options (-I, -E, -s, -P, -X) and PYTHONSAFEPATH, relative PYTHONPATH
entries against --cwd, and the refusals. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHONS
(|-separated), PYPREFIX_REFERENCE.
"""
import os
import shutil
import subprocess
import tempfile
import zipfile

import pytest

CLI = os.environ["PYPREFIX_CLI"]
PYTHONS = [python for python in os.environ["PYPREFIX_TEST_PYTHONS"].split("|") if python]
REFERENCE = os.environ["PYPREFIX_REFERENCE"]

# What every program runs first: the reference's list, written to the file OUT names. It keeps
# sys.path as the start made it (the reference is loaded by path, and so is nothing else).
WRITES_ITS_LIST = r'''
import importlib.util as _u, os as _o
_s = _u.spec_from_file_location("pyprefix_reference", _o.environ["REFERENCE"])
_m = _u.module_from_spec(_s)
_s.loader.exec_module(_m)
with open(_o.environ["OUT"], "wb") as _f:
    _f.write(b"".join(p + b"\n" for p in _m.prefixes()))
'''


def version_of(python):
    out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True,
                         text=True, check=True).stdout
    return tuple(int(part) for part in out.split("."))


@pytest.fixture(params=PYTHONS)
def python(request):
    return request.param


@pytest.fixture
def place():
    """A project folder: app/main.py (a script), pkg/ (-m pkg.run), tool/ (a folder with
    __main__.py), bundle.zip, and a symlink to the script from elsewhere."""
    folder = tempfile.mkdtemp(prefix="pyprefix-program-")
    project = os.path.join(folder, "project")
    for path in ("app/main.py", "pkg/__init__.py", "pkg/run.py", "tool/__main__.py", "rel/.keep"):
        os.makedirs(os.path.dirname(os.path.join(project, path)), exist_ok=True)
        with open(os.path.join(project, path), "w") as file:
            file.write("" if path.endswith(("__init__.py", ".keep")) else WRITES_ITS_LIST)
    with zipfile.ZipFile(os.path.join(project, "bundle.zip"), "w") as bundle:
        bundle.writestr("__main__.py", WRITES_ITS_LIST)
    os.makedirs(os.path.join(folder, "elsewhere"))
    # A copy of the reference: -I and -E ignore PYTHONDONTWRITEBYTECODE, and the source tree
    # gets no __pycache__.
    shutil.copy(REFERENCE, os.path.join(folder, "reference.py"))
    os.symlink(os.path.join(project, "app", "main.py"), os.path.join(folder, "elsewhere", "linked.py"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def environment(folder, **variables):
    env = {"PATH": os.environ["PATH"], "HOME": folder, "REFERENCE": os.path.join(folder, "reference.py"),
           "OUT": os.path.join(folder, "out"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(variables)
    return env


def own_list(folder, program, env, stdin=None):
    """What the program writes from inside, run in `folder`/project."""
    out = env["OUT"]
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run(program, cwd=os.path.join(folder, "project"), env=env, input=stdin, check=True, timeout=120)
    with open(out, "rb") as file:
        return file.read()


def pyprefix_list(folder, program, env):
    result = subprocess.run([CLI, "--cwd", os.path.join(folder, "project"), "--", *program], env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


STARTS = {
    "script": ["app/main.py", "--an", "argument"],
    "symlinked script": ["../elsewhere/linked.py"],
    "module": ["-m", "pkg.run"],
    "folder": ["tool"],
    "zip": ["bundle.zip"],
    "command": ["-c", WRITES_ITS_LIST],
    "stdin": ["-"],
    "stdin after --": ["--", "-"],
}


OPTIONS = [[], ["-I"], ["-s", "-E"], ["-X", "utf8"], ["-P"], ["PYTHONSAFEPATH"]]
UNSAFE = ([], ["-s", "-E"], ["-X", "utf8"])
# -m finds no module of the working folder under -I, -P or PYTHONSAFEPATH: that program cannot run.
CASES = [(start, options) for start in STARTS for options in OPTIONS if start != "module" or options in UNSAFE]


@pytest.mark.parametrize("start, options", CASES)
def test_the_program_computes_the_same_list(python, place, start, options):
    safe_path = "PYTHONSAFEPATH" in options or "-P" in options
    if safe_path and version_of(python) < (3, 11):
        pytest.skip("-P and PYTHONSAFEPATH are Python 3.11's")
    variables = {"PYTHONPATH": "rel"}  # relative: against the program's folder
    if "PYTHONSAFEPATH" in options:
        variables["PYTHONSAFEPATH"] = "1"
        options = []
    env = environment(place, **variables)
    program = [python, *options, *STARTS[start]]
    stdin = WRITES_ITS_LIST.encode() if start.startswith("stdin") else None
    expected = own_list(place, program, env, stdin)
    assert pyprefix_list(place, program, env) == expected
    first = os.path.join(place, "project")
    if start in ("script", "symlinked script"):
        first = os.path.join(place, "project", "app")
    if start in ("folder", "zip"):
        first = os.path.join(place, "project", STARTS[start][0])
    # The start's own entry is there, but for -I, -P and PYTHONSAFEPATH, which put none first
    # unless the start is a folder or a zip file, whose __main__ is found there.
    put_first = start in ("folder", "zip") or ("-I" not in options and not safe_path)
    assert ((first + "/").encode() in expected.splitlines()) == put_first


@pytest.mark.parametrize("start", ["zip", "folder", "script"])
def test_isolated_is_the_program_under_i(python, place, start):
    """--isolated with a program gives its list under -I: nothing first, but a folder or zip file
    run as a script, whose __main__ is found there."""
    env = environment(place)
    expected = own_list(place, [python, "-I", *STARTS[start]], env)
    result = subprocess.run([CLI, "--isolated", "--cwd", os.path.join(place, "project"), "--", python, *STARTS[start]],
                            env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_pythonsafepath_is_ignored_under_e(place):
    python = next((p for p in PYTHONS if version_of(p) >= (3, 11)), None)
    if python is None:
        pytest.skip("no Python 3.11 or newer in the test list")
    env = environment(place, PYTHONSAFEPATH="1")
    program = [python, "-E", "app/main.py"]
    expected = own_list(place, program, env)
    assert (os.path.join(place, "project", "app") + "/").encode() in expected.splitlines()
    assert pyprefix_list(place, program, env) == expected


TORCH_APPLICATION = r'''
import os
from torch.profiler.python_tracer import _prefix_regex
with open(os.environ["OUT"], "wb") as file:
    file.write(b"".join(os.fsencode(prefix) + b"\n" for prefix in _prefix_regex()))
'''


def test_torchs_own_list_inside_the_application(place):
    """torch's profiler, inside the application, trims with _prefix_regex(), which has the
    script's folder first: pyprefix's list of the same program, with --package torch, is it."""
    with_torch = [p for p in PYTHONS if subprocess.run([p, "-c", "import torch"], capture_output=True).returncode == 0]
    if not with_torch:
        pytest.skip("no test interpreter here has torch (Debian's python3-torch)")
    script = os.path.join(place, "project", "app", "tensorwork.py")
    with open(script, "w") as file:
        file.write(TORCH_APPLICATION)
    for python in with_torch:
        env = environment(place)
        program = [python, "app/tensorwork.py"]
        expected = own_list(place, program, env)
        assert (os.path.join(place, "project", "app") + "/").encode() in expected.splitlines()
        result = subprocess.run([CLI, "--package", "torch", "--cwd", os.path.join(place, "project"), "--", *program],
                                env=env, capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected


def test_the_python_checked_is_the_python_run(place):
    """A relative Python with a relative --cwd names one file here and another from the program's
    folder: the one found here is checked and run, never the other (issue 25's last review)."""
    python = PYTHONS[0]
    os.makedirs(os.path.join(place, "real"))
    os.symlink(python, os.path.join(place, "real", "python"))
    # Seen from the program's folder, project/../real/python is project/real/python.
    os.makedirs(os.path.join(place, "project", "project"))
    planted = os.path.join(place, "project", "real")
    os.makedirs(planted)
    with open(os.path.join(planted, "python"), "w") as file:
        file.write("#!/bin/sh\ntouch %s/planted-ran\nexec %s \"$@\"\n" % (place, python))
    os.chmod(os.path.join(planted, "python"), 0o755)
    result = subprocess.run([CLI, "--cwd", "project", "--", "../real/python", "app/main.py"],
                            cwd=place, env=environment(place), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not os.path.exists(os.path.join(place, "planted-ran"))


def test_refusals_are_one_line(place):
    python = PYTHONS[0]
    env = environment(place)
    cases = [
        (["--cwd", os.path.join(place, "project"), "--", python, "missing.py"], 1,
         "the program's script 'missing.py' cannot be opened in '%s/project'" % place),
        (["--cwd", os.path.join(place, "nowhere"), "--", python, "-c", "pass"], 1,
         "the program's working folder '%s/nowhere' is not a folder" % place),
        (["--"], 2, "-- needs the program you will run"),
        (["--pid", "1", "--", python, "x.py"], 2, "a program after -- takes neither --pid nor --python"),
        (["--python", python, "--", python, "x.py"], 2, "a program after -- takes neither --pid nor --python"),
        (["--cwd", "/"], 2, "--cwd goes with a program after --"),
        (["--", os.path.join(place, "no-python"), "x.py"], 1, "no-python"),
    ]
    for arguments, status, message in cases:
        result = subprocess.run([CLI, *arguments], env=env, capture_output=True, timeout=60)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == status and len(lines) == 1 and message in lines[0], (arguments, lines)
