

# ---- lib/entries/child_main.py, appended to the reader when it runs in a child process ----
# What the child does around read(): set up the start it imitates, keep its own compiled form
# for the next start, then answer on file descriptor 3. The bootstrap (child_reader.cpp) that
# loads or compiles this program passes CODE (the program's code object), CACHE (the file to
# keep it in, or "") and FRESH (whether it was compiled now). argv is [-c, this program,
# "classify" or "plain", start, cache, package names...]; start is one of
#   isolated       `-I -S` were given: run site as `-I` would, but without running .pth import
#                  lines, sitecustomize or usercustomize
#   command        a plain `python` start: drop the '' that -c puts first
#   prompt         a process started with -c, - or no script: keep that ''
#   module         a process started with -m: the working directory first
#   script:PATH    a process started with a script: the script's real folder first (a folder or
#                  zip file run as a script is put first itself)
# (-I and -P, and PYTHONSAFEPATH, put nothing first, for the child as for the process.)


def child_start(start):
    if start == "isolated":
        import site
        site.exec = lambda *arguments, **keywords: None
        site.execsitecustomize = site.execusercustomize = lambda: None
        site.main()
    elif not (sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
        if start == "command":
            del sys.path[0]
        elif start == "module":
            sys.path[0] = os.getcwd()
        elif start.startswith("script:"):
            script = start[7:]
            if not os.path.isdir(script):
                import zipimport
                try:
                    zipimport.zipimporter(script)
                except Exception:
                    script = os.path.dirname(os.path.realpath(script))
            sys.path[0] = script


def keep_compiled(code, cache):
    """Writes the program's code where the next start finds it: only in a folder of this user's
    that no one else may write to, and atomically. A failure only means compiling again."""
    import marshal
    folder = os.path.dirname(cache)
    try:
        os.makedirs(folder, 0o700, exist_ok=True)
        status = os.stat(folder)
        if status.st_uid != os.getuid() or status.st_mode & 0o022:
            return
        part = "%s.%d" % (cache, os.getpid())
        with open(part, "wb") as file:
            file.write(marshal.dumps(code))
        os.replace(part, cache)
    except Exception:
        pass


def child_main():
    child_start(sys.argv[3])
    if FRESH and CACHE:
        keep_compiled(CODE, CACHE)
    with os.fdopen(3, "wb") as answer:
        answer.write(read(sys.argv[5:], sys.argv[2] == "classify"))
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)  # the answer is complete: finalising the interpreter would only cost time


child_main()
