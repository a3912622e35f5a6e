

# ---- lib/child/child_main.py, appended to the reader when it runs in a child process ----
# What the child does around read(): set up the start it imitates, keep its own compiled form
# for the next start, then answer on file descriptor 3. The bootstrap (child_reader.cpp) that
# loads or compiles this program passes CODE (the program's code object), CACHE (the file to
# keep it in, or "") and FRESH (whether it was compiled now). argv is [-c, this program,
# "classify" or "plain", start, cache, package names...]; start is one of
#   isolated       `-I -S` were given: run site as `-I` would, but without running .pth import
#                  lines, sitecustomize or usercustomize
#   isolated:PATH  the same for a start with a script: a folder or zip file is put first
#   command        a plain `python` start: drop the '' that -c puts first
#   prompt         a process started with -c, - or no script: keep that ''
#   module         a process started with -m: the working directory first
#   script:PATH    a process started with a script: the script's real folder first (a folder or
#                  zip file run as a script is put first itself)
# (-I and -P, and PYTHONSAFEPATH, put nothing first, for the child as for the process.)


def importer_path(script):
    """The folder or zip file run as a script (always first: its __main__ is found there), else None."""
    if os.path.isdir(script):
        return script
    import zipimport
    try:
        zipimport.zipimporter(script)
        return script
    except Exception:
        return None


def child_start(start):
    if start == "isolated" or start.startswith("isolated:"):
        import site
        site.exec = lambda *arguments, **keywords: None
        site.execsitecustomize = site.execusercustomize = lambda: None
        site.main()
        importer = importer_path(start[9:]) if start.startswith("isolated:") else None
        if importer is not None:
            sys.path.insert(0, importer)
        return
    # -I and -P (and PYTHONSAFEPATH) put nothing first, for the child as for the process; but a
    # folder or zip file run as a script is always put first, since its __main__ is found there.
    safe = sys.flags.isolated or getattr(sys.flags, "safe_path", False)
    first = None
    if start == "command":
        if not safe:
            del sys.path[0]
    elif start == "module" and not safe:
        first = os.getcwd()
    elif start.startswith("script:"):
        script = start[7:]
        first = importer_path(script)
        if first is None and not safe:
            first = os.path.dirname(os.path.realpath(script))
    if first is not None:
        if safe:
            sys.path.insert(0, first)
        else:
            sys.path[0] = first


def keep_compiled(code, cache):
    """Writes the program's code where the next start finds it, as write_cached()
    (compiled_cache.cpp) does: a new 0600 file in the folder pyprefix opened as descriptor 4,
    renamed over the old one. A failure only means compiling again."""
    import marshal
    part = "%s.%d" % (cache, os.getpid())
    try:
        file = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=4)
        try:
            os.write(file, marshal.dumps(code))
        finally:
            os.close(file)
        os.replace(part, cache, src_dir_fd=4, dst_dir_fd=4)
    except Exception:
        try:
            os.unlink(part, dir_fd=4)
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
