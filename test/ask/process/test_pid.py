"""`pyprefix --pid` against real processes that the tests start and leave running.

Each target runs target.py, which writes the reference list (test/reference/prefixes.py, run by
the target itself) at start-up and sleeps; pyprefix's answer for that process must be the
same bytes. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON (the targets' interpreter),
PYPREFIX_REFERENCE.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from cli_run import (assert_one_line_error, base_environment, held_at_first_file, pyprefix,  # noqa: F401
                     readable_copies, start_target, targets)

PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]
TARGET, REFERENCE = readable_copies(os.path.join(os.path.dirname(os.path.abspath(__file__)), "target.py"),
                                    os.environ["PYPREFIX_REFERENCE"])
IS_ROOT = os.geteuid() == 0
NOBODY = 65534


@pytest.fixture
def folder():
    """A temporary folder every user may read (pytest's own are private to root)."""
    path = tempfile.mkdtemp(prefix="pyprefix-pid-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def start(targets):
    """start(argv, cwd, env, output) runs a target and returns (pid, what it printed)."""

    def run(argv, cwd, env, output):
        process = start_target(argv, targets, output, cwd=cwd, env=env)
        with open(output, "rb") as file:
            return process.pid, file.read()

    return run




def python_version(python=PYTHON):
    return subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def make_venv(where):
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", where], check=True)
    return where


def test_venv_started_by_name_with_relative_pythonpath_in_another_folder(folder, start):
    venv = make_venv(os.path.join(folder, "venv"))
    work = os.path.join(folder, "work")
    for name in ("rel", "odd/x", "work/rel"):
        os.makedirs(os.path.join(folder, "work", name), exist_ok=True)
    # Relative, dotted, doubled and empty entries, resolved against the target's working folder.
    pythonpath = "rel:../odd//x/::%s/work/rel/./:rel/../odd" % work
    # Started as plain `python`, found on its own PATH: only argv[0] names the venv.
    environment = base_environment(PATH=os.path.join(venv, "bin") + ":/usr/bin:/bin", PYTHONPATH=pythonpath)
    pid, expected = start(["python", TARGET, REFERENCE, os.path.join(folder, "out")], work, environment,
                          os.path.join(folder, "out"))
    assert os.fsencode(os.path.join(venv, "lib")) in expected  # the venv's own site-packages
    assert os.fsencode(work + "/rel/") in expected
    result = pyprefix("--pid", pid, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


@pytest.mark.parametrize("flag, how", [("-s", "script"), ("-I", "script"), ("-E", "module"), ("-S", "command"),
                                       ("-sE", "symlinked script"), ("", "folder")])
def test_flags_and_how_the_first_entry_came(folder, start, flag, how):
    work = os.path.join(folder, "work")
    scripts = os.path.join(folder, "scripts")
    os.makedirs(os.path.join(work, "rel"))
    os.makedirs(scripts)
    output = os.path.join(folder, "out")
    shutil.copy(TARGET, os.path.join(scripts, "pid_target.py"))
    if how == "script":
        program = [os.path.join(scripts, "pid_target.py")]
    elif how == "symlinked script":  # sys.path[0] is the folder of the script's real path
        os.symlink(os.path.join(scripts, "pid_target.py"), os.path.join(work, "link.py"))
        program = ["link.py"]
    elif how == "module":  # sys.path[0] is the working folder
        shutil.copy(TARGET, os.path.join(work, "pid_target.py"))
        program = ["-m", "pid_target"]
    elif how == "folder":  # a folder with __main__.py is put first itself
        os.makedirs(os.path.join(work, "app"))
        shutil.copy(TARGET, os.path.join(work, "app", "__main__.py"))
        program = ["app"]
    else:  # -c: sys.path[0] is ''
        program = ["-c", "import runpy; runpy.run_path(%r)" % TARGET]
    argv = [PYTHON] + ([flag] if flag else []) + program + [REFERENCE, output]
    pid, expected = start(argv, work, base_environment(PYTHONPATH="rel"), output)
    result = pyprefix("--pid", pid, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_isolated_ignores_the_process_environment(folder, start):
    work = os.path.join(folder, "work")
    os.makedirs(work)
    output = os.path.join(folder, "out")
    extra = os.path.join(folder, "extra")
    pid, with_pythonpath = start([PYTHON, TARGET, REFERENCE, output], work, base_environment(PYTHONPATH=extra),
                                 output)
    assert os.fsencode(extra + "/") in with_pythonpath.splitlines()
    result = pyprefix("--pid", pid, "--isolated", cwd="/")
    assert result.returncode == 0, result.stderr
    assert os.fsencode(extra + "/") not in result.stdout.splitlines()
    assert result.stdout == pyprefix("--python", PYTHON, "--isolated", cwd=work).stdout


def test_a_process_of_another_user_is_asked_as_that_user(folder, start):
    if not IS_ROOT:  # without root no target can run as another user; pyprefix must refuse root's
        assert_one_line_error(pyprefix("--pid", 1), "permission denied")
        return
    as_nobody = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]
    # An interpreter below a folder only root may enter (pyenv's in /root) is Debian's for nobody.
    runs = subprocess.run(as_nobody + ["test", "-x", PYTHON]).returncode == 0
    python = PYTHON if runs else "/usr/bin/python3"
    home = os.path.join(folder, "home")
    os.makedirs(home)
    marker = os.path.join(folder, "marker")
    os.makedirs(marker)
    os.chmod(marker, 0o777)
    # Every start of this user's Python, the target's and the child pyprefix runs, records its uid.
    site = os.path.join(home, ".local", "lib", "python" + python_version(python), "site-packages")
    os.makedirs(site)
    with open(os.path.join(site, "usercustomize.py"), "w") as file:
        file.write("import os\nopen(%r, 'a').write('%%d %%d\\n' %% (os.getuid(), os.getpid()))\n"
                   % os.path.join(marker, "uids"))
    output = os.path.join(marker, "out")
    argv = as_nobody + [python, TARGET, REFERENCE, output]
    pid, expected = start(argv, folder, base_environment(HOME=home), output)
    assert os.fsencode(site + "/") in expected
    result = pyprefix("--pid", pid, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    with open(os.path.join(marker, "uids")) as file:
        starts = [line.split() for line in file.read().splitlines()]
    assert len(starts) == 2, starts  # the target's start, then the child's
    assert starts[0] == [str(NOBODY), str(pid)]
    assert starts[1][0] == str(NOBODY) and starts[1][1] != str(pid)


def test_a_process_in_its_own_mount_namespace(folder, start):
    if not IS_ROOT:
        assert_one_line_error(pyprefix("--pid", 1), "permission denied")
        return
    hidden = os.path.join(folder, "hidden")
    seen = os.path.join(folder, "seen")  # empty here; the target has `hidden` mounted on it
    os.makedirs(seen)
    make_venv(os.path.join(hidden, "venv"))
    hidden_site = os.path.join(hidden, "venv", "lib", "python" + python_version(), "site-packages")
    os.makedirs(os.path.join(hidden_site, "demo"))
    open(os.path.join(hidden_site, "demo", "__init__.py"), "w").close()
    os.makedirs(os.path.join(hidden_site, "demo-1.0.dist-info"))
    with open(os.path.join(hidden_site, "demo-1.0.dist-info", "METADATA"), "w") as file:
        file.write("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
    with open(os.path.join(hidden_site, "demo-1.0.dist-info", "RECORD"), "w") as file:
        file.write("demo/__init__.py,,\ndemo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/RECORD,,\n")
    output = os.path.join(folder, "out")
    script = "mount --bind %s %s && cd %s && exec %s/venv/bin/python %s %s %s" % (
        hidden, seen, seen, seen, TARGET, REFERENCE, output)
    pid, expected = start(["unshare", "-m", "--propagation", "private", "sh", "-c", script], folder,
                          base_environment(), output)
    venv_site = os.path.join(seen, "venv", "lib", "python" + python_version(), "site-packages") + "/"
    assert os.fsencode(venv_site) in expected.splitlines()
    assert not os.path.exists(venv_site)  # not on the host at that path
    result = pyprefix("--pid", pid, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    on_host = pyprefix("--pid", pid, "--host-paths")
    assert on_host.returncode == 0, on_host.stderr
    root = b"/proc/%d/root" % pid
    assert on_host.stdout.splitlines() == [root + line for line in expected.splitlines()]
    assert os.path.isdir(root + os.fsencode(venv_site))
    # Its manifest: metadata read below /proc/PID/root, every path as the process sees it.
    manifest = pyprefix("manifest", "--pid", pid)
    assert manifest.returncode == 0, manifest.stderr
    manifest = json.loads(manifest.stdout)
    assert [os.fsencode(item["prefix"]) for item in manifest["prefixes"]] == expected.splitlines()
    demo = [d for d in manifest["distributions"] if d["name"] == "demo"]
    assert demo and demo[0]["metadata"] == venv_site + "demo-1.0.dist-info"
    assert demo[0]["roots"] == [venv_site + "demo-1.0.dist-info/", venv_site + "demo/"]


def test_a_program_that_is_not_python(folder, start):
    output = os.path.join(folder, "out")
    # A shell that writes OUTPUT and sleeps stands for uwsgi or any program embedding Python.
    pid, _ = start(["sh", "-c", "touch %s; exec sleep 600" % output], folder, base_environment(), output)
    assert_one_line_error(pyprefix("--pid", pid), "process %d runs" % pid, "not a Python", "--python")
    # With --python, that Python runs with the process's environment and working folder.
    named = pyprefix("--pid", pid, "--python", PYTHON, cwd="/")
    assert named.returncode == 0, named.stderr
    same = pyprefix("--python", PYTHON, cwd=folder, env=base_environment())
    assert named.stdout == same.stdout


def test_a_process_that_ends_while_its_metadata_is_read(folder, start, targets):
    """`manifest --pid` reads the metadata below /proc/PID/root after the process's list: a
    process that ends meanwhile (its number free for another) is one line, not a manifest of
    whatever that number names by then. strace holds pyprefix at its first file below the root
    (the list has been read by then) while the test ends the process."""
    if shutil.which("strace") is None:
        pytest.skip("no strace here (Debian's strace) to hold pyprefix with")
    output = os.path.join(folder, "out")
    pid, _ = start([PYTHON, TARGET, REFERENCE, output], folder, base_environment(), output)
    held = held_at_first_file("manifest", "--pid", pid)
    try:
        time.sleep(2)  # the list takes a fraction of that; the first file below the root waits 4 s
        assert held.poll() is None, held.communicate()
        process = next(started for started in targets if started.pid == pid)
        os.killpg(pid, signal.SIGKILL)
        process.wait()
        stdout, stderr = held.communicate(timeout=120)
    finally:
        if held.poll() is None:
            held.kill()
            held.wait()
    assert held.returncode == 1, (stdout, stderr)
    assert stdout == b""
    lines = stderr.decode().splitlines()
    assert lines == ["pyprefix: process %d ended while pyprefix read it" % pid], lines


def test_a_thread_and_a_process_whose_main_thread_ended(folder, start, targets):
    """A thread's id names a /proc folder too, and a process whose main thread has ended (its
    other threads running) has no root there: each is one line."""
    output = os.path.join(folder, "out")
    program = ("import ctypes, os, sys, threading, time\n"
               "threading.Thread(target=time.sleep, args=(600,)).start()\n"
               "time.sleep(0.1)\n"
               "tid = [t for t in os.listdir('/proc/self/task') if int(t) != os.getpid()][0]\n"
               "open(sys.argv[1] + '.part', 'w').write(tid)\n"
               "os.rename(sys.argv[1] + '.part', sys.argv[1])\n"
               "time.sleep(0.5)\n"
               "ctypes.CDLL(None).syscall(60, 0)  # SYS_exit on x86-64: the main thread alone ends\n")
    pid, tid = start([PYTHON, "-c", program, output], folder, base_environment(), output)
    assert_one_line_error(pyprefix("--pid", int(tid)), "there is no process %d" % int(tid),
                          "it is a thread of process %d" % pid)
    deadline = time.monotonic() + 30
    while True:  # until the main thread has ended
        with open("/proc/%d/status" % pid) as file:
            if "\nState:\tZ" in file.read():
                break
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert_one_line_error(pyprefix("manifest", "--pid", pid), "process %d has ended" % pid)


def test_processes_that_are_gone():
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert_one_line_error(pyprefix("--pid", ended.pid), "there is no process %d" % ended.pid)
    # A zombie: `sleep 0` ends, and the `sleep` its shell became never collects it.
    parent = subprocess.Popen(["sh", "-c", "sleep 0 & exec sleep 600"])
    try:
        children = "/proc/%d/task/%d/children" % (parent.pid, parent.pid)
        deadline = time.monotonic() + 30
        zombie = None
        while zombie is None:
            assert time.monotonic() < deadline
            with open(children) as file:
                pids = file.read().split()
            if pids:
                with open("/proc/%s/stat" % pids[0]) as file:
                    if file.read().rsplit(")", 1)[1].split()[0] == "Z":
                        zombie = int(pids[0])
            time.sleep(0.01)
        assert_one_line_error(pyprefix("--pid", zombie), "process %d has ended" % zombie)
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.parametrize("arguments, message", [
    (["--pid", "abc"], "--pid takes a process id, not 'abc'"),
    (["--pid", "0"], "--pid takes a process id, not '0'"),
    (["--host-paths"], "--host-paths goes with --pid"),
    (["--pid", "1", "--resolve-symlinks"], "--resolve-symlinks does not go with --pid"),
    (["trim", "--prefixes", "x", "--pid", "1"], "--prefixes replaces asking an interpreter"),
])
def test_usage_errors(arguments, message):
    result = pyprefix(*arguments)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert len(result.stderr.decode().splitlines()) == 1
