# ---- lib/ask/child/compile.py: what an isolated child (-I -S) runs to compile the child program ----
# Nothing of the environment runs in it (no site, .pth files, sitecustomize or PYTHON*
# variables), so what it answers is the program as this interpreter compiles it, and nothing
# else: a header, its bytecode magic, then the marshalled code, on descriptor 3. pyprefix keeps
# that in its cache (compiling again over a file without the header); bootstrap.py loads it only
# under the same magic.
import marshal, os, sys
data = b"@pyprefix_compiled_header@\0" + sys.modules["_frozen_importlib_external"].MAGIC_NUMBER + \
    marshal.dumps(compile(sys.argv[1], "<pyprefix child>", "exec"))
with os.fdopen(3, "wb") as answer:
    answer.write(data)
