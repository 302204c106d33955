//! The fuzz harness's bounded run, on stable Rust, in every `cargo test`:
//! each target of `fuzz/` replays its committed corpus (`fuzz/corpus/<target>/`)
//! and then a fixed number of inputs made from it by a small deterministic
//! mutator (bit flips, dictionary tokens, spliced files, repeated lines and
//! chunks, extreme numbers). The bodies are the fuzz targets' own
//! (`fuzz_replay/targets.rs`, included by both), so a crash libFuzzer found
//! and a crash found here are the same crash.
//!
//! Every input runs on a thread of its own, under a time limit: a panic or a
//! hang fails the test, which prints the input as an escaped string and
//! saves it in `fuzz/artifacts/replay/<target>/`, ready for the corpus
//! (`fuzz/README.md`). An abort (out of memory, stack overflow) kills the
//! test process instead; the input being run then is in
//! `fuzz/artifacts/replay/<target>/current`.
//!
//! Environment: `GOSTDOC_FUZZ_MUTATIONS=N` runs N mutations per target
//! instead of the default, `GOSTDOC_FUZZ_SEED=S` another sequence of them
//! (a longer local run: `GOSTDOC_FUZZ_MUTATIONS=20000 cargo test --release
//! --test fuzz_replay`), `GOSTDOC_FUZZ_TIME_LIMIT=S` another limit per
//! input, in seconds.

#[path = "fuzz_replay/targets.rs"]
#[allow(dead_code)]
mod targets;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The largest input the mutator makes: long enough for a 40,000-letter
/// word or a thousand table rows, small enough to keep the run short.
const MAX_LEN: usize = 64 * 1024;

/// Stop a target after this many failures: enough to see whether they
/// are one bug or several, without flooding the log.
const MAX_FAILURES: usize = 5;

/// The worker's stack: the main thread's, where `gostdoc build` renders a
/// single document (a debug build's frames are larger than a release's,
/// so the rayon workers' 2 MiB would fail here before it fails there).
const STACK: usize = 8 * 1024 * 1024;

#[test]
fn toml_load() {
    replay("toml_load", 2500);
}

#[test]
fn markup() {
    replay("markup", 600);
}

#[test]
fn typography() {
    replay("typography", 4000);
}

#[test]
fn render() {
    replay("render", 250);
}

#[test]
fn render_template() {
    replay("render_template", 400);
}

#[test]
fn every_target_is_replayed_and_has_a_corpus() {
    let mut replayed = [
        "toml_load",
        "markup",
        "typography",
        "render",
        "render_template",
    ];
    let mut names: Vec<&str> = targets::TARGETS.iter().map(|t| t.name).collect();
    replayed.sort();
    names.sort();
    assert_eq!(
        names, replayed,
        "a target with no #[test] here is never run in CI"
    );
    for target in targets::TARGETS {
        assert!(
            !corpus(target.name).is_empty(),
            "fuzz/corpus/{} is empty",
            target.name
        );
        assert!(
            !dictionary(target.dict).is_empty(),
            "fuzz/dict/{} is empty",
            target.dict
        );
    }
}

/// A hang is a bug too. 10 s, libFuzzer's `-timeout` in `fuzz/run.sh`, in
/// an optimised build; 20 s in the debug build CI runs, which is about ten
/// times slower: the slowest input of the default run (a template writing
/// 15 MB of broken markup) takes 3.6 s there on an idle machine, and this
/// machine's load can double that. `GOSTDOC_FUZZ_TIME_LIMIT=S` sets
/// another, in seconds.
fn time_limit() -> Duration {
    let default = if cfg!(debug_assertions) { 20 } else { 10 };
    Duration::from_secs(env_number("GOSTDOC_FUZZ_TIME_LIMIT").unwrap_or(default))
}

/// Runs a target on its corpus, then on `mutations` mutated inputs.
fn replay(name: &str, mutations: usize) {
    let target = targets::TARGETS
        .iter()
        .find(|t| t.name == name)
        .expect("a target of targets.rs");
    let mutations = env_number("GOSTDOC_FUZZ_MUTATIONS").map_or(mutations, |n| n as usize);
    let seed = env_number("GOSTDOC_FUZZ_SEED").unwrap_or(0x9e37_79b9_7f4a_7c15);
    let corpus = corpus(name);
    assert!(!corpus.is_empty(), "fuzz/corpus/{name} is empty");
    let dict = dictionary(target.dict);

    let started = Instant::now();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    // Inputs that went all the way through, of the corpus and of the
    // mutations.
    let mut through = [0usize; 2];
    // Runs one input; whether it went all the way through, or None to stop.
    let mut run = |label: String, input: Vec<u8>, mutated: bool| -> Option<bool> {
        match run_one(target, &label, input) {
            Ok((took, all_the_way)) => {
                if took > slowest.0 {
                    slowest = (took, label);
                }
                through[usize::from(mutated)] += usize::from(all_the_way);
                Some(all_the_way)
            }
            Err(failure) => {
                let hang = failure.hang;
                failures.push(failure);
                // A hung thread keeps its core busy; what follows would be
                // slow and flaky. Stop at the first hang.
                (!hang && failures.len() < MAX_FAILURES).then_some(false)
            }
        }
    };

    let mut go_on = true;
    // Corpus inputs that went all the way through: most mutations start
    // from one of them, since a small change to a valid document reaches
    // the deep stages (layout, the filters) that a broken one never does.
    let mut valid = Vec::new();
    for (i, (path, bytes)) in corpus.iter().enumerate() {
        match run(format!("corpus {}", path.display()), bytes.clone(), false) {
            Some(true) => valid.push(i),
            Some(false) => {}
            None => {
                go_on = false;
                break;
            }
        }
    }
    let mut rng = Rng(seed ^ hash(name.as_bytes()));
    for i in 0..mutations {
        if !go_on {
            break;
        }
        let pick = if !valid.is_empty() && rng.below(4) != 0 {
            *rng.pick(&valid)
        } else {
            rng.below(corpus.len())
        };
        let (base, bytes) = &corpus[pick];
        let (_, other) = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, bytes, other, &dict);
        let label = format!(
            "mutation {i} of {}",
            base.file_name().unwrap_or_default().to_string_lossy()
        );
        go_on = run(label, input, true).is_some();
    }
    eprintln!(
        "fuzz_replay {name}: {} corpus inputs ({} through) and {mutations} mutations ({} through) \
         in {:.1} s; slowest {:.2} s ({})",
        corpus.len(),
        through[0],
        through[1],
        started.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64(),
        slowest.1
    );
    if !failures.is_empty() {
        let report: Vec<String> = failures.iter().map(Failure::report).collect();
        panic!(
            "{} input(s) of target {name} failed; add each to fuzz/corpus/{name}/ once fixed \
             (fuzz/README.md):\n\n{}",
            failures.len(),
            report.join("\n\n")
        );
    }
    // The real documents in the corpus must render: if none gets through
    // (a separator renamed, a seed no longer valid), the deep stages are
    // never reached and the run tests nothing.
    assert!(
        through[0] > 0,
        "no input of fuzz/corpus/{name} went all the way through {name}"
    );
}

/// One input that panicked or hung.
struct Failure {
    target: &'static str,
    label: String,
    hang: bool,
    message: String,
    input: Vec<u8>,
    saved: Option<PathBuf>,
}

impl Failure {
    fn report(&self) -> String {
        let what = if self.hang {
            format!("took longer than {} s", time_limit().as_secs())
        } else {
            format!("panicked: {}", self.message)
        };
        let saved = match &self.saved {
            Some(path) => {
                let path = path.strip_prefix(root().join("fuzz")).unwrap_or(path);
                format!(
                    "saved as fuzz/{0}; in fuzz/, `cargo +nightly fuzz run -s none {1} {0}` \
                     shows its stack",
                    path.display(),
                    self.target
                )
            }
            None => "could not be saved".to_owned(),
        };
        format!(
            "{} ({} bytes) {what}\n{saved}\ninput: {}",
            self.label,
            self.input.len(),
            escaped(&self.input)
        )
    }
}

/// Runs one input on a thread of its own: its time and whether it went
/// all the way through, or why it failed.
fn run_one(
    target: &targets::Target,
    label: &str,
    input: Vec<u8>,
) -> Result<(Duration, bool), Failure> {
    let artifacts = root().join("fuzz/artifacts/replay").join(target.name);
    // If the input aborts the process, this file says which one it was.
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::write(artifacts.join("current"), &input);

    let (done, finished) = mpsc::channel();
    let run = target.run;
    let shared = std::sync::Arc::new(input);
    let for_thread = shared.clone();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .name(format!("fuzz {}: {label}", target.name))
        .stack_size(STACK)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| run(&for_thread));
            let _ = done.send(outcome.map_err(|payload| panic_message(&*payload)));
        })
        .expect("a thread for the input");
    let outcome = finished.recv_timeout(time_limit());
    let took = started.elapsed();
    let failure = |hang, message: String| {
        let input = shared.to_vec();
        let saved = artifacts.join(format!("crash-{:016x}", hash(&input)));
        Failure {
            target: target.name,
            label: label.to_owned(),
            hang,
            message,
            saved: std::fs::write(&saved, &input).ok().map(|()| saved),
            input,
        }
    };
    match outcome {
        Ok(Ok(all_the_way)) => {
            let _ = spawned.join();
            Ok((took, all_the_way))
        }
        Ok(Err(message)) => {
            let _ = spawned.join();
            Err(failure(false, message))
        }
        // Left running: a thread cannot be killed. The test fails now,
        // and the process exits when the test binary is done.
        Err(_) => Err(failure(true, String::new())),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// The input as a Rust literal: a string when it is UTF-8 (Cyrillic kept
/// readable), else a byte string.
fn escaped(input: &[u8]) -> String {
    const SHOWN: usize = 4000;
    let (head, cut) = if input.len() > SHOWN {
        let mut end = SHOWN;
        while !boundary(input, end) {
            end -= 1;
        }
        (&input[..end], true)
    } else {
        (input, false)
    };
    let mut text = match std::str::from_utf8(head) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("b\"{}\"", head.escape_ascii()),
    };
    if cut {
        text.push_str(" … (cut; the whole input is in the saved file)");
    }
    text
}

/// True when `at` does not cut a UTF-8 sequence of `data` (or is past its end).
fn boundary(data: &[u8], at: usize) -> bool {
    at == 0 || at >= data.len() || (data[at] & 0xC0) != 0x80
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed corpus of a target, by file name.
fn corpus(name: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(name);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a corpus file");
            (p.strip_prefix(root()).unwrap_or(&p).to_path_buf(), bytes)
        })
        .collect()
}

/// The tokens of a libFuzzer dictionary: `name="value"` or `"value"` per
/// line, with `\\`, `\"` and `\xNN` escapes; `#` starts a comment line.
fn dictionary(file: &str) -> Vec<Vec<u8>> {
    let path = root().join("fuzz/dict").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (Some(open), Some(close)) = (line.find('"'), line.rfind('"')) else {
                panic!("{}: not a dictionary line: {line}", path.display());
            };
            assert!(close > open, "{}: unclosed quote: {line}", path.display());
            unescape(&line.as_bytes()[open + 1..close])
        })
        .collect()
}

fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            if s[i + 1] == b'x' && i + 3 < s.len() {
                let hex = std::str::from_utf8(&s[i + 2..i + 4]).unwrap_or("");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 4;
                    continue;
                }
            }
            out.push(s[i + 1]);
            i += 2;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value}: not a number")),
    )
}

/// FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64: a fixed seed gives the same mutations on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A position in `data` at a character boundary, so that text stays text
/// for most mutations (a broken UTF-8 sequence stops a TOML file at once).
fn position(rng: &mut Rng, data: &[u8]) -> usize {
    let mut at = rng.below(data.len() + 1);
    while !boundary(data, at) {
        at += 1;
    }
    at.min(data.len())
}

/// The start of a random line of `data`.
fn line_start(rng: &mut Rng, data: &[u8]) -> usize {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            data.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    *rng.pick(&starts)
}

/// Bytes that mean something in TOML, XML, Tera or typography.
const INTERESTING_BYTES: &[u8] = b"\0\n\r\t \"'[]{}<>=#&;\\-.,:0123456789";

/// Numbers at the edges: zero, negatives, overflow of every integer
/// type, floats that are not numbers.
const EXTREME_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0",
    "1",
    "99999",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "100000000000000000000",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "0.0001",
    "5000",
];

/// One to four mutations of `data`; `other` is another input of the same
/// target to splice with, `dict` the target's tokens.
fn mutate(rng: &mut Rng, data: &[u8], other: &[u8], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(10) {
            // Flip a bit: broken UTF-8, control characters.
            0 => {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] ^= 1 << rng.below(8);
                }
            }
            // Insert or overwrite with a meaningful byte.
            1 => {
                let b = *rng.pick(INTERESTING_BYTES);
                let at = position(rng, &out);
                if rng.below(2) == 0 || at == out.len() {
                    out.insert(at, b);
                } else {
                    out[at] = b;
                }
            }
            // A token of the dictionary, often at the start of a line
            // (where keys, tables and tags begin).
            2 | 3 => {
                if !dict.is_empty() {
                    let token = rng.pick(dict).clone();
                    let at = if rng.below(2) == 0 {
                        line_start(rng, &out)
                    } else {
                        position(rng, &out)
                    };
                    out.splice(at..at, token);
                }
            }
            // Delete a range.
            4 => {
                let from = position(rng, &out);
                let mut to = (from + 1 + rng.below(64)).min(out.len());
                while !boundary(&out, to) {
                    to += 1;
                }
                out.drain(from..to.min(out.len()));
            }
            // Duplicate a line somewhere else: duplicate keys, repeated
            // tables, extra rows.
            5 => {
                let from = line_start(rng, &out);
                let to = out[from..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(out.len(), |i| from + i + 1);
                let line = out[from..to].to_vec();
                let at = line_start(rng, &out);
                out.splice(at..at, line);
            }
            // Splice with another input.
            6 => {
                let at = position(rng, &out);
                let from = position(rng, other);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            // Repeat a chunk: long words, deep nesting, many items; now
            // and then thousands of times.
            7 => {
                let from = position(rng, &out);
                let mut to = (from + 1 + rng.below(16)).min(out.len());
                while !boundary(&out, to) {
                    to += 1;
                }
                let to = to.min(out.len());
                let chunk = out[from..to].to_vec();
                if !chunk.is_empty() {
                    let most = if rng.below(8) == 0 { 4000 } else { 16 };
                    let times = 2 + rng.below(most);
                    let times = times.min(MAX_LEN.saturating_sub(out.len()) / chunk.len());
                    out.splice(to..to, chunk.repeat(times));
                }
            }
            // Replace a number with an extreme one.
            _ => {
                let at = position(rng, &out);
                let extreme = rng.pick(EXTREME_NUMBERS).as_bytes().to_vec();
                match out[at..].iter().position(u8::is_ascii_digit) {
                    Some(i) => {
                        let from = at + i;
                        let len = out[from..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit() || **b == b'.')
                            .count();
                        out.splice(from..from + len, extreme);
                    }
                    None => {
                        out.splice(at..at, extreme);
                    }
                }
            }
        }
        if out.len() > MAX_LEN {
            let mut end = MAX_LEN;
            while !boundary(&out, end) {
                end -= 1;
            }
            out.truncate(end);
        }
    }
    out
}

#[test]
fn the_mutator_is_deterministic_and_stays_text() {
    let data = "kind = \"protocol\"\n[meeting]\ntitle = \"совещания\"\ndate = 2021-06-24\n";
    let dict = vec![b"[[decision]]\n".to_vec()];
    let run = || {
        let mut rng = Rng(1);
        (0..200)
            .map(|_| mutate(&mut rng, data.as_bytes(), data.as_bytes(), &dict))
            .collect::<Vec<_>>()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    let text = a.iter().filter(|m| std::str::from_utf8(m).is_ok()).count();
    assert!(text > 150, "only {text} of 200 mutations are UTF-8");
    assert!(a.iter().all(|m| m.len() <= MAX_LEN));
    assert!(a.iter().any(|m| m.as_slice() != data.as_bytes()));
}

#[test]
fn dictionary_lines_are_unescaped() {
    assert_eq!(unescape(br#"a\"b\\c\x41\x0a"#), b"a\"b\\cA\n");
}
