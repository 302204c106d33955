//! The document kinds, as one table: everything that differs between a
//! протокол, a постановление, a распоряжение, a приказ, a решение and an
//! approved document (a plan, a положение) is a column of [`KINDS`], so that
//! adding a kind is one row here, one template and one starter, and no code
//! compares kind names as strings.

use super::date::DateStyle;
use serde::Serialize;

/// A document kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Протокол совещания, заседания.
    Protocol,
    /// Постановление (a collegial or head's act with «постановляет:»).
    Postanovlenie,
    /// Распоряжение.
    Rasporyazhenie,
    /// Приказ.
    Prikaz,
    /// Решение совета, комиссии.
    Reshenie,
    /// A document approved by an act or by a head (план мероприятий,
    /// «дорожная карта», положение), printed with its grif and no act header.
    Plan,
}

/// What a kind's text is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Meeting, attendees, agenda, decisions.
    Protocol,
    /// Header, title, preamble, points, signature, appendices.
    Act,
    /// Only pages with grifs: the approved document itself.
    Approved,
}

/// Where the enacting formula («постановляет:», «ПРИКАЗЫВАЮ:») prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnactingForm {
    /// At the end of the preamble's last paragraph.
    Inline,
    /// On its own line, centred.
    Line,
    /// Not at all (no empty paragraph is left).
    None,
}

/// One row of the kind table.
#[derive(Debug)]
pub struct KindInfo {
    /// The kind.
    pub kind: DocKind,
    /// `kind = "…"` in a document file; also the template's name
    /// (`{key}.xml`) and the starter's name (`gostdoc new {key}`).
    pub key: &'static str,
    /// Other spellings accepted for `kind` and `gostdoc new`, Russian first.
    pub aliases: &'static [&'static str],
    /// What text a document of this kind has.
    pub family: Family,
    /// The kind word of the header: «ПОСТАНОВЛЕНИЕ».
    pub word: &'static str,
    /// Nominative, lower case, for messages: «постановление».
    pub nominative: &'static str,
    /// Genitive, for messages: «дата постановления».
    pub genitive: &'static str,
    /// Prepositional, for messages: «в постановлении».
    pub prepositional: &'static str,
    /// Dative, for the appendix grif: «к постановлению».
    pub dative: &'static str,
    /// Instrumental, for the approval grif: «УТВЕРЖДЕН постановлением».
    pub instrumental: &'static str,
    /// The default enacting formula.
    pub enacting: &'static str,
    /// Where it prints by default.
    pub enacting_form: EnactingForm,
    /// The default date form of the date line.
    pub date_style: DateStyle,
    /// The commented file `gostdoc new` writes.
    pub starter: &'static str,
}

/// Every kind. The first row is the default where a kind must be assumed.
pub static KINDS: &[KindInfo] = &[
    KindInfo {
        kind: DocKind::Protocol,
        key: "protocol",
        aliases: &["протокол"],
        family: Family::Protocol,
        word: "ПРОТОКОЛ",
        nominative: "протокол",
        prepositional: "протоколе",
        genitive: "протокола",
        dative: "к протоколу",
        instrumental: "протоколом",
        enacting: "",
        enacting_form: EnactingForm::None,
        date_style: DateStyle::Numeric,
        starter: include_str!("../starters/protocol.toml"),
    },
    KindInfo {
        kind: DocKind::Postanovlenie,
        key: "resolution",
        aliases: &["постановление", "postanovlenie"],
        family: Family::Act,
        word: "ПОСТАНОВЛЕНИЕ",
        nominative: "постановление",
        prepositional: "постановлении",
        genitive: "постановления",
        dative: "к постановлению",
        instrumental: "постановлением",
        enacting: "постановляет:",
        enacting_form: EnactingForm::Inline,
        date_style: DateStyle::Words,
        starter: include_str!("../starters/resolution.toml"),
    },
    KindInfo {
        kind: DocKind::Rasporyazhenie,
        key: "rasporyazhenie",
        aliases: &["распоряжение"],
        family: Family::Act,
        word: "РАСПОРЯЖЕНИЕ",
        nominative: "распоряжение",
        prepositional: "распоряжении",
        genitive: "распоряжения",
        dative: "к распоряжению",
        instrumental: "распоряжением",
        enacting: "",
        enacting_form: EnactingForm::None,
        date_style: DateStyle::Numeric,
        starter: include_str!("../starters/rasporyazhenie.toml"),
    },
    KindInfo {
        kind: DocKind::Prikaz,
        key: "prikaz",
        aliases: &["приказ"],
        family: Family::Act,
        word: "ПРИКАЗ",
        nominative: "приказ",
        prepositional: "приказе",
        genitive: "приказа",
        dative: "к приказу",
        instrumental: "приказом",
        enacting: "ПРИКАЗЫВАЮ:",
        enacting_form: EnactingForm::Line,
        date_style: DateStyle::Numeric,
        starter: include_str!("../starters/prikaz.toml"),
    },
    KindInfo {
        kind: DocKind::Reshenie,
        key: "reshenie",
        aliases: &["решение"],
        family: Family::Act,
        word: "РЕШЕНИЕ",
        nominative: "решение",
        prepositional: "решении",
        genitive: "решения",
        dative: "к решению",
        instrumental: "решением",
        enacting: "решил:",
        enacting_form: EnactingForm::Inline,
        date_style: DateStyle::Numeric,
        starter: include_str!("../starters/reshenie.toml"),
    },
    KindInfo {
        kind: DocKind::Plan,
        key: "plan",
        aliases: &["план", "утверждаемый"],
        family: Family::Approved,
        word: "",
        nominative: "утверждаемый документ",
        prepositional: "утверждаемом документе",
        genitive: "утверждаемого документа",
        dative: "к документу",
        instrumental: "документом",
        enacting: "",
        enacting_form: EnactingForm::None,
        date_style: DateStyle::Numeric,
        starter: include_str!("../starters/plan.toml"),
    },
];

impl DocKind {
    /// This kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .expect("every kind has a row in KINDS")
    }

    /// The kind a `kind = "…"` value or a `gostdoc new` argument names:
    /// its key or an alias, in any letter case.
    pub fn from_name(name: &str) -> Option<DocKind> {
        let name = name.trim().to_lowercase();
        KINDS
            .iter()
            .find(|k| k.key == name || k.aliases.contains(&name.as_str()))
            .map(|k| k.kind)
    }

    /// Every accepted name, keys first, for suggestions.
    pub fn names() -> Vec<&'static str> {
        KINDS
            .iter()
            .map(|k| k.key)
            .chain(KINDS.iter().flat_map(|k| k.aliases.iter().copied()))
            .collect()
    }

    /// «protocol (протокол), resolution (постановление), …», for hints.
    pub fn listing() -> String {
        KINDS
            .iter()
            .map(|k| format!("{} ({})", k.key, k.aliases[0]))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The template that renders this kind: `{key}.xml`.
    pub fn template(self) -> &'static str {
        self.info().key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_and_unique_names() {
        for k in [
            DocKind::Protocol,
            DocKind::Postanovlenie,
            DocKind::Rasporyazhenie,
            DocKind::Prikaz,
            DocKind::Reshenie,
            DocKind::Plan,
        ] {
            assert_eq!(KINDS.iter().filter(|r| r.kind == k).count(), 1, "{k:?}");
        }
        let mut names = DocKind::names();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "a name is used twice");
    }

    #[test]
    fn russian_names_and_keys_are_accepted_in_any_case() {
        assert_eq!(
            DocKind::from_name("Распоряжение"),
            Some(DocKind::Rasporyazhenie)
        );
        assert_eq!(
            DocKind::from_name("resolution"),
            Some(DocKind::Postanovlenie)
        );
        assert_eq!(DocKind::from_name("ПРИКАЗ"), Some(DocKind::Prikaz));
        assert_eq!(DocKind::from_name("указ"), None);
    }
}
