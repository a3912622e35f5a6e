"""`pyprefix --pid PID --attach` (PEP 768) against real processes that change sys.path after
start-up: each target (attach_target.py) writes the reference for the list it has now, and
its own live manifest from pyprefix's package; pyprefix's answer must be the same bytes. Then
every refusal: blocked, stopped, ending and old processes, remote debugging turned off,
another user, programs that are not Python, usage errors.

The live cases need Python 3.14 or newer as the build's interpreter (the sid suite runs them
against 3.14 and 3.15); elsewhere they are named as skipped, and the older interpreters found
here are checked for their one-line refusal. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON,
PYPREFIX_REFERENCE, PYPREFIX_PACKAGE_DIR (the build's python/ folder, or empty), and
PYPREFIX_DEBUG_PYTHON (a debug build of the same version, or empty).
"""
import atexit
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from cli_run import (assert_one_line_error, base_environment, pyprefix, readable_copies, start_target,  # noqa: F401
                     targets)

PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]


def readable_package(built):
    """A copy of the built package that nobody may load too (the build tree may be under /root)."""
    if not built:
        return ""
    folder = tempfile.mkdtemp(prefix="pyprefix-readable-package-", dir="/var/tmp")  # not hidden by a /tmp of its own
    atexit.register(shutil.rmtree, folder, True)
    shutil.copytree(os.path.join(built, "pyprefix"), os.path.join(folder, "pyprefix"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    for where, folders, files in os.walk(folder):
        os.chmod(where, 0o755)
        for name in files:
            os.chmod(os.path.join(where, name), 0o755)
    return folder


PACKAGE_DIR = readable_package(os.environ.get("PYPREFIX_PACKAGE_DIR", ""))
DEBUG_PYTHON = os.environ.get("PYPREFIX_DEBUG_PYTHON", "")
TARGET, REFERENCE = readable_copies(os.path.join(os.path.dirname(os.path.abspath(__file__)), "attach_target.py"),
                                    os.environ["PYPREFIX_REFERENCE"])
IS_ROOT = os.geteuid() == 0
NOBODY = 65534
AS_NOBODY = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]


def version_of(python):
    result = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                            capture_output=True, text=True, check=True)
    return tuple(int(part) for part in result.stdout.split("."))


LIVE = version_of(PYTHON) >= (3, 14)
LIVE_REASON = "needs Python 3.14 or newer as the build's Python (the sid suite runs these against 3.14 and 3.15)"


def needs_live(test):
    """A case that attaches to a live process: marked `live`, which ctest runs as its own test
    (process.attach.live), skipped below 3.14."""
    return pytest.mark.live(pytest.mark.skipif(not LIVE, reason=LIVE_REASON)(test))


# process.attach.live, whole, where it cannot run: ctest reports "SUITE SKIPPED" as skipped.
if os.environ.get("PYPREFIX_ATTACH_CASES") == "live" and not LIVE:
    pytest.skip("SUITE SKIPPED: " + LIVE_REASON, allow_module_level=True)
needs_root = pytest.mark.skipif(not IS_ROOT, reason="needs root (another user, another mount namespace)")


@pytest.fixture
def folder(request):
    """A temporary folder every user may write in (the targets run as nobody too)."""
    path = tempfile.mkdtemp(prefix="attach-test-", dir=getattr(request, "param", None))
    os.chmod(path, 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def start(targets):
    """start(argv, cwd, env, output) runs a target and returns its pid once it has written."""

    def run(argv, cwd, env, output, **keywords):
        return start_target(argv, targets, output, cwd=cwd, env=env, **keywords).pid

    return run


def read(path):
    with open(path, "rb") as file:
        return file.read()


def audit_records(output):
    if not os.path.exists(output + ".audit"):
        return []
    with open(output + ".audit") as file:
        return [json.loads(line) for line in file]


def tmp_listing(output, timeout=30):
    """The pyprefix folders in the target's temporary folder, as the target sees it."""
    open(output + ".ask", "w").close()
    os.chmod(output + ".ask", 0o666)
    deadline = time.monotonic() + timeout
    while not os.path.exists(output + ".tmp"):
        assert time.monotonic() < deadline, "the target gave no listing"
        time.sleep(0.01)
    listing = json.loads(read(output + ".tmp"))
    os.unlink(output + ".tmp")
    return listing


def assert_attach_answers(pid, output, user=None):
    """--attach gives the target's own list, JSON and manifest byte for byte, ran the script once
    per call as the target's user from a private folder, and left nothing behind."""
    result = pyprefix("--pid", pid, "--attach", cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout == read(output + ".list")
    as_json = pyprefix("--pid", pid, "--attach", "--json", "--classify", "--package", "email", cwd="/")
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout == read(output + ".json")
    if PACKAGE_DIR:
        manifest = pyprefix("manifest", "--pid", pid, "--attach", "--classify", "--package", "email", cwd="/")
        assert manifest.returncode == 0, manifest.stderr
        assert manifest.stdout == read(output + ".manifest")
    runs = audit_records(output)
    assert len(runs) == (3 if PACKAGE_DIR else 2), runs
    owner = os.geteuid() if user is None else user
    for run in runs:
        assert run["folder"] == [owner, 0o700], run
        assert run["file"] == [owner, 0o600], run
        assert os.path.basename(os.path.dirname(run["script"])).startswith("pyprefix-attach-")
    assert tmp_listing(output) == []
    return result.stdout


def sleeping_target(*arguments):
    return ["-c", "import time; time.sleep(600)", *arguments]


@needs_live
@pytest.mark.parametrize("how", ["append", "insert", "relative", "addsitedir", "venv"])
def test_sys_path_changed_after_start_up(folder, start, how):
    work = os.path.join(folder, "work")
    os.makedirs(os.path.join(work, "rel", "lib"))
    python = PYTHON
    changes = {"append": "append:%s/appended" % folder,
               "insert": "insert:%s/first" % folder,
               # resolved in the working folder the target has when pyprefix asks, not where it started
               "relative": "chdir:%s,insert:rel/lib,append:../work//rel/." % work,
               "addsitedir": "addsitedir:%s/site" % folder,
               "venv": "append:%s/plugins" % folder}[how]
    if how == "addsitedir":  # its .pth adds another folder
        os.makedirs(os.path.join(folder, "site"))
        os.makedirs(os.path.join(folder, "from-pth"))
        with open(os.path.join(folder, "site", "extra.pth"), "w") as file:
            file.write("../from-pth\n")
    if how == "venv":
        subprocess.run([PYTHON, "-m", "venv", "--without-pip", os.path.join(folder, "venv")], check=True)
        python = os.path.join(folder, "venv", "bin", "python")
    output = os.path.join(folder, "out")
    pid = start([python, TARGET, REFERENCE, output, changes, PACKAGE_DIR], folder, base_environment(), output)
    started = pyprefix("--pid", pid, cwd="/")  # the start-up list, without the change
    listing = assert_attach_answers(pid, output)
    assert listing != started.stdout
    added = {"append": folder + "/appended/", "insert": folder + "/first/", "relative": work + "/rel/lib/",
             "addsitedir": folder + "/from-pth/", "venv": folder + "/plugins/"}[how]
    assert os.fsencode(added) in listing.splitlines()
    if how == "venv":
        assert os.fsencode(os.path.join(folder, "venv", "lib")) in listing


@needs_live
@needs_root
def test_a_process_of_nobody_while_pyprefix_is_root(folder, start):
    output = os.path.join(folder, "out")
    environment = base_environment(HOME=folder, TMPDIR=os.path.join(folder, "tmp"))
    os.makedirs(os.path.join(folder, "tmp"))
    os.chmod(os.path.join(folder, "tmp"), 0o777)
    argv = AS_NOBODY + [PYTHON, TARGET, REFERENCE, output, "append:%s/nobody" % folder, PACKAGE_DIR]
    pid = start(argv, folder, environment, output)
    listing = assert_attach_answers(pid, output, user=NOBODY)
    assert os.fsencode(folder + "/nobody/") in listing.splitlines()
    # Its TMPDIR was used, as tempfile would; nothing is left there.
    assert all(run["script"].startswith(folder + "/tmp/pyprefix-attach-") for run in audit_records(output))
    assert os.listdir(os.path.join(folder, "tmp")) == []


@needs_live
@needs_root
@pytest.mark.parametrize("folder", ["/var/tmp"], indirect=True)  # outside the /tmp it hides
def test_a_process_in_its_own_mount_namespace(folder, start):
    output = os.path.join(folder, "out")
    target, reference = (shutil.copy(path, folder) for path in (TARGET, REFERENCE))
    # Its /tmp is a tmpfs of its own: the helper must make its folder there, not in the host's.
    script = "mount -t tmpfs pyprefix-test /tmp && exec %s %s %s %s %s %s" % (
        PYTHON, target, reference, output, "append:/tmp/hidden", PACKAGE_DIR)
    pid = start(["unshare", "-m", "--propagation", "private", "sh", "-c", script], folder, base_environment(),
                output)
    before = set(glob.glob("/tmp/pyprefix-attach-*"))
    listing = assert_attach_answers(pid, output)
    assert b"/tmp/hidden/" in listing.splitlines()
    for run in audit_records(output):
        assert run["script"].startswith("/tmp/pyprefix-attach-")
        assert not os.path.exists(run["script"]) and not os.path.exists(os.path.dirname(run["script"]))
    assert set(glob.glob("/tmp/pyprefix-attach-*")) == before
    on_host = pyprefix("--pid", pid, "--attach", "--host-paths")
    assert on_host.returncode == 0, on_host.stderr
    assert on_host.stdout.splitlines() == [b"/proc/%d/root" % pid + line for line in listing.splitlines()]


@needs_live
def test_a_blocked_process_fails_in_time_and_is_left_unharmed(folder, start):
    output = os.path.join(folder, "out")
    with open(os.path.join(folder, "stderr"), "wb") as stderr:
        pid = start([PYTHON, TARGET, REFERENCE, output, "block:4"], folder, base_environment(), output,
                    stderr=stderr)
    began = time.monotonic()
    result = pyprefix("--pid", pid, "--attach", "--timeout", "1")
    took = time.monotonic() - began
    assert_one_line_error(result, "process %d did not run pyprefix's reader within 1 s" % pid,
                          "blocked in a C call", "the request was withdrawn", "--pid without --attach")
    assert took < 2.5, took
    deadline = time.monotonic() + 30
    while not os.path.exists(output + ".woke"):  # its sleep returns: the withdrawn request stays withdrawn
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert tmp_listing(output) == []
    time.sleep(0.2)
    assert audit_records(output) == []  # the script never ran
    assert read(os.path.join(folder, "stderr")) == b""  # nothing printed, nothing raised
    # And it can be attached to now that it runs.
    assert pyprefix("--pid", pid, "--attach").stdout == read(output + ".list")


@needs_live
def test_a_stopped_process(folder, start):
    output = os.path.join(folder, "out")
    pid = start([PYTHON, TARGET, REFERENCE, output, ""], folder, base_environment(), output)
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    while "T" not in read("/proc/%d/stat" % pid).rsplit(b")", 1)[1].split()[0].decode():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert_one_line_error(pyprefix("--pid", pid, "--attach", "--timeout", "2"), "process %d is stopped" % pid)
    os.kill(pid, signal.SIGCONT)


@needs_live
def test_a_process_that_ends_while_attached_to(folder, start):
    output = os.path.join(folder, "out")
    pid = start([PYTHON, TARGET, REFERENCE, output, "alarm:2"], folder, base_environment(), output)
    began = time.monotonic()
    result = pyprefix("--pid", pid, "--attach", "--timeout", "30")
    assert_one_line_error(result, "process %d ended while pyprefix attached to it" % pid)
    assert time.monotonic() - began < 10


@needs_live
@pytest.mark.parametrize("how", ["environment", "-X"])
def test_remote_debugging_turned_off(folder, start, how):
    output = os.path.join(folder, "out")
    flags = ["-X", "disable-remote-debug"] if how == "-X" else []
    environment = base_environment(**({"PYTHON_DISABLE_REMOTE_DEBUG": "1"} if how == "environment" else {}))
    pid = start([PYTHON, *flags, TARGET, REFERENCE, output, ""], folder, environment, output)
    assert_one_line_error(pyprefix("--pid", pid, "--attach"), "process %d has remote debugging turned off" % pid,
                          "--pid without --attach")
    assert pyprefix("--pid", pid).returncode == 0


@needs_live
@needs_root
def test_another_user_without_root(folder, start):
    output = os.path.join(folder, "out")
    pid = start(AS_NOBODY + [PYTHON, TARGET, REFERENCE, output, ""], folder, base_environment(), output)
    as_other = ["setpriv", "--reuid=65533", "--regid=65533", "--clear-groups"]
    cli = readable_copies(os.environ["PYPREFIX_CLI"])[0]
    os.chmod(cli, 0o755)
    result = subprocess.run(as_other + [cli, "--pid", str(pid), "--attach"], capture_output=True, timeout=60)
    assert_one_line_error(result, "cannot attach to process %d" % pid, "runs as user %d" % NOBODY,
                          "only that user or root")


@needs_live
@needs_root
def test_the_same_user_without_root(folder, start):
    output = os.path.join(folder, "out")
    pid = start(AS_NOBODY + [PYTHON, TARGET, REFERENCE, output, "append:%s/own" % folder], folder,
                base_environment(HOME=folder), output)
    cli = readable_copies(os.environ["PYPREFIX_CLI"])[0]
    os.chmod(cli, 0o755)
    result = subprocess.run(AS_NOBODY + [cli, "--pid", str(pid), "--attach"], capture_output=True, timeout=60,
                            cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == read(output + ".list")
    assert [run["folder"][0] for run in audit_records(output)] == [NOBODY]
    assert tmp_listing(output) == []


@needs_live
@needs_root
def test_root_without_cap_sys_ptrace(folder, start):
    output = os.path.join(folder, "out")
    pid = start(AS_NOBODY + [PYTHON, TARGET, REFERENCE, output, ""], folder, base_environment(), output)
    # A container's root: uid 0 without CAP_SYS_PTRACE (gone from the bounding set, so from every set).
    without = ["setpriv", "--bounding-set=-sys_ptrace", "--inh-caps=-sys_ptrace"]
    result = subprocess.run(without + [os.environ["PYPREFIX_CLI"], "--pid", str(pid), "--attach"],
                            capture_output=True, timeout=60)
    assert_one_line_error(result, "cannot attach to process %d" % pid, "pyprefix runs as root without CAP_SYS_PTRACE",
                          "--cap-add SYS_PTRACE")


@needs_live
def test_the_python_package(folder, start):
    if not PACKAGE_DIR:
        pytest.skip("the build has no Python package")
    output = os.path.join(folder, "out")
    pid = start([PYTHON, TARGET, REFERENCE, output, "append:%s/from-package" % folder], folder,
                base_environment(), output)
    code = "import sys, pyprefix; sys.stdout.write(''.join(p + '\\n' for p in pyprefix.prefixes(pid=%d, attach=True)))"
    result = subprocess.run([PYTHON, "-c", code % pid], capture_output=True, env=base_environment(PYTHONPATH=PACKAGE_DIR))
    assert result.returncode == 0, result.stderr
    assert os.fsencode(result.stdout.decode()) == read(output + ".list")
    refused = subprocess.run([PYTHON, "-c", "import pyprefix; pyprefix.prefixes(attach=True)"], capture_output=True,
                             env=base_environment(PYTHONPATH=PACKAGE_DIR))
    assert b"ValueError: attach goes with pid" in refused.stderr


@needs_live
def test_a_debug_build(folder, start):
    if not DEBUG_PYTHON:
        pytest.skip("no debug build of this Python here (Debian's python3.X-dbg)")
    output = os.path.join(folder, "out")
    pid = start([DEBUG_PYTHON, TARGET, REFERENCE, output, "append:%s/debug" % folder], folder, base_environment(),
                output)
    result = pyprefix("--pid", pid, "--attach")
    assert result.returncode == 0, result.stderr
    assert result.stdout == read(output + ".list")


@needs_live
def test_a_helper_killed_at_the_deadline_leaves_no_folder(folder, start):
    """Issue 25's sixth finding: a helper killed at the deadline while it made the folder and the
    script (its user may stop it) left both in the process's temporary folder. strace holds every
    fsync for 10 s (the helper's of the script is the only one), so that the deadline comes
    while the folder and the script exist; they must be gone afterwards."""
    if shutil.which("strace") is None:
        pytest.skip("no strace here (Debian's strace) to hold the helper with")
    output = os.path.join(folder, "out")
    pid = start([PYTHON, TARGET, REFERENCE, output, ""], folder, base_environment(), output)
    errors = os.path.join(folder, "errors")  # pyprefix's stderr alone, without strace's
    traced = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync",
                             "-e", "inject=fsync:delay_enter=10000000", "sh", "-c", 'exec "$@" 2> "$0"', errors,
                             os.environ["PYPREFIX_CLI"], "--pid", str(pid), "--attach", "--timeout", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    result = subprocess.CompletedProcess(traced.args, traced.returncode, traced.stdout, read(errors))
    assert_one_line_error(result, "pyprefix's helper in process %d failed to finish in time" % pid)
    assert tmp_listing(output) == []
    assert audit_records(output) == []


@needs_live
@needs_root
def test_a_set_user_id_python_is_refused(folder, start):
    """A set-user-ID-root copy of Python run by nobody has uid 65534 but euid 0: its script would
    be nobody's to change and run as root. --attach refuses it (issue 25's review)."""
    python = os.path.join(folder, "setuid-python")
    shutil.copy(os.path.realpath(PYTHON), python)
    os.chmod(python, 0o4755)
    output = os.path.join(folder, "out")
    pid = start(AS_NOBODY + [python, "-c", "open(%r, 'w').close()\nwhile True: sum(range(1000))" % output], folder,
                base_environment(), output)
    assert_one_line_error(pyprefix("--pid", pid, "--attach"), "process %d runs with more than one user or group id" % pid,
                          "set-user-ID", "use --pid without --attach")


SWAP_DRIVER = readable_copies(os.path.join(os.path.dirname(os.path.abspath(__file__)), "attach_swap_driver.py"))[0]


@needs_live
@needs_root
@pytest.mark.parametrize("attack, message", [("pid-reuse", "ended while pyprefix attached to it"),
                                             ("exec", "began to run another program while pyprefix attached to it")])
def test_a_process_swapped_while_the_helper_is_held(folder, attack, message):
    """Issue 25's first finding: the victim's helper is held (frozen), the victim is swapped for a
    root Python at the same addresses (its number reused, or a set-user-ID exec), and the helper
    let go. The request must reach no one: pyprefix fails in one line, the impostor runs nothing."""
    result = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "--propagation", "private",
                             "/usr/bin/python3", SWAP_DRIVER, os.environ["PYPREFIX_CLI"], PYTHON, folder, attack],
                            capture_output=True, timeout=300)
    if result.returncode == 77:
        pytest.skip(result.stderr.decode().strip())
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["impostor_pid_matched"], verdict  # the swap happened as planned
    assert verdict["impostor_ran"] == "", verdict
    assert verdict["returncode"] == 1, verdict
    lines = verdict["stderr"].splitlines()
    assert len(lines) == 1 and message in lines[0], lines


MAPS_LOW = r"""
import ctypes, mmap, os, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
ready, how, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
for i, path in enumerate(paths):
    fd = os.open(path, os.O_RDONLY)
    # One page of each, below the interpreter's own image, so that --attach's search meets them first.
    address = libc.mmap(0x10000 + i * 0x1000, 4096, mmap.PROT_READ, mmap.MAP_PRIVATE | 0x100000, fd, 0)
    assert address == 0x10000 + i * 0x1000, ctypes.get_errno()
    os.close(fd)
if how == "deleted-to-fifo":  # its maps line now says "PATH (deleted)": a name the process chooses
    folder = os.path.dirname(paths[0])
    os.unlink(paths[0])
    fifo = os.path.join(folder, "fifo")
    os.mkfifo(fifo)
    os.symlink(fifo, paths[0] + " (deleted)")
    def writer():  # its open returns when anyone opens the FIFO to read
        os.open(fifo, os.O_WRONLY)
        open(fifo + ".opened", "w").close()
    threading.Thread(target=writer, daemon=True).start()
open(ready, "w").close()
while True:
    sum(range(1000))
"""


def forged_image(path):
    """A 64-bit ELF header declaring 65,535 sections and 4 MiB of section names without a NUL:
    what made the old name scan take seconds of CPU per image."""
    count, names = 65535, 4 << 20
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4], header[5], header[6] = 2, 1, 1
    table = 64 + 56
    header[32:40] = (64).to_bytes(8, "little")  # e_phoff
    header[40:48] = table.to_bytes(8, "little")  # e_shoff
    header[54:56] = (56).to_bytes(2, "little")  # e_phentsize
    header[56:58] = (1).to_bytes(2, "little")  # e_phnum
    header[58:60] = (64).to_bytes(2, "little")  # e_shentsize
    header[60:62] = count.to_bytes(2, "little")  # e_shnum
    load = bytearray(56)
    load[0:4] = (1).to_bytes(4, "little")  # PT_LOAD
    load[48:56] = (4096).to_bytes(8, "little")
    section = bytearray(64)
    section[24:32] = (table + count * 64).to_bytes(8, "little")  # sh_offset of the names
    section[32:40] = names.to_bytes(8, "little")
    with open(path, "wb") as file:
        file.write(bytes(header) + bytes(load) + bytes(section) * count + b"x" * names)


@needs_live
def test_forged_images_cost_no_more_than_the_timeout(folder, start):
    """Issue 25's third finding: three forged 4 MiB images named like Python, mapped before the
    interpreter, took 30 s of CPU whatever --timeout said. Now --attach reads them linearly within
    its budget and still answers within --timeout 1."""
    images = [os.path.join(folder, "python-forged-%d.so" % i) for i in range(3)]
    for image in images:
        forged_image(image)
    output = os.path.join(folder, "out")
    pid = start([PYTHON, "-c", MAPS_LOW, output, "keep"] + images, folder, base_environment(), output)
    began = time.monotonic()
    result = pyprefix("--pid", pid, "--attach", "--timeout", "1")
    took = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    assert result.stdout == pyprefix("--pid", pid).stdout  # nothing changed sys.path: the start-up list
    assert took < 2, took  # the timeout, held


@needs_live
@needs_root
def test_a_mapped_file_on_fuse_is_not_opened(folder):
    """Issue 25's fourth finding: a file the process maps from a FUSE mount whose server is
    stopped hung pyprefix until SIGKILL (opening it asks the server). Now it is skipped, by its
    file system's type in mountinfo, before any open, with a diagnostic."""
    if shutil.which("bindfs") is None:
        pytest.skip("no bindfs here (Debian's bindfs) to make a FUSE mount with")
    source, mount, output = (os.path.join(folder, name) for name in ("source", "fuse", "out"))
    os.makedirs(source)
    os.makedirs(mount)
    shutil.copy(os.path.realpath(PYTHON), os.path.join(source, "python-on-fuse"))
    # bindfs serves `mount` in a mount namespace of the target's own; the shell becomes the target.
    script = ('bindfs -f "$1" "$2" & echo $! > "$3.server"; '
              'while [ ! -e "$2/python-on-fuse" ]; do sleep 0.05; done; '
              'exec "$4" -c "$5" "$3" keep "$2/python-on-fuse"')
    target = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", source, mount,
                               output, PYTHON, MAPS_LOW], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(output):
            assert target.poll() is None and time.monotonic() < deadline, "the FUSE target did not start"
            time.sleep(0.05)
        with open(output + ".server") as file:
            os.kill(int(file.read()), signal.SIGSTOP)  # from now on, every request to the mount waits
        result = pyprefix("--pid", target.pid, "--attach", "--timeout", "10")
        assert result.returncode == 0, result.stderr
        lines = result.stderr.decode().splitlines()
        # The path as the kernel names it for pyprefix (a mount of another namespace: from its root).
        assert len(lines) == 1 and "/python-on-fuse, which lies on a fuse" in lines[0], lines
    finally:
        os.killpg(target.pid, signal.SIGKILL)
        target.wait()


@needs_live
@needs_root
def test_a_container_without_map_files_opens_no_path_the_process_chose(folder, start):
    """Issue 25's fifth finding: where /proc/PID/map_files cannot be opened (root without
    CAP_SYS_ADMIN, as in a container given CAP_SYS_PTRACE only), a mapping's path was opened as
    root, " (deleted)", symlinks and all: the process's FIFO was opened. Now a deleted file is not
    opened by its path, nor any path through a symlink, and the missing capability is named."""
    image = os.path.join(folder, "libpython-gone.so")
    shutil.copy(os.path.realpath(PYTHON), image)
    output = os.path.join(folder, "out")
    pid = start(AS_NOBODY + [PYTHON, "-c", MAPS_LOW, output, "deleted-to-fifo", image], folder, base_environment(),
                output)
    without = ["setpriv", "--bounding-set=-sys_admin,-checkpoint_restore",
               "--inh-caps=-sys_admin,-checkpoint_restore"]
    result = subprocess.run(without + [os.environ["PYPREFIX_CLI"], "--pid", str(pid), "--attach", "--timeout", "5"],
                            capture_output=True, timeout=60)
    time.sleep(0.5)
    assert not os.path.exists(os.path.join(folder, "fifo.opened"))
    assert_one_line_error(result, "pyprefix runs as root without CAP_SYS_ADMIN", "--cap-add SYS_ADMIN")


def older_pythons():
    found = [python for python in [PYTHON, "/usr/bin/python3"] + sorted(glob.glob(os.path.expanduser(
        "~/.pyenv/versions/3.*/bin/python3"))) if os.access(python, os.X_OK) and version_of(python) < (3, 14)]
    return sorted(set(found))


def test_older_pythons_are_refused_in_one_line(folder, start):
    pythons = older_pythons()
    if not pythons:
        pytest.skip("no Python older than 3.14 here")
    for python in pythons:
        output = os.path.join(folder, "out-%d.%d" % version_of(python))
        pid = start([python, "-c", "open(%r, 'w').close(); import time; time.sleep(600)" % output], folder,
                    base_environment(), output)
        result = pyprefix("--pid", pid, "--attach")
        assert_one_line_error(result, "process %d runs" % pid, "--attach needs Python 3.14 or newer (PEP 768)",
                              "use --pid without --attach")
        if version_of(python) == (3, 13):  # its debug offsets give its version
            assert "Python 3.13" in result.stderr.decode()


def test_programs_that_are_not_python(folder, start):
    output = os.path.join(folder, "out")
    pid = start(["sh", "-c", "touch %s; exec sleep 600" % output], folder, base_environment(), output)
    assert_one_line_error(pyprefix("--pid", pid, "--attach"), "process %d holds no Python interpreter" % pid)
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert_one_line_error(pyprefix("--pid", ended.pid, "--attach"), "there is no process %d" % ended.pid)


@pytest.mark.parametrize("arguments, message", [
    (["--attach"], "--attach goes with --pid"),
    (["--pid", "1", "--attach", "--python", "python3"], "--attach takes neither --python nor --isolated"),
    (["--pid", "1", "--attach", "--isolated"], "--attach takes neither --python nor --isolated"),
    (["trim", "--prefixes", "x", "--pid", "1", "--attach"], "--prefixes replaces asking an interpreter"),
])
def test_usage_errors(arguments, message):
    result = pyprefix(*arguments)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert len(result.stderr.decode().splitlines()) == 1
