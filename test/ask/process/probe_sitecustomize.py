"""A hostile sitecustomize for the root-safety tests: whoever starts Python with this folder on its
PYTHONPATH runs it at start-up (a target process, and the child that `pyprefix --pid` starts for
it). It records what the process was handed: its namespaces, capabilities, no_new_privs, user,
session, open descriptors, whether /dev/tty opens and TIOCSTI works there. When the file
PROBE_FOLDER/spawn exists it also leaves a grandchild behind, in a session of its own, holding
the process's descriptors 1 and 3 (the answer pipe of pyprefix's child). When PROBE_FOLDER/hold
exists, it waits after writing its record until PROBE_FOLDER/release exists (30 s at most), so that
the test can look at the process from outside while it runs.
"""
import json
import os
import stat
import time

FOLDER = os.environ.get("PROBE_FOLDER")


def probe():
    record = {"pid": os.getpid(), "sid": os.getsid(0), "pgid": os.getpgid(0), "uid": os.getuid()}
    with open("/proc/self/stat") as file:
        record["tty_nr"] = int(file.read().rsplit(")", 1)[1].split()[4])  # 0: no controlling terminal
    with open("/proc/self/cgroup") as file:
        record["cgroup"] = file.read()
    record["ns"] = {}
    for name in ("user", "mnt", "pid", "net", "ipc", "uts", "cgroup"):
        try:
            record["ns"][name] = os.readlink("/proc/self/ns/" + name)
        except OSError as e:
            record["ns"][name] = "error %d" % e.errno
    with open("/proc/self/status") as file:
        for line in file:
            name, _, value = line.partition(":")
            if name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "NSpid", "Seccomp"):
                record[name] = value.strip()
    listing = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    record["fds"] = {}
    for name in os.listdir(listing):
        if int(name) != listing:
            try:
                record["fds"][name] = os.readlink("/proc/self/fd/" + name)
            except OSError:
                pass
    os.close(listing)
    # Whether fd 0 is /dev/null, by device number: its path is shown from another root when the
    # suite itself runs in a chroot.
    try:
        null = os.stat("/dev/null")
        record["null_input"] = os.fstat(0).st_rdev == null.st_rdev and stat.S_ISCHR(os.fstat(0).st_mode)
    except OSError:
        record["null_input"] = False
    try:
        tty = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
        record["tty"] = "opened"
        try:
            import fcntl
            import termios
            fcntl.ioctl(tty, termios.TIOCSTI, b"#")
            record["tiocsti"] = "worked"
        except OSError as e:
            record["tiocsti"] = "error %d" % e.errno
        os.close(tty)
    except OSError as e:
        record["tty"] = "error %d" % e.errno
    if os.path.exists(os.path.join(FOLDER, "spawn")):
        import subprocess
        marker = os.path.join(FOLDER, "spawn")
        with open(marker) as file:
            seconds = file.read().strip()
        grandchild = subprocess.Popen(["sleep", seconds], start_new_session=True,
                                      pass_fds=[fd for fd in (3,) if str(fd) in record["fds"]])
        record["grandchild"] = grandchild.pid
    name = os.path.join(FOLDER, "records", "%d-%f.json" % (os.getpid(), time.time()))
    with open(name + ".part", "w") as file:
        json.dump(record, file)
    os.rename(name + ".part", name)
    if os.path.exists(os.path.join(FOLDER, "hold")):
        deadline = time.monotonic() + 30
        while not os.path.exists(os.path.join(FOLDER, "release")) and time.monotonic() < deadline:
            time.sleep(0.01)


if FOLDER:
    try:
        probe()
    except Exception as e:  # a probe must never change what the process computes
        with open(os.path.join(FOLDER, "records", "error-%d" % os.getpid()), "w") as file:
            file.write(repr(e))
