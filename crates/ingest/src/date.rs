//! Publication dates: whatever the input says, normalised to `YYYY-MM-DD` when the
//! format is one news corpora actually use.
//!
//! Dated actor roles (who was president when) and event dates depend on this, so
//! a recognisable date is never left in a form later stages would misread, and an
//! unrecognisable one is kept as given (with a warning) rather than guessed.

/// `YYYY-MM-DD` for a recognised date, `None` otherwise.
///
/// Recognised: ISO dates and timestamps (`2024-05-17`, `2024-05-17T08:00:00Z`),
/// `2024/05/17`, `20240517`, Reuters-21578's `26-FEB-1987 15:03:27.51`,
/// `17 May 2024` and `May 17, 2024` (full or abbreviated month, any case).
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    // 2024-05-17..., 2024/05/17
    if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] {
        let rest_ok = b.len() == 10 || matches!(b[10], b'T' | b't' | b' ' | b'_');
        if rest_ok {
            return ymd(num(0..4)?, num(5..7)?, num(8..10)?);
        }
        return None;
    }
    // 20240517
    if b.len() == 8 {
        return ymd(num(0..4)?, num(4..6)?, num(6..8)?);
    }
    // 26-FEB-1987 ..., 3-MAR-1987
    if let Some((day, rest)) = s.split_once('-')
        && let Some((mon, rest)) = rest.split_once('-')
        && day.len() <= 2
    {
        let year = rest.get(..4)?;
        if rest.len() > 4 && !rest[4..].starts_with([' ', 'T']) {
            return None;
        }
        return ymd(year.parse().ok()?, month(mon)?, day.parse().ok()?);
    }
    // 17 May 2024 / May 17, 2024
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [d, m, y] if d.bytes().all(|c| c.is_ascii_digit()) => {
            ymd(y.parse().ok()?, month(m)?, d.parse().ok()?)
        }
        [m, d, y] if d.bytes().all(|c| c.is_ascii_digit()) => {
            ymd(y.parse().ok()?, month(m)?, d.parse().ok()?)
        }
        _ => None,
    }
}

fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    let days = match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    ((1000..=2999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn month(name: &str) -> Option<u32> {
    dyad_doc::calendar::month(name)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn formats_found_in_news_corpora() {
        for (given, want) in [
            ("2024-05-17", "2024-05-17"),
            ("2024-05-17T08:30:00Z", "2024-05-17"),
            ("2024-05-17 08:30", "2024-05-17"),
            ("2024/05/17", "2024-05-17"),
            ("20240517", "2024-05-17"),
            ("26-FEB-1987 15:03:27.51", "1987-02-26"),
            ("3-MAR-1987 09:00:01.00\t\t\tF", "1987-03-03"),
            ("17 May 2024", "2024-05-17"),
            ("May 17, 2024", "2024-05-17"),
            ("Sept. 3, 2001", "2001-09-03"),
            (" 2000-02-29 ", "2000-02-29"),
        ] {
            assert_eq!(normalize(given).as_deref(), Some(want), "{given}");
        }
    }

    #[test]
    fn nonsense_is_not_guessed() {
        for given in [
            "",
            "yesterday",
            "2024-13-01",
            "2023-02-29",
            "2024-05",
            "17/05/2024",
            "2024-05-17junk",
            "32-JAN-1990",
            "May 2024",
            "12345678",
        ] {
            assert_eq!(normalize(given), None, "{given}");
        }
    }
}
