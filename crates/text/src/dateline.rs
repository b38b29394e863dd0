//! Datelines: `KYIV, May 17 (Reuters) -`, `NEW DELHI, March 7 (Xinhua) --`,
//! `TOKYO (AP) —`, `KANDAHAR, Afghanistan, Oct. 3 (Xinhua) --`.
//!
//! A dateline is a place in capitals, optionally a region and a date after
//! commas, optionally an agency in brackets, then a dash; it needs a date or an
//! agency to count, so `the Group of Five (G-5) -` is not one. Segmentation makes
//! every dateline a sentence of its own: glued to the first sentence it would
//! become the parser's subject ("KYIV ... said"), and kept apart it is the most
//! reliable place and date of the story. [`dateline`] tells later stages which
//! sentences are datelines and where their place, date and agency are, so a coder
//! can skip them and a geocoder can read them.
//!
//! In ALL-CAPS text every word looks like a place name, so there a dateline must
//! open a paragraph and carry a date; in all-lower-case text there are none.

use crate::lexicon;
use crate::sentence::Casing;
use crate::token::{Gap, Token};
use dyad_doc::Doc;
use std::ops::Range;

/// The parts of a dateline sentence, as document-wide token index ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    /// `KYIV`, `NEW DELHI`, `KANDAHAR , Afghanistan`
    pub place: Range<usize>,
    /// `May 17`, `Oct. 3`
    pub date: Option<Range<usize>>,
    /// `Reuters` (inside the brackets)
    pub agency: Option<Range<usize>>,
}

/// Longest run of capitalised words taken as a place (`RIO DE JANEIRO` needs 3).
const MAX_PLACE_WORDS: usize = 4;

/// If sentence `s` of a segmented `doc` is a dateline, its parts.
pub fn dateline(doc: &Doc, s: usize) -> Option<Dateline> {
    let sp = doc.sentences.get(s)?;
    let toks: Vec<Token> = sp
        .tokens()
        .map(|i| Token {
            start: doc.start[i],
            end: doc.end[i],
            gap: if i > sp.tokens().start && doc.space_after[i - 1] {
                Gap::Space
            } else {
                Gap::None
            },
        })
        .collect();
    let casing = Casing::detect(&doc.text);
    let d = parts(&doc.text, &toks, 0, casing, true)?;
    let base = sp.tokens().start;
    let shift = |r: Range<usize>| r.start + base..r.end + base;
    (d.len == toks.len()).then(|| Dateline {
        place: shift(d.place),
        date: d.date.map(shift),
        agency: d.agency.map(shift),
    })
}

/// Number of tokens of the dateline starting at token `i`, if one starts there.
pub(crate) fn match_at(
    text: &str,
    toks: &[Token],
    i: usize,
    casing: Casing,
    at_paragraph_start: bool,
) -> Option<usize> {
    parts(text, toks, i, casing, at_paragraph_start).map(|d| d.len)
}

struct Parts {
    len: usize,
    place: Range<usize>,
    date: Option<Range<usize>>,
    agency: Option<Range<usize>>,
}

fn is_caps_word(form: &str, min_letters: usize) -> bool {
    let letters = form.bytes().filter(u8::is_ascii_alphabetic).count();
    letters >= min_letters
        && form
            .bytes()
            .all(|b| b.is_ascii_uppercase() || matches!(b, b'.' | b'-' | b'\''))
}

fn is_capitalised(form: &str) -> bool {
    form.chars().next().is_some_and(char::is_uppercase)
}

fn is_day(form: &str) -> bool {
    form.len() <= 2 && form.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn is_dash(form: &str) -> bool {
    matches!(form, "-" | "--" | "---" | "—" | "–" | "―")
}

fn parts(
    text: &str,
    toks: &[Token],
    i: usize,
    casing: Casing,
    at_paragraph_start: bool,
) -> Option<Parts> {
    if casing == Casing::Lower || (casing == Casing::Upper && !at_paragraph_start) {
        return None;
    }
    // Cheap rejection first: this runs at every token.
    let first = toks.get(i)?.form(text);
    if !first.as_bytes()[0].is_ascii_uppercase() || !is_caps_word(first, 2) {
        return None;
    }
    // A dateline never spans a paragraph or an indented line, and is short: look
    // at most 24 tokens ahead, so this stays constant-time per token.
    let end = toks.len().min(i + 24);
    let limit = (i + 1..end)
        .find(|&k| toks[k].gap >= Gap::Indent)
        .unwrap_or(end);
    let form = |k: usize| if k < limit { toks[k].form(text) } else { "" };
    let date_len = |k: usize| -> Option<usize> {
        let (a, b) = (form(k), form(k + 1));
        let mut len = if lexicon::is_month(a) && is_day(b) || is_day(a) && lexicon::is_month(b) {
            2
        } else {
            return None;
        };
        let year =
            |f: &str| (f.len() == 4 || f.len() == 2) && f.bytes().all(|c| c.is_ascii_digit());
        if form(k + len) == "," && year(form(k + len + 1)) {
            len += 2;
        } else if year(form(k + len)) {
            len += 1;
        }
        Some(len)
    };

    let mut k = i;
    while k < limit && k - i < MAX_PLACE_WORDS && is_caps_word(form(k), 1) {
        k += 1;
    }
    let mut place = i..k;
    let mut date = None;
    for _ in 0..3 {
        if form(k) != "," {
            break;
        }
        if let Some(len) = date_len(k + 1) {
            date = Some(k + 1..k + 1 + len);
            k += 1 + len;
            break;
        }
        let region = (k + 1..limit)
            .take_while(|&r| r < k + 4 && is_capitalised(form(r)))
            .count();
        if region == 0 {
            break;
        }
        k += 1 + region;
        place.end = k;
    }
    let mut agency = None;
    if form(k) == "(" {
        let close = (k + 1..limit.min(k + 7)).find(|&c| form(c) == ")")?;
        // An agency is a name: `Reuters`, `AP`, `ACAN-EFE`, not `(cont.)`.
        let named = (k + 1..close).all(|a| {
            let f = form(a);
            is_capitalised(f) || matches!(f, "-" | "&" | "/")
        });
        if close == k + 1 || !named {
            return None;
        }
        agency = Some(k + 1..close);
        k = close + 1;
    }
    if !is_dash(form(k)) || (date.is_none() && agency.is_none()) {
        return None;
    }
    if casing == Casing::Upper && date.is_none() {
        return None;
    }
    Some(Parts {
        len: k + 1 - i,
        place,
        date,
        agency,
    })
}
