"""python -m pyprefix: the pyprefix command, run in this interpreter.

`python -m` puts the working directory first on sys.path; it is dropped, as the pyprefix tool
drops the '' that `python -c` adds, so that the list is the one a plain `python` start gives.
"""
import sys

from ._pyprefix import _main


def main():
    if not getattr(sys.flags, "safe_path", False) and not sys.flags.isolated:
        del sys.path[0]
    sys.stdout.flush()
    sys.stderr.flush()
    return _main(["pyprefix"] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
