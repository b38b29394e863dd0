//! Stage 1: cut the text at whitespace into chunks, recording the shape of each gap.
//!
//! This is the only stage that looks at every byte, so it works on bytes: ASCII
//! whitespace is a table-free `match`, and the few Unicode spaces news text
//! carries (no-break space, the U+2000 block, narrow no-break space, ideographic
//! space) are recognised from their UTF-8 lead bytes without decoding anything
//! else. Everything between two gaps is a chunk; later stages split chunks further
//! but never merge them.

use crate::token::{Gap, Token};

/// Iterator over the whitespace-separated chunks of `text`.
pub struct Chunks<'t> {
    bytes: &'t [u8],
    pos: usize,
}

/// The chunks of `text` with the gap before each one.
pub fn chunks(text: &str) -> Chunks<'_> {
    Chunks {
        bytes: text.as_bytes(),
        pos: 0,
    }
}

/// Byte length of the whitespace character starting at `b[i]`, or 0 if there is none.
#[inline]
fn space_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => 1,
        0xc2 if b.get(i + 1) == Some(&0xa0) => 2,
        // U+2000..=U+200B, U+2028, U+2029, U+202F
        0xe2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
            Some(0x80..=0x8b | 0xa8 | 0xa9 | 0xaf) => 3,
            _ => 0,
        },
        // U+3000
        0xe3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => 3,
        _ => 0,
    }
}

impl Iterator for Chunks<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let b = self.bytes;
        let mut i = self.pos;
        let mut newlines = 0u32;
        let mut spaced = false;
        let mut indented = false;
        while i < b.len() {
            let n = space_len(b, i);
            if n == 0 {
                break;
            }
            spaced = true;
            match b[i] {
                b'\n' => {
                    newlines += 1;
                    indented = false;
                }
                // A bare CR is an old Mac line break; CRLF counts once (at the LF).
                b'\r' if b.get(i + 1) != Some(&b'\n') => {
                    newlines += 1;
                    indented = false;
                }
                b'\r' => {}
                _ if newlines > 0 => indented = true,
                _ => {}
            }
            i += n;
        }
        if i >= b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        while i < b.len() && space_len(b, i) == 0 {
            i += 1;
        }
        self.pos = i;
        let gap = match (newlines, indented) {
            (0, _) if spaced && start > 0 => Gap::Space,
            (0, _) => Gap::None,
            (1, false) => Gap::Line,
            (1, true) => Gap::Indent,
            _ => Gap::Paragraph,
        };
        Some(Token {
            start: start as u32,
            end: i as u32,
            gap,
        })
    }
}

/// Whether any whitespace follows byte offset `end` of `text`.
pub fn space_at(text: &str, end: usize) -> bool {
    end < text.len() && space_len(text.as_bytes(), end) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(text: &str) -> Vec<(&str, Gap)> {
        chunks(text).map(|t| (t.form(text), t.gap)).collect()
    }

    #[test]
    fn gaps_are_classified() {
        assert_eq!(
            shapes("a b\nc\n d\n\ne\r\n\r\nf\u{a0}g"),
            vec![
                ("a", Gap::None),
                ("b", Gap::Space),
                ("c", Gap::Line),
                ("d", Gap::Indent),
                ("e", Gap::Paragraph),
                ("f", Gap::Paragraph),
                ("g", Gap::Space),
            ]
        );
    }

    #[test]
    fn leading_whitespace_and_unicode_spaces() {
        assert_eq!(
            shapes("  x\u{2009}y\u{3000}z "),
            vec![("x", Gap::Space), ("y", Gap::Space), ("z", Gap::Space)]
        );
        assert_eq!(shapes(""), vec![]);
        assert_eq!(shapes(" \n "), vec![]);
        // An en dash (E2 80 93) is not whitespace even though it shares the lead bytes.
        assert_eq!(shapes("a–b"), vec![("a–b", Gap::None)]);
    }
}
