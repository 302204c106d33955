//! The requisites of ГОСТ Р 7.0.97-2025 in the model: the QR code
//! (`qr` in `[meeting]` or `[act]`) and the electronic signature of a
//! signer (`electronic` in a `[[signature]]`), checked with errors and
//! warnings at their lines.

use super::raw::{RawElectronic, RawQr};
use super::{Edition, Person, Validator, date};
use chrono::NaiveDate;
use serde::Serialize;
use toml::Spanned;

/// The certificate of an electronic signature, for its mark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Electronic {
    /// The certificate's serial number, hexadecimal, in capitals.
    pub certificate: String,
    /// Its owner as the certificate names him.
    pub owner: String,
    /// The first day of its term.
    pub valid_from: NaiveDate,
    /// The last day of its term.
    pub valid_to: NaiveDate,
}

/// What a document's registration data look like in its QR code
/// (`qr = true`): the kind and number, the date, the organisation, one a
/// line, in the words they print with.
pub fn registration_text(
    kind_word: &str,
    number: Option<&str>,
    date: Option<NaiveDate>,
    organization: &str,
) -> String {
    let mut first = super::capitalize(&kind_word.to_lowercase());
    if let Some(n) = number {
        first = format!("{first} № {n}");
    }
    if let Some(d) = date {
        first = format!("{first} от {}", date::numeric(d));
    }
    if organization.trim().is_empty() {
        first
    } else {
        format!("{first}\n{}", organization.trim())
    }
}

impl Validator {
    /// Runs `f` with the profile as the file being read, so that what it
    /// says points at the profile's lines (the document's otherwise).
    pub(super) fn in_profile<T>(&mut self, f: impl FnOnce(&mut Validator) -> T) -> T {
        let Some((file, source)) = self.profile_source.take() else {
            return f(self);
        };
        let file = std::mem::replace(&mut self.file, file);
        let source = std::mem::replace(&mut self.source, source);
        let out = f(self);
        let profile_file = std::mem::replace(&mut self.file, file);
        let profile_source = std::mem::replace(&mut self.source, source);
        self.profile_source = Some((profile_file, profile_source));
        out
    }

    fn requisite_warning(
        &mut self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
        hint: &str,
    ) {
        let d = self
            .source
            .diagnostic(&self.file, span, message)
            .with_field(field)
            .with_hint(hint)
            .warning();
        self.diagnostics.push(d);
    }

    /// The text of the QR code, or `None`: the link as written, or the
    /// registration data for `true`. A QR code under the 2016 edition is a
    /// warning: that edition has no such requisite.
    pub(super) fn qr(
        &mut self,
        raw: Option<&Spanned<RawQr>>,
        field: &str,
        edition: Edition,
        registration: impl FnOnce() -> String,
    ) -> Option<String> {
        let raw = raw?;
        let text = match raw.get_ref() {
            RawQr::Registration(false) => return None,
            RawQr::Registration(true) => registration(),
            RawQr::Text(t) => t.trim().to_owned(),
        };
        if let Err(why) = crate::qr::encode(&text) {
            self.error(
                raw.span(),
                field,
                why,
                Some("пишите ссылку на документ (qr = \"https://…\") или qr = true"),
            );
            return None;
        }
        if edition == Edition::Gost2016 {
            self.requisite_warning(
                raw.span(),
                field,
                "реквизита «QR-код» нет в ГОСТ Р 7.0.97-2016: его ввёл ГОСТ Р 7.0.97-2025; код напечатается".into(),
                "добавьте в [options] (документа или профиля) edition = 2025",
            );
        }
        Some(text)
    }

    /// `qr` in an act printed as its appendices only: the code goes on the
    /// act's first page, which does not print.
    pub(super) fn qr_not_printed(&mut self, raw: Option<&Spanned<RawQr>>, field: &str) {
        if let Some(raw) = raw {
            self.requisite_warning(
                raw.span(),
                field,
                "QR-код не напечатается: при appendices_only = true печатаются только приложения, а код ставится на первый лист акта".into(),
                "уберите qr или appendices_only",
            );
        }
    }

    /// The certificate of a signature signed electronically: its number
    /// in hexadecimal digits, its term a real span of days, the signing
    /// date within it (a warning otherwise).
    pub(super) fn electronic(
        &mut self,
        raw: &Spanned<RawElectronic>,
        field: &str,
        person: &Person,
        signed_on: Option<NaiveDate>,
    ) -> Option<Electronic> {
        let e = raw.get_ref();
        let certificate: String = e
            .certificate
            .get_ref()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let mut ok = true;
        if certificate.is_empty()
            || certificate.len() > 64
            || !certificate.chars().all(|c| c.is_ascii_hexdigit())
        {
            self.error(
                e.certificate.span(),
                &format!("{field}.certificate"),
                format!(
                    "«{}» не похоже на номер сертификата: нужны шестнадцатеричные цифры (0–9, A–F), не больше 64",
                    e.certificate.get_ref()
                ),
                Some("скопируйте серийный номер из свойств сертификата, например \"01D7A3B2C4E5F60718293A4B5C6D7E8F\""),
            );
            ok = false;
        }
        let from = self.date(&e.valid_from, &format!("{field}.valid_from"));
        let to = self.date(&e.valid_to, &format!("{field}.valid_to"));
        let (Some(from), Some(to)) = (from, to) else {
            return None;
        };
        if to < from {
            self.error(
                e.valid_to.span(),
                &format!("{field}.valid_to"),
                format!(
                    "срок действия сертификата кончается ({}) раньше, чем начинается ({})",
                    date::numeric(to),
                    date::numeric(from)
                ),
                Some("проверьте valid_from и valid_to: «действителен с … по …»"),
            );
            return None;
        }
        if let Some(d) = signed_on
            && (d < from || d > to)
        {
            self.requisite_warning(
                raw.span(),
                field,
                format!(
                    "документ датирован {}, а сертификат действителен с {} по {}: подпись поставлена вне срока его действия",
                    date::numeric(d),
                    date::numeric(from),
                    date::numeric(to)
                ),
                "проверьте даты сертификата или дату документа",
            );
        }
        let owner = match &e.owner {
            Some(o) if !o.trim().is_empty() => o.trim().to_owned(),
            _ => person.name.full(),
        };
        ok.then_some(Electronic {
            certificate,
            owner,
            valid_from: from,
            valid_to: to,
        })
    }
}
