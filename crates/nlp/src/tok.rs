//! Per-token atomic features, computed once per token and shared by the tagger
//! (which looks at spelling) and the parser (which looks at the lower-cased word).
//!
//! Everything is a hash, so building a [`Tok`] allocates nothing: the one
//! lower-casing buffer lives in [`TokBuilder`] and is reused token after token.

use crate::hash::{hash_bytes, mix};

/// Atomic features of one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tok {
    /// The form as written.
    pub form: u64,
    /// The lower-cased form.
    pub lower: u64,
    /// Lower-cased prefixes of 1..=3 characters (the whole word if shorter).
    pub prefix: [u64; 3],
    /// Lower-cased suffixes of 1..=4 characters (the whole word if shorter).
    pub suffix: [u64; 4],
    /// Word shape: `Xxx`, `dd.dd`, `xx-xx`... (runs longer than two collapsed).
    pub shape: u64,
    /// Bit set of [`CAP`], [`ALL_CAPS`], [`DIGIT`], [`HYPHEN`], [`ALPHA`].
    pub flags: u64,
    /// Brown cluster path (see `clusters`), 0 if none; set by the model,
    /// which owns the cluster table.
    pub cluster: u64,
}

pub(crate) const CAP: u64 = 1;
pub(crate) const ALL_CAPS: u64 = 2;
pub(crate) const DIGIT: u64 = 4;
pub(crate) const HYPHEN: u64 = 8;
pub(crate) const ALPHA: u64 = 16;

/// Builds [`Tok`]s, reusing one buffer.
#[derive(Default)]
pub(crate) struct TokBuilder {
    lower: String,
}

impl TokBuilder {
    pub(crate) fn tok(&mut self, form: &str) -> Tok {
        self.lower.clear();
        for c in form.chars() {
            if c.is_ascii() {
                self.lower.push(c.to_ascii_lowercase());
            } else {
                self.lower.extend(c.to_lowercase());
            }
        }
        let lower = self.lower.as_str();
        // Byte offsets of the last 4 and first 3 character boundaries.
        let mut prefix = [0u64; 3];
        let mut ends = lower.char_indices().map(|(i, c)| i + c.len_utf8());
        for (k, p) in prefix.iter_mut().enumerate() {
            let end = ends.nth(0).unwrap_or(lower.len());
            *p = mix(k as u64 + 1, hash_bytes(&lower.as_bytes()[..end]));
        }
        let mut suffix = [0u64; 4];
        let mut starts = lower.char_indices().rev().map(|(i, _)| i);
        for (k, s) in suffix.iter_mut().enumerate() {
            let start = starts.next().unwrap_or(0);
            *s = mix(k as u64 + 11, hash_bytes(&lower.as_bytes()[start..]));
        }

        let (mut shape, mut flags) = (0x5a_u64, 0u64);
        let (mut prev, mut run) = (u32::MAX, 0);
        let (mut upper, mut letters) = (0, 0);
        for (i, c) in form.chars().enumerate() {
            let class = if c.is_uppercase() {
                upper += 1;
                letters += 1;
                if i == 0 {
                    flags |= CAP;
                }
                'X' as u32
            } else if c.is_alphabetic() {
                letters += 1;
                'x' as u32
            } else if c.is_numeric() {
                flags |= DIGIT;
                'd' as u32
            } else {
                if c == '-' {
                    flags |= HYPHEN;
                }
                c as u32
            };
            run = if class == prev { run + 1 } else { 1 };
            prev = class;
            if run <= 2 {
                shape = mix(shape, u64::from(class));
            }
        }
        if letters > 0 {
            flags |= ALPHA;
            if upper == letters && letters > 1 {
                flags |= ALL_CAPS;
            }
        }
        Tok {
            form: hash_bytes(form.as_bytes()),
            lower: hash_bytes(lower.as_bytes()),
            prefix,
            suffix,
            shape,
            flags,
            cluster: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_shape_and_affixes() {
        let mut b = TokBuilder::default();
        let (a, c) = (b.tok("Sanctions"), b.tok("sanctions"));
        assert_ne!(a.form, c.form);
        assert_eq!(a.lower, c.lower);
        assert_eq!(a.suffix, c.suffix);
        assert_eq!(a.flags, CAP | ALPHA);
        assert_ne!(a.shape, c.shape);
        // Shape collapses long runs: same shape for words of different lengths.
        assert_eq!(b.tok("Moscow").shape, b.tok("Beijing").shape);
        assert_eq!(b.tok("2024").shape, b.tok("17").shape);
        assert_eq!(b.tok("1,234").shape, b.tok("8,000").shape);
        assert_ne!(b.tok("1,234").shape, b.tok("1.234").shape);
        assert_eq!(b.tok("NATO").flags, CAP | ALL_CAPS | ALPHA);
        assert_eq!(b.tok("pro-Russian").flags, HYPHEN | ALPHA);
        // Suffix 3 of "attacked" is "ked", also the suffix 3 of "asked".
        assert_eq!(b.tok("attacked").suffix[2], b.tok("asked").suffix[2]);
        assert_ne!(b.tok("attacked").suffix[3], b.tok("asked").suffix[3]);
        // Words shorter than an affix use the whole word; non-ASCII is handled by character.
        assert_eq!(b.tok("a").suffix[3], b.tok("A").suffix[3]);
        let e = b.tok("ÉTÉ");
        assert_eq!(e.lower, b.tok("été").lower);
        assert_eq!(e.flags, CAP | ALL_CAPS | ALPHA);
    }
}
