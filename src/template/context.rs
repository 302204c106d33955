//! The Tera context of a view: the one place that says how a typed view
//! becomes the values a template reads.
//!
//! The values are those serde's derive gives (`tera::Value::try_from_serializable`
//! of the view, the test below compares them for every example and
//! starter), made through the same serializer, but with what a view
//! repeats made once and shared: Tera's values are immutable behind an
//! `Arc`, so a template cannot tell a shared value from a copy. A context
//! was a tenth of `check` (a map per struct, a hash per field, an
//! allocation per string, and all of it freed again after the render):
//!
//! - a person is made once for each handle (`id`) however often named
//!   (speaker, signer, chair);
//! - a speech once, though a protocol lists it under `heard`,
//!   `heard_groups` and `parts`; a deadline or a vote once for the points
//!   that share it;
//! - a short table cell once for each text («в течение года», the same
//!   responsible in every row of a roadmap), but a row number;
//! - every empty list is one value;
//! - the organisation, the options and the heading words once for the
//!   documents of a batch that have the same (a few kept per thread).
//!
//! "The same" is the structs' derived `PartialEq`: every field, a field
//! added later included.
//!
//! Nothing typed goes through JSON: the view's own fields, by the same
//! serializer, with their names spelled once here by the `fields!` list of
//! each struct (a field added to a view struct and not here does not
//! compile: the lists destructure the structs whole).

use crate::model::text::TextBlock;
use crate::model::{Labels, Options, Organization};
use crate::view::{
    ActView, AgendaView, AppendixView, AttendeeView, BlockView, CellView, DeadlineView,
    ElectronicView, MetaView, PartView, PersonView, PointView, ProtocolView, QuestionGroup,
    SignatureView, SpeechView, TableRowView, TableView, View, VotesView,
};
use serde::ser::{Error as _, Serialize, SerializeSeq, SerializeStruct, Serializer};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use tera::Value;

/// The context of a view: every field but the people.
pub(super) fn context_of(view: &View) -> Result<tera::Context, String> {
    let View {
        kind,
        meta,
        org,
        options,
        labels,
        protocol,
        act,
        people: _,
    } = view;
    let memo = Memo::default();
    let mut context = tera::Context::new();
    context.insert_value("kind", Value::from(*kind));
    context.insert_value("meta", value(&W(meta, &memo))?);
    let (org, options, labels) = SHARED.with(|shared| {
        let mut shared = shared.borrow_mut();
        let shared = &mut *shared;
        Ok::<_, String>((
            cached(&mut shared.orgs, org)?,
            cached(&mut shared.options, options)?,
            cached(&mut shared.labels, labels)?,
        ))
    })?;
    context.insert_value("org", org);
    context.insert_value("options", options);
    context.insert_value("labels", labels);
    context.insert_value("protocol", value(&W(protocol, &memo))?);
    context.insert_value("act", value(&W(act, &memo))?);
    Ok(context)
}

/// The values of table rows, pushed to `out`, the cells shared among them.
pub(super) fn rows_into(rows: &[TableRowView], out: &mut Vec<Value>) -> Result<(), String> {
    let memo = Memo::default();
    for row in rows {
        out.push(value(&W(row, &memo))?);
    }
    Ok(())
}

/// The context of a slice of a long table's rows: `orientation`, and `t`
/// as the `table` component reads a table (no header rows).
pub(super) fn slice_context(
    orientation: &'static str,
    widths: &[f64],
    numbered: bool,
    rows: &[TableRowView],
) -> Result<tera::Context, String> {
    struct Slice<'a> {
        widths: &'a [f64],
        numbered: bool,
        rows: &'a [TableRowView],
        memo: Memo<'a>,
    }
    impl Serialize for Slice<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("SliceTable", 4)?;
            st.serialize_field("widths", &W(self.widths, &self.memo))?;
            st.serialize_field("numbered", &self.numbered)?;
            st.serialize_field("header", &W(&[] as &[String], &self.memo))?;
            st.serialize_field("rows", &W(self.rows, &self.memo))?;
            st.end()
        }
    }
    let t = Slice {
        widths,
        numbered,
        rows,
        memo: Memo::default(),
    };
    let mut context = tera::Context::new();
    context.insert_value("orientation", Value::from(orientation));
    context.insert_value("t", value(&t)?);
    Ok(context)
}

fn value<T: Serialize + ?Sized>(t: &T) -> Result<Value, String> {
    Value::try_from_serializable(t).map_err(|e| super::tera_message(&e))
}

/// What one conversion has made already, to share.
#[derive(Default)]
struct Memo<'a> {
    /// By handle: the person and its value.
    people: RefCell<Vec<Option<(&'a PersonView, Value)>>>,
    /// The speeches made.
    speeches: RefCell<Vec<(&'a SpeechView, Value)>>,
    /// The deadlines made (a term shared by several points).
    deadlines: RefCell<Vec<(&'a DeadlineView, Value)>>,
    /// The votes made (the same counts after several items).
    votes: RefCell<Vec<(&'a VotesView, Value)>>,
    /// The short cells made.
    cells: RefCell<rustc_hash::FxHashMap<CellKey<'a>, Value>>,
}

/// Handles above this are not remembered (a view's are its people's
/// indexes, a few dozen).
const MAX_HANDLE: usize = 4096;
/// Speeches, deadlines or votes remembered (each new one is compared
/// with them).
const MAX_KEPT: usize = 64;
/// Cells with more text than this are not shared: long texts rarely
/// repeat, short ones (a term, a responsible) often do.
const SHORT_CELL: usize = 256;
/// Cells remembered.
const MAX_CELLS: usize = 8192;

impl<'a> Memo<'a> {
    fn person(&self, p: &'a PersonView) -> Result<Value, String> {
        if let Some(Some((q, v))) = self.people.borrow().get(p.id)
            && p == *q
        {
            return Ok(v.clone());
        }
        let v = value(p)?;
        if p.id < MAX_HANDLE {
            let mut people = self.people.borrow_mut();
            if people.len() <= p.id {
                people.resize(p.id + 1, None);
            }
            if people[p.id].is_none() {
                people[p.id] = Some((p, v.clone()));
            }
        }
        Ok(v)
    }

    fn speech(&self, sp: &'a SpeechView) -> Result<Value, String> {
        // Made with the memo free: its speaker is shared too.
        kept_in(&self.speeches, sp, || value(&F(sp, self)))
    }

    fn cell(&self, c: &'a CellView) -> Result<Option<Value>, String> {
        if text_len(&c.blocks) > SHORT_CELL || is_row_number(&c.blocks) {
            return Ok(None);
        }
        if let Some(v) = self.cells.borrow().get(&CellKey(c)) {
            return Ok(Some(v.clone()));
        }
        let v = value(&F(c, self))?;
        let mut cells = self.cells.borrow_mut();
        if cells.len() < MAX_CELLS {
            cells.insert(CellKey(c), v.clone());
        }
        Ok(Some(v))
    }
}

/// The value of `item`: one made before for the same, or made by `make`
/// (and kept, up to [`MAX_KEPT`]).
fn kept_in<'a, T: PartialEq>(
    kept: &RefCell<Vec<(&'a T, Value)>>,
    item: &'a T,
    make: impl FnOnce() -> Result<Value, String>,
) -> Result<Value, String> {
    let found = (kept.borrow().iter())
        .find(|(k, _)| item == *k)
        .map(|(_, v)| v.clone());
    if let Some(v) = found {
        return Ok(v);
    }
    let v = make()?;
    let mut kept = kept.borrow_mut();
    if kept.len() < MAX_KEPT {
        kept.push((item, v.clone()));
    }
    Ok(v)
}

/// A row number (digits alone): never repeated in its column.
fn is_row_number(blocks: &[TextBlock]) -> bool {
    matches!(blocks, [TextBlock::Paragraph(p)] if p.bytes().all(|b| b.is_ascii_digit()))
}

thread_local! {
    /// One empty list for every empty list of every context.
    static EMPTY: Value = Value::from(Vec::<Value>::new());
    /// The organisations, options and heading words of the last documents.
    static SHARED: RefCell<Shared> = RefCell::default();
}

#[derive(Default)]
struct Shared {
    orgs: Vec<(Organization, Value)>,
    options: Vec<(Options, Value)>,
    labels: Vec<(Labels, Value)>,
}

/// How many of each [`Shared`] keeps.
const SHARED_KEPT: usize = 8;

fn cached<T: Clone + PartialEq + Serialize>(
    kept: &mut Vec<(T, Value)>,
    item: &T,
) -> Result<Value, String> {
    if let Some((_, v)) = kept.iter().find(|(k, _)| k == item) {
        return Ok(v.clone());
    }
    let v = value(item)?;
    if kept.len() >= SHARED_KEPT {
        kept.remove(0);
    }
    kept.push((item.clone(), v.clone()));
    Ok(v)
}

// ---------------------------------------------------------------------------
// The conversion.

/// A part of a view as the context holds it.
trait Conv<'a> {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error>;
}

/// A struct's fields, with the tag of an enum's variant first when it is
/// one (`kind` of a [`BlockView`]).
trait Fields<'a> {
    fn fields<S: Serializer>(
        &'a self,
        m: &Memo<'a>,
        s: S,
        tag: Option<&'static str>,
    ) -> Result<S::Ok, S::Error>;
}

/// A part of a view to serialize with the memo.
struct W<'a, 'm, T: ?Sized>(&'a T, &'m Memo<'a>);

impl<'a, T: Conv<'a> + ?Sized> Serialize for W<'a, '_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.conv(self.1, s)
    }
}

/// A struct's own fields, not looked up in the memo (what the memo keeps).
struct F<'a, 'm, T: ?Sized>(&'a T, &'m Memo<'a>);

impl<'a, T: Fields<'a> + ?Sized> Serialize for F<'a, '_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.fields(self.1, s, None)
    }
}

/// Leaves, and structs with no list or person in them: as serde says.
macro_rules! as_serde {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Conv<'a> for $t {
            fn conv<S: Serializer>(&'a self, _: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
                self.serialize(s)
            }
        }
    )*};
}

as_serde!(
    String,
    &'static str,
    usize,
    u32,
    bool,
    f64,
    TextBlock,
    ElectronicView,
);

impl<'a> Conv<'a> for DeadlineView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        kept_in(&m.deadlines, self, || value(self))
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

impl<'a> Conv<'a> for VotesView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        kept_in(&m.votes, self, || value(self))
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

/// A struct's fields, in the order of its declaration; the list names
/// every field (the destructuring says so).
macro_rules! fields {
    ($ty:ident { $($f:ident),* $(,)? }) => {
        impl<'a> Fields<'a> for $ty {
            fn fields<S: Serializer>(
                &'a self,
                m: &Memo<'a>,
                s: S,
                tag: Option<&'static str>,
            ) -> Result<S::Ok, S::Error> {
                let $ty { $($f),* } = self;
                let len = [$(stringify!($f)),*].len() + usize::from(tag.is_some());
                let mut st = s.serialize_struct(stringify!($ty), len)?;
                if let Some(tag) = tag {
                    st.serialize_field("kind", tag)?;
                }
                $(st.serialize_field(stringify!($f), &W($f, m))?;)*
                st.end()
            }
        }
    };
}

/// Structs made anew wherever they are.
macro_rules! direct {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Conv<'a> for $t {
            fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
                self.fields(m, s, None)
            }
        }
    )*};
}

fields!(MetaView {
    title,
    author,
    subject,
    date
});
fields!(AttendeeView {
    kind,
    person,
    role,
    note,
    title,
    members,
    counts
});
fields!(AgendaView {
    number,
    title,
    speaker
});
fields!(SpeechView {
    kind,
    question,
    speaker,
    role,
    sep,
    text,
    rest
});
fields!(PointView {
    number,
    depth,
    question,
    to,
    text,
    rest,
    deadline,
    deadline_dated,
    responsible,
    group_deadline,
    group_label,
    votes,
    closing
});
fields!(SignatureView {
    position,
    person,
    electronic
});
fields!(QuestionGroup { question, speeches });
fields!(PartView {
    number,
    title,
    heard,
    spoke,
    decisions,
    votes
});
fields!(ProtocolView {
    title,
    number,
    date,
    date_form,
    time,
    venue,
    city,
    format,
    chair,
    secretary,
    present,
    present_summary,
    present_count,
    absent_summary,
    appendices,
    grif_width,
    absent,
    invited,
    agenda,
    heard_groups,
    heard,
    spoke,
    decisions,
    parts,
    signatures,
    qr
});
fields!(TableRowView { section, cells });
fields!(CellView {
    blocks,
    rows,
    center
});
fields!(TableView {
    widths,
    numbered,
    header,
    rows
});
fields!(AppendixView {
    number,
    grif,
    grif_as_written,
    title,
    orientation,
    body,
    agreed
});
fields!(ActView {
    printed,
    kind,
    date,
    number,
    date_line,
    place_between,
    city,
    title,
    title_align,
    preamble,
    preamble_last,
    enacting,
    enacting_word,
    enacting_colon,
    enacting_form,
    control_form,
    points,
    signature,
    qr,
    agreed,
    grif_width,
    appendices
});

direct!(
    MetaView,
    AttendeeView,
    AgendaView,
    PointView,
    SignatureView,
    QuestionGroup,
    PartView,
    ProtocolView,
    TableRowView,
    TableView,
    AppendixView,
    ActView,
);

impl<'a> Conv<'a> for PersonView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        m.person(self).map_err(S::Error::custom)?.serialize(s)
    }
}

impl<'a> Conv<'a> for SpeechView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        m.speech(self).map_err(S::Error::custom)?.serialize(s)
    }
}

impl<'a> Conv<'a> for CellView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        match m.cell(self).map_err(S::Error::custom)? {
            Some(v) => v.serialize(s),
            None => self.fields(m, s, None),
        }
    }
}

/// Internally tagged by `kind`, as its derive says.
impl<'a> Conv<'a> for BlockView {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        match self {
            BlockView::Heading { text } => {
                let mut st = s.serialize_struct("BlockView", 2)?;
                st.serialize_field("kind", "heading")?;
                st.serialize_field("text", &W(text, m))?;
                st.end()
            }
            BlockView::Text { blocks } => {
                let mut st = s.serialize_struct("BlockView", 2)?;
                st.serialize_field("kind", "text")?;
                st.serialize_field("blocks", &W(blocks, m))?;
                st.end()
            }
            BlockView::List { numbered, items } => {
                let mut st = s.serialize_struct("BlockView", 3)?;
                st.serialize_field("kind", "list")?;
                st.serialize_field("numbered", &W(numbered, m))?;
                st.serialize_field("items", &W(items, m))?;
                st.end()
            }
            BlockView::Table(t) => t.fields(m, s, Some("table")),
            BlockView::Signature(sig) => sig.fields(m, s, Some("signature")),
        }
    }
}

impl<'a, T: Conv<'a>> Conv<'a> for [T] {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        if self.is_empty() {
            return EMPTY.with(|empty| empty.serialize(s));
        }
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&W(item, m))?;
        }
        seq.end()
    }
}

impl<'a, T: Conv<'a>> Conv<'a> for Vec<T> {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().conv(m, s)
    }
}

impl<'a, T: Conv<'a>> Conv<'a> for Option<T> {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => v.conv(m, s),
            None => s.serialize_none(),
        }
    }
}

impl<'a, T: Conv<'a>> Conv<'a> for Box<T> {
    fn conv<S: Serializer>(&'a self, m: &Memo<'a>, s: S) -> Result<S::Ok, S::Error> {
        (**self).conv(m, s)
    }
}

/// The text of blocks, in bytes.
fn text_len(blocks: &[TextBlock]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            TextBlock::Paragraph(p) => p.len(),
            TextBlock::Bullets(items) => items.iter().map(String::len).sum(),
        })
        .sum()
}

/// A cell as a key of the memo: by its content.
struct CellKey<'a>(&'a CellView);

impl PartialEq for CellKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        let CellView {
            blocks,
            rows,
            center,
        } = self.0;
        *rows == other.0.rows && *center == other.0.center && *blocks == other.0.blocks
    }
}

impl Eq for CellKey<'_> {}

impl Hash for CellKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let CellView {
            blocks,
            rows,
            center,
        } = self.0;
        rows.hash(state);
        center.hash(state);
        blocks.len().hash(state);
        for b in blocks {
            match b {
                TextBlock::Paragraph(p) => {
                    0u8.hash(state);
                    p.hash(state);
                }
                TextBlock::Bullets(items) => {
                    1u8.hash(state);
                    items.hash(state);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Access;
    use std::path::Path;

    /// Equal in kind and content: numbers of the same type, strings of the
    /// same text, lists item by item, maps key by key.
    fn same(a: &Value, b: &Value, at: &str) {
        assert_eq!(a.kind(), b.kind(), "{at}: {a:?} / {b:?}");
        if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
            let mut keys: Vec<String> = x.keys().map(|k| format!("{k}")).collect();
            let mut other: Vec<String> = y.keys().map(|k| format!("{k}")).collect();
            keys.sort();
            other.sort();
            assert_eq!(keys, other, "{at}: keys");
            for (k, v) in x {
                same(v, y.get(k).unwrap(), &format!("{at}.{k}"));
            }
        } else if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
            assert_eq!(x.len(), y.len(), "{at}: length");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same(v, w, &format!("{at}[{i}]"));
            }
        } else if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64())
            && a.is_f64()
        {
            assert_eq!(x.to_bits(), y.to_bits(), "{at}");
        } else {
            assert_eq!(a, b, "{at}");
            assert_eq!(a.is_safe(), b.is_safe(), "{at}: safe");
        }
    }

    /// The context is the view as serde's derive gives it.
    fn check(name: &str, view: &View) {
        let whole = Value::try_from_serializable(view).unwrap();
        let whole = whole.as_map().unwrap();
        // Twice: the second time from what the thread keeps.
        for _ in 0..2 {
            let context = context_of(view).unwrap();
            for key in whole.keys() {
                let key = key.as_str().unwrap();
                let got = context
                    .get(key)
                    .unwrap_or_else(|| panic!("{name}: no {key}"));
                let want = whole.get(&tera::value::Key::Str(key)).unwrap();
                same(got, want, &format!("{name}: {key}"));
            }
            for key in [
                "kind", "meta", "org", "options", "labels", "protocol", "act",
            ] {
                assert!(whole.contains_key(&tera::value::Key::Str(key)), "{key}");
            }
            assert!(!context.contains_key("people"));
        }
    }

    fn documents() -> Vec<(String, crate::model::Model)> {
        let mut out = Vec::new();
        let access = Access::new(None);
        // Every kind's starter, from the table of kinds.
        for info in crate::model::kind::KINDS {
            let name = format!("{}.toml", info.key);
            let model = crate::model::load_text(Path::new(&name), info.starter, &access).unwrap();
            out.push((name, model));
        }
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut files: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "the examples of data/");
        for path in files {
            let model = crate::model::load(&path).unwrap_or_else(|e| panic!("{path:?}: {e:?}"));
            out.push((path.display().to_string(), model));
        }
        out
    }

    /// For every starter and every example of `data/`, the context holds
    /// what serde's derive makes of the view: the same keys, kinds,
    /// numbers and texts, whole and consumed, and the same again when
    /// made a second time from what the thread keeps.
    #[test]
    fn the_context_is_the_view_as_serde_gives_it() {
        for (name, model) in documents() {
            let view = crate::view::build(&model);
            check(&name, &view);
            let whole = Value::try_from_serializable(&view).unwrap();
            let consumed = super::super::context_consuming(view).unwrap();
            for (key, v) in whole.as_map().unwrap() {
                let key = key.as_str().unwrap();
                same(
                    consumed.get(key).unwrap(),
                    v,
                    &format!("{name} consumed: {key}"),
                );
            }
        }
    }

    /// A slice of rows is what serde's derive makes of it.
    #[test]
    fn a_slice_is_the_rows_as_serde_gives_them() {
        #[derive(serde::Serialize)]
        struct SliceTable<'a> {
            widths: &'a [f64],
            numbered: bool,
            header: [(); 0],
            rows: &'a [TableRowView],
        }
        for (name, model) in documents() {
            let view = crate::view::build(&model);
            let tables = (view.protocol.iter().flat_map(|p| &p.appendices))
                .chain(view.act.iter().flat_map(|a| &a.appendices))
                .flat_map(|a| &a.body)
                .filter_map(|b| match b {
                    BlockView::Table(t) => Some(t),
                    _ => None,
                });
            for t in tables {
                let context = slice_context("landscape", &t.widths, t.numbered, &t.rows).unwrap();
                let whole = Value::try_from_serializable(&SliceTable {
                    widths: &t.widths,
                    numbered: t.numbered,
                    header: [],
                    rows: &t.rows,
                })
                .unwrap();
                same(context.get("t").unwrap(), &whole, &name);
                assert_eq!(
                    context.get("orientation").unwrap().as_str(),
                    Some("landscape")
                );
                let mut rows = Vec::new();
                rows_into(&t.rows, &mut rows).unwrap();
                same(
                    &Value::from(rows),
                    &Value::try_from_serializable(&t.rows).unwrap(),
                    &name,
                );
            }
        }
    }
}
