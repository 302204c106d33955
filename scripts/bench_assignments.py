#!/usr/bin/env python3
"""Benchmark of issue 14: the register of assignments over a batch, printed
as medians. Run from anywhere:

    python3 scripts/bench_assignments.py [N]

Generates N documents (1000 by default: the variants of the five seeds that
scripts/bench_batch.py builds) and times, with the release binary on all
cores, median of 7:

1. `gostdoc assignments` as a table (target ≤ 0.5 s);
2. the same to CSV, XLSX and ICS files;
3. `gostdoc register` to CSV.

Exit code 3 of `assignments` (something overdue) is expected on the seeds.
"""
import os, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_batch import ROOT, BIN, build_release, make_batch  # noqa: E402


def median_seconds(args, cwd, ok=(0, 3), runs=7):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        r = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if r.returncode not in ok:
            sys.exit(f"{' '.join(args)} exited with {r.returncode}")
    return statistics.median(times)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    build_release()
    with tempfile.TemporaryDirectory() as tmp:
        make_batch(tmp, n)
        base = [BIN, "assignments", "data", "--as-of", "2021-09-02"]
        rows = [
            ("assignments, table", base),
            ("assignments → CSV", base + ["--format", "csv", "-o", "a.csv"]),
            ("assignments → XLSX", base + ["--format", "xlsx", "-o", "a.xlsx"]),
            ("assignments → ICS", base + ["--format", "ics", "-o", "a.ics"]),
            ("register → CSV", [BIN, "register", "data", "--format", "csv", "-o", "r.csv"]),
        ]
        for label, args in rows:
            print(f"{label} over {n} documents: median {median_seconds(args, tmp):.3f} s")
