"""Running the tool from the pytest suites of this folder (PYPREFIX_CLI), and checking its errors."""
import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

CLI = os.environ["PYPREFIX_CLI"]


def readable_copies(*paths):
    """Copies of `paths` that every user may read, in a folder removed when the tests end: the
    targets run as nobody too, and the source tree may be private (a clone under /root)."""
    folder = tempfile.mkdtemp(prefix="pyprefix-readable-")
    os.chmod(folder, 0o755)
    atexit.register(shutil.rmtree, folder, True)
    copies = []
    for path in paths:
        copies.append(os.path.join(folder, os.path.basename(path)))
        shutil.copy(path, copies[-1])
        os.chmod(copies[-1], 0o644)
    return copies


def pyprefix(*arguments, **keywords):
    """The tool's completed run, its output captured, two minutes at most."""
    return subprocess.run([CLI] + [str(a) for a in arguments], capture_output=True, timeout=120, **keywords)


def held_at_first_file(*arguments):
    """The tool started under strace, which holds its first openat2 (its first file below a
    process's root, read after the process's list) for 4 s, so that a test may change the
    process meanwhile. LeakSanitizer cannot run under ptrace: a sanitizer build's leak check is
    off for this run (its other checks stay)."""
    environment = dict(os.environ)
    environment["ASAN_OPTIONS"] = (environment.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    return subprocess.Popen(["strace", "-o", "/dev/null", "-e", "trace=openat2", "-e",
                             "inject=openat2:delay_enter=4000000:when=1", CLI] + [str(a) for a in arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)


def assert_one_line_error(result, *parts):
    """Exit status 1, nothing on stdout, one line on stderr holding every part."""
    assert result.returncode == 1, result
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], lines[0]


def start_target(argv, started, output, **keywords):
    """Starts a target process in a session of its own (kept in `started` for stop_targets) and
    waits, a minute at most, until it has written `output`."""
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True, **keywords)
    started.append(process)
    deadline = time.monotonic() + 60
    while not os.path.exists(output):
        assert process.poll() is None, "the target exited with status %s" % process.returncode
        assert time.monotonic() < deadline, "the target wrote nothing in 60 s"
        time.sleep(0.02)
    return process


def stop_targets(started):
    """Kills each started target with its whole session's process group."""
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def base_environment(**variables):
    """A small environment for a target, plus `variables`."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
                   "PYTHONDONTWRITEBYTECODE": "1"}
    environment.update(variables)
    # A sanitizer build's settings (its leak suppressions) carry over to the tool's runs.
    environment.update({name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")})
    return environment


@pytest.fixture
def targets():
    """A list for start_target(): every target in it is killed when the test ends."""
    started = []
    yield started
    stop_targets(started)
