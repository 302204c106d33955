//! A set of characters, for the characters a document or a font draws.

/// Characters below this code point are kept as bits.
const TABLE_END: usize = 0x2200;

/// A set of characters: a bit per character below [`TABLE_END`], so that
/// listing a document's few dozen letters skips the empty words.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct CharSet {
    bits: Vec<u64>,
    other: std::collections::BTreeSet<char>,
}

impl CharSet {
    /// Adds `c`.
    pub(crate) fn insert(&mut self, c: char) {
        let cp = c as usize;
        if cp < TABLE_END {
            if self.bits.is_empty() {
                self.bits = vec![0; TABLE_END / 64];
            }
            self.bits[cp / 64] |= 1 << (cp % 64);
        } else {
            self.other.insert(c);
        }
    }

    /// True when `c` is in the set.
    pub(crate) fn contains(&self, c: char) -> bool {
        let cp = c as usize;
        if cp < TABLE_END {
            self.bits
                .get(cp / 64)
                .is_some_and(|word| word & (1 << (cp % 64)) != 0)
        } else {
            self.other.contains(&c)
        }
    }

    /// The characters, in code point order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = char> + '_ {
        let table = self
            .bits
            .iter()
            .enumerate()
            .filter(|(_, word)| **word != 0)
            .flat_map(|(i, &word)| {
                (0..64u32)
                    .filter(move |bit| word & (1 << bit) != 0)
                    .filter_map(move |bit| char::from_u32(i as u32 * 64 + bit))
            });
        table.chain(self.other.iter().copied())
    }

    /// True when the set holds no character.
    pub(crate) fn is_empty(&self) -> bool {
        self.other.is_empty() && self.bits.iter().all(|&word| word == 0)
    }

    /// True when every character of `self` is in `other`.
    pub(crate) fn is_subset(&self, other: &CharSet) -> bool {
        self.iter().all(|c| other.contains(c))
    }
}
