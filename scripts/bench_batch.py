#!/usr/bin/env python3
"""Benchmark of issue 5: batch builds, printed as medians. Run from anywhere:

    python3 scripts/bench_batch.py [N]

Generates N documents (1000 by default), variants of the five seeds (each
made unique by a comment, sharing the seeds' profiles), then measures with
the release binary on all cores:

1. a full build to DOCX and PDF: documents a second (target ≥ 400) and
   peak memory of the process (target ≤ 100 MB);
2. a no-op rebuild of the same N (target ≤ 100 ms);
3. `gostdoc check` over the N (target ≤ 0.5 s).
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
from bench import ROOT, BIN, build_release  # noqa: E402


def make_batch(dir, n):
    data = os.path.join(dir, "data")
    shutil.copytree(os.path.join(ROOT, "data", "profiles"), os.path.join(data, "profiles"))
    # The five seeds (000–004) only, so that the figures stay comparable
    # across versions as examples are added to data/.
    seeds = sorted(f for f in os.listdir(os.path.join(ROOT, "data")) if f.endswith(".toml"))[:5]
    texts = [open(os.path.join(ROOT, "data", s), encoding="utf-8").read() for s in seeds]
    for i in range(n):
        with open(os.path.join(data, f"{i:04}_{seeds[i % len(seeds)]}"), "w", encoding="utf-8") as f:
            f.write(texts[i % len(texts)] + f"\n# вариант {i}\n")
    return data


def settle():
    """Lets the disk finish writing the previous run's files, and ext4 forget
    recently deleted ones (it skips their inodes for a few seconds)."""
    os.sync()
    time.sleep(6)


def timed(args, cwd):
    """Wall time and peak RSS (MB) of one run."""
    settle()
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + args, cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    secs, kb = r.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def precise(args, cwd):
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    build_release()
    with tempfile.TemporaryDirectory() as dir:
        make_batch(dir, n)
        # Each full build into a new folder, after the disk has settled:
        # deleting 2000 files, or still writing them back, just before makes
        # ext4 slow to create the next ones, which is not gostdoc's time.
        full = [timed([BIN, "build", "-o", f"out{i}"], dir) for i in range(5)]
        print("  full builds (s):", " ".join(f"{r[0]:.2f}" for r in full))
        secs = statistics.median(r[0] for r in full)
        peak = max(r[1] for r in full)
        noop = statistics.median(precise([BIN, "build", "-o", "out0"], dir) for _ in range(7))
        check = statistics.median(precise([BIN, "check"], dir) for _ in range(5))
        files = len([f for f in os.listdir(os.path.join(dir, "out0")) if not f.startswith(".")])
    print(f"{n} documents ({files} files) → DOCX + PDF on {os.cpu_count()} cores:")
    print(f"  full build: median {secs:.2f} s = {n / secs:.0f} documents/s, peak {peak:.0f} MB "
          f"(targets ≥ 400/s, ≤ 100 MB)")
    print(f"  no-op rebuild: median {noop * 1000:.0f} ms (target ≤ 100 ms)")
    print(f"  check: median {check:.2f} s (target ≤ 0.5 s)")
