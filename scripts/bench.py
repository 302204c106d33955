#!/usr/bin/env python3
"""Benchmarks of issue 3, printed as medians. Run from anywhere:

    python3 scripts/bench.py

1. One process renders seed 000 to DOCX and PDF: the whole `gostdoc build`
   command, started 50 times; median wall time (target ≤ 10 ms).
2. A roadmap of 7000 rows (about 1000 pages) to DOCX and PDF: wall time and
   peak memory of the process (targets ≤ 1 s, ≤ 100 MB).
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# On x86-64 Linux the static executable users install with `cargo
# install-linux` (.cargo/config.toml); elsewhere `cargo build --release`'s.
STATIC_LINUX = sys.platform.startswith("linux") and os.uname().machine == "x86_64"
BUILD = ["cargo", "build-linux", "--release", "-q"] if STATIC_LINUX else ["cargo", "build", "--release", "-q"]
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"),
                   *(["x86_64-unknown-linux-gnu"] if STATIC_LINUX else []), "release", "gostdoc")


def build_release():
    """Builds gostdoc as users install it (see BUILD); returns its path."""
    subprocess.run(BUILD, cwd=ROOT, check=True)
    return BIN


def seed_000():
    seed = [f for f in os.listdir(os.path.join(ROOT, "data")) if f.startswith("000_")][0]
    src = os.path.join(ROOT, "data", seed)
    with tempfile.TemporaryDirectory() as out:
        times = []
        for i in range(50):
            start = time.perf_counter()
            subprocess.run([BIN, "build", src, "-o", out, "--format", "docx,pdf", "--force"],
                           check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        sizes = {f: os.path.getsize(os.path.join(out, f)) for f in os.listdir(out)}
    return statistics.median(times), sizes


def roadmap_toml(rows):
    lines = ['kind = "resolution"', "", "[organization]",
             'header = ["АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ", "«ГОРОДСКОЙ ОКРУГ»"]',
             'city = "г. Город"', "", "[act]", "date = 2021-02-10", 'number = "1"',
             'title = "Об утверждении плана мероприятий"', "", "[[point]]",
             'text = "Утвердить план мероприятий согласно приложению № 1."', "",
             "[[signature]]", 'position = "Глава администрации"', 'person = "Иванов И.И."', "",
             "[[appendix]]", 'title = "План мероприятий («дорожная карта»)"', "", "[appendix.table]",
             "columns = [",
             '  { title = "№ п/п", width = 12, numbered = true },',
             '  { title = "Мероприятия", width = 80 },',
             '  { title = "Срок исполнения", width = 35 },',
             '  { title = "Ответственные", width = 43 },', "]"]
    for i in range(rows):
        if i % 50 == 0:
            lines += ["", "[[appendix.table.row]]", f'section = "Раздел {i // 50 + 1}"']
        lines += ["", "[[appendix.table.row]]",
                  f'cells = ["Проведение мероприятия № {i + 1} по повышению качества образования в школах с низкими результатами. '
                  'Анализ результатов, подготовка рекомендаций и обсуждение на методических объединениях. '
                  'Размещение материалов на сайте отдела образования", "в течение учебного года", '
                  '"Отдел образования, общеобразовательные организации"]']
    return "\n".join(lines) + "\n"


def roadmap(rows=7000):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "roadmap.toml")
        with open(src, "w", encoding="utf-8") as f:
            f.write(roadmap_toml(rows))
        runs = []
        for _ in range(5):
            r = subprocess.run(["/usr/bin/time", "-f", "%e %M", BIN, "build", src, "-o", tmp, "--force",
                                "--format", "docx,pdf"], check=True, capture_output=True, text=True)
            secs, kb = r.stderr.strip().splitlines()[-1].split()
            runs.append((float(secs), int(kb) / 1024))
        pages = None
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", os.path.join(tmp, "roadmap.pdf")], capture_output=True, text=True).stdout
            pages = next((l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")), None)
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), pages


if __name__ == "__main__":
    build_release()
    median, sizes = seed_000()
    print(f"seed 000 → DOCX + PDF, one process: median {median * 1000:.1f} ms over 50 runs (target ≤ 10 ms)")
    for name, size in sorted(sizes.items()):
        print(f"  {name}: {size / 1024:.1f} KB")
    secs, mb, pages = roadmap()
    print(f"roadmap of 7000 rows ({pages} pages) → DOCX + PDF: median {secs:.2f} s, peak {mb:.0f} MB (targets ≤ 1 s, ≤ 100 MB)")
    sys.exit(0)
