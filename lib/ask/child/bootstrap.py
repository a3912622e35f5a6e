# ---- lib/ask/child/bootstrap.py: what a child runs with -c, the only code it compiles on every start ----
# It parses under Python 2 too, so that an old interpreter is named, not guessed; then it loads
# the child program (lib/core/entries/reader.py with child_main.py after it) from what pyprefix
# handed over on descriptor 4 ("cached": a header, the bytecode magic, then the code an isolated
# child compiled, compile.py), when the magic is this interpreter's, or compiles it.
import os, sys
if sys.version_info[:2] < (3, 8):
    os.write(3, ("pyprefix-reader-too-old %d.%d.%d\0" % tuple(sys.version_info[:3])).encode("ascii"))
    sys.exit(0)
code = None
if sys.argv[4] == "cached":
    try:
        import marshal
        data = os.pread(4, os.fstat(4).st_size, 0)
        magic = b"@pyprefix_compiled_header@\0" + sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
        if data[:len(magic)] == magic:
            code = marshal.loads(data[len(magic):])
    except Exception:
        pass
if type(code).__name__ != "code":
    code = compile(sys.argv[1], "<pyprefix child>", "exec")
exec(code, {"__name__": "pyprefix_reader"})
