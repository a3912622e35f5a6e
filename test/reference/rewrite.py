"""The reference rewriter: the rule of `pyprefix rewrite` (docs/rewriting.md), written as
plainly as it reads, for the tests to compare the tool with. Bytes in, bytes out.

A path starts at the start of the input or of a line, or after whitespace, NUL or one of
" ' ( [ { < , ; : = | @; a path under a prefix loses its longest matching prefix (found by a
linear scan of the list). With a module namer, a path that ends (at whitespace or one of
" ' ( ) [ ] { } < > , ; : = | @ + or the end) in a Python file becomes its module name.
JSON: every string, key or value, is rewritten by the same rule on its decoded bytes.
"""
import json

STARTS_AFTER = set(b" \t\n\r\v\f\"'([{<,;:=|@\0")
ENDS_AT = set(b" \t\n\r\v\f\"'()[]{}<>,;:=|@+\0")
PYTHON_SUFFIXES = (b".py", b".pyc", b".pyw", b".so", b".pyd")
LONGEST_MODULE_PATH = 4096


HEX = set(b"0123456789abcdefABCDEF")


def may_start(data, i, escapes):
    """A path may start at i: the start, after a byte in STARTS_AFTER, or (text only) right after
    an escape of a quoted string, \\n \\t \\r \\0 \\xHH \\uHHHH, whose backslash no backslash precedes."""
    if i == 0 or data[i - 1] in STARTS_AFTER:
        return True
    if not escapes:
        return False

    def escape_at(back):
        return i >= back and data[i - back] == 0x5C and (i == back or data[i - back - 1] != 0x5C)

    if data[i - 1] in b"ntr0" and escape_at(2):
        return True
    if i >= 4 and data[i - 1] in HEX and data[i - 2] in HEX and data[i - 3] == ord("x") and escape_at(4):
        return True
    return i >= 6 and all(data[i - k] in HEX for k in (1, 2, 3, 4)) and data[i - 5] == ord("u") and escape_at(6)


def decoded_candidate(data, i, escaped, bound):
    """The candidate at i as bytes (its escaped slashes decoded), at most `bound` of them, with
    the raw offset after each (relative to i), and whether data goes on past them."""
    if not escaped:
        decoded = data[i:i + bound]
        return decoded, list(range(1, len(decoded) + 1)), i + len(decoded) < len(data)
    decoded, raw_end, j = bytearray(), [], i
    while j < len(data) and len(decoded) < bound:
        j += 2 if data.startswith(b"\\/", j) else 1
        decoded += data[j - 1:j]
        raw_end.append(j - i)
    return bytes(decoded), raw_end, j < len(data)


def rewrite_text(data, prefixes, module_of=None, keep_width=False, escapes=True):
    """`data` (bytes) rewritten with `prefixes` (bytes, each ending in b"/"). `module_of(path)`
    gives a path's module name (str) or None. In text (`escapes`), a path may also start after
    an escape, and one written with escaped slashes (b"\\/usr\\/lib\\/") is matched by what they
    stand for. `keep_width`: a shortened path that two spaces follow gets the spaces it lost."""
    bound = max(map(len, prefixes), default=0) + LONGEST_MODULE_PATH + 2
    out = bytearray()
    i = 0
    while i < len(data):
        escaped = escapes and data.startswith(b"\\/", i)
        if (data[i] == 0x2F or escaped) and may_start(data, i, escapes):
            decoded, raw_end, more = decoded_candidate(data, i, escaped, bound)
            matched = [p for p in prefixes if decoded.startswith(p)]
            if matched:
                prefix = max(matched, key=len)
                end, replacement = len(prefix), b""
                if module_of is not None:
                    path_end = end
                    while path_end < len(decoded) and decoded[path_end] not in ENDS_AT:
                        path_end += 1
                    path = decoded[:path_end]
                    too_long = path_end == len(decoded) and more
                    module = None
                    if not too_long and path_end <= LONGEST_MODULE_PATH + len(prefix) and path.endswith(PYTHON_SUFFIXES):
                        module = module_of(path)
                    if module:
                        replacement, end = module.encode(), path_end
                raw = raw_end[end - 1]
                out += replacement
                i += raw
                if keep_width:  # the path's end and two spaces within the lookahead from its start
                    limit = min(len(data), i - raw + bound)
                    rest = i
                    while rest < limit and data[rest] not in ENDS_AT:
                        rest += 1
                    if rest + 2 <= limit and data[rest:rest + 2] == b"  ":
                        out += data[i:rest] + b" " * max(0, raw - len(replacement))
                        i = rest
                continue
        out.append(data[i])
        i += 1
    return bytes(out)


def rewrite_string(text, prefixes, module_of=None):
    """A decoded JSON string rewritten: its file-name bytes (surrogate escapes for
    undecodable bytes, as json.dumps writes them) through rewrite_text."""
    data = text.encode("utf-8", "surrogateescape")
    return rewrite_text(data, prefixes, module_of, escapes=False).decode("utf-8", "surrogateescape")


def rewrite_json_value(value, prefixes, module_of=None):
    """A parsed JSON document with every string, key or value, rewritten."""
    if isinstance(value, str):
        return rewrite_string(value, prefixes, module_of)
    if isinstance(value, list):
        return [rewrite_json_value(item, prefixes, module_of) for item in value]
    if isinstance(value, dict):
        return {rewrite_string(key, prefixes, module_of): rewrite_json_value(item, prefixes, module_of)
                for key, item in value.items()}
    return value


def rewrite_json_lines(data, prefixes, module_of=None):
    """JSON Lines (or one document): the parsed documents, each rewritten."""
    text = data.decode("utf-8", "surrogateescape")
    try:
        return [rewrite_json_value(json.loads(text), prefixes, module_of)]
    except ValueError:
        return [rewrite_json_value(json.loads(line), prefixes, module_of) for line in text.splitlines() if line.strip()]


def parsed_json_lines(data):
    """`data` parsed as rewrite_json_lines parses it, for comparing with its answer."""
    return rewrite_json_lines(data, [])


def rewrite_pstats(stats, prefixes, module_of=None):
    """A loaded pstats table ({(file, line, name): (cc, nc, tt, ct, callers)}) with the file of
    every key, in the table and in each callers table, rewritten as a whole path by the rule
    above (file names as str, prefixes as bytes); keys that would become equal keep their files."""
    def short(key):
        data = key[0].encode("utf-8", "surrogateescape")
        new = rewrite_text(data, prefixes, module_of) if data.startswith(b"/") else data
        return (new.decode("utf-8", "surrogateescape"), key[1], key[2])

    def is_function(key, entry):  # 3.15's sampler adds ('__sampled__',): True, kept as it is
        return isinstance(key, tuple) and len(key) == 3 and isinstance(entry, tuple) and len(entry) == 5

    keys = {key for key, entry in stats.items() if is_function(key, entry)}
    for key, entry in stats.items():
        if is_function(key, entry):
            keys.update(entry[4])
    becomes = {}
    for key in keys:
        becomes.setdefault(short(key), set()).add(key)
    new_key = {key: (key if len(becomes[short(key)]) > 1 else short(key)) for key in keys}
    rewritten = {}
    for key, entry in stats.items():
        if is_function(key, entry):
            key = new_key[key]
            entry = entry[:4] + ({new_key[caller]: value for caller, value in entry[4].items()},)
        rewritten[key] = entry
    return rewritten
