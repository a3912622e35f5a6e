"""A process for `pyprefix --pid PID --attach`: it changes sys.path after start-up, as programs
do, then writes what it has now (the reference, test/reference/prefixes.py, run by the target
itself; and its own live manifest from pyprefix's package, when one is given), and runs Python
code until it is killed.

    python attach_target.py REFERENCE OUTPUT CHANGES [PACKAGE_FOLDER]

CHANGES, comma-separated, applied in order:
    append:PATH  insert:PATH  addsitedir:PATH  chdir:PATH   sys.path.append(...) and the like
    block:SECONDS    after writing, one time.sleep(SECONDS) (a C call), then OUTPUT.woke
    alarm:SECONDS    after writing, ended by SIGALRM's default action while blocked in a sleep
Written: OUTPUT.list (the list), OUTPUT.json (`list --json --classify --package email`),
OUTPUT.manifest (pyprefix's live manifest, `--classify --package email`), OUTPUT.audit (each
remote-debugger script this process was asked to run, with its folder's and its own owner
and mode, seen by an audit hook when the run starts), and OUTPUT.tmp on request (OUTPUT.ask):
the pyprefix folders in its temporary folder, which only it may see in its own mount namespace.
OUTPUT itself comes last. The reference and the package are loaded by path: sys.path stays as
this program made it.
"""
import importlib.util
import json
import os
import signal
import site
import sys
import tempfile
import time

reference_path, output, changes = sys.argv[1:4]
package_folder = sys.argv[4] if len(sys.argv) > 4 else ""


def load(name, path, search=None):
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=search)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def audit(event, arguments):
    if event != "cpython.remote_debugger_script":
        return
    script = arguments[0]
    folder = os.path.dirname(script)
    facts = {"script": script}
    for name, path in (("folder", folder), ("file", script)):
        try:
            status = os.stat(path)
            facts[name] = [status.st_uid, status.st_mode & 0o7777]
        except OSError as failure:
            facts[name] = str(failure)
    with open(output + ".audit", "a") as file:
        file.write(json.dumps(facts) + "\n")


def write(name, data):
    with open(name + ".part", "wb") as file:
        file.write(data)
    os.rename(name + ".part", name)


reference = load("pyprefix_reference", reference_path)
block = alarm = None
for change in changes.split(","):
    what, _, value = change.partition(":")
    if what == "append":
        sys.path.append(value)
    elif what == "insert":
        sys.path.insert(0, value)
    elif what == "addsitedir":
        site.addsitedir(value)
    elif what == "chdir":
        os.chdir(value)
    elif what == "block":
        block = float(value)
    elif what == "alarm":
        alarm = int(value)
    elif what:
        raise SystemExit("unknown change " + change)

sys.addaudithook(audit)
write(output + ".list", b"".join(prefix + b"\n" for prefix in reference.prefixes()))
write(output + ".json", reference.as_json(reference.report(["email"], classify=True)).encode())
if package_folder:
    pyprefix = load("pyprefix", os.path.join(package_folder, "pyprefix", "__init__.py"),
                    [os.path.join(package_folder, "pyprefix")])
    write(output + ".manifest", pyprefix.manifest(["email"], classify=True).encode())
write(output, b"")
if alarm is not None:
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(alarm)
    time.sleep(600)
if block is not None:
    time.sleep(block)
    write(output + ".woke", b"")
while True:
    if os.path.exists(output + ".ask"):
        os.unlink(output + ".ask")
        found = sorted(name for name in os.listdir(tempfile.gettempdir()) if name.startswith("pyprefix-attach-"))
        write(output + ".tmp", json.dumps(found).encode())
    time.sleep(0.01)
