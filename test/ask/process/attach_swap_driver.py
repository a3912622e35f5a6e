"""The attacks on `--attach` that swap the process while pyprefix holds its addresses (issue 25),
made deterministic: run as root, alone in a PID namespace and a mount namespace of its own
(`unshare --pid --fork --mount-proc`), so that process numbers are reused on demand.

    python attach_swap_driver.py CLI PYTHON FOLDER (pid-reuse | exec)

The victim, a Python of nobody's that runs Python code, sits in a cgroup v1 freezer cgroup,
frozen. pyprefix --attach reads the victim's addresses, then forks its helper into the victim's
cgroups, where the helper freezes: the window between reading and writing is held open for as
long as the attack needs, as a helper stopped by its user would be. Then the victim is thawed and
    pid-reuse: killed, and a root Python (an impostor, at the same addresses: Debian's python3.14
               is not PIE) takes its number through ns_last_pid;
    exec:      made to exec a set-user-ID-root copy of the same Python (the impostor);
and the helper is thawed. The impostor records, with an audit hook, any remote-debugger script it
is asked to run. Printed: one JSON object {"returncode", "stderr", "impostor_pid_matched",
"impostor_ran"}. Exit 77 with a reason when this kernel has no cgroup v1 freezer.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

cli, python, folder, attack = sys.argv[1:5]
NOBODY = 65534
IMPOSTOR = r'''
import os, sys
marker, ready = sys.argv[1], sys.argv[2]
def audit(event, arguments):
    if event == "cpython.remote_debugger_script":
        with open(marker, "a") as file:
            file.write("%s %d\n" % (arguments[0], os.geteuid()))
sys.addaudithook(audit)
open(ready, "w").close()
while True:
    sum(range(1000))
'''
VICTIM = r'''
import os, sys
trigger, impostor, marker, ready = sys.argv[1:5]
open(ready + ".victim", "w").close()
while True:
    sum(range(1000))
    if os.path.exists(trigger):
        os.execv(impostor, [impostor, "-c", sys.argv[5], marker, ready])
'''


def wait_for(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("attach_swap_driver: gave up waiting for " + what)
        time.sleep(0.01)


def write(path, text):
    with open(path, "w") as file:
        file.write(text)


def procs(cgroup):
    with open(os.path.join(cgroup, "cgroup.procs")) as file:
        return [int(line) for line in file.read().split()]


hierarchy = os.path.join(folder, "freezer")
os.mkdir(hierarchy)
if subprocess.run(["mount", "-t", "cgroup", "-o", "freezer", "pyprefix-freezer", hierarchy]).returncode != 0:
    print("this kernel has no cgroup v1 freezer to hold pyprefix's helper with", file=sys.stderr)
    sys.exit(77)
cgroup = os.path.join(hierarchy, "pyprefix-attach-swap-" + os.path.basename(folder))
os.mkdir(cgroup)
marker, ready, trigger = (os.path.join(folder, name) for name in ("impostor.ran", "impostor.ready", "trigger"))
impostor_python = python
if attack == "exec":
    impostor_python = os.path.join(folder, "setuid-python")
    shutil.copy(os.path.realpath(python), impostor_python)
    os.chown(impostor_python, 0, 0)
    os.chmod(impostor_python, 0o4755)
victim = subprocess.Popen(["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup,
                           "setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                           python, "-c", VICTIM, trigger, impostor_python, marker, ready, IMPOSTOR],
                          cwd=folder, env={"PATH": os.environ["PATH"], "TMPDIR": "/tmp"})
wait_for(lambda: os.path.exists(ready + ".victim"), "the victim")
write(os.path.join(cgroup, "freezer.state"), "FROZEN")
wait_for(lambda: open(os.path.join(cgroup, "freezer.state")).read().strip() == "FROZEN", "the freeze")

attach = subprocess.Popen([cli, "--pid", str(victim.pid), "--attach", "--timeout", "60"], cwd="/",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
# The helper joins the victim's cgroup, and freezes there.
wait_for(lambda: len(procs(cgroup)) > 1 or attach.poll() is not None, "pyprefix's helper in the frozen cgroup")
if attach.poll() is not None:
    raise SystemExit("attach_swap_driver: pyprefix ended before its helper was held: %r" % (attach.communicate(),))
wait_for(lambda: open(os.path.join(cgroup, "freezer.state")).read().strip() == "FROZEN", "the helper's freeze")

# The victim leaves the frozen cgroup (which thaws it) and is swapped for the impostor.
write(os.path.join(hierarchy, "cgroup.procs"), str(victim.pid))
impostor = None
if attack == "pid-reuse":
    victim.kill()
    victim.wait()
    write("/proc/sys/kernel/ns_last_pid", str(victim.pid - 1))
    impostor = subprocess.Popen([python, "-c", IMPOSTOR, marker, ready], cwd=folder)
    matched = impostor.pid == victim.pid
else:
    open(trigger, "w").close()
    wait_for(lambda: os.path.exists(ready), "the exec")
    matched = os.readlink("/proc/%d/exe" % victim.pid) == impostor_python
wait_for(lambda: os.path.exists(ready), "the impostor")

write(os.path.join(cgroup, "freezer.state"), "THAWED")
out, err = attach.communicate(timeout=90)
time.sleep(1)  # a request that reached the impostor runs at its next safe point: within milliseconds
ran = open(marker).read() if os.path.exists(marker) else ""
for process in (impostor, victim):
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
write(os.path.join(cgroup, "freezer.state"), "THAWED")
for pid in procs(cgroup):
    os.kill(pid, signal.SIGKILL)
wait_for(lambda: not procs(cgroup), "an empty cgroup")
os.rmdir(cgroup)
print(json.dumps({"returncode": attach.returncode, "stderr": err.decode(errors="replace"),
                  "impostor_pid_matched": matched, "impostor_ran": ran}))
