//! The one token type every segmentation stage reads and writes.

/// The whitespace in front of a token, as far as sentence splitting cares.
///
/// Only its *shape* matters downstream: whether there was any (CoNLL-U
/// `SpaceAfter`), whether it held a line break, whether the line break opened an
/// indented line (Reuters-21578 starts every paragraph and every table row that
/// way) and whether it was a blank line (a paragraph break, which always ends a
/// sentence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Gap {
    /// Glued to the previous token (`Russia` + `'s`), or the first token of the text.
    #[default]
    None,
    /// Spaces or tabs only.
    Space,
    /// One line break (a wrapped line).
    Line,
    /// One line break followed by indentation.
    Indent,
    /// Two or more line breaks: a blank line.
    Paragraph,
}

/// A token: a byte range of the text and the whitespace before it.
///
/// Stages pass these around by value in one `Vec` per document; a token never
/// owns text (`&text[start..end]` is its form), so splitting a document costs no
/// allocation per token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub gap: Gap,
}

impl Token {
    pub fn form<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }
}
