# ---- lib/ask/child/bootstrap.py: what a child runs with -c, the only code it compiles on every start ----
# It parses under Python 2 too, so that an old interpreter is named, not guessed; then it loads
# the child program (lib/core/entries/reader.py with child_main.py after it) from the code
# pyprefix read from its cache for this interpreter and handed over on descriptor 4 ("cached"),
# or compiles it, and runs it. The cache's rules are pyprefix's alone (compiled_cache.cpp).
import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
code, cached = None, sys.argv[4] == "cached"
if cached:
    try:
        import marshal
        code = marshal.loads(os.pread(4, os.fstat(4).st_size, 0))
    except Exception:
        pass
fresh = type(code).__name__ != "code"
if fresh:
    code = compile(sys.argv[1], "<pyprefix child>", "exec")
exec(code, {"__name__": "pyprefix_reader", "CODE": code, "CACHED": cached, "FRESH": fresh})
