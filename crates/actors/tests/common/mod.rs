//! Test fixtures: a plain tokenizer for building `Doc`s from sentences, so the
//! actor tests do not depend on the segmenter's exact rules.

#![allow(dead_code)]

use dyad_actors::Mention;
use dyad_doc::{Doc, SentenceSpan};

/// Splits on whitespace, then peels punctuation and a possessive `'s` off words,
/// the way Penn-style tokenizers do ("Russia's" → "Russia" "'s").
fn words(s: &str, base: usize, out: &mut Vec<(usize, usize)>) {
    let mut i = 0;
    for w in s.split_inclusive(char::is_whitespace) {
        let t = w.trim_end();
        let (mut a, mut b) = (base + i, base + i + t.len());
        i += w.len();
        let text = |a: usize, b: usize| &s[a - base..b - base];
        let mut tail = Vec::new();
        while a < b && text(a, b).starts_with(['"', '(', '“', '‘', '[']) {
            let c = text(a, b).chars().next().unwrap().len_utf8();
            out.push((a, a + c));
            a += c;
        }
        loop {
            let t = text(a, b);
            if let Some(c) = t.chars().last()
                && matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '"' | '”' | ']')
                && b - a > c.len_utf8()
                && !(c == '.' && t.len() <= 4 && t.chars().filter(|&x| x == '.').count() > 1)
            {
                tail.push((b - c.len_utf8(), b));
                b -= c.len_utf8();
                continue;
            }
            if t.len() > 2 && (t.ends_with("'s") || t.ends_with("’s")) {
                let n = if t.ends_with("'s") { 2 } else { 4 };
                tail.push((b - n, b));
                b -= n;
                continue;
            }
            break;
        }
        if a < b {
            out.push((a, b));
        }
        out.extend(tail.into_iter().rev());
    }
}

/// A document with one sentence per item, joined by single spaces.
pub fn doc(sentences: &[&str], date: Option<&str>) -> Doc {
    let mut d = Doc { id: "t".into(), date: date.map(str::to_string), ..Doc::default() };
    for (k, s) in sentences.iter().enumerate() {
        if k > 0 {
            d.text.push(' ');
        }
        let base = d.text.len();
        d.text.push_str(s);
        let mut toks = Vec::new();
        words(s, base, &mut toks);
        let first = d.len() as u32;
        for (a, b) in toks {
            let space = d.text[b..].starts_with(' ');
            d.push_token(a, b, space);
        }
        d.sentences.push(SentenceSpan { first_token: first, end_token: d.len() as u32, start: base as u32, end: d.text.len() as u32 });
    }
    d.validate().unwrap();
    d
}

/// A mention as one comparable line: `text = CODE how`, compounds as
/// `text = CODE1+CODE2 how`.
pub fn describe(m: &Mention) -> String {
    let codes: Vec<&str> = m.actors().iter().map(|a| a.code.as_str()).collect();
    format!("{} = {} {:?}", m.text, codes.join("+"), m.how).to_lowercase()
}
