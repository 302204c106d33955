#!/usr/bin/env python3
"""Two or more gostdoc binaries on the same command, run in turn, medians.

    python3 scripts/bench_ab.py RUNS FOLDER ARGS... -- BINARY_A BINARY_B [...]

Each round runs every binary once, in the folder FOLDER, with ARGS (for
example `build -q --force data --output out`); the first round is a
warm-up and is not counted. On a shared machine whose speed drifts from
minute to minute, binaries measured in turn see the same drift, so their
ratio is steadier than figures taken one binary after the other.

Prints, for each binary, the median wall time, CPU time (user + system,
from os.wait4) and minor page faults, then the ratios of the others to
the first. A failing run stops the script with its message. Python 3
standard library only (the runner is scripts/bench_targets.py's).
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
from bench_targets import run_with_usage  # noqa: E402


def run_once(binary, args, folder):
    """One run: wall ms, CPU ms (user + system), minor page faults. A
    failing run stops the script, so that a binary that did nothing never
    looks fast."""
    wall, usage = run_with_usage([binary] + args, folder)
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_minflt


def main():
    if "--" not in sys.argv or len(sys.argv) < 5:
        sys.exit(__doc__)
    split = sys.argv.index("--")
    runs, folder, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:split]
    binaries = [os.path.abspath(b) for b in sys.argv[split + 1:]]
    samples = {b: [] for b in binaries}
    for round_ in range(runs + 1):
        for b in binaries:
            sample = run_once(b, args, folder)
            if round_ > 0:
                samples[b].append(sample)
    medians = {}
    for b in binaries:
        wall, cpu, faults = (statistics.median(column) for column in zip(*samples[b]))
        medians[b] = (wall, cpu)
        print(f"{b}: wall {wall:.2f} ms, CPU {cpu:.2f} ms, {faults:.0f} page faults ({runs} runs)")
    first = binaries[0]
    for b in binaries[1:]:
        print(f"{os.path.basename(b)} / {os.path.basename(first)}: "
              f"wall ×{medians[b][0] / medians[first][0]:.3f}, CPU ×{medians[b][1] / medians[first][1]:.3f}")


if __name__ == "__main__":
    main()
