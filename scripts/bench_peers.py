#!/usr/bin/env python3
"""Side-by-side benchmark of gostdoc and RusDox (issue 16). Run from anywhere:

    python3 scripts/bench_peers.py [--quick] [--json FILE] [--gostdoc PATH] [--peers DIR]

RusDox (crates.io `rusdox` 1.1.0) is a Rust CLI that renders YAML specs to
DOCX and its own PDF, the fastest peer we know. Both tools render the same
documents in the same run, alternating run by run (ABAB…), so that the load
of a shared machine falls on both alike, and the script prints medians and
the ratio gostdoc / RusDox (below 1: gostdoc is faster) as markdown tables:

a) seed 000 (a protocol) to DOCX + PDF, one process per document: wall time
   of the whole process, its CPU time (user + sys) and peak memory;
b) 1000 protocols on all cores: `gostdoc build --force -j N` against N RusDox
   processes at once, each given 1000 / N specs: documents a second;
c) the ~1000-page roadmap (scripts/bench.py's 7000 rows) against RusDox's
   seed-004 spec with its roadmap table grown to the same rows;
d) `gostdoc check` over the 1000 against `rusdox validate`, and gostdoc's
   no-op rebuild (RusDox has no incremental build).

RusDox's PDF speed depends on the font files it finds (it embeds the whole
face): Debian's fonts-liberation2 (2.x, ~390 KB a face) or the older
fonts-liberation (1.07, ~150 KB). Each setting is pinned with a private
fontconfig file, and gostdoc is run with its bundled Liberation Serif 2 and
with `--fonts` pointing at the 1.07 files, so both tools are shown in both.
The fonts actually embedded are read back from the PDFs and printed.

Needs Python 3.9+ (standard library only), cargo (to install RusDox once,
cached in ~/.cache/gostdoc-bench/rusdox), and the peer inputs
(../shared/peers next to the repository, or --peers DIR). Uses, when
present: GNU time (/usr/bin/time) for peak memory (see run_parallel),
hyperfine for a cross-check of a), qpdf and pdfinfo for reading the PDFs
back (embedded fonts, pages); none of them is required. Prints markdown to
stdout; --json FILE also writes every sample.
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, asdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.dont_write_bytecode = True  # importing bench.py must not leave scripts/__pycache__ in the repository
from bench import BIN, BUILD, roadmap_toml  # noqa: E402  (the same roadmap as scripts/bench.py)

RUSDOX_VERSION = "1.1.0"
ROADMAP_ROWS = 7000
BATCH_DOCS = 1000

# The two font settings: a name, the folder fontconfig is restricted to for
# RusDox, and the Debian package that installs it.
FONT_SETTINGS = [
    ("liberation2", "/usr/share/fonts/truetype/liberation2", "fonts-liberation2"),
    ("liberation 1.07", "/usr/share/fonts/truetype/liberation", "fonts-liberation"),
]
SERIF_FACES = ["LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
               "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"]


# ---------------------------------------------------------------- measuring

@dataclass
class Sample:
    """One measured run: wall seconds, CPU seconds (user + sys of the
    process and its children), peak resident memory in MB."""
    wall: float
    cpu: float
    rss_mb: float  # None when not measured


@dataclass
class Command:
    """A command to measure: argv, working folder and environment."""
    argv: list
    cwd: str
    env: dict

    def describe(self):
        extra = " ".join(f"{k}={v}" for k, v in self.env.items() if os.environ.get(k) != v)
        return f"(cd {self.cwd} && {extra + ' ' if extra else ''}{' '.join(self.argv)})"


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def fail(message):
    sys.exit(f"bench_peers: {message}")


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_parallel(commands, rss=False):
    """Starts all commands at once and waits for them with os.wait4, which
    gives each one's rusage. Returns one Sample: wall time until the last
    one ended, summed CPU (user + sys), largest peak RSS. A failing command
    stops the benchmark with its message (re-run to capture it, so that
    timing runs print nothing).

    Peak RSS needs care: a child forked (or vforked) from Python inherits
    Python's RSS high-water mark, which the kernel keeps across exec, so
    wait4's ru_maxrss would never be below Python's ~10-40 MB. With
    rss=True each command is started through GNU time (/usr/bin/time, a
    ~1 MB process) whose %M is the command's own ru_maxrss; without it, or
    without GNU time, rss_mb is None."""
    wrap = rss and GNU_TIME
    rss_files = [tempfile.mkstemp(prefix="rss-")[1] if wrap else None for _ in commands]
    start = time.perf_counter()
    procs = [subprocess.Popen(([GNU_TIME, "-f", "%M", "-o", f] if wrap else []) + c.argv, cwd=c.cwd, env=c.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for c, f in zip(commands, rss_files)]
    cpu, failed = 0.0, []
    for proc, command in zip(procs, commands):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        if proc.returncode != 0:
            failed.append(command)
    wall = time.perf_counter() - start
    peak = None
    if wrap:
        peak = 0.0
        for f in rss_files:
            with open(f) as fh:
                lines = fh.read().split()
            os.remove(f)
            peak = max(peak, int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0)  # KB
    for command in failed:
        r = subprocess.run(command.argv, cwd=command.cwd, env=command.env,
                           capture_output=True, text=True)
        fail(f"{command.describe()} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return Sample(wall, cpu, peak)


def peak_rss(contenders, samples):
    """Peak RSS of each contender from one extra run through GNU time (see
    run_parallel), for the benchmarks of a few milliseconds, whose timed
    runs are started directly so that GNU time's start-up is not in them."""
    for name, commands in contenders.items():
        rss = run_parallel(commands, rss=True).rss_mb
        for sample in samples[name]:
            sample.rss_mb = rss


def alternate(contenders, runs, warmup=1, before_each=None, rss=False):
    """Runs each contender (name → list of commands run in parallel) in
    turn, run by run (ABAB…), so that a change of machine load falls on all
    of them alike. `before_each(name)` runs untimed before each measured
    run (e.g. to remove the previous run's output). The first `warmup`
    rounds fill the page cache and are not kept. rss: see run_parallel."""
    samples = {name: [] for name in contenders}
    for round_no in range(warmup + runs):
        for name, commands in contenders.items():
            if before_each:
                before_each(name)
            sample = run_parallel(commands, rss=rss)
            if round_no >= warmup:
                samples[name].append(sample)
    return samples


def median(samples, field):
    values = [getattr(s, field) for s in samples]
    return None if None in values else statistics.median(values)


# ---------------------------------------------------------------- setting up

def choose_scratch(requested):
    """The scratch folder: tmpfs (/dev/shm) when available, so that the
    disk's write-back does not enter the figures (the issue measured both);
    or the folder given with --scratch. Returns the folder and its file
    system type, which is printed with the results."""
    base = requested or ("/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)
                         else tempfile.gettempdir())
    path = tempfile.mkdtemp(prefix="gostdoc-bench-peers-", dir=base)
    return path, filesystem_type(path)


def filesystem_type(path):
    """File system type of the mount holding `path`, from /proc/mounts."""
    best, kind = "", "unknown"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and path.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, kind = parts[1], parts[2]
    except OSError:
        pass
    return kind


def find_gostdoc(path, build):
    """gostdoc's release binary: the one given, or the repository's, built
    as users install it (scripts/bench.py's BUILD: on x86-64 Linux the static
    `cargo build-linux --release`; a stale binary would measure old code)
    unless --no-build is given."""
    if path:
        if not os.access(path, os.X_OK):
            fail(f"--gostdoc {path}: not an executable file")
        return os.path.abspath(path)
    if build:
        print(f"building gostdoc: {' '.join(BUILD)}", file=sys.stderr)
        subprocess.run(BUILD, cwd=ROOT, check=True)
    binary = BIN
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is missing: run `{' '.join(BUILD)}` or pass --gostdoc PATH")
    return binary


def install_rusdox(path, cache):
    """RusDox's binary: the one given, or RusDox 1.1.0 from crates.io,
    installed once into the cache folder with `cargo install --locked` (the
    pinned version and lock file keep the figures comparable across runs)
    and reused while it reports that version."""
    if path:
        if not os.access(path, os.X_OK):
            fail(f"--rusdox {path}: not an executable file")
        return os.path.abspath(path)
    root = os.path.join(cache, "rusdox")
    binary = os.path.join(root, "bin", "rusdox")
    if os.access(binary, os.X_OK) and RUSDOX_VERSION in tool_version([binary, "--version"]):
        return binary
    print(f"installing RusDox {RUSDOX_VERSION} into {root} (once; a few minutes)", file=sys.stderr)
    if not shutil.which("cargo"):
        fail("cargo is needed to install RusDox (or pass --rusdox PATH)")
    subprocess.run(["cargo", "install", "rusdox", "--version", RUSDOX_VERSION, "--locked",
                    "--root", root], check=True)
    return binary


def find_peers(requested):
    """The peer inputs (RusDox specs and configs written to match our seeds).
    They live outside the repository, so a user may not have them: say
    where they were looked for and how to point at them."""
    peers = os.path.abspath(requested or os.path.join(ROOT, "..", "shared", "peers"))
    needed = ["rusdox/specs/protocol.yaml", "rusdox/specs/postanovlenie.yaml",
              "rusdox/config/protocol.toml", "rusdox/config/admin.toml"]
    missing = [n for n in needed if not os.path.isfile(os.path.join(peers, n))]
    if missing:
        fail(f"peer inputs not found in {peers} (missing: {', '.join(missing)}).\n"
             "They are the RusDox specs and configs of the shared peers folder; "
             "pass its path with --peers DIR.")
    return os.path.join(peers, "rusdox")


def prepare_fonts(scratch):
    """For each font setting present on this machine: a private fonts.conf
    that lists only that folder (RusDox's fontdb reads FONTCONFIG_FILE's
    <dir> entries and nothing else), with a cache folder in the scratch
    folder; and, for gostdoc, a folder holding just the four Liberation
    Serif faces of that setting for `--fonts` (None for liberation2: the
    binary bundles those files; the table of versions says whether they
    are byte-identical to Debian's)."""
    settings = []
    for name, folder, package in FONT_SETTINGS:
        if not all(os.path.isfile(os.path.join(folder, f)) for f in SERIF_FACES):
            print(f"note: {folder} lacks Liberation Serif ({package} not installed); "
                  f"font setting «{name}» skipped", file=sys.stderr)
            continue
        slug = name.replace(" ", "-")
        conf_dir = os.path.join(scratch, "fontconfig", slug)
        os.makedirs(os.path.join(conf_dir, "cache"))
        conf = os.path.join(conf_dir, "fonts.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                    f"<fontconfig>\n  <dir>{folder}</dir>\n"
                    f"  <cachedir>{conf_dir}/cache</cachedir>\n</fontconfig>\n")
        gostdoc_fonts = None
        if name != "liberation2":
            gostdoc_fonts = os.path.join(scratch, "fonts", slug)
            os.makedirs(gostdoc_fonts)
            for face in SERIF_FACES:
                shutil.copy(os.path.join(folder, face), gostdoc_fonts)
        settings.append({"name": name, "folder": folder, "package": package,
                         "fontconfig": conf, "gostdoc_fonts": gostdoc_fonts})
    if not settings:
        fail("neither fonts-liberation2 nor fonts-liberation is installed "
             "(apt-get install fonts-liberation2 fonts-liberation)")
    return settings


class Tools:
    """The two binaries and how to call them in a font setting: gostdoc
    gets `--fonts` for a non-bundled setting, RusDox the fontconfig file in
    its environment (gostdoc ignores fontconfig)."""

    def __init__(self, gostdoc, rusdox):
        self.gostdoc, self.rusdox = gostdoc, rusdox

    def gostdoc_build(self, setting, cwd, *args):
        fonts = ["--fonts", setting["gostdoc_fonts"]] if setting["gostdoc_fonts"] else []
        return Command([self.gostdoc, "build", "-q", "--format", "docx,pdf", *fonts, *args],
                       cwd, dict(os.environ))

    def gostdoc_cmd(self, cwd, *args):
        return Command([self.gostdoc, *args], cwd, dict(os.environ))

    def rusdox_cmd(self, setting, cwd, *args):
        env = dict(os.environ, FONTCONFIG_FILE=setting["fontconfig"])
        return Command([self.rusdox, *args], cwd, env)


# ---------------------------------------------------------------- inputs

def seed_000_file():
    return sorted(f for f in os.listdir(os.path.join(ROOT, "data")) if f.startswith("000_"))[0]


def make_gostdoc_seed(dir):
    """data/ with seed 000 and the example profiles it refers to, in a
    folder without templates/ (one next to the data would replace the
    built-in templates)."""
    data = os.path.join(dir, "data")
    shutil.copytree(os.path.join(ROOT, "data", "profiles"), os.path.join(data, "profiles"))
    shutil.copy(os.path.join(ROOT, "data", seed_000_file()), data)
    return os.path.join("data", seed_000_file())


def make_rusdox_folder(dir, peers, config, specs):
    """A RusDox working folder: config/ and specs/ ({name: text}). RusDox
    writes generated/ (DOCX) and rendered/ (PDF) in its working folder."""
    os.makedirs(os.path.join(dir, "specs"))
    shutil.copytree(os.path.join(peers, "config"), os.path.join(dir, "config"))
    for name, text in specs.items():
        with open(os.path.join(dir, "specs", name), "w", encoding="utf-8") as f:
            f.write(text)
    return os.path.join("config", config)


def without_output_name(spec):
    """A spec without its `output_name:` line, so that each copy in a batch
    is named after its file instead of all overwriting protocol.docx."""
    return "".join(l for l in spec.splitlines(True) if not l.startswith("output_name:"))


def make_gostdoc_batch(dir, n):
    """n copies of seed 000, each made distinct by a comment (so that no
    cache could merge them), like scripts/bench_batch.py's make_batch but
    protocols only, to match RusDox's n protocol specs."""
    data = os.path.join(dir, "data")
    shutil.copytree(os.path.join(ROOT, "data", "profiles"), os.path.join(data, "profiles"))
    seed = seed_000_file()
    text = read_text(os.path.join(ROOT, "data", seed))
    for i in range(n):
        with open(os.path.join(data, f"{i:04}_{seed}"), "w", encoding="utf-8") as f:
            f.write(text + f"\n# вариант {i}\n")


def rusdox_roadmap_yaml(spec, rows):
    """postanovlenie.yaml with its roadmap (the document's last block, a
    four-column table) replaced by `rows` rows of scripts/bench.py's roadmap:
    the same cell texts, and its section line every 50 rows as a row with
    the section's name in the second column (RusDox has no merged cells),
    so both documents have the same rows and about the same pages."""
    lines = spec.splitlines(True)
    rows_at = max(i for i, l in enumerate(lines) if l.rstrip() == "      rows:")
    if any(l.startswith("  - type:") for l in lines[rows_at:]):
        fail("postanovlenie.yaml: the roadmap table is expected to be the last block")
    text = ("Проведение мероприятия № {n} по повышению качества образования в школах с низкими "
            "результатами. Анализ результатов, подготовка рекомендаций и обсуждение на методических "
            "объединениях. Размещение материалов на сайте отдела образования")
    out = [l.replace("output_name: postanovlenie", "output_name: roadmap") for l in lines[:rows_at + 1]]
    for i in range(rows):
        if i % 50 == 0:
            out += ["        - cells:\n", '            - { kind: text, text: "" }\n',
                    f'            - {{ kind: text, text: "Раздел {i // 50 + 1}" }}\n',
                    '            - { kind: text, text: "" }\n', '            - { kind: text, text: "" }\n']
        out += ["        - cells:\n", f'            - {{ kind: text, text: "{i + 1}" }}\n',
                f'            - {{ kind: text, text: "{text.format(n=i + 1)}" }}\n',
                '            - { kind: text, text: "в течение учебного года" }\n',
                '            - { kind: text, text: "Отдел образования, общеобразовательные организации" }\n']
    return "".join(out)


def clear(*folders):
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def count_files(folder, ext):
    if not os.path.isdir(folder):
        return 0
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(ext))


def expect_files(folder, ext, n, who):
    """Fails when a tool did not write what it was asked to (a benchmark of
    a tool that silently did nothing would look very fast)."""
    found = count_files(folder, ext)
    if found != n:
        fail(f"{who}: expected {n} {ext} files in {folder}, found {found}")


# ---------------------------------------------------------------- reading PDFs back

def pdf_pages(path):
    if not shutil.which("pdfinfo"):
        return None
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    return next((int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:")), None)


def embedded_fonts(path, scratch):
    """The font programs embedded in a PDF: for each, its name, size and
    version (from the TrueType `name` table, ID 5, or `head`'s revision).
    qpdf rewrites the PDF with uncompressed streams and no object streams,
    so that font descriptors and FontFile2 streams can be read directly."""
    if not shutil.which("qpdf"):
        return []
    flat = os.path.join(scratch, "flat.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, flat],
                   capture_output=True)
    if not os.path.isfile(flat):
        return []
    data = read_bytes(flat)
    os.remove(flat)
    fonts = []
    for m in re.finditer(rb"/FontFile2\s+(\d+)\s+0\s+R", data):
        desc_start = data.rfind(b" obj", 0, m.start())
        name = re.search(rb"/FontName\s*/([^\s/>]+)", data[desc_start:m.start() + 200])
        program = pdf_stream(data, int(m.group(1)))
        fonts.append({"font": name.group(1).decode("latin-1") if name else "?",
                      "bytes": len(program), "version": ttf_version(program)})
    return fonts


def pdf_stream(data, obj):
    """The raw bytes of object `obj`'s stream in a qpdf --qdf file."""
    m = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*stream\r?\n" % obj, data, re.S)
    if not m:
        return b""
    length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", m.group(1))
    if length and length.group(2):  # an indirect length: qdf puts it in the next object
        ref = re.search(rb"\n%d 0 obj\s*(\d+)" % int(length.group(1)), data)
        n = int(ref.group(1)) if ref else 0
    else:
        n = int(length.group(1)) if length else 0
    return data[m.end():m.end() + n]


def ttf_version(font):
    """A TrueType font's version string (name ID 5), or head.fontRevision
    when a subsetter dropped the name table."""
    try:
        num_tables = struct.unpack(">H", font[4:6])[0]
        tables = {}
        for i in range(num_tables):
            tag, _, off, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
            tables[tag] = (off, length)
        if b"name" in tables:
            off = tables[b"name"][0]
            _, count, strings = struct.unpack(">HHH", font[off:off + 6])
            for i in range(count):
                pid, _, _, nid, length, soff = struct.unpack(">HHHHHH", font[off + 6 + 12 * i:off + 18 + 12 * i])
                if nid == 5:
                    raw = font[off + strings + soff:off + strings + soff + length]
                    return raw.decode("utf-16-be" if pid in (0, 3) else "latin-1").strip()
        if b"head" in tables:
            off = tables[b"head"][0]
            rev = struct.unpack(">i", font[off + 4:off + 8])[0] / 65536
            return f"head revision {rev:.5g} (no name table)"
    except (struct.error, UnicodeDecodeError):
        pass
    return "?"


def tool_version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def package_version(package):
    if not shutil.which("dpkg-query"):
        return "?"
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    return r.stdout.strip() or "not installed"


def sha256(path):
    return hashlib.sha256(read_bytes(path)).hexdigest()


# ---------------------------------------------------------------- the benchmarks

def bench_seed(tools, peers, settings, scratch, runs):
    """a) One process per document: seed 000 to DOCX + PDF, `runs` runs of
    each tool in each font setting, alternating. Each contender has its own
    working folder; both tools overwrite their outputs each run. Returns the
    samples and the fonts each contender embedded."""
    contenders, pdfs = {}, {}
    spec = read_text(os.path.join(peers, "specs", "protocol.yaml"))
    for s in settings:
        g = os.path.join(scratch, "seed", "gostdoc", s["name"].replace(" ", "-"))
        src = make_gostdoc_seed(g)
        contenders[("gostdoc", s["name"])] = [tools.gostdoc_build(s, g, "--force", src, "-o", "out")]
        pdfs[("gostdoc", s["name"])] = os.path.join(g, "out", os.path.basename(src)[:-5] + ".pdf")
        r = os.path.join(scratch, "seed", "rusdox", s["name"].replace(" ", "-"))
        config = make_rusdox_folder(r, peers, "protocol.toml", {"protocol.yaml": spec})
        contenders[("RusDox", s["name"])] = [tools.rusdox_cmd(s, r, "specs/protocol.yaml", "--config", config)]
        pdfs[("RusDox", s["name"])] = os.path.join(r, "rendered", "protocol.pdf")
    samples = alternate(contenders, runs, warmup=3)
    peak_rss(contenders, samples)
    fonts = {}
    for key, pdf in pdfs.items():
        if not os.path.isfile(pdf):
            fail(f"{key[0]} ({key[1]}) wrote no {pdf}")
        fonts[key] = {"pdf_bytes": os.path.getsize(pdf), "pages": pdf_pages(pdf),
                      "fonts": embedded_fonts(pdf, scratch)}
    return contenders, samples, fonts


def bench_batch(tools, peers, settings, scratch, jobs, runs):
    """b) 1000 protocols on all cores: gostdoc builds them with `-j jobs`;
    RusDox, single-threaded, gets the same cores as `jobs` processes started
    at once, each rendering its own folder of 1000 / jobs specs. Outputs are
    removed (untimed) before each run, so both write new files."""
    spec = without_output_name(read_text(os.path.join(peers, "specs", "protocol.yaml")))
    g = os.path.join(scratch, "batch", "gostdoc")
    make_gostdoc_batch(g, BATCH_DOCS)
    contenders, outputs = {}, {}
    for s in settings:
        slug = s["name"].replace(" ", "-")
        out = f"out-{slug}"
        contenders[("gostdoc", s["name"])] = [tools.gostdoc_build(s, g, "--force", "-j", str(jobs), "data", "-o", out)]
        outputs[("gostdoc", s["name"])] = [os.path.join(g, out)]
        commands, folders = [], []
        for k in range(jobs):
            part = {f"protocol_{i:04}.yaml": spec for i in range(BATCH_DOCS) if i % jobs == k}
            r = os.path.join(scratch, "batch", "rusdox", slug, f"p{k}")
            config = make_rusdox_folder(r, peers, "protocol.toml", part)
            commands.append(tools.rusdox_cmd(s, r, "specs", "--config", config))
            folders += [os.path.join(r, "generated"), os.path.join(r, "rendered")]
        contenders[("RusDox", s["name"])] = commands
        outputs[("RusDox", s["name"])] = folders
    samples = alternate(contenders, runs, warmup=1, before_each=lambda key: clear(*outputs[key]), rss=True)
    for key, folders in outputs.items():
        for ext in (".docx", ".pdf"):
            found = sum(count_files(f, ext) for f in folders)
            if found != BATCH_DOCS:
                fail(f"{key[0]} ({key[1]}) batch: {found} {ext} files instead of {BATCH_DOCS}")
    return contenders, samples


def bench_roadmap(tools, peers, settings, scratch, runs):
    """c) The ~1000-page roadmap: scripts/bench.py's roadmap_toml(7000)
    against postanovlenie.yaml grown to the same rows; wall time and peak
    memory, pages read back with pdfinfo."""
    spec = read_text(os.path.join(peers, "specs", "postanovlenie.yaml"))
    contenders, pdfs = {}, {}
    for s in settings:
        slug = s["name"].replace(" ", "-")
        g = os.path.join(scratch, "roadmap", "gostdoc", slug)
        os.makedirs(g)
        with open(os.path.join(g, "roadmap.toml"), "w", encoding="utf-8") as f:
            f.write(roadmap_toml(ROADMAP_ROWS))
        contenders[("gostdoc", s["name"])] = [tools.gostdoc_build(s, g, "--force", "roadmap.toml", "-o", "out")]
        pdfs[("gostdoc", s["name"])] = os.path.join(g, "out", "roadmap.pdf")
        r = os.path.join(scratch, "roadmap", "rusdox", slug)
        config = make_rusdox_folder(r, peers, "admin.toml", {"roadmap.yaml": rusdox_roadmap_yaml(spec, ROADMAP_ROWS)})
        contenders[("RusDox", s["name"])] = [tools.rusdox_cmd(s, r, "specs/roadmap.yaml", "--config", config)]
        pdfs[("RusDox", s["name"])] = os.path.join(r, "rendered", "roadmap.pdf")
    samples = alternate(contenders, runs, warmup=1, rss=True)
    for key, pdf in pdfs.items():
        if not os.path.isfile(pdf):
            fail(f"{key[0]} ({key[1]}) wrote no {pdf}")
    pages = {key: pdf_pages(pdf) for key, pdf in pdfs.items()}
    return contenders, samples, pages


def bench_check(tools, peers, settings, scratch, jobs, runs):
    """d) Checking without writing: `gostdoc check` over the 1000 protocols
    (on all cores) against `rusdox validate` over 1000 specs in one folder
    (it has no parallel mode; the CPU column compares the work); and
    gostdoc's no-op rebuild of the 1000 (nothing changed since a build),
    which RusDox has no equivalent of."""
    g = os.path.join(scratch, "batch", "gostdoc")
    s = settings[0]
    spec = without_output_name(read_text(os.path.join(peers, "specs", "protocol.yaml")))
    r = os.path.join(scratch, "validate", "rusdox")
    config = make_rusdox_folder(r, peers, "protocol.toml",
                                {f"protocol_{i:04}.yaml": spec for i in range(BATCH_DOCS)})
    # The no-op rebuild needs a complete build of the folder first.
    run_parallel([tools.gostdoc_build(s, g, "-j", str(jobs), "data", "-o", "out-noop")])
    contenders = {
        ("gostdoc check", ""): [tools.gostdoc_cmd(g, "check", "-q", "-j", str(jobs), "data")],
        ("RusDox validate", ""): [tools.rusdox_cmd(s, r, "validate", "specs", "--config", config)],
        ("gostdoc no-op rebuild", ""): [tools.gostdoc_build(s, g, "-j", str(jobs), "data", "-o", "out-noop")],
    }
    samples = alternate(contenders, runs, warmup=2)
    peak_rss(contenders, samples)
    return contenders, samples


def hyperfine_seed(contenders, runs):
    """Cross-check of a) with hyperfine (Debian package) when installed:
    each contender's command in its own working folder and environment,
    without a shell (-N). hyperfine runs one command's runs in a row, not
    alternating with the other tool, so a)'s figures are the primary ones.
    Returns median seconds per contender (empty if a path has a space,
    which -N cannot pass)."""
    results = {}
    for key, (command,) in contenders.items():
        if any(" " in a for a in command.argv):
            return {}
        proc = subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", str(runs),
                               "--export-json", "hyperfine.json", " ".join(command.argv)],
                              cwd=command.cwd, env=command.env, capture_output=True, text=True)
        export = os.path.join(command.cwd, "hyperfine.json")
        if proc.returncode != 0:
            print(f"note: hyperfine failed: {proc.stderr.strip()}", file=sys.stderr)
            return {}
        with open(export) as f:
            results[key] = statistics.median(json.load(f)["results"][0]["times"])
        os.remove(export)
    return results


# ---------------------------------------------------------------- printing

def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b else "–"


def fmt(value, spec):
    """A number in a table cell, or a dash when it was not measured."""
    return "–" if value is None else format(value, spec)


def print_versions(info):
    print("## Setting")
    print()
    for k, v in info.items():
        print(f"- {k}: {v}")
    print()


def print_seed(samples, fonts, runs):
    print(f"## a) Seed 000 → DOCX + PDF, one process per document ({runs} runs each, alternating)")
    print()
    print("| fonts | gostdoc wall ms | RusDox wall ms | wall gostdoc/RusDox | gostdoc CPU ms | RusDox CPU ms "
          "| CPU gostdoc/RusDox | gostdoc RSS MB | RusDox RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for setting in sorted({k[1] for k in samples}, key=setting_order):
        g, r = samples[("gostdoc", setting)], samples[("RusDox", setting)]
        print(f"| {setting} | {median(g, 'wall') * 1e3:.1f} | {median(r, 'wall') * 1e3:.1f} "
              f"| {ratio(median(g, 'wall'), median(r, 'wall'))} | {median(g, 'cpu') * 1e3:.1f} "
              f"| {median(r, 'cpu') * 1e3:.1f} | {ratio(median(g, 'cpu'), median(r, 'cpu'))} "
              f"| {fmt(median(g, 'rss_mb'), '.1f')} | {fmt(median(r, 'rss_mb'), '.1f')} |")
    print()
    print("Fonts embedded in the seed-000 PDFs (read back from the files):")
    print()
    print("| tool | fonts | PDF bytes | pages | embedded font: bytes, version |")
    print("|---|---|---:|---:|---|")
    for key in sorted(fonts, key=lambda k: (setting_order(k[1]), k[0])):
        f = fonts[key]
        faces = "; ".join(f"{x['font']}: {x['bytes']}, {x['version']}" for x in f["fonts"]) or "(qpdf missing)"
        print(f"| {key[0]} | {key[1]} | {f['pdf_bytes']} | {f['pages']} | {faces} |")
    print()


def print_batch(samples, jobs, runs):
    print(f"## b) {BATCH_DOCS} protocols → DOCX + PDF on {jobs} cores ({runs} runs each, alternating; "
          f"gostdoc `-j {jobs}`, RusDox {jobs} processes of {BATCH_DOCS // jobs})")
    print()
    print("| fonts | gostdoc s | gostdoc docs/s | RusDox s | RusDox docs/s | time gostdoc/RusDox "
          "| gostdoc CPU ms/doc | RusDox CPU ms/doc | CPU gostdoc/RusDox | gostdoc RSS MB | RusDox RSS MB (per process) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for setting in sorted({k[1] for k in samples}, key=setting_order):
        g, r = samples[("gostdoc", setting)], samples[("RusDox", setting)]
        gw, rw, gc, rc = median(g, "wall"), median(r, "wall"), median(g, "cpu"), median(r, "cpu")
        print(f"| {setting} | {gw:.2f} | {BATCH_DOCS / gw:.0f} | {rw:.2f} | {BATCH_DOCS / rw:.0f} | {ratio(gw, rw)} "
              f"| {gc / BATCH_DOCS * 1e3:.2f} | {rc / BATCH_DOCS * 1e3:.2f} | {ratio(gc, rc)} "
              f"| {fmt(median(g, 'rss_mb'), '.0f')} | {fmt(median(r, 'rss_mb'), '.0f')} |")
    print()
    for key in sorted(samples, key=lambda k: (setting_order(k[1]), k[0])):
        print(f"- {key[0]} ({key[1]}) runs, s: " + " ".join(f"{s.wall:.2f}" for s in samples[key]))
    print()


def print_roadmap(samples, pages, runs):
    print(f"## c) Roadmap of {ROADMAP_ROWS} rows → DOCX + PDF, one process ({runs} runs each, alternating)")
    print()
    print("| fonts | gostdoc s | gostdoc CPU s | gostdoc MB | gostdoc pages | RusDox s | RusDox CPU s | RusDox MB "
          "| RusDox pages | time gostdoc/RusDox | memory gostdoc/RusDox |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for setting in sorted({k[1] for k in samples}, key=setting_order):
        g, r = samples[("gostdoc", setting)], samples[("RusDox", setting)]
        print(f"| {setting} | {median(g, 'wall'):.2f} | {median(g, 'cpu'):.2f} | {fmt(median(g, 'rss_mb'), '.0f')} "
              f"| {pages[('gostdoc', setting)]} | {median(r, 'wall'):.2f} | {median(r, 'cpu'):.2f} "
              f"| {fmt(median(r, 'rss_mb'), '.0f')} | {pages[('RusDox', setting)]} "
              f"| {ratio(median(g, 'wall'), median(r, 'wall'))} "
              f"| {ratio(median(g, 'rss_mb'), median(r, 'rss_mb'))} |")
    print()


def print_check(samples, jobs, runs):
    print(f"## d) Checking {BATCH_DOCS} documents without writing, and gostdoc's no-op rebuild ({runs} runs each)")
    print()
    print("| command | wall ms | CPU ms | RSS MB |")
    print("|---|---:|---:|---:|")
    for key, s in samples.items():
        print(f"| {key[0]} | {median(s, 'wall') * 1e3:.0f} | {median(s, 'cpu') * 1e3:.0f} | {fmt(median(s, 'rss_mb'), '.0f')} |")
    g, r = samples[("gostdoc check", "")], samples[("RusDox validate", "")]
    print()
    print(f"check/validate: wall {ratio(median(g, 'wall'), median(r, 'wall'))}, "
          f"CPU {ratio(median(g, 'cpu'), median(r, 'cpu'))} (gostdoc on {jobs} threads, RusDox on one)")
    print()


def setting_order(name):
    names = [s[0] for s in FONT_SETTINGS]
    return names.index(name) if name in names else len(names)


def print_commands(groups):
    print("## Commands")
    print()
    for title, contenders in groups:
        print(f"{title}:")
        for key, commands in contenders.items():
            shown = commands[0].describe() + (f"  (× {len(commands)} at once, one folder each)" if len(commands) > 1 else "")
            print(f"- {key[0]}{' (' + key[1] + ')' if key[1] else ''}: `{shown}`")
        print()


# ---------------------------------------------------------------- main

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="few runs: a smoke test of the script")
    p.add_argument("--json", metavar="FILE", help="also write all samples as JSON")
    p.add_argument("--gostdoc", metavar="PATH", help="gostdoc binary (default: build the repository's release)")
    p.add_argument("--no-build", action="store_true", help="use the release binary as it is, unbuilt")
    p.add_argument("--rusdox", metavar="PATH", help=f"RusDox binary (default: install {RUSDOX_VERSION}, cached)")
    p.add_argument("--peers", metavar="DIR", help="peer inputs (default: ../shared/peers next to the repository)")
    p.add_argument("--cache", metavar="DIR", default=os.path.join(os.path.expanduser("~"), ".cache", "gostdoc-bench"),
                   help="where RusDox is installed (default: ~/.cache/gostdoc-bench)")
    p.add_argument("--scratch", metavar="DIR", help="parent of the scratch folder (default: /dev/shm when available)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="cores for b) and d)")
    p.add_argument("--only", default="abcd", help="which benchmarks to run, e.g. --only ab")
    p.add_argument("--no-hyperfine", action="store_true", help="skip the hyperfine cross-check of a)")
    return p.parse_args()


def main():
    args = parse_args()
    runs = {"seed": 5 if args.quick else 30, "batch": 1 if args.quick else 5,
            "roadmap": 1 if args.quick else 3, "check": 3 if args.quick else 10}
    peers = find_peers(args.peers)
    gostdoc = find_gostdoc(args.gostdoc, build=not args.no_build)
    rusdox = install_rusdox(args.rusdox, args.cache)
    tools = Tools(gostdoc, rusdox)
    scratch, fs = choose_scratch(args.scratch)
    results = {}
    try:
        settings = prepare_fonts(scratch)
        bundled = os.path.join(ROOT, "assets", "fonts", SERIF_FACES[0])
        debian2 = os.path.join(FONT_SETTINGS[0][1], SERIF_FACES[0])
        same = (os.path.isfile(bundled) and os.path.isfile(debian2) and sha256(bundled) == sha256(debian2))
        commit = tool_version(["git", "-C", ROOT, "log", "-1", "--format=%h (%cd)", "--date=iso"])
        dirty = tool_version(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
        info = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, "
                       f"Python {platform.python_version()}",
            "scratch": f"{scratch} ({fs})",
            "load average at start (1/5/15 min)": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
            "gostdoc": f"{gostdoc} ({tool_version([gostdoc, '--version'])}); {ROOT} at commit {commit}"
                       + (", with uncommitted changes" if dirty else ""),
            "RusDox": f"{rusdox} ({tool_version([rusdox, '--version'])})",
            "fonts": "; ".join(f"{s['name']}: {s['folder']} (Debian {s['package']} {package_version(s['package'])})"
                               for s in settings),
            "gostdoc's fonts": "bundled Liberation Serif (assets/fonts, "
                               + ("byte-identical to Debian's liberation2" if same else "differs from Debian's liberation2")
                               + "); --fonts with a copy of the 1.07 Serif faces for «liberation 1.07»",
            "hyperfine": tool_version(["hyperfine", "--version"]) if shutil.which("hyperfine") else "not installed",
        }
        print_versions(info)
        results["setting"] = info
        groups = []
        if "a" in args.only:
            contenders, samples, fonts = bench_seed(tools, peers, settings, scratch, runs["seed"])
            print_seed(samples, fonts, runs["seed"])
            results["seed"] = {"samples": samples, "fonts": fonts}
            groups.append(("a)", contenders))
            if shutil.which("hyperfine") and not args.no_hyperfine:
                hf = hyperfine_seed(contenders, runs["seed"])
                if hf:
                    print("Cross-check with hyperfine (median ms; each command's runs in a row): "
                          + "; ".join(f"{s['name']}: gostdoc {hf[('gostdoc', s['name'])] * 1e3:.1f}, RusDox "
                                      f"{hf[('RusDox', s['name'])] * 1e3:.1f}, "
                                      f"{ratio(hf[('gostdoc', s['name'])], hf[('RusDox', s['name'])])}"
                                      for s in settings))
                    print()
                    results["seed"]["hyperfine"] = hf
        if "b" in args.only:
            contenders, samples = bench_batch(tools, peers, settings, scratch, args.jobs, runs["batch"])
            print_batch(samples, args.jobs, runs["batch"])
            results["batch"] = {"samples": samples}
            groups.append(("b)", contenders))
        if "c" in args.only:
            contenders, samples, pages = bench_roadmap(tools, peers, settings, scratch, runs["roadmap"])
            print_roadmap(samples, pages, runs["roadmap"])
            results["roadmap"] = {"samples": samples, "pages": pages}
            groups.append(("c)", contenders))
        if "d" in args.only:
            if "b" not in args.only:
                make_gostdoc_batch(os.path.join(scratch, "batch", "gostdoc"), BATCH_DOCS)
            contenders, samples = bench_check(tools, peers, settings, scratch, args.jobs, runs["check"])
            print_check(samples, args.jobs, runs["check"])
            results["check"] = {"samples": samples}
            groups.append(("d)", contenders))
        print_commands(groups)
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Load average at the end (1/5/15 min): {load}. Ratios are gostdoc / RusDox: below 1, gostdoc is faster.")
        results["load_at_end"] = load
    finally:
        if args.keep:
            print(f"scratch kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(jsonable(results), f, ensure_ascii=False, indent=1)


def jsonable(value):
    """Results with tuple keys and Samples turned into JSON's types."""
    if isinstance(value, dict):
        return {" / ".join(filter(None, k)) if isinstance(k, tuple) else k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Sample):
        return asdict(value)
    return value


if __name__ == "__main__":
    main()
