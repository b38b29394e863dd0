//! Reading quantities from tokens: "12", "8,000", "1.2 million", "twelve",
//! "twenty-five", "a dozen", "dozens", "tens of thousands".
//!
//! Everything is integer arithmetic on `u64` with checked operations, so "1e309"
//! or a 40-digit number can never become an f64 infinity or wrap around: such a
//! token is simply not a number here, and the caller flags it. Vague plurals
//! ("dozens", "thousands") are read as twice their unit, the smallest amount the
//! word can mean, and marked vague so the count gets the `approx` qualifier.

/// A quantity read from a run of tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub value: u64,
    /// Token range `[start, end)` within the slice given to [`read_quantity`].
    pub start: usize,
    pub end: usize,
    /// "dozens", "thousands of", "hundreds": an order of magnitude, not a figure.
    pub vague: bool,
}

/// The largest count Dyad accepts: the world's population. Larger values are
/// implausible for any event and are rejected (and flagged) by the caller.
pub const MAX_COUNT: u64 = 8_200_000_000;

fn small_word(w: &str) -> Option<u64> {
    Some(match w {
        "zero" | "no" | "none" => 0,
        "a" | "an" | "one" | "single" | "lone" => 1,
        "two" | "both" | "pair" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn multiplier(w: &str) -> Option<u64> {
    Some(match w {
        "dozen" => 12,
        "score" => 20,
        "hundred" => 100,
        "thousand" | "k" => 1_000,
        "million" | "mln" | "m" => 1_000_000,
        "billion" | "bln" | "bn" => 1_000_000_000,
        _ => return None,
    })
}

fn vague_plural(w: &str) -> Option<u64> {
    Some(match w {
        "dozens" => 12,
        "scores" => 20,
        "hundreds" => 100,
        "thousands" => 1_000,
        "millions" => 1_000_000,
        "billions" => 1_000_000_000,
        _ => return None,
    })
}

/// A plain figure: "12", "8,000", "1.2" (as tenths, see [`Figure`]), "1,200,000".
/// Thousands separators must be well placed; anything else ("1e309", "12a", "3-4")
/// is not a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Figure {
    /// The value times 10^decimals.
    mantissa: u64,
    decimals: u32,
}

fn figure(s: &str) -> Option<Figure> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let mut m: u64 = 0;
    for g in &groups {
        for c in g.bytes() {
            if !c.is_ascii_digit() {
                return None;
            }
            m = m.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        }
    }
    let mut decimals = 0;
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 3 || !f.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        for c in f.bytes() {
            m = m.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            decimals += 1;
        }
    }
    Some(Figure {
        mantissa: m,
        decimals,
    })
}

/// Reads the value of a word-number run like "twenty-five", "one hundred and
/// twenty", "two thousand". Returns value and tokens used.
fn word_number(words: &[&str]) -> Option<(u64, usize)> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut used = 0;
    let mut any = false;
    while used < words.len() {
        let w = words[used];
        if let Some(v) = compound_word(w) {
            current = current.checked_add(v)?;
            any = true;
        } else if any && (w == "hundred") {
            current = current.max(1).checked_mul(100)?;
        } else if any && matches!(w, "thousand" | "million" | "billion") {
            total = total.checked_add(current.max(1).checked_mul(multiplier(w)?)?)?;
            current = 0;
        } else if any
            && w == "-"
            && current.is_multiple_of(10)
            && current >= 20
            && words
                .get(used + 1)
                .and_then(|n| small_word(n))
                .is_some_and(|v| (1..10).contains(&v))
        {
            // "twenty - five", as tokenizers split it
        } else if any
            && w == "and"
            && words
                .get(used + 1)
                .is_some_and(|n| compound_word(n).is_some())
        {
            // "one hundred and twenty"
        } else {
            break;
        }
        used += 1;
    }
    any.then_some((total.checked_add(current)?, used))
}

/// "twenty-five" → 25, "seven" → 7.
fn compound_word(w: &str) -> Option<u64> {
    if let Some(v) = small_word(w) {
        // "a", "no", "both": only as quantities in their own rule, not in word runs
        return (!matches!(
            w,
            "a" | "an" | "no" | "none" | "both" | "pair" | "single" | "lone"
        ))
        .then_some(v);
    }
    let (t, u) = w.split_once('-')?;
    let (t, u) = (small_word(t)?, small_word(u)?);
    (t >= 20 && t % 10 == 0 && (1..10).contains(&u)).then_some(t + u)
}

/// Reads the quantity starting at `words[0]` (lower-cased token forms). Handles
/// figures with an optional scale word ("1.2 million", "8,000"), number words,
/// "a dozen", "half a million", and vague plurals including "tens of thousands" and
/// "hundreds of thousands" (the `of` is consumed only there; "thousands of
/// protesters" leaves "of protesters" to the caller).
pub fn read_quantity(words: &[&str]) -> Option<Quantity> {
    let w0 = *words.first()?;
    let q = |value: u64, end: usize, vague: bool| {
        Some(Quantity {
            value,
            start: 0,
            end,
            vague,
        })
    };
    // "tens of thousands", "hundreds of thousands", "dozens of" stays with caller
    if matches!(w0, "tens" | "hundreds")
        && words.get(1) == Some(&"of")
        && let Some(m) = words
            .get(2)
            .and_then(|w| vague_plural(w))
            .filter(|&m| m >= 1_000)
    {
        let unit = if w0 == "tens" { 10 } else { 100 };
        return q(2 * unit * m, 3, true);
    }
    if let Some(unit) = vague_plural(w0) {
        return q(2 * unit, 1, true);
    }
    if w0 == "half"
        && matches!(words.get(1), Some(&"a") | Some(&"an"))
        && let Some(m) = words.get(2).and_then(|w| multiplier(w))
    {
        return q(m / 2, 3, false);
    }
    if let Some(f) = figure(w0) {
        let scale = words
            .get(1)
            .and_then(|w| multiplier(w))
            .filter(|&m| m >= 1_000);
        let (mult, end) = match scale {
            Some(m) => (m, 2),
            None if f.decimals > 0 => return None, // "2.5 people" is not a count
            None => (1, 1),
        };
        let value = f
            .mantissa
            .checked_mul(mult)?
            .checked_div(10u64.checked_pow(f.decimals)?)?;
        return q(value, end, false);
    }
    if matches!(w0, "a" | "an") {
        return match words.get(1) {
            Some(&"dozen") => q(12, 2, false),
            Some(&"score") => q(20, 2, false),
            Some(&"hundred") => q(100, 2, false),
            Some(&"thousand") => q(1_000, 2, false),
            Some(&"million") => q(1_000_000, 2, false),
            Some(&"handful") => q(3, 2, true),
            Some(&"few") => match words.get(2).and_then(|w| multiplier(w)) {
                Some(m) => q(3 * m, 3, true),
                None => q(3, 2, true),
            },
            _ => None,
        };
    }
    if matches!(w0, "several" | "few") {
        if let Some(m) = words
            .get(1)
            .and_then(|w| multiplier(w))
            .filter(|&m| m >= 12)
        {
            return q(3 * m, 2, true);
        }
        return None;
    }
    if let Some((v, used)) = word_number(words) {
        // "two dozen"
        if words.get(used) == Some(&"dozen") {
            return q(v.checked_mul(12)?, used + 1, false);
        }
        return q(v, used, false);
    }
    None
}

/// Whether the token looks numeric but could not be read safely ("1e309",
/// "10000000000000000000000"): such a count is flagged, never coded.
pub fn is_unreadable_number(w: &str) -> bool {
    let b = w.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b',' | b'.' | b'+' | b'-'))
        && figure(w).is_none()
        && !w.ends_with("th")
        && !w.ends_with("st")
        && !w.ends_with("nd")
        && !w.ends_with("rd")
        && !w.ends_with('s')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<(u64, usize, bool)> {
        let words: Vec<&str> = s.split(' ').collect();
        read_quantity(&words).map(|q| (q.value, q.end, q.vague))
    }

    #[test]
    fn figures_and_words() {
        assert_eq!(read("12 people"), Some((12, 1, false)));
        assert_eq!(read("8,000 people"), Some((8_000, 1, false)));
        assert_eq!(read("1.2 million people"), Some((1_200_000, 2, false)));
        assert_eq!(read("twelve people"), Some((12, 1, false)));
        assert_eq!(read("twenty-five protesters"), Some((25, 1, false)));
        assert_eq!(read("twenty - five protesters"), Some((25, 3, false)));
        assert_eq!(read("ten - year"), Some((10, 1, false)));
        assert_eq!(read("one hundred and twenty people"), Some((120, 4, false)));
        assert_eq!(read("two thousand people"), Some((2_000, 2, false)));
        assert_eq!(read("a dozen people"), Some((12, 2, false)));
        assert_eq!(read("two dozen people"), Some((24, 2, false)));
        assert_eq!(read("half a million"), Some((500_000, 3, false)));
        assert_eq!(read("dozens of people"), Some((24, 1, true)));
        assert_eq!(read("thousands of protesters"), Some((2_000, 1, true)));
        assert_eq!(read("tens of thousands of people"), Some((20_000, 3, true)));
        assert_eq!(read("hundreds of thousands"), Some((200_000, 3, true)));
        assert_eq!(read("several hundred people"), Some((300, 2, true)));
        assert_eq!(read("millions"), Some((2_000_000, 1, true)));
    }

    #[test]
    fn odd_numbers_are_not_read() {
        assert_eq!(read("1e309 people"), None);
        assert!(is_unreadable_number("1e309"));
        assert_eq!(read("99999999999999999999999 people"), None);
        assert!(is_unreadable_number("99999999999999999999999"));
        assert_eq!(read("1,00 people"), None);
        assert_eq!(read("2.5 people"), None);
        assert_eq!(read("people"), None);
        assert_eq!(read("18446744073709551615 billion"), None);
        assert!(!is_unreadable_number("1990s"));
        assert!(!is_unreadable_number("12"));
    }
}
