

# ---- lib/ask/child/child_main.py, appended to the reader when it runs in a child process ----
# What the child does around read(): set up the start it imitates, then answer on file
# descriptor 3 (bootstrap.py loads or compiles this program; what it loads,
# an isolated child compiled: compile.py). argv is [-c, this program, "classify" or "plain",
# start, "cached" or "", package names...]; start is one of
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


def child_main():
    child_start(sys.argv[3])
    with os.fdopen(3, "wb") as answer:
        answer.write(read(sys.argv[5:], sys.argv[2] == "classify"))
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)  # the answer is complete: finalising the interpreter would only cost time


child_main()
