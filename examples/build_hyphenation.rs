//! Compiles a libhyphen pattern file (`hyph_ru_RU.dic`, as LibreOffice uses
//! it) into the `hyphenation` crate's own format: a bincode-serialized
//! `hyphenation_commons::dictionary::Standard`, loadable with
//! `Standard::from_reader(Language::Russian, …)`.
//!
//! ```text
//! cargo run --example build_hyphenation -- /usr/share/hyphen/hyph_ru_RU.dic \
//!     assets/hyphenation/ru_RU.libreoffice.bincode [--print WORDS]
//! ```
//!
//! libhyphen does not apply the patterns the way Liang (and the `hyphenation`
//! crate) does. It runs a finite automaton over all patterns and their
//! prefixes, and at each letter applies only the pattern of the current state,
//! the longest suffix of the text read so far that is a pattern or a prefix of
//! one. A pattern that is a suffix of that state is not applied unless the
//! file was preprocessed with libhyphen's `substrings.pl`, which
//! `hyph_ru_RU.dic` was not. So LibreOffice finds far fewer breaks than the
//! same patterns would give in TeX (обу-чающи-е-ся, «года» unbreakable).
//!
//! To reproduce that in a Liang dictionary, every pattern `q` is emitted
//! under left contexts `x = u·q` chosen so that whenever the text ends with
//! `x`, libhyphen's state is `q` or a longer state whose own pattern already
//! dominates `q`'s values. The contexts are found by extending `q` to the left,
//! one letter at a time, while some longer state that would shadow `q` still
//! ends with the context. Each letter gap then gets exactly libhyphen's
//! values, for every word over the alphabet (the letters of the patterns plus
//! а–я and ё).
//!
//! The `\hyphenation{…}` block at the end of `hyph_ru_RU.dic` is read by
//! libhyphen as patterns too: its entries with `-` can never match a word, and
//! those without (`ушла`) override an earlier pattern on the same letters with
//! all zeros. Both are reproduced, as is "the last line for the same letters
//! wins".
//!
//! With `--print WORDS` (a file, one word a line) the tool reloads the written
//! dictionary through `hyphenation::Load`, checks it against its own model of
//! libhyphen for each word and prints `word<TAB>hy-phen-at-ed`, for
//! comparison with libhyphen itself.

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::fs;
use std::io::{BufWriter, Write};

use hyphenation::{Hyphenator, Language, Load, Standard};
use hyphenation_commons::dictionary::{Builder, Exceptions, Locus, Patterns};

type Res<T> = Result<T, Box<dyn Error>>;

/// A libhyphen pattern: its letters and the values of the gaps before,
/// between and after them (`letters.len() + 1` values).
type Values = Vec<u8>;

/// What a libhyphen file holds that matters here.
struct Dic {
    /// Letters (as chars) to values; a later line replaces an earlier one.
    patterns: HashMap<Vec<char>, Values>,
    lhmin: usize,
    rhmin: usize,
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output, words) = match args.as_slice() {
        [i, o] => (i, o, None),
        [i, o, flag, w] if flag == "--print" => (i, o, Some(w)),
        _ => {
            return Err(
                "usage: build_hyphenation <hyph_xx.dic> <out.bincode> [--print WORDS]".into(),
            );
        }
    };
    let dic = parse(&fs::read(input)?)?;
    let model = Model::new(&dic);
    let compiled = model.compile();
    let n_patterns = compiled.len();

    let pairs = compiled.into_iter().map(|(x, vals)| {
        let key: String = x.iter().collect();
        let tally = tally(&x, &vals);
        (key, tally)
    });
    let patterns = Patterns::from_iter(pairs).map_err(|e| format!("trie: {:?}", e.0))?;
    let mut dict: Standard = Builder {
        language: Language::Russian,
        patterns,
        exceptions: Exceptions::default(),
    }
    .into();
    // LibreOffice asks libhyphen for 2 and 2 by default, and libhyphen takes
    // the larger of that and the file's LEFTHYPHENMIN / RIGHTHYPHENMIN.
    dict.minima = (dic.lhmin.max(2), dic.rhmin.max(2));

    let mut out = BufWriter::new(fs::File::create(output)?);
    bincode::serialize_into(&mut out, &dict)?;
    out.flush()?;
    drop(out);
    eprintln!(
        "{} patterns from {input} ({} after context expansion), minima {:?} -> {output} ({} bytes)",
        dic.patterns.len(),
        n_patterns,
        dict.minima,
        fs::metadata(output)?.len()
    );

    // Reload the file the way gostdoc does and check it.
    let bytes = fs::read(output)?;
    let loaded = Standard::from_reader(Language::Russian, &mut &bytes[..])?;
    let (lmin, rmin) = loaded.minima;
    let mut checks: Vec<String> = [
        "обучающиеся",
        "учителей",
        "результатами",
        "программ",
        "года",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(w) = words {
        checks.extend(
            fs::read_to_string(w)?
                .split_whitespace()
                .map(str::to_lowercase),
        );
    }
    let mut mismatches = 0;
    for word in &checks {
        let chars: Vec<char> = word.chars().collect();
        let ours: Vec<usize> = loaded
            .hyphenate(word)
            .breaks
            .into_iter()
            .map(|b| word[..b].chars().count())
            .collect();
        let expected = model.libhyphen_breaks(&chars, lmin, rmin);
        if ours != expected {
            mismatches += 1;
            eprintln!("MISMATCH {word}: ours {ours:?}, libhyphen model {expected:?}");
        }
        if words.is_some() {
            println!("{word}\t{}", show(&chars, &ours));
        }
    }
    eprintln!(
        "checked {} words against the libhyphen model: {mismatches} mismatches",
        checks.len()
    );
    if mismatches > 0 {
        return Err("the compiled dictionary disagrees with libhyphen".into());
    }
    Ok(())
}

/// `word` with `-` at `breaks` (char offsets).
fn show(chars: &[char], breaks: &[usize]) -> String {
    let mut s = String::new();
    for (i, c) in chars.iter().enumerate() {
        if breaks.contains(&i) {
            s.push('-');
        }
        s.push(*c);
    }
    s
}

/// The crate's tally: the nonzero values, each at the byte offset of its gap.
fn tally(letters: &[char], vals: &[u8]) -> Vec<Locus> {
    let mut offset = 0;
    let mut out = Vec::new();
    for (g, &v) in vals.iter().enumerate() {
        if v > 0 {
            out.push(Locus {
                index: u8::try_from(offset).expect("pattern longer than 255 bytes"),
                value: v,
            });
        }
        if let Some(c) = letters.get(g) {
            offset += c.len_utf8();
        }
    }
    out
}

/// Reads a libhyphen file as `hnj_hyphen_load` does.
fn parse(raw: &[u8]) -> Res<Dic> {
    let nl = raw.iter().position(|&b| b == b'\n').unwrap_or(raw.len());
    let charset = String::from_utf8_lossy(&raw[..nl]).trim().to_string();
    let body = raw.get(nl + 1..).unwrap_or_default();
    let text = if charset == "UTF-8" {
        String::from_utf8(body.to_vec())?
    } else {
        let enc = encoding_rs::Encoding::for_label(charset.as_bytes())
            .ok_or_else(|| format!("unknown charset {charset:?}"))?;
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(format!("bytes not valid in {charset}").into());
        }
        text.into_owned()
    };
    let mut dic = Dic {
        patterns: HashMap::new(),
        lhmin: 0,
        rhmin: 0,
    };
    let number = |s: &str| s.trim().parse::<usize>().unwrap_or(0);
    for line in text.lines() {
        if line.starts_with("NEXTLEVEL") {
            return Err("NEXTLEVEL (compound patterns) is not supported".into());
        } else if line.starts_with('%') {
            continue;
        } else if let Some(n) = line.strip_prefix("LEFTHYPHENMIN") {
            dic.lhmin = number(n);
        } else if let Some(n) = line.strip_prefix("RIGHTHYPHENMIN") {
            dic.rhmin = number(n);
        } else if line.starts_with("COMPOUND") || line.starts_with("NOHYPHEN") {
            // Only for words with hyphens or apostrophes, which gostdoc
            // never hands to the hyphenator.
            eprintln!("note: ignoring {line:?}");
        } else {
            // libhyphen stops at the first blank or control character.
            let token: String = line.chars().take_while(|&c| c > ' ').collect();
            if token.is_empty() {
                continue;
            }
            if token.contains('/') {
                return Err(format!("non-standard pattern {token:?} is not supported").into());
            }
            let mut letters = Vec::new();
            let mut vals = vec![0u8];
            for c in token.chars() {
                match c.to_digit(10) {
                    Some(d) => *vals.last_mut().expect("never empty") = d as u8,
                    None => {
                        letters.push(c);
                        vals.push(0);
                    }
                }
            }
            dic.patterns.insert(letters, vals);
        }
    }
    Ok(dic)
}

/// libhyphen's automaton, restricted to the letters a word can have.
struct Model<'d> {
    /// The letters a word may consist of, and the word boundary `.`.
    alphabet: Vec<char>,
    /// The patterns over the alphabet.
    patterns: HashMap<&'d [char], &'d Values>,
    /// The automaton's states: all patterns and their prefixes.
    states: HashSet<&'d [char]>,
    /// For a string, the states that end with it and are longer.
    longer: HashMap<&'d [char], Vec<&'d [char]>>,
}

impl<'d> Model<'d> {
    fn new(dic: &'d Dic) -> Self {
        let mut letters: HashSet<char> = ('а'..='я').chain(['ё']).collect();
        // Letters a word may hold, from the patterns that are letters only
        // (not the `\hyphenation{` line); `.` stands for word boundaries.
        letters.extend(
            dic.patterns
                .keys()
                .filter(|p| p.iter().all(|c| c.is_alphabetic() || *c == '.'))
                .flatten()
                .copied()
                .filter(|c| c.is_alphabetic()),
        );
        let ok = |c: &char| letters.contains(c) || *c == '.';
        let mut states = HashSet::new();
        for p in dic.patterns.keys() {
            // A prefix with another character (`ас-` of the `ас-бест` the
            // TeX exception block leaves) can never be reached by a word.
            let end = p.iter().position(|c| !ok(c)).unwrap_or(p.len());
            for i in 0..=end {
                states.insert(&p[..i]);
            }
        }
        let patterns = dic
            .patterns
            .iter()
            .filter(|(p, _)| states.contains(p.as_slice()))
            .map(|(p, v)| (p.as_slice(), v))
            .collect();
        let mut longer: HashMap<&[char], Vec<&[char]>> = HashMap::new();
        for &s in &states {
            for j in 1..s.len() {
                longer.entry(&s[j..]).or_default().push(s);
            }
        }
        let mut alphabet: Vec<char> = letters.into_iter().chain(['.']).collect();
        alphabet.sort_unstable();
        Model {
            alphabet,
            patterns,
            states,
            longer,
        }
    }

    /// Does state `s` (ending with `q`) carry values at least `v` on `q`'s gaps?
    fn dominates(&self, s: &[char], q: &[char], v: &[u8]) -> bool {
        let off = s.len() - q.len();
        self.patterns
            .get(s)
            .is_some_and(|m| v.iter().enumerate().all(|(g, &x)| m[off + g] >= x))
    }

    /// Liang patterns (letters, values) giving libhyphen's results.
    fn compile(&self) -> Vec<(Vec<char>, Values)> {
        let mut out: HashMap<Vec<char>, Values> = HashMap::new();
        let mut keys: Vec<&&[char]> = self.patterns.keys().collect();
        keys.sort_unstable();
        for &q in keys {
            let v = self.patterns[q];
            if v.iter().all(|&x| x == 0) {
                continue;
            }
            // Longer states that would shadow `q` where libhyphen gives less.
            let bad: HashSet<&[char]> = self
                .longer
                .get(q)
                .into_iter()
                .flatten()
                .copied()
                .filter(|s| !self.dominates(s, q, v))
                .collect();
            // Contexts some bad state properly ends with: not yet decisive.
            let open: HashSet<&[char]> = bad
                .iter()
                .flat_map(|s| (1..=s.len() - q.len()).map(move |j| &s[j..]))
                .collect();
            let mut stack = vec![q.to_vec()];
            while let Some(x) = stack.pop() {
                if x[0] == '.' || !open.contains(x.as_slice()) {
                    let mut vals = vec![0; x.len() - q.len()];
                    vals.extend_from_slice(v);
                    let e = out.entry(x).or_insert_with(|| vec![0; vals.len()]);
                    for (a, b) in e.iter_mut().zip(vals) {
                        *a = (*a).max(b);
                    }
                    continue;
                }
                for &c in &self.alphabet {
                    let mut y = Vec::with_capacity(x.len() + 1);
                    y.push(c);
                    y.extend_from_slice(&x);
                    if !bad.contains(y.as_slice()) {
                        stack.push(y);
                    }
                }
            }
        }
        let mut out: Vec<_> = out.into_iter().collect();
        out.sort_unstable();
        out
    }

    /// libhyphen's breaks (char offsets) for a lowercase word, with minima.
    fn libhyphen_breaks(&self, word: &[char], lmin: usize, rmin: usize) -> Vec<usize> {
        let mut text = vec!['.'];
        text.extend_from_slice(word);
        text.push('.');
        let mut h = vec![0u8; text.len() + 1];
        for i in 1..=text.len() {
            // The state: the longest suffix of text[..i] that is a state.
            let start = (0..i)
                .find(|&s| self.states.contains(&text[s..i]))
                .unwrap_or(i);
            if let Some(m) = self.patterns.get(&text[start..i]) {
                for (k, &x) in m.iter().enumerate() {
                    h[start + k] = h[start + k].max(x);
                }
            }
        }
        // Gap before word[p] is h[p + 1].
        (1..word.len())
            .filter(|&p| h[p + 1] % 2 == 1 && p >= lmin && word.len() - p >= rmin)
            .collect()
    }
}
