//! Text normalisation shared by dictionary names and document tokens.
//!
//! Names and tokens are matched as byte strings, so both sides must be folded the
//! same way: lowercase, accents stripped ("Élysée" = "elysee"), typographic quotes
//! unified, abbreviation dots dropped ("U.S." = "US" = "U.S"), hyphens as separate
//! pieces ("al-Shabaab" = "al - Shabaab", whichever way the tokenizer split it) and a
//! possessive `'s` as its own piece ("Russia's" = "Russia 's"). A possessive split is
//! a *hard* boundary (a name may end there); a hyphen split is *soft* (a name may not
//! start or end inside "pro-Russian"). An underscore joining words in a token
//! ("Dol_Amroth") is a space, as in the dictionaries.

/// Folds one character into `out`: lowercase, Latin accents stripped, quotes unified.
#[inline]
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ă' | 'Ą' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'ď' | 'đ' | 'Ď' | 'Đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę'
        | 'Ě' => 'e',
        'ğ' | 'Ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'İ' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => 'i',
        'ł' | 'ľ' | 'Ł' | 'Ľ' => 'l',
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō'
        | 'Ő' => 'o',
        'ř' | 'Ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => 's',
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => {
            'u'
        }
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2010}' | '\u{2011}' => '-',
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push(plain);
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}')
}

/// Appends the normalised form of one token (or one word of a name) to `out`.
///
/// Returns the offset in `out` where a possessive piece (`'s` or a bare `'` after
/// a plural) starts, if the token was split there. A token made only of dots or
/// dashes is kept as is; otherwise dots are dropped and dashes become their own
/// pieces. Nothing is pushed for an empty token.
pub(crate) fn push_token(form: &str, out: &mut String) -> Option<usize> {
    let start = out.len();
    let only_punct = form.chars().all(|c| c == '.' || c == '_' || is_dash(c));
    let mut space_next = false;
    for c in form.chars() {
        if !only_punct {
            if c == '.' {
                continue;
            }
            // `_` joins the words of a name in PETRARCH and TABARI texts as in
            // their dictionaries ("Dol_Amroth" = "Dol Amroth").
            if c == '_' {
                if out.len() > start && !out.ends_with(' ') {
                    out.push(' ');
                }
                space_next = false;
                continue;
            }
            if is_dash(c) {
                if out.len() > start && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push('-');
                space_next = true;
                continue;
            }
        }
        if space_next {
            out.push(' ');
            space_next = false;
        }
        fold_char(c, out);
    }
    let piece = &out[start..];
    let bytes = piece.as_bytes();
    if bytes.len() > 2 && piece.ends_with("'s") && bytes[bytes.len() - 3] != b' ' {
        let at = out.len() - 2;
        out.insert(at, ' ');
        return Some(at + 1);
    }
    if bytes.len() > 2 && piece.ends_with("s'") {
        let at = out.len() - 1;
        out.insert(at, ' ');
        return Some(at + 1);
    }
    None
}

/// The normalised form of a dictionary name: words split on spaces and `_`, each
/// folded like a token, joined by single spaces. Empty if the name has no words.
pub(crate) fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for word in name.split(|c: char| c.is_whitespace() || c == '_') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let before = out.len();
        push_token(word, &mut out);
        if out.len() == before && before > 0 {
            out.pop();
        }
    }
    out
}

/// Whether a name is a short acronym ("US", "U.S.", "UN", "WHO", "AU") that must be
/// written in capitals (or with its dots) in the text to match, so that the
/// pronoun "us" and the question word "who" are not read as actors. `norm` is the
/// name's normalised form: one piece of two or three letters.
pub(crate) fn is_short_acronym(name: &str, norm: &str) -> bool {
    let letters = || name.chars().filter(|c| c.is_alphabetic());
    (2..=3).contains(&norm.len())
        && norm.chars().all(|c| c.is_alphabetic())
        && letters().count() == norm.len()
        && letters().all(|c| c.is_uppercase())
}

/// Whether a token is written like an acronym: all its letters are capitals, or it
/// has dots ("u.s." in lower-cased text is still not the pronoun).
pub(crate) fn looks_like_acronym(form: &str) -> bool {
    form.contains('.')
        || (form.chars().any(|c| c.is_alphabetic())
            && form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(s: &str) -> (String, Option<usize>) {
        let mut out = String::new();
        let p = push_token(s, &mut out);
        (out, p)
    }

    #[test]
    fn tokens_fold_like_names() {
        assert_eq!(tok("Élysée"), ("elysee".into(), None));
        assert_eq!(tok("U.S."), ("us".into(), None));
        assert_eq!(tok("..."), ("...".into(), None));
        assert_eq!(tok("al-Shabaab"), ("al - shabaab".into(), None));
        assert_eq!(tok("-"), ("-".into(), None));
        assert_eq!(tok("Dol_Amroth"), ("dol amroth".into(), None));
        assert_eq!(tok("_"), ("_".into(), None));
        assert_eq!(tok("Russia’s"), ("russia 's".into(), Some(7)));
        assert_eq!(tok("’s"), ("'s".into(), None));
        assert_eq!(tok("countries'"), ("countries '".into(), Some(10)));
        assert_eq!(
            normalize_name("PRESIDENT_GEORGE_W._BUSH_"),
            "president george w bush"
        );
        assert_eq!(normalize_name("  Al-Shabaab  "), "al - shabaab");
        assert_eq!(normalize_name("Erdoğan"), "erdogan");
    }

    #[test]
    fn acronyms() {
        let acronym = |n: &str| is_short_acronym(n, &normalize_name(n));
        assert!(acronym("US"));
        assert!(acronym("U.S."));
        assert!(acronym("WHO"));
        assert!(!acronym("Xi"));
        assert!(!acronym("Iran"));
        assert!(!acronym("NATO"));
        assert!(!acronym("U.S. Army"));
        assert!(looks_like_acronym("US"));
        assert!(looks_like_acronym("u.s."));
        assert!(!looks_like_acronym("us"));
    }
}
