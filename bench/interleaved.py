"""Times commands side by side: one run of each in turn, RUNS rounds, after WARMUP rounds, so that
the machine's drift (other work, frequency changes) falls on every command alike, which
consecutive blocks of runs (hyperfine's order) do not give. Prints the median wall time of each
command in ms, a line each, then the ratio of the first median to the second.

    python3 interleaved.py RUNS WARMUP COMMAND COMMAND [COMMAND...]   (each COMMAND one shell word list)
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(argv):
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main(arguments):
    runs, warmup = int(arguments[0]), int(arguments[1])
    commands = [shlex.split(text) for text in arguments[2:]]
    times = [[] for _ in commands]
    for round_number in range(warmup + runs):
        for argv, measured in zip(commands, times):
            elapsed = run(argv)
            if round_number >= warmup:
                measured.append(elapsed)
    medians = [statistics.median(measured) * 1000 for measured in times]
    for text, median in zip(arguments[2:], medians):
        print("%8.2f ms  %s" % (median, text))
    print("ratio %.3f" % (medians[0] / medians[1]))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main(sys.argv[1:])
