"""pyprefix run by root against what less privileged users and containers control, each attack
done for real (docs/guarantees.md). The targets run test/ask/process/target.py with
probe_sitecustomize.py on their PYTHONPATH, so the child that `--pid` starts runs the probe too
and records what it was handed. Needs root (each test names the reason it is skipped otherwise),
util-linux's unshare and setpriv. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON, PYPREFIX_REFERENCE.
"""
import glob
import json
import os
import pty
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

import pytest

if os.geteuid() != 0:  # the whole suite: ctest reports "SUITE SKIPPED" as skipped, with this reason
    pytest.skip("SUITE SKIPPED: the attacks are on pyprefix run as root", allow_module_level=True)

from cli_run import CLI, assert_one_line_error, held_at_first_file, readable_copies, start_target, stop_targets
from cli_run import pyprefix as run_cli

PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET, REFERENCE = readable_copies(os.path.join(HERE, "target.py"), os.environ["PYPREFIX_REFERENCE"])
NOBODY = 65534

# An interpreter below a folder only root may enter (pyenv's in /root, with its libpython) is
# Debian's for nobody, as in test_pid.py.
AS_NOBODY = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]
NOBODY_PYTHON = PYTHON if os.geteuid() == 0 and subprocess.run(AS_NOBODY + [PYTHON, "-c", "pass"],
                                                               capture_output=True).returncode == 0 else "/usr/bin/python3"



@pytest.fixture
def folder():
    """A folder every user may read, with the probe as sitecustomize and a records folder all may write."""
    path = tempfile.mkdtemp(prefix="pyprefix-root-")
    os.chmod(path, 0o755)
    probe = os.path.join(path, "probe")
    os.mkdir(probe)
    os.chmod(probe, 0o755)
    shutil.copy(os.path.join(HERE, "probe_sitecustomize.py"), os.path.join(probe, "sitecustomize.py"))
    os.chmod(os.path.join(probe, "sitecustomize.py"), 0o644)
    os.mkdir(os.path.join(path, "records"))
    os.chmod(os.path.join(path, "records"), 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def environment(folder, **variables):
    result = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent", "PYTHONDONTWRITEBYTECODE": "1",
              "PYTHONPATH": os.path.join(folder, "probe"), "PROBE_FOLDER": folder}
    result.update(variables)
    result.update({name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")})
    return result


def records(folder):
    found = []
    for name in sorted(glob.glob(os.path.join(folder, "records", "*.json")), key=os.path.getmtime):
        with open(name) as file:
            found.append(json.load(file))
    errors = glob.glob(os.path.join(folder, "records", "error-*"))
    assert not errors, [open(name).read() for name in errors]
    return found


@pytest.fixture
def start():
    """start(argv, folder) runs a target (a wrapper command, then python target.py) and returns
    (pid of the Python, the list it computed, its probe record)."""
    started = []

    def run(wrapper, folder, python=PYTHON, **variables):
        output = os.path.join(folder, "records", "reference")
        argv = wrapper + [python, TARGET, REFERENCE, output]
        process = start_target(argv, started, output, cwd=folder, env=environment(folder, **variables))
        # The Python is the newest process of the session (the wrappers exec or fork it).
        python = max(pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                     if session_of(pid) == process.pid)
        with open(output, "rb") as file:
            expected = file.read()
        os.unlink(output)
        target_record = records(folder)[-1]  # the newest: a wrapper that is a Python records first
        for name in glob.glob(os.path.join(folder, "records", "*.json")):
            os.unlink(name)
        return python, expected, target_record

    yield run
    stop_targets(started)


def session_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as file:
            return int(file.read().rsplit(")", 1)[1].split()[3])
    except (OSError, IndexError, ValueError):
        return None


def pyprefix(*arguments, **keywords):
    """The tool run with a clean environment unless one is given (a sanitizer build's settings,
    its leak suppressions for the embedded interpreter, carry over either way)."""
    environment = dict(keywords.pop("env", {"PATH": "/usr/bin:/bin"}))
    environment.update({name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")})
    return run_cli(*arguments, env=environment, **keywords)


# A stand-in container as Docker runs one without user-namespace remapping: its own PID, network,
# IPC, UTS and mount namespaces, root inside; and a confined ordinary user: nobody with
# no_new_privs and an empty bounding set, in namespaces of its own.
CONTAINER = ["unshare", "--pid", "--net", "--ipc", "--uts", "--mount", "--fork", "--propagation", "private"]
CONFINED_NOBODY = CONTAINER + ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                               "--no-new-privs", "--bounding-set=-all"]


def run_watching_the_child(folder, call):
    """Runs call() (a `pyprefix --pid` run) and returns what it returned with the session of the
    child pyprefix started, as this side sees it: the probe in that child waits, once it has
    written its record, until this side has read it. The child cannot tell by itself: its session
    leader is outside its PID namespace, so getsid gives it 0, as it gives the caller 0 when the
    caller runs below a PID namespace of its own (CI does)."""
    hold, release = os.path.join(folder, "hold"), os.path.join(folder, "release")
    open(hold, "w").close()
    seen = {}
    call_ended = threading.Event()

    def watch():  # on a thread, so that call() may fork (pty.fork) on the main one
        deadline = time.monotonic() + 30
        try:
            while "session" not in seen and not call_ended.is_set() and time.monotonic() < deadline:
                session = held_child_session(folder)
                if session is not None:
                    seen["session"] = session
                time.sleep(0.01)
        finally:
            open(release, "w").close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        value = call()
    finally:
        call_ended.set()  # a call that ended without a held child stops the watch
        watcher.join()
        os.unlink(hold)
        os.unlink(release)
    assert "session" in seen, "the child of pyprefix was not found while it ran"
    return value, seen["session"]


def held_child_session(folder):
    """The session of the process that wrote a record and is the first of its PID namespace, or None."""
    for name in glob.glob(os.path.join(folder, "records", "*.json")):
        with open(name) as file:
            record = json.load(file)
        if record["NSpid"].split()[-1] != "1":
            continue
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if os.readlink("/proc/%s/ns/pid" % pid) == record["ns"]["pid"]:
                    return session_of(int(pid))
            except OSError:
                pass
    return None


def check_child_confined(child, target, session, caller_session):
    """The child has the target's namespaces (its PID namespace nested one level below the
    target's), no capability at all, no_new_privs, a session of its own (`session`, as this side
    sees it, is neither 0 nor `caller_session`), no terminal, and nothing open but the
    descriptors pyprefix passes: 0 from /dev/null, 1 to 3 pipes."""
    for name in ("user", "mnt", "net", "ipc", "uts", "cgroup"):
        assert child["ns"][name] == target["ns"][name], name
    assert len(child["NSpid"].split()) == len(target["NSpid"].split()) + 1
    assert child["NSpid"].split()[-1] == "1"  # the first process of a PID namespace of its own
    for capabilities in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(child[capabilities], 16) == 0, (capabilities, child[capabilities])
    assert child["NoNewPrivs"] == "1"
    assert child["uid"] == target["uid"]
    assert child["tty_nr"] == 0  # no controlling terminal
    assert session not in (0, caller_session), (session, caller_session)
    assert child["tty"] != "opened"
    assert sorted(child["fds"]) == ["0", "1", "2", "3"], child["fds"]
    assert child["null_input"], child["fds"]["0"]
    assert all(child["fds"][fd].startswith("pipe:") for fd in "123"), child["fds"]


@pytest.mark.parametrize("wrapper", [CONTAINER, CONFINED_NOBODY], ids=["container-root", "confined-nobody"])
def test_a_container_keeps_its_confinement(folder, start, wrapper):
    pid, expected, target = start(wrapper, folder, python=NOBODY_PYTHON if wrapper is CONFINED_NOBODY else PYTHON)
    assert target["ns"]["net"] != os.readlink("/proc/self/ns/net")  # the stand-in is confined
    result, session = run_watching_the_child(folder, lambda: pyprefix("--pid", pid))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    [child] = records(folder)
    check_child_confined(child, target, session, os.getsid(0))


def test_the_child_joins_the_process_cgroup(folder, start):
    """A process moved into a cgroup of its own (a container's, or a service's with its limits):
    the child runs in that cgroup too, not in pyprefix's."""
    unified = [line.split()[4] for line in open("/proc/self/mountinfo") if " - cgroup2 " in line]
    if not unified or not os.access(unified[0], os.W_OK):
        pytest.skip("no writable cgroup2 hierarchy on this machine")
    group = tempfile.mkdtemp(prefix="pyprefix-test-", dir=unified[0])
    try:
        pid, expected, _ = start(CONFINED_NOBODY, folder, python=NOBODY_PYTHON)
        with open(os.path.join(group, "cgroup.procs"), "w") as file:
            file.write(str(pid))
        with open("/proc/%d/cgroup" % pid) as file:
            its = file.read()
        assert its != open("/proc/self/cgroup").read()
        result = pyprefix("--pid", pid)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected
        [child] = records(folder)
        assert child["cgroup"] == its
    finally:
        for process in open(os.path.join(group, "cgroup.procs")).read().split():
            os.kill(int(process), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while open(os.path.join(group, "cgroup.procs")).read() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.rmdir(group)


def test_no_terminal_descriptor_or_process_of_roots_reaches_the_child(folder, start):
    """An administrator runs pyprefix from a terminal with a secret file open; the child tries the
    terminal and leaves a grandchild (its own session, holding the answer pipe) behind."""
    pid, expected, target = start(CONFINED_NOBODY, folder, python=NOBODY_PYTHON)
    secret = os.path.join(folder, "secret")
    with open(secret, "w") as file:
        file.write("root's secret\n")
    os.chmod(secret, 0o600)
    with open(os.path.join(folder, "spawn"), "w") as file:
        file.write("987.654321")
    held = os.open(secret, os.O_RDONLY)  # inheritable, as a careless caller's would be
    os.set_inheritable(held, True)

    def on_a_terminal():
        child_pid, terminal = pty.fork()
        if child_pid == 0:  # pyprefix on a pseudo-terminal, as a session leader with it as its terminal
            os.execve(CLI, [CLI, "--pid", str(pid)], {"PATH": "/usr/bin:/bin"})
        os.close(held)
        started = time.monotonic()
        output = b""
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(child_pid, 0)
        os.close(terminal)
        return child_pid, status, output, time.monotonic() - started

    (caller_session, status, output, elapsed), session = run_watching_the_child(folder, on_a_terminal)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, output
    assert output.replace(b"\r\n", b"\n") == expected
    assert elapsed < 15, "a grandchild holding the answer pipe held up the answer for %.1f s" % elapsed
    [child] = records(folder)
    check_child_confined(child, target, session, caller_session)
    assert child["tty"] != "opened" and "tiocsti" not in child
    assert all(os.path.realpath(path) != secret for path in child["fds"].values())
    # The grandchild (its own session) died with the call.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and marked_processes(b"987.654321"):
        time.sleep(0.05)
    assert marked_processes(b"987.654321") == []
    # Captured output returns at once too (the grandchild does not keep the pipes).
    started = time.monotonic()
    captured = pyprefix("--pid", pid)
    assert captured.returncode == 0 and captured.stdout == expected, captured.stderr
    assert time.monotonic() - started < 15
    assert marked_processes(b"987.654321") == []


def marked_processes(marker):
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % name, "rb") as file:
                if marker in file.read():
                    found.append(int(name))
        except OSError:
            pass
    return found


# Installs a seccomp filter (one that allows every call: the kernel still marks the process as
# filtered) and runs the rest of its command line.
SECCOMP = r"""
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
program = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0x7fff0000))  # BPF_RET|BPF_K ALLOW
class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
prog = Program(1, ctypes.addressof(program))
assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
assert libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0, ctypes.get_errno()  # PR_SET_SECCOMP, FILTER
os.execv(sys.argv[1], sys.argv[1:])
"""


def test_a_seccomp_filtered_target_is_refused(folder, start):
    """A filter cannot be copied into the child: refused in one line, with what to do instead."""
    pid, _, target = start([sys.executable, "-c", SECCOMP], folder)
    assert target["Seccomp"] == "2"
    assert_one_line_error(pyprefix("--pid", pid), "seccomp filter", "pyprefix cannot take on", "docker exec")
    assert records(folder) == []  # nothing ran


def root_only_secret(folder):
    """A file only root may read, in /etc/shadow's form, that no answer may ever show."""
    secret = os.path.join(folder, "shadow")
    with open(secret, "w") as file:
        file.write("root:SECRET-HASH:19000:0:99999:7:::\n")
    os.chmod(secret, 0o600)
    return secret


def distribution_linking_to(site, name, target):
    """A distribution NAME 1.0 in `site` whose top_level.txt is a link to `target`; its folder."""
    info = os.path.join(site, "%s-1.0.dist-info" % name)
    os.mkdir(info)
    with open(os.path.join(info, "METADATA"), "w") as file:
        file.write("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name)
    os.symlink(target, os.path.join(info, "top_level.txt"))
    return info


def test_metadata_is_read_with_the_process_rights(folder, start):
    """A distribution whose top_level.txt links to a file only root may read, whose RECORD is a
    FIFO and whose METADATA is /dev/zero: the manifest names none of them, and it is quick."""
    site = os.path.join(folder, "probe")
    secret = root_only_secret(folder)
    evil = distribution_linking_to(site, "evil", secret)
    os.mkfifo(os.path.join(evil, "RECORD"))
    zero = os.path.join(site, "zero-1.0.dist-info")
    os.mkdir(zero)
    os.symlink("/dev/zero", os.path.join(zero, "METADATA"))
    for name in ("RECORD", "top_level.txt"):
        os.symlink("/dev/zero", os.path.join(zero, name))
    for dirpath, dirnames, filenames in os.walk(site):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), NOBODY, NOBODY)
    pid, _, _ = start(CONFINED_NOBODY, folder, python=NOBODY_PYTHON)
    started = time.monotonic()
    result = pyprefix("manifest", "--pid", pid)
    assert time.monotonic() - started < 30
    assert result.returncode == 0, result.stderr
    assert b"SECRET" not in result.stdout and b"SECRET" not in result.stderr
    manifest = json.loads(result.stdout)
    names = [d["name"] for d in manifest["distributions"]]
    assert "evil" in names
    assert b"top_level.txt cannot be read" in result.stderr
    for command in (["list", "--distributions", "--json"], ["which", os.path.join(site, "x.py")]):
        other = pyprefix(*command, "--pid", pid)
        assert other.returncode == 0, other.stderr
        assert b"SECRET" not in other.stdout + other.stderr


def test_a_set_group_id_exec_while_the_metadata_is_read_lends_no_group(folder):
    """nobody's process, once pyprefix has its list, runs a set-group-ID program (a copy of
    `sleep`, group `shadow`) while pyprefix reads its metadata; a top_level.txt there links to a
    file only that group may read. The metadata is read as the process was when pyprefix took
    it (nobody, no group): the file stays unread. Before, the user and groups were read again
    for each file, and the manifest printed the file (found by an attack on this change).
    strace holds pyprefix at its first file below the root while the process execs."""
    if shutil.which("strace") is None:
        pytest.skip("no strace here (Debian's strace) to hold pyprefix with")
    shadow = 42
    secret = os.path.join(folder, "group-secret")
    with open(secret, "w") as file:
        file.write("SECRET-OF-THE-GROUP\n")
    os.chown(secret, 0, shadow)
    os.chmod(secret, 0o640)
    setgid_sleep = os.path.join(folder, "sleep")
    shutil.copy("/bin/sleep", setgid_sleep)
    os.chown(setgid_sleep, 0, shadow)
    os.chmod(setgid_sleep, 0o2755)
    distribution_linking_to(os.path.join(folder, "probe"), "evil", secret)
    output, go = os.path.join(folder, "records", "out"), os.path.join(folder, "go")
    program = ("import os, sys, time\n"
               "open(sys.argv[1], 'w').close()\n"
               "while not os.path.exists(sys.argv[2]): time.sleep(0.01)\n"
               "os.execv(sys.argv[3], ['sleep', '600'])\n")
    started = []
    try:
        start_target(AS_NOBODY + [NOBODY_PYTHON, "-c", program, output, go, setgid_sleep], started, output,
                     cwd=folder, env=environment(folder))
        pid = started[0].pid
        held = held_at_first_file("manifest", "--pid", pid)
        time.sleep(2)  # the list takes a fraction of that; the first file below the root waits 4 s
        assert held.poll() is None, held.communicate()
        open(go, "w").close()
        deadline = time.monotonic() + 10
        while True:  # until it runs the set-group-ID program
            with open("/proc/%d/status" % pid) as file:
                effective_group = [line.split()[2] for line in file if line.startswith("Gid:")][0]
            if effective_group == str(shadow) or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        stdout, stderr = held.communicate(timeout=120)
        if effective_group != str(shadow):
            pytest.skip("the folder's file system ignores set-group-ID bits (nosuid)")
    finally:
        stop_targets(started)
    assert held.returncode == 0, stderr
    assert b"SECRET" not in stdout + stderr
    assert b"top_level.txt cannot be read" in stderr
    assert "evil" in [d["name"] for d in json.loads(stdout)["distributions"]]


def test_kernel_files_and_root_only_folders_tell_the_manifest_nothing(folder, start):
    """Links from nobody's metadata to /proc/kallsyms and to the memory map of a process of root
    (files whose contents depend on the capabilities of whoever opens them), and a folder only
    root may enter on its PYTHONPATH: the manifest and `which` show none of it. Before (found
    by an attack on this change), the kernel's and root's address layouts were printed as
    top-level names, and `which` told which files the root-only folder held (a module beside an
    extension module of its name was said to be no module)."""
    site = os.path.join(folder, "probe")
    hidden = os.path.join(folder, "root-only")
    os.mkdir(hidden, 0o700)
    for name in ("foo.py", "foo.cpython-311-x86_64-linux-gnu.so", "bar.py"):
        open(os.path.join(hidden, name), "w").close()
    for name, target in (("kernel", "/proc/kallsyms"), ("maps", "/proc/%d/maps" % os.getpid())):
        info = distribution_linking_to(site, name, target)
        for dirpath, dirnames, filenames in os.walk(info):
            for entry in [dirpath] + [os.path.join(dirpath, n) for n in filenames]:
                os.lchown(entry, NOBODY, NOBODY)
    pid, _, _ = start(AS_NOBODY, folder, python=NOBODY_PYTHON, PYTHONPATH=site + ":" + hidden)
    result = pyprefix("manifest", "--pid", pid)
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    roots = {d["name"]: d["roots"] for d in manifest["distributions"]}
    assert roots["kernel"] == [] and roots["maps"] == [], (roots["kernel"][:3], roots["maps"][:3])
    assert b"kernel-1.0.dist-info/top_level.txt cannot be read" in result.stderr
    which = pyprefix("which", "--pid", pid, os.path.join(hidden, "foo.py"), os.path.join(hidden, "bar.py"))
    assert which.returncode == 0, which.stderr
    assert [line.split()[1] for line in which.stdout.decode().splitlines()] == ["foo", "bar"]


def test_a_process_running_a_set_group_id_program_is_refused(folder):
    """nobody's process running a set-group-ID program (a copy of `sleep`, group shadow): the
    group is the program's, not nobody's, so no code runs with it and nothing is read with it.
    Before (found by an attack on this change), `--pid P --python` ran that Python with the
    group, and its metadata was read with it."""
    setgid_sleep = os.path.join(folder, "sleep")
    shutil.copy("/bin/sleep", setgid_sleep)
    os.chown(setgid_sleep, 0, 42)  # Debian's group shadow
    os.chmod(setgid_sleep, 0o2755)
    started = []
    try:
        process = subprocess.Popen(AS_NOBODY + [setgid_sleep, "600"], start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + 10
        while True:
            with open("/proc/%d/status" % process.pid) as file:
                status = file.read()
            if "sleep" in status.splitlines()[0] or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        effective_group = [line.split()[2] for line in status.splitlines() if line.startswith("Gid:")][0]
        if effective_group != "42":
            pytest.skip("the folder's file system ignores set-group-ID bits (nosuid)")
        for command in (["--pid", process.pid, "--python", PYTHON], ["manifest", "--pid", process.pid]):
            assert_one_line_error(pyprefix(*command), "process %d runs with more than one user or group id"
                                  % process.pid)
    finally:
        stop_targets(started)


def test_root_that_cannot_change_its_user_reads_nothing_of_another(folder, start):
    """Root without CAP_SETUID cannot take nobody's file-system user, and the switch says
    nothing when it fails: a process in a user namespace of its own (whose child needs no
    CAP_SETUID of the host's) linking its top_level.txt to a root-only file gets one line, and
    nothing is read. Before (found by an attack on this change), the file was read as uid 0 and
    printed."""
    site = os.path.join(folder, "probe")
    secret = root_only_secret(folder)
    distribution_linking_to(site, "evil", secret)
    # Debian's Python: the namespace's root is nobody to the host, which cannot enter /root.
    if not os.path.exists("/usr/bin/python3"):
        pytest.skip("no /usr/bin/python3 here for nobody to run")
    if subprocess.run(AS_NOBODY + ["unshare", "--user", "--map-root-user", "true"], capture_output=True).returncode:
        pytest.skip("nobody may not make a user namespace here (kernel.unprivileged_userns_clone)")
    pid, _, _ = start(AS_NOBODY + ["unshare", "--user", "--map-root-user"], folder, python="/usr/bin/python3")
    sanitizers = {name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")}
    result = subprocess.run(["setpriv", "--bounding-set=-setuid", "--inh-caps=-setuid", CLI, "manifest", "--pid",
                             str(pid)], capture_output=True, timeout=120, env={"PATH": "/usr/bin:/bin", **sanitizers})
    assert b"SECRET" not in result.stdout + result.stderr
    assert_one_line_error(result, "cannot read the files of process %d as its user" % pid, "CAP_SETUID")


def test_paths_that_metadata_names_stay_in_the_process_root(folder, start):
    """Paths a distribution's files name (a legacy .egg-link's project folder, a RECORD line
    climbing with "../" to an editable .pth) are resolved inside the process's root and read
    with its rights: a top_level.txt or .pth that links to a file only root may read tells the
    manifest nothing of it (found by an attack on this change: both once printed /etc/shadow)."""
    site = os.path.join(folder, "probe")
    secret = root_only_secret(folder)
    project = os.path.join(folder, "project")
    info = os.path.join(project, "leak-1.0.dist-info")
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as file:
        file.write("Metadata-Version: 2.1\nName: leak\nVersion: 1.0\n")
    os.symlink(secret, os.path.join(info, "top_level.txt"))
    with open(os.path.join(site, "leak.egg-link"), "w") as file:
        file.write(project + "\n")
    climb = os.path.join(site, "climb-1.0.dist-info")
    os.mkdir(climb)
    with open(os.path.join(climb, "METADATA"), "w") as file:
        file.write("Metadata-Version: 2.1\nName: climb\nVersion: 1.0\n")
    escape = os.path.join(folder, "escape")
    os.mkdir(escape)
    os.symlink(secret, os.path.join(escape, "__editable__.climb.pth"))
    with open(os.path.join(climb, "RECORD"), "w") as file:
        file.write("../" * 30 + escape.lstrip("/") + "/__editable__.climb.pth,,\n")
    for tree in (site, project, escape):
        chown_tree(tree, NOBODY)
    pid, _, _ = start(CONFINED_NOBODY, folder, python=NOBODY_PYTHON)
    for command in (["manifest"], ["list", "--distributions", "--json"]):
        result = pyprefix(*command, "--pid", pid)
        assert result.returncode == 0, result.stderr
        assert b"SECRET" not in result.stdout and b"SECRET" not in result.stderr, command


def chown_tree(path, uid):
    os.lchown(path, uid, uid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, uid)


def test_an_interpreter_another_user_controls_is_refused(folder):
    """A venv of nobody's, and a copy of the interpreter with an encodings/ package beside it:
    both would run nobody's code as root while Python starts, before -I -S can help."""
    venv = os.path.join(folder, "venv")
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", venv], check=True)
    chown_tree(venv, NOBODY)
    for arguments in (["--python", venv + "/bin/python"], ["--isolated", "--python", venv + "/bin/python"]):
        assert_one_line_error(pyprefix(*arguments), "refusing to run", "belongs to user %d" % NOBODY,
                              "run pyprefix as that user")
    copy = os.path.join(folder, "copy")
    os.mkdir(copy)
    shutil.copy(os.path.realpath(PYTHON), os.path.join(copy, "python3"))
    os.mkdir(os.path.join(copy, "encodings"))
    with open(os.path.join(copy, "encodings", "__init__.py"), "w") as file:
        file.write("open(%r, 'w').write('ran as %%d' %% __import__('os').getuid())\n" % os.path.join(folder, "pwned"))
    chown_tree(copy, NOBODY)
    assert_one_line_error(pyprefix("--isolated", "--python", os.path.join(copy, "python3")), "refusing to run",
                          "belongs to user %d" % NOBODY)
    assert not os.path.exists(os.path.join(folder, "pwned"))
    # A venv whose pyvenv.cfg names a home another user controls.
    chown_tree(venv, 0)
    text = open(os.path.join(venv, "pyvenv.cfg")).read()
    home = os.path.join(folder, "home")
    os.mkdir(home)
    os.chown(home, NOBODY, NOBODY)
    with open(os.path.join(venv, "pyvenv.cfg"), "w") as file:
        file.write("".join(line if not line.startswith("home") else "home = %s\n" % home
                           for line in text.splitlines(True)))
    assert_one_line_error(pyprefix("--python", venv + "/bin/python"), "refusing to run", home)


def test_the_cache_under_another_users_folder_is_not_used(folder):
    """Root's cache below a folder nobody controls (`sudo -E`, a PYPREFIX_CACHE_DIR in a user's
    tree): nobody swaps folders with renameat2(RENAME_EXCHANGE) in a loop and plants a compiled
    reader that would run as root; pyprefix never runs it, and writes nothing there."""
    evil = os.path.join(folder, "evil")
    os.mkdir(evil)
    os.chown(evil, NOBODY, NOBODY)
    planted = os.path.join(folder, "planted.py")
    with open(planted, "w") as file:
        file.write("open(%r, 'w').write('ran')\n" % os.path.join(folder, "pwned"))
    # The names root's cache files get, learnt from a private cache.
    private = os.path.join(folder, "private")
    for arguments in (["--python", PYTHON], []):
        assert pyprefix(*arguments, env={"PATH": "/usr/bin:/bin", "PYPREFIX_CACHE_DIR": private}).returncode == 0
    names = os.listdir(private)
    assert len(names) == 2, names
    swapper = r'''
import ctypes, marshal, os, sys
evil, planted, names = sys.argv[1], sys.argv[2], sys.argv[3:]
libc = ctypes.CDLL(None, use_errno=True)
code = marshal.dumps(compile(open(planted).read(), "planted", "exec"))
os.makedirs(os.path.join(evil, "fake"), 0o700)
for name in names:
    with open(os.path.join(evil, "fake", name), "wb") as file:
        file.write(code)
open(evil + "/ready", "w").close()
while True:  # swap the two folders, as fast as it can, until killed
    libc.syscall(316, -100, (evil + "/cache").encode(), -100, (evil + "/fake").encode(), 2)
'''
    # Root's own cache folder, as an earlier run made it: private, inside nobody's folder, which
    # lets nobody swap it for a folder of its own between a check by path and an open by path.
    os.mkdir(os.path.join(evil, "cache"), 0o700)
    roots_folder = os.stat(os.path.join(evil, "cache")).st_ino
    loop = subprocess.Popen(AS_NOBODY + [NOBODY_PYTHON, "-c", swapper, evil, planted] + names)
    try:
        while not os.path.exists(os.path.join(evil, "ready")):
            assert loop.poll() is None
            time.sleep(0.01)
        for arguments in (["--python", PYTHON], []):
            expected = pyprefix(*arguments, env={"PATH": "/usr/bin:/bin", "PYPREFIX_CACHE_DIR": ""}).stdout
            for run in range(20):
                result = pyprefix(*arguments, env={"PATH": "/usr/bin:/bin",
                                                   "PYPREFIX_CACHE_DIR": os.path.join(evil, "cache")})
                assert result.returncode == 0, result.stderr
                assert result.stdout == expected
                assert not os.path.exists(os.path.join(folder, "pwned")), "root ran the planted reader"
    finally:
        loop.kill()
        loop.wait(timeout=30)
    written = [os.path.join(d, n) for d, ds, fs in os.walk(evil) for n in ds + fs
               if os.lstat(os.path.join(d, n)).st_uid == 0 and os.lstat(os.path.join(d, n)).st_ino != roots_folder]
    assert written == [], "pyprefix wrote into another user's folder"


def test_cache_files_are_private_whatever_the_umask(tmp_path):
    """Under umask 000 (container entry points, some daemons) the cache is still 0700 and 0600."""
    cache = tmp_path / "cache"
    old = os.umask(0)
    try:
        for arguments in (["--python", PYTHON], []):
            result = pyprefix(*arguments, env={"PATH": "/usr/bin:/bin", "PYPREFIX_CACHE_DIR": str(cache)})
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    files = os.listdir(cache)
    assert len(files) == 2, files
    for name in files:
        status = os.lstat(cache / name)
        assert stat.S_ISREG(status.st_mode) and stat.S_IMODE(status.st_mode) == 0o600, (name, oct(status.st_mode))


def peak_kib(argv, **keywords):
    """Runs argv under /usr/bin/time -v: (completed process, its peak resident memory in KiB)."""
    environment = {name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")}
    environment["PATH"] = "/usr/bin:/bin"
    result = subprocess.run(["/usr/bin/time", "-v"] + argv, capture_output=True, env=environment, **keywords)
    peak = [line for line in result.stderr.decode(errors="replace").splitlines() if "Maximum resident" in line]
    assert peak, result.stderr[-2000:]
    result.stderr = b"\n".join(line for line in result.stderr.splitlines()
                               if line.startswith(b"pyprefix"))
    return result, int(peak[0].split(":")[1])


@pytest.mark.skipif(not os.path.exists("/usr/bin/time"), reason="GNU time (package time) is not installed")
def test_untrusted_input_has_limits(tmp_path):
    listing = tmp_path / "list"
    listing.write_bytes(b"/usr/lib/python3/\n")
    # A 256 MiB line of NULs streams through unmatched, in a few MiB.
    zeros = subprocess.Popen(["head", "-c", str(256 << 20), "/dev/zero"], stdout=subprocess.PIPE)
    result, peak = peak_kib([CLI, "trim", "--prefixes", str(listing)], stdin=zeros.stdout)
    zeros.wait()
    assert result.returncode == 0 and len(result.stdout) == 256 << 20 and result.stdout.count(b"\0") == 256 << 20
    assert peak < 64 << 10, "trim held %d KiB" % peak
    # With --json it is one line of error, not gigabytes.
    zeros = subprocess.Popen(["head", "-c", str(256 << 20), "/dev/zero"], stdout=subprocess.PIPE)
    result, peak = peak_kib([CLI, "trim", "--json", "--prefixes", str(listing)], stdin=zeros.stdout)
    zeros.kill()
    zeros.wait()
    assert result.returncode == 1 and b"longer than 4 MiB" in result.stderr, result.stderr
    assert peak < 64 << 10
    # Devices and FIFOs are not lists; a huge list or one of a million tiny strings is refused quickly.
    assert_one_line_error(pyprefix("trim", "--prefixes", "/dev/zero"), "not a regular file")
    huge = tmp_path / "huge"
    with open(huge, "wb") as file:
        file.truncate(65 << 20)
    assert_one_line_error(pyprefix("trim", "--prefixes", huge), "larger than 64 MiB")
    many = tmp_path / "many.json"
    many.write_bytes(b"[" + b",".join([b'{"prefix":"/a/"}'] * ((1 << 20) + 1)) + b"]")
    result, peak = peak_kib([CLI, "trim", "--prefixes", str(many)], input=b"")
    assert result.returncode == 1 and b"more than 1048576 strings" in result.stderr, result.stderr
    assert peak < 512 << 10
    # An answer of 3 million tiny records (39 MB, inside the output limit) from a child: refused at its limit.
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexec %s -c 'import os; os.write(3, b\"pyprefix-reader 1\\0\" + b\"Esys.path:/x\\0\" * 3000000 + b\"end\\0\")'\n"
                    % sys.executable)
    fake.chmod(0o755)
    result, peak = peak_kib([CLI, "--python", str(fake)])
    assert result.returncode == 1 and b"more than 200000 records" in result.stderr, result.stderr
    assert peak < 1 << 20


def test_control_bytes_from_a_target_are_escaped(tmp_path, start):
    """A process whose executable is named with a terminal escape sequence: the error names it
    escaped, so that nothing of it reaches root's terminal as it is."""
    evil = tmp_path / "evil\x1b]0;pwned\x07"
    shutil.copy("/bin/sleep", evil)
    process = subprocess.Popen([str(evil), "600"])
    try:
        result = pyprefix("--pid", process.pid)
        assert_one_line_error(result, "not a Python interpreter", "\\x1b]0;pwned\\x07")
        assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
    finally:
        process.kill()
        process.wait()


def test_an_upgraded_interpreter_is_still_asked(folder, start):
    """/proc/PID/exe reads '... (deleted)' once a package upgrade replaced the binary: the
    process still runs it, and so does the child, by descriptor."""
    copy = os.path.join(folder, "bin")
    os.mkdir(copy)
    binary = os.path.join(copy, os.path.basename(os.path.realpath(PYTHON)))
    shutil.copy(os.path.realpath(PYTHON), binary)
    pid, expected, _ = start([], folder, python=binary)
    os.unlink(binary)
    assert os.readlink("/proc/%d/exe" % pid).endswith(" (deleted)")
    result = pyprefix("--pid", pid)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
