//! A reader for the XML that templates write, and only for it: elements,
//! attributes in `"…"` or `'…'`, text, the five predefined entities and
//! character references. It declines (gives `None`) on anything else —
//! a comment, a processing instruction, CDATA, a DOCTYPE, a namespace
//! prefix or `xmlns`, a name that is not ASCII, a carriage return, a
//! control character, any error — and the markup is then read by
//! roxmltree as before, which says what is wrong and where. On what it
//! accepts it gives the tree roxmltree would: the same elements,
//! attribute values (entities resolved, tabs and newlines as spaces),
//! and text nodes (each stretch between two tags one node, entities
//! resolved, whitespace kept), without roxmltree's tokens, namespaces and
//! positions, which a markup that reads cleanly never needs.
//!
//! [`XmlNode`] is what the markup's walk asks of a node, so that it walks
//! this tree or roxmltree's alike.

use std::borrow::Cow;

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;

enum Kind<'i> {
    Element {
        name: &'i str,
        /// Its attributes in [`Tree::attributes`].
        attributes: (u32, u32),
    },
    Text(Cow<'i, str>),
}

struct NodeData<'i> {
    kind: Kind<'i>,
    first_child: u32,
    next_sibling: u32,
}

/// The markup's elements and text; the root element is the first node.
pub(super) struct Tree<'i> {
    nodes: Vec<NodeData<'i>>,
    attributes: Vec<(&'i str, Cow<'i, str>)>,
}

impl<'i> Tree<'i> {
    pub(super) fn root(&self) -> Node<'_, 'i> {
        Node { tree: self, id: 0 }
    }
}

/// A node of a [`Tree`].
#[derive(Clone, Copy)]
pub(super) struct Node<'a, 'i> {
    tree: &'a Tree<'i>,
    id: u32,
}

impl<'a> Node<'a, '_> {
    fn data(&self) -> &'a NodeData<'a> {
        &self.tree.nodes[self.id as usize]
    }

    fn at(&self, id: u32) -> Option<Self> {
        (id != NONE).then_some(Node {
            tree: self.tree,
            id,
        })
    }
}

/// What the markup's walk asks of an XML node: roxmltree's methods of
/// the same names.
pub(super) trait XmlNode<'a>: Copy {
    fn children(self) -> impl Iterator<Item = Self>;
    fn is_text(self) -> bool;
    fn is_element(self) -> bool;
    /// A text node's text, or an element's first child's if that is text.
    fn text(self) -> Option<&'a str>;
    /// An element's local name.
    fn name(self) -> &'a str;
    fn attribute(self, name: &str) -> Option<&'a str>;
    fn next_sibling_element(self) -> Option<Self>;
    fn has_tag_name(self, name: &str) -> bool {
        self.is_element() && self.name() == name
    }
}

impl<'a> XmlNode<'a> for Node<'a, '_> {
    fn children(self) -> impl Iterator<Item = Self> {
        let mut next = self.at(self.data().first_child);
        std::iter::from_fn(move || {
            let node = next?;
            next = node.at(node.data().next_sibling);
            Some(node)
        })
    }

    fn is_text(self) -> bool {
        matches!(self.data().kind, Kind::Text(_))
    }

    fn is_element(self) -> bool {
        matches!(self.data().kind, Kind::Element { .. })
    }

    fn text(self) -> Option<&'a str> {
        match &self.data().kind {
            Kind::Text(text) => Some(text),
            Kind::Element { .. } => match &self.at(self.data().first_child)?.data().kind {
                Kind::Text(text) => Some(text),
                Kind::Element { .. } => None,
            },
        }
    }

    fn name(self) -> &'a str {
        match self.data().kind {
            Kind::Element { name, .. } => name,
            Kind::Text(_) => "",
        }
    }

    fn attribute(self, name: &str) -> Option<&'a str> {
        let Kind::Element {
            attributes: (from, to),
            ..
        } = self.data().kind
        else {
            return None;
        };
        let attributes: &'a [(&str, Cow<str>)] = &self.tree.attributes[from as usize..to as usize];
        attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }

    fn next_sibling_element(self) -> Option<Self> {
        let mut next = self.at(self.data().next_sibling);
        while let Some(node) = next {
            if node.is_element() {
                return Some(node);
            }
            next = node.at(node.data().next_sibling);
        }
        None
    }
}

impl<'a, 'i: 'a> XmlNode<'a> for roxmltree::Node<'a, 'i> {
    fn children(self) -> impl Iterator<Item = Self> {
        roxmltree::Node::children(&self)
    }

    fn is_text(self) -> bool {
        roxmltree::Node::is_text(&self)
    }

    fn is_element(self) -> bool {
        roxmltree::Node::is_element(&self)
    }

    fn text(self) -> Option<&'a str> {
        roxmltree::Node::text(&self)
    }

    fn name(self) -> &'a str {
        self.tag_name().name()
    }

    fn attribute(self, name: &str) -> Option<&'a str> {
        roxmltree::Node::attribute(&self, name)
    }

    fn next_sibling_element(self) -> Option<Self> {
        roxmltree::Node::next_sibling_element(&self)
    }

    fn has_tag_name(self, name: &str) -> bool {
        roxmltree::Node::has_tag_name(&self, name)
    }
}

/// XML's whitespace but the carriage return, which the reader declines.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

fn skip_space(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && is_space(b[at]) {
        at += 1;
    }
    at
}

/// The bytes of an ASCII name: letters, digits, `_`, `-` and `.`; a
/// name starts with a letter or `_`.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.');
        b += 1;
    }
    table
};

/// An ASCII name at `at` and where it ends: what follows is for the
/// caller to check (a colon or a letter past ASCII, which would go on
/// with the name in XML, is never what it expects).
fn name_at(input: &str, at: usize) -> Option<(&str, usize)> {
    let b = input.as_bytes();
    if !matches!(b.get(at)?, b'A'..=b'Z' | b'a'..=b'z' | b'_') {
        return None;
    }
    let end = at
        + 1
        + b[at + 1..]
            .iter()
            .take_while(|&&c| NAME_BYTE[c as usize])
            .count();
    Some((&input[at..end], end))
}

/// The character of the reference at `at` (an `&`) and the byte after
/// it: a predefined entity, or a character reference to a character of
/// XML that is not a control character (roxmltree keeps those raw, past
/// the line-end rules, and they never come from a template).
fn reference(b: &[u8], at: usize) -> Option<(char, usize)> {
    let rest = &b[at + 1..];
    let (digits, radix) = match rest.first()? {
        b'#' => match rest.get(1)? {
            b'x' => (2, 16),
            _ => (1, 10),
        },
        _ => {
            for (name, c) in [
                (&b"amp;"[..], '&'),
                (b"lt;", '<'),
                (b"gt;", '>'),
                (b"quot;", '"'),
                (b"apos;", '\''),
            ] {
                if rest.starts_with(name) {
                    return Some((c, at + 1 + name.len()));
                }
            }
            return None;
        }
    };
    let from = at + 1 + digits;
    let mut end = from;
    while end < b.len()
        && (if radix == 16 {
            b[end].is_ascii_hexdigit()
        } else {
            b[end].is_ascii_digit()
        })
    {
        end += 1;
    }
    if b.get(end) != Some(&b';') {
        return None;
    }
    // Digits are ASCII.
    let digits = std::str::from_utf8(&b[from..end]).ok()?;
    let n = u32::from_str_radix(digits, radix).ok()?;
    if n < 0x20 || n == 0xFFFE || n == 0xFFFF {
        return None;
    }
    Some((char::from_u32(n)?, end + 1))
}

/// Whether every character is one the reader takes: none of the control
/// characters but tab and newline (XML allows none but those and the
/// carriage return, which the reader declines), no U+FFFE or U+FFFF.
fn plain_characters(b: &[u8]) -> bool {
    for chunk in b.chunks(64) {
        // Without a branch a byte, so that it is done a vector at a time.
        let bad = chunk.iter().fold(false, |bad, &c| {
            bad | ((c < 0x20) & (c != b'\n') & (c != b'\t'))
        });
        if bad {
            return false;
        }
    }
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    memchr::memchr_iter(0xEF, b)
        .all(|at| !(b.get(at + 1) == Some(&0xBF) && matches!(b.get(at + 2), Some(0xBE | 0xBF))))
}

/// What an attribute value's byte asks of [`attribute_value`]: nothing
/// (0), a reference or a tab or newline to resolve (1), or a `<`, which
/// may not stand in a value (2); the quotes are found by themselves.
static VALUE_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    table[b'&' as usize] = 1;
    table[b'\t' as usize] = 1;
    table[b'\n' as usize] = 1;
    table[b'<' as usize] = 2;
    table
};

/// The attribute value that starts at `from`, up to the `quote` that
/// closes it, as roxmltree gives it (references resolved, a tab or a
/// newline a space), and where the quote is.
fn attribute_value(input: &str, from: usize, quote: u8) -> Option<(Cow<'_, str>, usize)> {
    let b = input.as_bytes();
    let mut to = from;
    let mut plain = true;
    loop {
        let c = *b.get(to)?;
        if c == quote {
            break;
        }
        match VALUE_BYTE[c as usize] {
            0 => {}
            1 => plain = false,
            _ => return None,
        }
        to += 1;
    }
    let raw = &input[from..to];
    if plain {
        return Some((Cow::Borrowed(raw), to));
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut copied = 0;
    let mut at = 0;
    while at < b.len() {
        match b[at] {
            b'&' => {
                out.push_str(&raw[copied..at]);
                let (c, after) = reference(b, at)?;
                out.push(c);
                at = after;
                copied = after;
            }
            b'\t' | b'\n' => {
                out.push_str(&raw[copied..at]);
                out.push(' ');
                at += 1;
                copied = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(&raw[copied..]);
    Some((Cow::Owned(out), to))
}

/// The text from `start` to the next tag, and where that tag begins:
/// `None` at the end of the input (an element left open), at `]]>` or
/// at a reference the reader does not take.
fn text_at(input: &str, start: usize) -> Option<(Cow<'_, str>, usize)> {
    let b = input.as_bytes();
    let mut at = start;
    let mut owned: Option<String> = None;
    let mut copied = start;
    let end = loop {
        let found = at + memchr::memchr3(b'<', b'&', b'>', &b[at..])?;
        match b[found] {
            b'<' => break found,
            b'>' => {
                // `]]>` may not stand in text.
                if found >= start + 2 && &b[found - 2..found] == b"]]" {
                    return None;
                }
                at = found + 1;
            }
            _ => {
                let (c, after) = reference(b, found)?;
                let text = owned.get_or_insert_with(String::new);
                text.push_str(&input[copied..found]);
                text.push(c);
                at = after;
                copied = after;
            }
        }
    };
    let text = match owned {
        None => Cow::Borrowed(&input[start..end]),
        Some(mut text) => {
            text.push_str(&input[copied..end]);
            Cow::Owned(text)
        }
    };
    Some((text, end))
}

/// Reads `input` into a tree, or declines (see the module's comment);
/// declines too past `max_elements` elements.
pub(super) fn read(input: &str, max_elements: usize) -> Option<Tree<'_>> {
    let b = input.as_bytes();
    if b.len() >= NONE as usize || !plain_characters(b) {
        return None;
    }
    let tags = memchr::memchr_iter(b'<', b).count();
    let mut tree = Tree {
        // A node a tag and the text after it, at most; the closing tags
        // are half of the tags.
        nodes: Vec::with_capacity(tags + 1),
        attributes: Vec::new(),
    };
    // The open elements, each with its last child so far.
    let mut open: Vec<(u32, u32)> = Vec::with_capacity(16);
    let mut elements = 0;
    let mut at = skip_space(b, 0);
    loop {
        if b.get(at) != Some(&b'<') {
            if open.is_empty() {
                // Text before the root.
                return None;
            }
            let (text, end) = text_at(input, at)?;
            push(&mut tree, &mut open, Kind::Text(text));
            at = end;
            continue;
        }
        match *b.get(at + 1)? {
            b'/' => {
                let (name, end) = name_at(input, at + 2)?;
                let end = skip_space(b, end);
                if b.get(end) != Some(&b'>') {
                    return None;
                }
                let (element, _) = open.pop()?;
                match tree.nodes[element as usize].kind {
                    Kind::Element {
                        name: open_name, ..
                    } if open_name == name => {}
                    _ => return None,
                }
                at = end + 1;
                if open.is_empty() {
                    break;
                }
            }
            b'!' | b'?' => return None,
            _ => {
                let (name, mut end) = name_at(input, at + 1)?;
                let first_attribute = tree.attributes.len();
                let is_open = loop {
                    let spaced = end < b.len() && is_space(b[end]);
                    end = skip_space(b, end);
                    match *b.get(end)? {
                        b'>' => {
                            end += 1;
                            break true;
                        }
                        b'/' => {
                            if b.get(end + 1) != Some(&b'>') {
                                return None;
                            }
                            end += 2;
                            break false;
                        }
                        _ => {
                            if !spaced {
                                return None;
                            }
                            let (attribute, after) = name_at(input, end)?;
                            let after = skip_space(b, after);
                            if b.get(after) != Some(&b'=') {
                                return None;
                            }
                            let after = skip_space(b, after + 1);
                            let quote = *b.get(after)?;
                            if quote != b'"' && quote != b'\'' {
                                return None;
                            }
                            let (value, to) = attribute_value(input, after + 1, quote)?;
                            if attribute == "xmlns"
                                || tree.attributes[first_attribute..]
                                    .iter()
                                    .any(|(n, _)| *n == attribute)
                            {
                                return None;
                            }
                            tree.attributes.push((attribute, value));
                            end = to + 1;
                        }
                    }
                };
                elements += 1;
                if elements > max_elements {
                    return None;
                }
                let attributes = (first_attribute as u32, tree.attributes.len() as u32);
                let id = push(&mut tree, &mut open, Kind::Element { name, attributes });
                at = end;
                if is_open {
                    open.push((id, NONE));
                } else if open.is_empty() {
                    // The root, empty.
                    break;
                }
            }
        }
    }
    // Only whitespace after the root.
    (skip_space(b, at) == b.len()).then_some(tree)
}

/// Adds a node as the last child of the innermost open element, or as
/// the root; gives its number.
fn push<'i>(tree: &mut Tree<'i>, open: &mut [(u32, u32)], kind: Kind<'i>) -> u32 {
    let id = tree.nodes.len() as u32;
    tree.nodes.push(NodeData {
        kind,
        first_child: NONE,
        next_sibling: NONE,
    });
    if let Some((parent, last)) = open.last_mut() {
        if *last == NONE {
            tree.nodes[*parent as usize].first_child = id;
        } else {
            tree.nodes[*last as usize].next_sibling = id;
        }
        *last = id;
    }
    id
}
