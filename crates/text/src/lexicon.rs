//! The closed word lists segmentation relies on, kept in one place so they can be
//! read and extended.
//!
//! All lookups are ASCII case-insensitive (the corpus has ALL-CAPS wire copy and
//! lower-cased Indian papers) and allocation-free: each list is sorted lower-case
//! and searched by binary search on a lower-cased comparison.

use std::cmp::Ordering;

/// Titles and honorifics: a period after one never ends a sentence (a name follows).
const TITLES: &[&str] = &[
    "adm", "atty", "brig", "capt", "cde", "cmdr", "col", "comdr", "cpl", "dr", "drs", "fr", "gen",
    "gov", "hon", "insp", "jr", "lt", "maj", "messrs", "mr", "mrs", "ms", "mt", "prof", "pvt",
    "rep", "reps", "rev", "sen", "sens", "sgt", "sr", "st", "supt",
];

/// Other abbreviations written with a final period. A period after one of these
/// ends a sentence only when a typical sentence opener ([`STARTERS`]) follows.
const ABBREVIATIONS: &[&str] = &[
    "al", "ala", "alta", "approx", "apr", "ariz", "ark", "assn", "aug", "ave", "blvd", "bros",
    "calif", "cf", "co", "colo", "conn", "corp", "dec", "del", "dept", "est", "etc", "ext", "feb",
    "fig", "fla", "fri", "ft", "ga", "govt", "ill", "inc", "ind", "jan", "jul", "jun", "kan",
    "kans", "ky", "la", "ltd", "mar", "mass", "md", "mich", "minn", "miss", "mo", "mon", "mont",
    "nev", "nos", "nov", "oct", "okla", "ont", "ore", "pa", "plc", "pp", "rd", "sask", "sat",
    "sep", "sept", "sun", "tel", "tenn", "tex", "thu", "thur", "thurs", "tue", "tues", "univ",
    "va", "viz", "vol", "vs", "vt", "wash", "wed", "wis", "wyo",
];

/// Abbreviations that are also ordinary words (`ill.`, `mass.`, `sun.`): they are
/// abbreviations only when capitalised like one (`Ill.`, `Mass.`, `Sun.`), so
/// "he fell ill." still ends in a full stop of its own.
const WORDLIKE: &[&str] = &[
    "ark", "del", "fig", "ill", "ind", "la", "mar", "mass", "miss", "mo", "mon", "ore", "pa",
    "sat", "sun", "wash", "wed",
];

/// Closed-class words that typically open a sentence. After an ambiguous
/// abbreviation (`U.S.`, `Inc.`, an initial) the sentence ends only before one of
/// these: "in the U.S. The talks..." splits, "the U.S. Senate" does not.
const STARTERS: &[&str] = &[
    "a",
    "after",
    "all",
    "also",
    "although",
    "an",
    "and",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "during",
    "each",
    "for",
    "from",
    "he",
    "her",
    "here",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "last",
    "many",
    "meanwhile",
    "more",
    "most",
    "my",
    "no",
    "not",
    "now",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "under",
    "we",
    "what",
    "when",
    "where",
    "while",
    "who",
    "with",
    "yet",
    "you",
];

/// Lower-case words that open a sentence even in mixed-case text when they follow
/// a full stop or question mark: web and chat text often skips the capital
/// (`call them. they haven't...`), while news rarely puts these after a period
/// mid-sentence. Conjunctions and prepositions are left out (`8 yrs. and`).
const LOWER_STARTERS: &[&str] = &[
    "he", "his", "how", "i", "if", "it", "my", "she", "so", "that", "the", "there", "they", "this",
    "we", "what", "when", "where", "who", "why", "you",
];

/// Prefixes that UD English EWT keeps attached to the word after the hyphen
/// (`e-mail`, `non-profit`, `pre-war`, `co-founder`); every other hyphen between
/// words is a token of its own (`larger - than - expected`), as in the treebank.
const HYPHEN_PREFIXES: &[&str] = &[
    "a", "anti", "bi", "co", "counter", "cross", "de", "e", "ex", "extra", "infra", "inter",
    "intra", "macro", "micro", "mid", "mis", "multi", "neo", "non", "over", "pan", "post", "pre",
    "pro", "pseudo", "psycho", "quasi", "re", "semi", "socio", "sub", "trans", "tri", "ultra",
    "un",
];

/// Month names and their abbreviations, for datelines (`KYIV, May 17 (Reuters) -`).
const MONTHS: &[&str] = &[
    "apr",
    "april",
    "aug",
    "august",
    "dec",
    "december",
    "feb",
    "february",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "mar",
    "march",
    "may",
    "nov",
    "november",
    "oct",
    "october",
    "sep",
    "sept",
    "september",
];

fn cmp_lower(entry: &str, word: &str) -> Ordering {
    entry
        .bytes()
        .cmp(word.bytes().map(|b| b.to_ascii_lowercase()))
}

fn contains(list: &[&str], word: &str) -> bool {
    list.binary_search_by(|e| cmp_lower(e, word)).is_ok()
}

/// `word` (without its period) is a title such as `Gen` or `Mr`.
pub fn is_title(word: &str) -> bool {
    contains(TITLES, word)
}

/// `word` (without its final period) is an abbreviation that keeps its period:
/// a listed word, a title, a single letter (an initial), or letters joined by
/// periods (`U.S`, `a.m`, `Ph.D`).
pub fn is_abbreviation(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() == 1 {
        return b[0].is_ascii_alphabetic();
    }
    if b.contains(&b'.') {
        return word.split('.').all(|seg| {
            (1..=2).contains(&seg.len()) && seg.bytes().all(|c| c.is_ascii_alphabetic())
        });
    }
    if contains(TITLES, word) {
        return true;
    }
    contains(ABBREVIATIONS, word) && (!contains(WORDLIKE, word) || is_capitalised_word(word))
}

/// `Mass`: one capital, then lower case.
fn is_capitalised_word(word: &str) -> bool {
    let b = word.as_bytes();
    b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase)
}

pub fn is_starter(word: &str) -> bool {
    contains(STARTERS, word)
}

/// Case-sensitive: only the lower-case spelling counts.
pub fn is_lower_starter(word: &str) -> bool {
    LOWER_STARTERS.binary_search(&word).is_ok()
}

pub fn is_hyphen_prefix(word: &str) -> bool {
    contains(HYPHEN_PREFIXES, word)
}

/// `word` is a month name or abbreviation, with or without a final period.
pub fn is_month(word: &str) -> bool {
    contains(MONTHS, word.strip_suffix('.').unwrap_or(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lowercase_and_unique() {
        for list in [
            TITLES,
            ABBREVIATIONS,
            WORDLIKE,
            STARTERS,
            LOWER_STARTERS,
            HYPHEN_PREFIXES,
            MONTHS,
        ] {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{:?} out of order", w);
            }
            assert!(
                list.iter()
                    .all(|w| !w.bytes().any(|b| b.is_ascii_uppercase()))
            );
        }
    }

    #[test]
    fn lookups_ignore_case() {
        assert!(is_abbreviation("Gen") && is_abbreviation("GEN") && is_title("gen"));
        assert!(is_abbreviation("U.S") && is_abbreviation("a.m") && is_abbreviation("Ph.D"));
        assert!(is_abbreviation("J") && !is_abbreviation("JJ"));
        assert!(is_abbreviation("Mass") && !is_abbreviation("mass") && !is_abbreviation("ILL"));
        assert!(WORDLIKE.iter().all(|w| contains(ABBREVIATIONS, w)));
        assert!(!is_abbreviation("Russia") && !is_abbreviation("bbc.com"));
        assert!(is_starter("The") && is_starter("THE") && !is_starter("Senate"));
        assert!(is_hyphen_prefix("Non") && !is_hyphen_prefix("self"));
        assert!(is_month("Oct.") && is_month("MAY") && !is_month("Mayday"));
    }
}
