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


def rewrite_text(data, prefixes, module_of=None):
    """`data` (bytes) rewritten with `prefixes` (bytes, each ending in b"/"). `module_of(path)`
    gives a path's module name (str) or None."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i] == 0x2F and (i == 0 or data[i - 1] in STARTS_AFTER):
            matched = [p for p in prefixes if data.startswith(p, i)]
            if matched:
                prefix = max(matched, key=len)
                if module_of is not None:
                    end = i + len(prefix)
                    while end < len(data) and data[end] not in ENDS_AT:
                        end += 1
                    path = data[i:end]
                    module = None
                    if end - i <= LONGEST_MODULE_PATH + len(prefix) and path.endswith(PYTHON_SUFFIXES):
                        module = module_of(path)
                    if module:
                        out += module.encode()
                        i = end
                        continue
                i += len(prefix)
                continue
        out.append(data[i])
        i += 1
    return bytes(out)


def rewrite_string(text, prefixes, module_of=None):
    """A decoded JSON string rewritten: its file-name bytes (surrogate escapes for
    undecodable bytes, as json.dumps writes them) through rewrite_text."""
    data = text.encode("utf-8", "surrogateescape")
    return rewrite_text(data, prefixes, module_of).decode("utf-8", "surrogateescape")


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

    keys = set(stats)
    for entry in stats.values():
        keys.update(entry[4])
    becomes = {}
    for key in keys:
        becomes.setdefault(short(key), set()).add(key)
    new_key = {key: (key if len(becomes[short(key)]) > 1 else short(key)) for key in keys}
    return {new_key[key]: (cc, nc, tt, ct, {new_key[caller]: value for caller, value in callers.items()})
            for key, (cc, nc, tt, ct, callers) in stats.items()}
