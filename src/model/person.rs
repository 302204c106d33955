//! People: parsed once from «Фамилия Имя Отчество», «Фамилия И.О.» or
//! «И.О. Фамилия», printed in whatever form a template asks for.

use serde::Serialize;

/// No-break space: joins initials to the surname (LAYOUT.md §7).
pub const NBSP: char = '\u{a0}';

/// Grammatical gender, needed for declension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
    /// Not known: no patronymic and no `gender` field.
    Unknown,
}

/// A person's name, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PersonName {
    /// «Климова».
    pub surname: String,
    /// «Ольга», when written in full.
    pub first_name: Option<String>,
    /// «Николаевна», when written in full.
    pub patronymic: Option<String>,
    /// «О.Н.» (or «О.» when there is no patronymic); empty when only a
    /// surname is known.
    pub initials: String,
}

/// Why a name could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError(pub String);

/// `char::is_alphabetic`, answered at once for the Russian alphabet:
/// the standard library looks a Cyrillic letter up in its tables, which
/// was 1 % of a `check` (every name of every document is parsed).
fn is_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё') || c.is_alphabetic()
}

impl PersonName {
    /// Parses «Фамилия Имя Отчество», «Фамилия И.О.», «Фамилия И. О.»,
    /// «И.О. Фамилия», «И.О.Фамилия», or a lone surname.
    pub fn parse(input: &str) -> Result<PersonName, NameError> {
        // Copied only when it has a no-break space: every name of every
        // document is parsed, most with none.
        let cleaned = if input.contains(NBSP) {
            std::borrow::Cow::Owned(input.replace(NBSP, " "))
        } else {
            std::borrow::Cow::Borrowed(input)
        };
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            return Err(NameError("имя пустое".into()));
        }
        // Split «О.Н.Климова» and «Климова О.Н.» into tokens: each initial
        // («О.», the letter and its dot) is its own token, words are tokens.
        let mut tokens: Vec<&str> = Vec::new();
        for word in cleaned.split_whitespace() {
            let mut rest = word;
            while let Some(dot) = rest.find('.') {
                let head = &rest[..dot];
                if head.chars().count() == 1 && head.chars().all(is_letter) {
                    tokens.push(&rest[..=dot]);
                    rest = &rest[dot + 1..];
                } else {
                    break;
                }
            }
            if !rest.is_empty() {
                tokens.push(rest);
            }
        }
        let is_initial = |t: &str| t.ends_with('.') && t.chars().count() == 2;
        let initials: Vec<&str> = tokens.iter().copied().filter(|t| is_initial(t)).collect();
        let words: Vec<&str> = tokens.iter().copied().filter(|t| !is_initial(t)).collect();
        for w in &words {
            if !w.chars().all(|c| is_letter(c) || c == '-' || c == '\'') {
                return Err(NameError(format!(
                    "«{w}» не похоже на часть имени (ожидались буквы)"
                )));
            }
            if !w.chars().next().is_some_and(char::is_uppercase) {
                return Err(NameError(format!(
                    "«{w}» должно начинаться с заглавной буквы"
                )));
            }
        }
        match (words.len(), initials.len()) {
            (1, 0..=2) => Ok(PersonName {
                surname: words[0].to_owned(),
                first_name: None,
                patronymic: None,
                initials: initials.concat(),
            }),
            (2 | 3, 0) => {
                let first = words[1].to_owned();
                let patronymic = words.get(2).map(|s| s.to_string());
                let mut initials = String::with_capacity(8);
                push_initial(&mut initials, &first);
                if let Some(p) = &patronymic {
                    push_initial(&mut initials, p);
                }
                Ok(PersonName {
                    surname: words[0].to_owned(),
                    first_name: Some(first),
                    patronymic,
                    initials,
                })
            }
            _ => Err(NameError(format!(
                "не удалось разобрать имя «{cleaned}»: пишите «Фамилия Имя Отчество», «Фамилия И.О.» или «И.О. Фамилия»"
            ))),
        }
    }

    /// «Климова О.Н.», joined with a no-break space.
    pub fn surname_first(&self) -> String {
        join(&self.surname, &self.initials, false)
    }

    /// «О.Н. Климова», joined with a no-break space.
    pub fn initials_first(&self) -> String {
        join(&self.surname, &self.initials, true)
    }

    /// «Климова Ольга Николаевна» when known, else «Климова О.Н.».
    pub fn full(&self) -> String {
        match &self.first_name {
            Some(first) => {
                let mut s = format!("{} {first}", self.surname);
                if let Some(p) = &self.patronymic {
                    s.push(' ');
                    s.push_str(p);
                }
                s
            }
            None => self.surname_first(),
        }
    }

    /// Gender from the patronymic (-вна / -ична / -кызы: female).
    pub fn gender_from_patronymic(&self) -> Gender {
        match &self.patronymic {
            Some(p) if p.ends_with("вна") || p.ends_with("чна") || p.ends_with("кызы") => {
                Gender::Female
            }
            Some(p) if p.ends_with("вич") || p.ends_with("ич") || p.ends_with("оглы") => {
                Gender::Male
            }
            _ => Gender::Unknown,
        }
    }
}

/// The first letter of `word` and a dot, after `out`.
fn push_initial(out: &mut String, word: &str) {
    out.extend(word.chars().take(1));
    out.push('.');
}

fn join(surname: &str, initials: &str, initials_first: bool) -> String {
    if initials.is_empty() {
        return surname.to_owned();
    }
    let (first, second) = if initials_first {
        (initials, surname)
    } else {
        (surname, initials)
    };
    let mut out = String::with_capacity(first.len() + NBSP.len_utf8() + second.len());
    out.push_str(first);
    out.push(NBSP);
    out.push_str(second);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in ('\u{0}'..='\u{3000}').chain(['ё', 'Ё', 'ї', '\u{a0}']) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    fn p(s: &str) -> PersonName {
        PersonName::parse(s).unwrap()
    }

    #[test]
    fn reads_every_written_form() {
        for form in [
            "Климова О.Н.",
            "Климова О. Н.",
            "О.Н. Климова",
            "О.Н.Климова",
            "О. Н. Климова",
        ] {
            let n = p(form);
            assert_eq!(n.surname, "Климова", "{form}");
            assert_eq!(n.initials, "О.Н.", "{form}");
        }
        let full = p("Рябченко Галина Николаевна");
        assert_eq!(full.initials, "Г.Н.");
        assert_eq!(full.first_name.as_deref(), Some("Галина"));
        assert_eq!(full.gender_from_patronymic(), Gender::Female);
    }

    #[test]
    fn prints_with_no_break_spaces() {
        let n = p("Климова Ольга Николаевна");
        assert_eq!(n.surname_first(), "Климова\u{a0}О.Н.");
        assert_eq!(n.initials_first(), "О.Н.\u{a0}Климова");
        assert_eq!(n.full(), "Климова Ольга Николаевна");
    }

    #[test]
    fn double_surnames_and_lone_surnames() {
        let n = p("Петрова-Водкина А.С.");
        assert_eq!(n.surname, "Петрова-Водкина");
        assert_eq!(p("Кулик").initials, "");
    }

    #[test]
    fn rejects_what_is_not_a_name() {
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse("директор школы № 3").is_err());
        assert!(PersonName::parse("климова о.н.").is_err());
    }
}
