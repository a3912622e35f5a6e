"""Running the tool from the pytest suites of this folder (PYPREFIX_CLI), and checking its errors."""
import os
import subprocess

CLI = os.environ["PYPREFIX_CLI"]


def pyprefix(*arguments, **keywords):
    """The tool's completed run, its output captured, two minutes at most."""
    return subprocess.run([CLI] + [str(a) for a in arguments], capture_output=True, timeout=120, **keywords)


def assert_one_line_error(result, *parts):
    """Exit status 1, nothing on stdout, one line on stderr holding every part."""
    assert result.returncode == 1, result
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], lines[0]
