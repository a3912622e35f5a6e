

# ---- lib/ask/attach/attach_main.py, appended to the reader when it runs inside a running process ----
# What `--attach` has the process's main thread run at its next safe point (PEP 768: the file is
# run with exec in a namespace of its own). pyprefix's helper, running as the process's user
# inside its root, made FOLDER (a private folder, as bytes, written above the reader) and put
# this file there; the call at the end names the packages and the mode. The answer is written
# once, whole, then renamed into place for the helper to take. If the folder has gone (pyprefix
# gave up and withdrew), it does nothing: it never prints, raises or blocks in the program.


def attach_main(folder, packages, classify):
    try:
        os.stat(folder)
        answer = read(packages, classify)
        part = folder + b"/answer.part"
        file = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            view = memoryview(answer)
            while view:
                view = view[os.write(file, view):]
        finally:
            os.close(file)
        os.rename(part, folder + b"/answer")
    except Exception:
        pass  # (no signal is handled while a remote-debugger script runs: no KeyboardInterrupt comes here)
