//! The Russian language of documents: grammatical cases of names and
//! positions, dates in words, plural agreement, numbers in words and the
//! typographic pass over user text.
//!
//! Everything here is a pure function of its arguments. Templates reach
//! these functions through the Tera filters in [`crate::template`]
//! (documented in `docs/TEMPLATES.md`); the view uses them too.

pub mod dates;
pub mod names;
pub mod numbers;
pub mod positions;
pub mod typography;

/// A grammatical case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Именительный: кто? что?
    Nominative,
    /// Родительный: кого? чего?
    Genitive,
    /// Дательный: кому? чему?
    Dative,
    /// Винительный: кого? что?
    Accusative,
    /// Творительный: кем? чем?
    Instrumental,
    /// Предложный: о ком? о чём?
    Prepositional,
}

impl Case {
    /// Every case, in the school order.
    pub const ALL: [Case; 6] = [
        Case::Nominative,
        Case::Genitive,
        Case::Dative,
        Case::Accusative,
        Case::Instrumental,
        Case::Prepositional,
    ];

    /// Reads a case name as a template author writes it: English
    /// («genitive»), Russian («родительный») or short («род»).
    pub fn parse(name: &str) -> Option<Case> {
        let n = name.trim().to_lowercase();
        let case = match n.as_str() {
            "nominative" | "nom" | "именительный" | "им" | "и" => Case::Nominative,
            "genitive" | "gen" | "родительный" | "род" | "р" => Case::Genitive,
            "dative" | "dat" | "дательный" | "дат" | "д" => Case::Dative,
            "accusative" | "acc" | "винительный" | "вин" | "в" => Case::Accusative,
            "instrumental" | "ins" | "творительный" | "твор" | "т" => {
                Case::Instrumental
            }
            "prepositional" | "pre" | "предложный" | "пред" | "п" => {
                Case::Prepositional
            }
            _ => return None,
        };
        Some(case)
    }

    /// The English name, as in [`Case::parse`].
    pub fn name(self) -> &'static str {
        match self {
            Case::Nominative => "nominative",
            Case::Genitive => "genitive",
            Case::Dative => "dative",
            Case::Accusative => "accusative",
            Case::Instrumental => "instrumental",
            Case::Prepositional => "prepositional",
        }
    }
}

/// Replaces the last `strip` characters of `word` with `ending`.
pub(crate) fn replace_end(word: &str, strip: usize, ending: &str) -> String {
    let keep = word.chars().count().saturating_sub(strip);
    let mut out: String = word.chars().take(keep).collect();
    out.push_str(ending);
    out
}
