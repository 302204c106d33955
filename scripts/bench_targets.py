#!/usr/bin/env python3
"""Every speed target of issue 16, measured and printed beside its target.
Run from anywhere:

    python3 scripts/bench_targets.py [--gostdoc PATH] [--runs N]

1. seed 000 → DOCX + PDF, one whole process: median wall time of 50 runs
   (target ≤ 4 ms) and the CPU time of the same runs;
2. the size of seed 000's PDF (target ≤ 25 KB);
3. the mixed 1000 (scripts/bench_batch.py's variants of the five seeds:
   four protocols and a resolution with its roadmap) built on every core
   into a tmpfs folder: documents a second
   (target ≥ 1000 on two cores);
4. the no-op rebuild of the 1000 (target ≤ 10 ms) and `gostdoc check` over
   them and over 1000 protocols (copies of seed 000, as
   scripts/bench_peers.py makes them), on every core and on one
   (`-j 1`), in turn: CPU time, user + system (target ≤ 0.2 s);
5. the roadmap of 7000 rows (about 1000 pages): wall time and peak memory
   (targets ≤ 0.35 s, ≤ 50 MB), of 14,000 rows (about 2000 pages) and of
   35,000 rows (5002 pages, 21.6 MB of TOML, under the 32 MB limit of a
   document file): peak memory, which must not grow with the pages
   (target ≤ 60 MB at 5000 pages).

Wall and CPU times come from os.wait4 of each child. Peak memory comes
from GNU time (`/usr/bin/time -f %M`), because a child of Python inherits
Python's own high-water mark in ru_maxrss. Python 3 standard library only;
GNU time is optional (without it the memory columns say «–»). Scratch
files go to /dev/shm when it is writable, else to the system temp folder.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
from bench import build_release, roadmap_toml  # noqa: E402
from bench_batch import make_batch  # noqa: E402
from bench_peers import make_gostdoc_batch  # noqa: E402

GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(args, cwd):
    """Runs one process; returns (wall s, CPU s). Fails loudly, so that a
    tool that did nothing never looks fast."""
    wall, usage = run_with_usage(args, cwd)
    return wall, usage.ru_utime + usage.ru_stime


def run_with_usage(args, cwd):
    """Runs one process; returns (wall s, its resource usage from wait4).
    Stops the script with the child's message when it fails."""
    # stderr to a file, not a pipe: `check` prints warnings for a thousand
    # documents, more than a pipe holds while the child is waited for.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        err.seek(0)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(args)} failed:\n{err.read().decode(errors='replace')}")
    return wall, usage


def peak_mb(args, cwd):
    """Peak resident memory of one run, in MB (None without GNU time)."""
    if not GNU_TIME:
        return None
    r = subprocess.run([GNU_TIME, "-f", "%M"] + args, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{r.stderr}")
    return int(r.stderr.strip().splitlines()[-1]) / 1024


def scratch_root():
    """tmpfs when there is one: the targets are about CPU, not the disk."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    return None


def fmt_mb(mb):
    return "–" if mb is None else f"{mb:.0f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gostdoc", help="the binary (default: built as users install it, see scripts/bench.py)")
    parser.add_argument("--runs", type=int, default=50, help="runs of seed 000 (default 50)")
    opts = parser.parse_args()
    binary = opts.gostdoc
    if not binary:
        binary = build_release()
    binary = os.path.abspath(binary)
    rows = []

    with tempfile.TemporaryDirectory(prefix="gostdoc-targets-", dir=scratch_root()) as tmp:
        # 1-2. One protocol, one process.
        seed_dir = os.path.join(tmp, "seed")
        os.makedirs(os.path.join(seed_dir, "data"))
        seed = next(f for f in sorted(os.listdir(os.path.join(ROOT, "data"))) if f.startswith("000_"))
        shutil.copy(os.path.join(ROOT, "data", seed), os.path.join(seed_dir, "data"))
        shutil.copytree(os.path.join(ROOT, "data", "profiles"), os.path.join(seed_dir, "data", "profiles"))
        args = [binary, "build", "-q", "--force", "--format", "docx,pdf", "data", "-o", "out"]
        for _ in range(5):
            run(args, seed_dir)
        samples = [run(args, seed_dir) for _ in range(opts.runs)]
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        rows.append((f"seed 000 → DOCX + PDF, one process (median of {opts.runs})",
                     f"{wall:.1f} ms wall, {cpu:.1f} ms CPU", "≤ 4 ms"))
        pdf = os.path.join(seed_dir, "out", seed.replace(".toml", ".pdf"))
        docx = pdf[:-4] + ".docx"
        rows.append(("seed 000 sizes", f"PDF {os.path.getsize(pdf) / 1024:.1f} KB, "
                     f"DOCX {os.path.getsize(docx) / 1024:.1f} KB", "PDF ≤ 25 KB"))

        # 3-4. A batch of 1000.
        batch = os.path.join(tmp, "batch")
        make_batch(batch, 1000)
        jobs = os.cpu_count() or 1
        full = []
        for i in range(5):
            out = f"out{i}"
            full.append(run([binary, "build", "-q", "--force", "-j", str(jobs), "data", "-o", out], batch))
            if i:
                shutil.rmtree(os.path.join(batch, out))
        secs = statistics.median(f[0] for f in full)
        rows.append((f"1000 documents → 2000 files on {jobs} cores, tmpfs (median of 5)",
                     f"{secs:.2f} s = {1000 / secs:.0f} documents/s, "
                     f"{statistics.median(f[1] for f in full):.2f} ms CPU a document",
                     "≥ 1000/s on 2 cores"))
        noop = [run([binary, "build", "-q", "data", "-o", "out0"], batch) for _ in range(11)]
        rows.append(("no-op rebuild of the 1000 (median of 11)",
                     f"{statistics.median(n[0] for n in noop) * 1000:.1f} ms wall", "≤ 10 ms"))
        # On every core (as a user runs it) and on one, in turn: the second
        # core costs CPU of its own on a shared machine (two independent
        # processes at once take more CPU each), so one core shows the
        # work itself.
        # Over the mixed 1000 (five kinds, long tables among them) and over
        # 1000 protocols, the set of the issue's own figures and of
        # scripts/bench_peers.py's `check` against `rusdox validate`.
        protocols = os.path.join(tmp, "protocols")
        make_gostdoc_batch(protocols, 1000)
        for name, folder in (("the mixed 1000", batch), ("1000 protocols", protocols)):
            check, check_one = [], []
            for _ in range(7):
                check.append(run([binary, "check", "-q", "data"], folder))
                check_one.append(run([binary, "check", "-q", "-j", "1", "data"], folder))
            for label, runs in ((f"`gostdoc check` over {name} (median of 7)", check),
                                (f"`gostdoc check -j 1` over {name} (median of 7)", check_one)):
                rows.append((label, f"{statistics.median(c[1] for c in runs):.3f} s CPU, "
                             f"{statistics.median(c[0] for c in runs):.3f} s wall", "≤ 0.2 s CPU"))

        # 5. Long documents.
        for n, target in ((7000, "≤ 0.35 s, ≤ 50 MB"), (14000, "flat"),
                          (35000, "flat; ≤ 60 MB at 5000 pages")):
            road = os.path.join(tmp, f"road{n}")
            os.makedirs(road)
            with open(os.path.join(road, "roadmap.toml"), "w", encoding="utf-8") as f:
                f.write(roadmap_toml(n))
            args = [binary, "build", "-q", "--force", "--format", "docx,pdf", "roadmap.toml", "-o", "out"]
            times = [run(args, road) for _ in range(5 if n == 7000 else 1)]
            mb = peak_mb(args, road)
            pages = "?"
            if shutil.which("pdfinfo"):
                info = subprocess.run(["pdfinfo", os.path.join(road, "out", "roadmap.pdf")],
                                      capture_output=True, text=True).stdout
                pages = next((l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")), "?")
            rows.append((f"roadmap of {n} rows, {pages} pages → DOCX + PDF",
                         f"{statistics.median(t[0] for t in times):.2f} s, {fmt_mb(mb)} peak", target))
            shutil.rmtree(road)

    print("| what | measured | target |")
    print("|---|---|---|")
    for what, measured, target in rows:
        print(f"| {what} | {measured} | {target} |")


if __name__ == "__main__":
    main()
