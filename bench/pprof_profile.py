"""Writes a large pprof profile of Python frames (uncompressed) for bench/rewrite_floors.sh, laid
out as google/pprof writes one: sample types, samples, a mapping, locations, functions, the
string table, then the period. Its functions' files are under the list's prefixes.

    python3 pprof_profile.py LIST OUT SAMPLES
"""
import random
import sys


def varint(value):
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value >= 0x80 else 0))
        value >>= 7
        if not value:
            return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(number_, value):
    return varint(number_ << 3) + varint(value)


prefixes = [line for line in open(sys.argv[1]).read().split("\n") if line]
samples = int(sys.argv[3])
random.seed(1)
strings = [""]
index = {}


def string(text):
    if text not in index:
        index[text] = len(strings)
        strings.append(text)
    return index[text]


functions = []
for i in range(2000):
    prefix = prefixes[i % len(prefixes)]
    functions.append((string("function_%d" % i), string("%spackage_%d/module_%d.py" % (prefix, i % 97, i))))
out = bytearray()
out += field(1, number(1, string("samples")) + number(2, string("count")))
out += field(1, number(1, string("cpu")) + number(2, string("nanoseconds")))
thread = string("thread name")
for s in range(samples):
    depth = random.randint(8, 40)
    stack = b"".join(varint(random.randint(1, len(functions))) for _ in range(depth))
    values = varint(1) + varint(random.randint(1, 10 ** 7))
    label = field(3, number(1, thread) + number(2, string("worker-%d" % (s % 8))))
    out += field(2, field(1, stack) + field(2, values) + label)
out += field(3, number(1, 1) + number(2, 0x400000) + number(3, 0x500000) + number(5, string("/usr/lib/libpython.so")))
for i, _ in enumerate(functions, 1):
    out += field(4, number(1, i) + number(2, 1) + number(3, 0x400000 + 16 * i) + field(4, number(1, i) + number(2, i)))
for i, (name, filename) in enumerate(functions, 1):
    out += field(5, number(1, i) + number(2, name) + number(3, name) + number(4, filename) + number(5, i))
for text in strings:
    out += field(6, text.encode())
out += number(9, 1765000000000000000) + number(10, 60 * 10 ** 9)
out += field(11, number(1, string("cpu")) + number(2, string("nanoseconds"))) + number(12, 10 ** 7)
open(sys.argv[2], "wb").write(out)
