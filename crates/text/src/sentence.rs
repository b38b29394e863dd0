//! Stage 3: group tokens into sentences.
//!
//! Rules, in order of strength:
//!
//! 1. A blank line always ends a sentence; so does a line break into an indented
//!    line (how Reuters-21578 marks paragraphs and table rows), except in ALL-CAPS
//!    wire copy, which indents wrapped lines freely.
//! 2. A dateline (`KYIV, May 17 (Reuters) -`, see [`crate::dateline`]) is a sentence
//!    of its own, so it never becomes the subject of the first sentence and the
//!    geocoder can read its place.
//! 3. `.`, `!`, `?` and ellipses end a sentence, together with any closing quotes
//!    and brackets glued to them, when the next token can open a sentence. In
//!    ordinary text that means "is not lower-case", so `etc. and` or a stray
//!    period before a lower-case word does not split; in ALL-CAPS or all-lower-case
//!    text case carries no signal, and every such period ends a sentence.
//! 4. An abbreviation's period (`U.S.`, `Inc.`, `J.`) ends a sentence only before a
//!    typical sentence opener (`The`, `He`, `But`, ...), and a title's (`Gen.`,
//!    `Mr.`) never does.
//! 5. Single line breaks inside wrapped text do not end sentences.
//!
//! A run-away sentence (a table, a list with no punctuation) is cut at
//! [`MAX_SENTENCE_TOKENS`] so that later stages stay linear.

use crate::dateline;
use crate::lexicon;
use crate::token::{Gap, Token};
use dyad_doc::SentenceSpan;

/// Longest sentence kept whole; longer runs are cut, preferably at a line break.
pub const MAX_SENTENCE_TOKENS: usize = 250;

/// What the letters of a text say about its case conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casing {
    /// Ordinary mixed case: capitals mark sentence starts and names.
    Mixed,
    /// ALL CAPS (MUC-4 wire copy).
    Upper,
    /// all lower case (the Times of India part of the corpus).
    Lower,
}

impl Casing {
    /// Looks at the first few thousand letters of `text`: mostly capitals is
    /// [`Casing::Upper`]; few capitals, and lower-case words after most `. ` is
    /// [`Casing::Lower`] (a lower-cased story still has a capitalised header).
    pub fn detect(text: &str) -> Casing {
        let (mut upper, mut lower) = (0u32, 0u32);
        let (mut upper_after_stop, mut lower_after_stop) = (0u32, 0u32);
        let b = text.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            upper += c.is_ascii_uppercase() as u32;
            lower += c.is_ascii_lowercase() as u32;
            if i >= 2 && b[i - 1] == b' ' && b[i - 2] == b'.' {
                upper_after_stop += c.is_ascii_uppercase() as u32;
                lower_after_stop += c.is_ascii_lowercase() as u32;
            }
            if upper + lower >= 4000 {
                break;
            }
        }
        let letters = upper + lower;
        if letters < 20 {
            Casing::Mixed
        } else if upper * 100 > letters * 85 {
            Casing::Upper
        } else if upper * 100 < letters * 3
            && lower_after_stop > 3 * upper_after_stop
            && (lower_after_stop >= 3 || upper * 100 < letters)
        {
            Casing::Lower
        } else {
            Casing::Mixed
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// `.`, `!`, `?`, `...`
    Strong,
    /// The period of an abbreviation that can end a sentence (`U.S.`, `Inc.`).
    Abbreviation,
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// How token `form` can end a sentence, if it can.
fn end_kind(form: &str) -> Option<End> {
    match form {
        "." | "!" | "?" | "…" => Some(End::Strong),
        _ if form.bytes().all(|b| b == b'.' || b == b'!' || b == b'?') => Some(End::Strong),
        _ if form.len() > 1 && form.ends_with('.') => {
            let stem = &form[..form.len() - 1];
            if lexicon::is_title(stem) || !stem.bytes().any(|b| b.is_ascii_alphabetic()) {
                None
            } else {
                Some(End::Abbreviation)
            }
        }
        _ => None,
    }
}

/// Closing punctuation that stays with the sentence it follows: `said."`, `(Reuters).`
fn is_closer(text: &str, toks: &[Token], k: usize) -> bool {
    let t = toks[k];
    if t.gap != Gap::None {
        return false;
    }
    match t.form(text) {
        ")" | "]" | "}" | "”" | "’" | "»" | "''" => true,
        // A straight quote glued to the period closes, unless a word is glued to
        // it as well (`attack.""It's`: the second quote opens the next sentence).
        "\"" | "'" => !toks
            .get(k + 1)
            .is_some_and(|n| n.gap == Gap::None && first_char(n.form(text)).is_alphanumeric()),
        _ => false,
    }
}

/// Whether the token after a sentence-ending `kind` opens a new sentence;
/// `closed` says whether closing quotes or brackets came in between
/// (`"Why?" he asked` goes on, `why? he asked` does not).
fn opens_sentence(form: &str, kind: End, casing: Casing, closed: bool) -> bool {
    let c = first_char(form);
    if matches!(
        c,
        ',' | ';' | ':' | '%' | ')' | ']' | '}' | '-' | '–' | '—' | '.' | '?' | '!' | '…'
    ) {
        return false;
    }
    match kind {
        End::Abbreviation => {
            lexicon::is_starter(form) && (casing != Casing::Mixed || c.is_uppercase())
        }
        End::Strong => {
            casing != Casing::Mixed
                || !c.is_lowercase()
                || (!closed && lexicon::is_lower_starter(form))
        }
    }
}

/// Appends the sentences of `toks` to `out`.
pub fn split_sentences(text: &str, toks: &[Token], casing: Casing, out: &mut Vec<SentenceSpan>) {
    let n = toks.len();
    let mut first = 0usize;
    let cut = |out: &mut Vec<SentenceSpan>, first: &mut usize, at: usize| {
        if at > *first {
            out.push(SentenceSpan {
                first_token: *first as u32,
                end_token: at as u32,
                start: toks[*first].start,
                end: toks[at - 1].end,
            });
            *first = at;
        }
    };
    let mut i = 0;
    while i < n {
        let t = toks[i];
        let breaks_before = match t.gap {
            Gap::Paragraph => true,
            Gap::Indent => casing != Casing::Upper,
            _ => false,
        };
        if breaks_before {
            cut(out, &mut first, i);
        }
        let at_paragraph_start = i == 0 || breaks_before;
        if let Some(len) = dateline::match_at(text, toks, i, casing, at_paragraph_start) {
            cut(out, &mut first, i);
            cut(out, &mut first, i + len);
            i += len;
            continue;
        }
        if i + 1 - first >= MAX_SENTENCE_TOKENS {
            let at = (first + MAX_SENTENCE_TOKENS / 2..=i)
                .rev()
                .find(|&k| toks[k].gap >= Gap::Line)
                .unwrap_or(i + 1);
            cut(out, &mut first, at);
        }
        if let Some(kind) = end_kind(t.form(text)) {
            let mut j = i + 1;
            while j < n && is_closer(text, toks, j) {
                j += 1;
            }
            if j < n && opens_sentence(toks[j].form(text), kind, casing, j > i + 1) {
                cut(out, &mut first, j);
                i = j;
                continue;
            }
        }
        i += 1;
    }
    cut(out, &mut first, n);
}
