"""`pyprefix rewrite -i` run by root in folders another user controls (docs/guarantees.md): the
attacks of issue 25 done for real, as the user nobody against root's files. A symlink that
nobody placed on the way is never followed, whether it is there from the start or swapped in
while root rewrites (renameat2's RENAME_EXCHANGE, as fast as the kernel allows); a sparse file
stays sparse; a gzip bomb is refused; set-id bits are dropped and the owner kept.

Needs root (it acts as root and as nobody); run as another user, the whole suite is skipped, and
ctest reports it as skipped (its SKIP_REGULAR_EXPRESSION). Environment: PYPREFIX_CLI.
"""
import ctypes
import gzip
import os
import shutil
import subprocess
import tempfile
import time

import pytest

if os.geteuid() != 0:  # the whole suite: ctest reports "SUITE SKIPPED" as skipped, with this reason
    pytest.skip("SUITE SKIPPED: needs root, the attacks are nobody's against root", allow_module_level=True)

CLI = os.environ["PYPREFIX_CLI"]
NOBODY = 65534
PREFIX = b"/usr/lib/python3.11/"
LINE = b"  File \"/usr/lib/python3.11/json/decoder.py\", line 337, in decode\n"
SHORT = b"  File \"json/decoder.py\", line 337, in decode\n"


@pytest.fixture
def place():
    """A folder every user may pass through, with the saved list the rewrites use."""
    path = tempfile.mkdtemp(prefix="pyprefix-in-place-")
    os.chmod(path, 0o755)
    with open(os.path.join(path, "list"), "wb") as file:
        file.write(PREFIX + b"\n")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def rewrite_in_place(place, target, *options):
    return subprocess.run([CLI, "rewrite", "--prefixes", os.path.join(place, "list"), *options, "-i", target],
                          capture_output=True, timeout=120)


def one_line_error(result, *parts):
    assert result.returncode == 1, result
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], lines[0]


def roots_file(place):
    """Root's private folder and its 0600 file, which nobody must never reach."""
    folder = os.path.join(place, "root-only")
    os.mkdir(folder, 0o700)
    path = os.path.join(folder, "config.json")
    with open(path, "wb") as file:
        file.write(LINE)
    os.chmod(path, 0o600)
    return folder, path


def nobodys_folder(place):
    folder = os.path.join(place, "mal")
    os.mkdir(folder, 0o755)
    os.chown(folder, NOBODY, NOBODY)
    return folder


def as_nobody(code, *arguments):
    return subprocess.Popen(["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                             "/usr/bin/python3", "-c", code, *arguments])


def test_a_symlink_nobody_placed_is_not_followed(place):
    root_folder, root_file = roots_file(place)
    mal = nobodys_folder(place)
    link = os.path.join(mal, "out")
    os.symlink(root_folder, link)
    os.lchown(link, NOBODY, NOBODY)
    result = rewrite_in_place(place, os.path.join(link, "config.json"))
    one_line_error(result, "the symlink 'out'", "another user owns or could have placed")
    assert open(root_file, "rb").read() == LINE
    assert os.listdir(root_folder) == ["config.json"]
    # Root's own symlink in nobody's folder: nobody could replace it there, so it is not followed either.
    os.unlink(link)
    os.symlink(root_folder, link)
    one_line_error(rewrite_in_place(place, os.path.join(link, "config.json")), "the symlink 'out'")
    assert open(root_file, "rb").read() == LINE


def test_a_symlink_of_roots_own_is_followed(place):
    root_folder, root_file = roots_file(place)
    # In a folder only root may change (a symlinked home folder), and in a sticky one, as /tmp is.
    for folder, mode in (("trusted", 0o755), ("sticky", 0o1777)):
        os.mkdir(os.path.join(place, folder))
        os.chmod(os.path.join(place, folder), mode)
        link = os.path.join(place, folder, "home")
        os.symlink(root_folder, link)
        with open(root_file, "wb") as file:
            file.write(LINE)
        result = rewrite_in_place(place, os.path.join(link, "config.json"))
        assert result.returncode == 0, result.stderr
        assert open(root_file, "rb").read() == SHORT
        status = os.stat(root_file)
        assert (status.st_uid, status.st_mode & 0o7777) == (0, 0o600)


RENAME_EXCHANGE = 2
SWAPPER = r'''
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
folder, seconds = sys.argv[1], float(sys.argv[2])
until = time.monotonic() + seconds
swaps = 0
while time.monotonic() < until:
    if libc.renameat2(-100, os.path.join(folder, "out").encode(), -100, os.path.join(folder, "swap").encode(), 2) == 0:
        swaps += 1
print(swaps, file=sys.stderr)
'''


def test_a_folder_swapped_for_a_symlink_meanwhile(place):
    """nobody exchanges her folder `out` with a symlink to root's folder as fast as she can, while
    root rewrites mal/out/config.json 30 times: root's folder is never written, and each run
    either rewrites nobody's file or refuses in one line."""
    root_folder, root_file = roots_file(place)
    mal = nobodys_folder(place)
    out = os.path.join(mal, "out")
    os.mkdir(out)
    with open(os.path.join(out, "config.json"), "wb") as file:
        file.write(LINE)
    for path in (out, os.path.join(out, "config.json")):
        os.chown(path, NOBODY, NOBODY)
    swap = os.path.join(mal, "swap")
    os.symlink(root_folder, swap)
    os.lchown(swap, NOBODY, NOBODY)
    swapper = as_nobody(SWAPPER, mal, "60")
    try:
        outcomes = {"rewrote": 0, "refused": 0}
        for _ in range(30):
            result = rewrite_in_place(place, os.path.join(out, "config.json"))
            if result.returncode == 0:
                outcomes["rewrote"] += 1
            else:
                assert len(result.stderr.decode().splitlines()) == 1, result.stderr
                outcomes["refused"] += 1
            assert open(root_file, "rb").read() == LINE
            assert os.listdir(root_folder) == ["config.json"]
            status = os.stat(root_file)
            assert (status.st_uid, status.st_mode & 0o7777) == (0, 0o600)
    finally:
        swapper.kill()
        swapper.wait()
    assert sum(outcomes.values()) == 30


def test_a_sparse_file_stays_sparse(place):
    path = os.path.join(place, "sparse.txt")
    head = LINE * 2000
    gigabyte = 1 << 30
    with open(path, "wb") as file:
        file.write(head)
        file.truncate(gigabyte)
    os.chown(path, NOBODY, NOBODY)
    result = rewrite_in_place(place, path)
    assert result.returncode == 0, result.stderr
    status = os.stat(path)
    assert status.st_uid == NOBODY
    assert status.st_size == gigabyte - (len(LINE) - len(SHORT)) * 2000
    assert status.st_blocks * 512 < 1 << 20, status.st_blocks  # what the head takes, not a gigabyte
    with open(path, "rb") as file:
        assert file.read(len(SHORT) * 2000) == SHORT * 2000
        file.seek(status.st_size - 4096)
        assert file.read() == bytes(4096)


def test_a_gzip_bomb_is_refused(place):
    path = os.path.join(place, "bomb.txt.gz")
    with gzip.open(path, "wb", compresslevel=9) as file:
        file.write(LINE)
        file.write(b" " * (64 << 20))
    original = open(path, "rb").read()
    assert len(original) < 1 << 20
    one_line_error(rewrite_in_place(place, path, "--max-inflated", "1M"),
                   "inflates to more than 1048576 bytes", "--max-inflated")
    assert open(path, "rb").read() == original
    assert sorted(os.listdir(place)) == ["bomb.txt.gz", "list"]
    ok = rewrite_in_place(place, path, "--max-inflated", "65M")
    assert ok.returncode == 0, ok.stderr
    assert gzip.open(path).read(len(SHORT)) == SHORT
    for bad in ("0", "1X", "-1", "", "99999999999999999999G"):
        usage = rewrite_in_place(place, path, "--max-inflated", bad)
        assert usage.returncode == 2 and b"--max-inflated takes a number of bytes" in usage.stderr, usage


def test_set_id_bits_are_dropped_and_the_owner_kept(place):
    path = os.path.join(place, "owned.txt")
    with open(path, "wb") as file:
        file.write(LINE)
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o6755)
    result = rewrite_in_place(place, path)
    assert result.returncode == 0, result.stderr
    status = os.stat(path)
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (NOBODY, NOBODY, 0o755)
    assert open(path, "rb").read() == SHORT


def posix_acl(*entries):
    """system.posix_acl_access's bytes: version 2, then (tag, permissions, id) for each entry."""
    return (2).to_bytes(4, "little") + b"".join(
        tag.to_bytes(2, "little") + permissions.to_bytes(2, "little") + (identity & 0xffffffff).to_bytes(4, "little")
        for tag, permissions, identity in entries)


def test_rights_a_rewrite_would_drop_are_refused(place):
    """An access control list (bob may write, the group may not: mode 0660 says otherwise) and
    extra hard links would not come along to the new file: the file is refused as it is."""
    path = os.path.join(place, "acl.txt")
    with open(path, "wb") as file:
        file.write(LINE)
    os.chmod(path, 0o660)
    try:
        os.setxattr(path, "system.posix_acl_access",
                    posix_acl((0x01, 6, -1), (0x02, 6, 1000), (0x04, 0, -1), (0x10, 6, -1), (0x20, 0, -1)))
    except OSError as failure:
        pytest.skip("this file system takes no access control list: %s" % failure)
    one_line_error(rewrite_in_place(place, path), "has an access control list", "rewrite it into another file")
    assert open(path, "rb").read() == LINE
    linked = os.path.join(place, "linked.txt")
    with open(linked, "wb") as file:
        file.write(LINE)
    os.link(linked, os.path.join(place, "other-name.txt"))
    one_line_error(rewrite_in_place(place, linked), "has 2 hard links")
    assert open(os.path.join(place, "other-name.txt"), "rb").read() == LINE


def test_a_folders_default_acl_gives_the_new_file_nothing(place):
    """nobody's folder has a default access control list that lets nobody read and write what is
    made there; root's 0640 file in it, rewritten in place, gets no such entry."""
    mal = nobodys_folder(place)
    try:
        os.setxattr(mal, "system.posix_acl_default",
                    posix_acl((0x01, 7, -1), (0x02, 6, NOBODY), (0x04, 5, -1), (0x10, 7, -1), (0x20, 5, -1)))
    except OSError as failure:
        pytest.skip("this file system takes no access control list: %s" % failure)
    path = os.path.join(mal, "secret.txt")
    with open(path, "wb") as file:
        file.write(LINE)
    os.chmod(path, 0o640)
    try:
        os.removexattr(path, "system.posix_acl_access")  # the file itself as root left it: no list
    except OSError:
        pass
    result = rewrite_in_place(place, path)
    assert result.returncode == 0, result.stderr
    with pytest.raises(OSError):
        os.getxattr(path, "system.posix_acl_access")
    status = os.stat(path)
    assert (status.st_uid, status.st_mode & 0o7777) == (0, 0o640)
    assert open(path, "rb").read() == SHORT
