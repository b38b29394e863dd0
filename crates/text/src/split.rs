//! Stage 2: split one whitespace chunk into tokens, the way UD English EWT does.
//!
//! A chunk is peeled from the outside in, as in the Penn Treebank and spaCy
//! tokenizers:
//!
//! 1. **prefixes**: opening brackets and quotes, dash runs, currency signs before a
//!    digit (`$5` → `$ 5`);
//! 2. **suffixes**: closing brackets and quotes, `, ; : % ! ?`, ellipses, and a final
//!    period unless the word is an abbreviation (`U.S.`, `Gen.`, `a.m.`, an
//!    initial: see [`crate::lexicon`]);
//! 3. **clitics** at the end of what is left: `'s 're 've 'll 'd 'm n't` with
//!    straight or curly apostrophes, in any case (`DON'T` → `DO N'T`), and the EWT
//!    splits `cannot` → `can not`, `gonna` → `gon na`;
//! 4. **infixes** inside the remaining word: hyphens (split, except digit-digit
//!    such as phone numbers and EWT's kept prefixes `e-mail`, `non-profit`),
//!    slashes and commas between letters, dashes, quotes and brackets, a period
//!    glued to the next sentence (`injured.The`), and a unit glued to a number
//!    (`£546m` → `£ 546 m`, `10am` → `10 am`; ordinals and decades stay whole).
//!
//! URLs and e-mail addresses skip steps 3 and 4. Numbers need no rule of their
//! own: `8,000`, `3.5` and `15:03` contain no split point. Everything works on byte
//! offsets inside the chunk and writes tokens straight to the output vector; the
//! suffix stack is a fixed array, so nothing here allocates.

use crate::lexicon;
use crate::token::{Gap, Token};

/// More suffixes than this on one chunk are left attached to the word.
const MAX_SUFFIXES: usize = 16;

/// Writes tokens, giving the chunk's gap to the first one only.
struct Out<'a> {
    out: &'a mut Vec<Token>,
    gap: Gap,
}

impl Out<'_> {
    #[inline]
    fn push(&mut self, s: usize, e: usize) {
        if s < e {
            self.out.push(Token {
                start: s as u32,
                end: e as u32,
                gap: self.gap,
            });
            self.gap = Gap::None;
        }
    }
}

/// Splits `chunk` (a whitespace-free span of `text`) and appends its tokens to `out`.
pub fn split_chunk(text: &str, chunk: Token, out: &mut Vec<Token>) {
    let mut o = Out {
        out,
        gap: chunk.gap,
    };
    let mut s = chunk.start as usize;
    let mut e = chunk.end as usize;

    s = strip_prefixes(text, s, e, &mut o);

    let mut suffixes = [(0usize, 0usize); MAX_SUFFIXES];
    let mut n = 0;
    while n < MAX_SUFFIXES {
        let Some(len) = suffix_len(&text[s..e]) else {
            break;
        };
        suffixes[n] = (e - len, e);
        n += 1;
        e -= len;
    }

    let word = &text[s..e];
    if is_url_or_email(word) {
        o.push(s, e);
    } else {
        if n < MAX_SUFFIXES
            && let Some(at) = clitic_start(word)
        {
            suffixes[n] = (s + at, e);
            n += 1;
            e = s + at;
        }
        split_infixes(text, s, e, &mut o);
    }
    for &(a, b) in suffixes[..n].iter().rev() {
        o.push(a, b);
    }
}

/// Emoticons are tokens of their own when they stand alone.
const EMOTICONS: &[&str] = &[
    ":)", ":-)", ":(", ":-(", ":D", ":-D", ";)", ";-)", ":P", ":p", ":-P", "(:", "):", ":/", "<3",
];

/// Emits leading punctuation as tokens; returns where the rest of the chunk starts.
fn strip_prefixes(text: &str, mut s: usize, e: usize, o: &mut Out) -> usize {
    if EMOTICONS.contains(&&text[s..e]) {
        o.push(s, e);
        return e;
    }
    loop {
        let w = &text[s..e];
        let Some(c) = w.chars().next() else {
            return s;
        };
        let len = c.len_utf8();
        if len == w.len() {
            return s;
        }
        let rest = &w[len..];
        let starts_digit = rest.as_bytes()[0].is_ascii_digit();
        let cut = match c {
            '(' | '[' | '{' | '<' | '"' | '“' | '‘' | '«' | '„' | '`' | '¿' | '¡' => len,
            '\'' | '’' => {
                if is_clitic(w) || is_decade(rest) {
                    return s;
                }
                len
            }
            '$' | '£' | '€' | '¥' | '₹' if starts_digit => len,
            '-' => {
                let run = w.bytes().take_while(|&b| b == b'-').count();
                if run == w.len() {
                    return s; // a dash line
                }
                run
            }
            '—' | '–' | '―' => len,
            // `US$4.5`, `C$20`: the currency code stays with its sign.
            'A'..='Z' => match currency_code_len(w) {
                Some(n) => n,
                None => return s,
            },
            _ => return s,
        };
        o.push(s, s + cut);
        s += cut;
    }
}

/// Length of a `US$`-style prefix when a digit follows it.
fn currency_code_len(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    ((1..=3).contains(&letters)
        && b.get(letters) == Some(&b'$')
        && b.get(letters + 1).is_some_and(u8::is_ascii_digit))
    .then_some(letters + 1)
}

/// Byte length of the punctuation to peel off the end of `w`, if any.
fn suffix_len(w: &str) -> Option<usize> {
    let c = w.chars().next_back()?;
    let len = c.len_utf8();
    if len == w.len() {
        return None;
    }
    let b = w.as_bytes();
    let run_of = |x: u8| b.iter().rev().take_while(|&&c| c == x).count();
    match c {
        '.' => {
            let run = run_of(b'.');
            if run == w.len() {
                None
            } else if run == 2 && lexicon::is_abbreviation(&w[..w.len() - 2]) {
                Some(1) // `Inc..`: the abbreviation's period, then the full stop
            } else if run >= 2 {
                Some(run)
            } else if lexicon::is_abbreviation(&w[..w.len() - 1]) {
                None
            } else {
                Some(1)
            }
        }
        '!' | '?' => {
            // `?!`, `!!!`, `.?`: one token, as in EWT.
            let run = b
                .iter()
                .rev()
                .take_while(|&&c| matches!(c, b'!' | b'?' | b'.'))
                .count();
            (run < w.len()).then_some(run)
        }
        '-' => {
            let run = run_of(b'-');
            (run < w.len()).then_some(run)
        }
        ')' | ']' | '}' | '>' | '"' | '\'' | '”' | '’' | '»' | ',' | ';' | ':' | '%' | '…'
        | '—' | '–' => Some(len),
        _ => None,
    }
}

/// ASCII case-insensitive `ends_with`.
fn ends_with_ci(w: &str, suffix: &str) -> bool {
    w.len() >= suffix.len()
        && w.as_bytes()[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

const CLITICS: &[&str] = &[
    "n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
];

/// `w` is a bare clitic chunk such as `'s` (already separated by a space).
fn is_clitic(w: &str) -> bool {
    CLITICS
        .iter()
        .any(|c| c.len() == w.len() && ends_with_ci(w, c))
}

/// `'90s`: the apostrophe is part of the word.
/// `'90s`, `'73`: the apostrophe stands for a century and stays with the year.
fn is_decade(rest: &str) -> bool {
    let b = rest.as_bytes();
    let two_digits = b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit();
    two_digits && (b.len() == 2 || (b.len() == 3 && (b[2] == b's' || b[2] == b'S')))
}

/// Where the clitic at the end of `word` starts, if it has one.
fn clitic_start(word: &str) -> Option<usize> {
    for whole in ["cannot", "gonna", "gotta", "wanna"] {
        if word.eq_ignore_ascii_case(whole) {
            return Some(3);
        }
    }
    let c = CLITICS.iter().find(|c| ends_with_ci(word, c))?;
    let at = word.len() - c.len();
    let stem = &word[..at];
    let stem_ok = stem.chars().next_back().is_some_and(char::is_alphanumeric)
        // `1980's`, `80's`: a plural of a number, one token in EWT.
        && !(c.ends_with('s') && stem.bytes().all(|b| b.is_ascii_digit()));
    stem_ok.then_some(at)
}

/// Web addresses and e-mail addresses are single tokens.
fn is_url_or_email(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 5 {
        return false;
    }
    let lower_starts =
        |p: &str| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if lower_starts("http://")
        || lower_starts("https://")
        || lower_starts("www.")
        || lower_starts("ftp://")
    {
        return true;
    }
    match memchr::memchr(b'@', b) {
        Some(at) => at > 0 && memchr::memchr(b'.', &b[at..]).is_some_and(|d| at + d + 1 < b.len()),
        None => false,
    }
}

/// Splits `text[s..e]` at infix punctuation and emits the pieces.
fn split_infixes(text: &str, s: usize, e: usize, o: &mut Out) {
    let w = &text[s..e];
    let b = w.as_bytes();
    if is_dmy_date(b) {
        o.push(s, e);
        return;
    }
    let mut piece = 0;
    let mut i = 0;
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let alnum = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphanumeric);
    // Emits the current piece, then `len` bytes of punctuation at `i`.
    macro_rules! cut {
        ($len:expr) => {{
            let len = $len;
            emit_piece(w, s, piece, i, o);
            o.push(s + i, s + i + len);
            i += len;
            piece = i;
        }};
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' => {
                let run = b[i..].iter().take_while(|&&c| c == b'-').count();
                if run > 1 {
                    cut!(run);
                    continue;
                }
                let left = &w[piece..i];
                let keep = i > piece
                    && alnum(i + 1)
                    && if digit(i - 1) && digit(i + 1) {
                        !is_year_range(b, piece, i)
                    } else {
                        left.bytes().all(|c| c.is_ascii_alphabetic())
                            && lexicon::is_hyphen_prefix(left)
                    };
                if keep {
                    i += 1;
                } else {
                    cut!(1);
                }
            }
            b'/' | b',' | b':' => {
                if i > piece && digit(i - 1) && digit(i + 1) {
                    i += 1;
                } else {
                    cut!(1);
                }
            }
            b'!' | b'?' => {
                let run = b[i..]
                    .iter()
                    .take_while(|&&c| c == b'!' || c == b'?')
                    .count();
                cut!(run);
            }
            b';' | b'"' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => cut!(1),
            b'.' => {
                let run = b[i..].iter().take_while(|&&c| c == b'.').count();
                if run > 1 {
                    cut!(run);
                    continue;
                }
                let left = &w[piece..i];
                let prev_alpha = i > piece && b[i - 1].is_ascii_alphabetic();
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                // `attack."`, `injured.The`, `OK.Insufficient`, `militant.FILE`: a
                // sentence end glued to what follows. Domains are lower-case and
                // `U.S.Army` has a period in its left part, so neither matches.
                let glued_end = prev_alpha
                    && ((!next.is_ascii_alphanumeric()
                        && next != b'-'
                        && next != b'\''
                        && next != b'@')
                        || (next.is_ascii_uppercase()
                            && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic)
                            && left.len() >= 2
                            && !left.contains('.')));
                if !glued_end {
                    i += 1;
                } else if lexicon::is_abbreviation(left) {
                    // `Mr.Smith`: the period belongs to the abbreviation.
                    i += 1;
                    emit_piece(w, s, piece, i, o);
                    piece = i;
                } else {
                    cut!(1);
                }
            }
            0x80.. => {
                let ch = w[i..].chars().next().unwrap_or(' ');
                let len = ch.len_utf8();
                if matches!(ch, '—' | '–' | '―' | '“' | '”' | '…' | '«' | '»') {
                    cut!(len);
                } else {
                    i += len;
                }
            }
            _ => i += 1,
        }
    }
    emit_piece(w, s, piece, b.len(), o);
}

/// `01-Feb-02`, `26-FEB-1987`: a date written with hyphens is one token.
fn is_dmy_date(b: &[u8]) -> bool {
    let digits = |p: &[u8]| !p.is_empty() && p.iter().all(u8::is_ascii_digit);
    let mut parts = b.split(|&c| c == b'-');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(d), Some(m), Some(y), None) => {
            digits(d)
                && d.len() <= 2
                && digits(y)
                && matches!(y.len(), 2 | 4)
                && m.len() == 3
                && std::str::from_utf8(m).is_ok_and(lexicon::is_month)
        }
        _ => false,
    }
}

/// `1969-1970`, `2002-03`: EWT splits year ranges (but keeps `345-9945`, `4-12`).
fn is_year_range(b: &[u8], piece: usize, hyphen: usize) -> bool {
    let left = &b[piece..hyphen];
    let right = b[hyphen + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    left.len() == 4
        && left.iter().all(u8::is_ascii_digit)
        && matches!(left[0], b'1' | b'2')
        && (right == 2 || right == 4)
        && b.get(hyphen + 1 + right).is_none_or(|&c| c != b'-')
}

/// Emits `w[a..z]`, splitting a unit off a number (`546m`, `10am`, `1.04bn`).
fn emit_piece(w: &str, base: usize, a: usize, z: usize, o: &mut Out) {
    let p = &w.as_bytes()[a..z];
    if p.first().is_some_and(u8::is_ascii_digit) {
        let k = p
            .iter()
            .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b':'))
            .count();
        let unit = &p[k..];
        let is_unit = k < p.len()
            && p[k - 1].is_ascii_digit()
            && unit.iter().all(u8::is_ascii_lowercase)
            && !matches!(unit, b"st" | b"nd" | b"rd" | b"th" | b"s");
        if is_unit {
            o.push(base + a, base + a + k);
            o.push(base + a + k, base + z);
            return;
        }
    }
    o.push(base + a, base + z);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::chunks;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for c in chunks(text) {
            split_chunk(text, c, &mut out);
        }
        out.iter().map(|t| t.form(text)).collect()
    }

    #[test]
    fn possessives_and_contractions() {
        assert_eq!(toks("Russia's"), ["Russia", "'s"]);
        assert_eq!(toks("Russia’s"), ["Russia", "’s"]);
        assert_eq!(toks("don't"), ["do", "n't"]);
        assert_eq!(toks("can't won't"), ["ca", "n't", "wo", "n't"]);
        assert_eq!(toks("DON'T RUSSIA'S"), ["DO", "N'T", "RUSSIA", "'S"]);
        assert_eq!(
            toks("I'm they're we've you'll he'd"),
            [
                "I", "'m", "they", "'re", "we", "'ve", "you", "'ll", "he", "'d"
            ]
        );
        assert_eq!(toks("analysts' forecasts"), ["analysts", "'", "forecasts"]);
        assert_eq!(toks("cannot gonna"), ["can", "not", "gon", "na"]);
        assert_eq!(toks("O'Neill Russia 's"), ["O'Neill", "Russia", "'s"]);
        assert_eq!(
            toks("the '90s in '73 the 1980's"),
            ["the", "'90s", "in", "'73", "the", "1980's"]
        );
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            toks("U.S. Gen. Jan. a.m. Inc."),
            ["U.S.", "Gen.", "Jan.", "a.m.", "Inc."]
        );
        assert_eq!(toks("J. R. Smith"), ["J.", "R.", "Smith"]);
        assert_eq!(toks("U.S.,"), ["U.S.", ","]);
        assert_eq!(toks("(Inc.)"), ["(", "Inc.", ")"]);
        assert_eq!(toks("Russia."), ["Russia", "."]);
        assert_eq!(toks("U.S.-led"), ["U.S.", "-", "led"]);
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(
            toks("8,000 3.5 15:03 24/7"),
            ["8,000", "3.5", "15:03", "24/7"]
        );
        assert_eq!(
            toks("$5 £546m ($1.04bn)"),
            ["$", "5", "£", "546", "m", "(", "$", "1.04", "bn", ")"]
        );
        assert_eq!(
            toks("10am 2nd 1990s 3D -5 US$4.5 9:30pm"),
            [
                "10", "am", "2nd", "1990s", "3D", "-", "5", "US$", "4.5", "9:30", "pm"
            ]
        );
        assert_eq!(toks("15%."), ["15", "%", "."]);
        assert_eq!(toks("in 2005."), ["in", "2005", "."]);
    }

    #[test]
    fn hyphens_follow_ewt() {
        assert_eq!(
            toks("larger-than-expected"),
            ["larger", "-", "than", "-", "expected"]
        );
        assert_eq!(toks("10-year-old"), ["10", "-", "year", "-", "old"]);
        assert_eq!(
            toks("e-mail non-profit Pre-tax co-founder"),
            ["e-mail", "non-profit", "Pre-tax", "co-founder"]
        );
        assert_eq!(toks("713-853-3989 4-12"), ["713-853-3989", "4-12"]);
        assert_eq!(
            toks("2002-2003 1969-70"),
            ["2002", "-", "2003", "1969", "-", "70"]
        );
        assert_eq!(toks("01-Feb-02 26-FEB-1987"), ["01-Feb-02", "26-FEB-1987"]);
        assert_eq!(
            toks("full-scale Kurdish-led"),
            ["full", "-", "scale", "Kurdish", "-", "led"]
        );
        assert_eq!(toks("offer--and"), ["offer", "--", "and"]);
        assert_eq!(toks("war—and —Putin"), ["war", "—", "and", "—", "Putin"]);
        assert_eq!(toks("and/or"), ["and", "/", "or"]);
        assert_eq!(
            // EWT splits designations and signs as well.
            toks("F-16 x-5 -0.39"),
            ["F", "-", "16", "x", "-", "5", "-", "0.39"]
        );
    }

    #[test]
    fn quotes_and_brackets() {
        assert_eq!(
            toks("\"attack.\"\"It's"),
            ["\"", "attack", ".", "\"", "\"", "It", "'s"]
        );
        assert_eq!(toks("“caliphate”."), ["“", "caliphate", "”", "."]);
        assert_eq!(toks("'Drug Violence'"), ["'", "Drug", "Violence", "'"]);
        assert_eq!(toks("(SDF)."), ["(", "SDF", ")", "."]);
        assert_eq!(toks("injured.The man"), ["injured", ".", "The", "man"]);
        assert_eq!(toks("Mr.Smith"), ["Mr.", "Smith"]);
        assert_eq!(
            toks("OK.Insufficient militant.FILE"),
            ["OK", ".", "Insufficient", "militant", ".", "FILE"]
        );
        assert_eq!(toks("U.S.Army Amazon.com"), ["U.S.Army", "Amazon.com"]);
        assert_eq!(toks("Really?! format.?"), ["Really", "?!", "format", ".?"]);
        assert_eq!(toks("great :) (:"), ["great", ":)", "(:"]);
    }

    #[test]
    fn urls_emails_and_ellipses() {
        assert_eq!(
            toks("(see https://www.bbc.co.uk/news/world-123.html)."),
            [
                "(",
                "see",
                "https://www.bbc.co.uk/news/world-123.html",
                ")",
                "."
            ]
        );
        assert_eq!(toks("mail press@un.org."), ["mail", "press@un.org", "."]);
        assert_eq!(toks("<press@un.org>"), ["<", "press@un.org", ">"]);
        assert_eq!(toks("Inc.. ext."), ["Inc.", ".", "ext."]);
        assert_eq!(toks("www.example.com"), ["www.example.com"]);
        assert_eq!(
            toks("wait... health....treatments …"),
            ["wait", "...", "health", "....", "treatments", "…"]
        );
    }

    #[test]
    fn odd_input_never_panics_and_keeps_offsets() {
        for text in [
            "'",
            "''",
            "\"",
            "-",
            "--",
            "...",
            ".",
            "$",
            "'s",
            "n't",
            "a'",
            "é.",
            "…x",
            "x—",
            "\u{0}\u{1}",
            "ÅÄÖ-åäö",
            "1-",
            "-a-",
        ] {
            let mut out = Vec::new();
            for c in chunks(text) {
                split_chunk(text, c, &mut out);
            }
            let mut prev = 0;
            for t in &out {
                assert!(t.start >= prev && t.end > t.start, "{text:?}: {out:?}");
                prev = t.end;
            }
            let joined: String = out.iter().map(|t| t.form(text)).collect();
            assert_eq!(joined, text.replace(' ', ""), "{text:?}");
        }
    }
}
