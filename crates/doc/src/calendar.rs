//! English month and weekday names, shared by the readers of document dates
//! (`dyad-ingest`) and of dates in the text (`dyad-attr`).

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Name or three-letter abbreviation, else one of `longer` abbreviations
/// (with the index they stand for).
fn find(word: &str, names: &[&str], longer: &[(&str, usize)]) -> Option<usize> {
    let w = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    names
        .iter()
        .position(|n| *n == w || (w.len() == 3 && n.starts_with(w.as_str())))
        .or_else(|| longer.iter().find(|(a, _)| *a == w).map(|(_, i)| *i))
}

/// 1..=12 for a month name or its abbreviation, any case, dot optional:
/// `March`, `mar`, `Mar.`, `Sept.`.
pub fn month(word: &str) -> Option<u32> {
    find(word, &MONTHS, &[("sept", 8)]).map(|i| i as u32 + 1)
}

/// 0 (Monday) ..= 6 (Sunday) for a weekday name or its abbreviation, any case,
/// dot optional: `Tuesday`, `tue`, `Tues.`, `Thurs`.
pub fn weekday(word: &str) -> Option<u32> {
    find(word, &WEEKDAYS, &[("tues", 1), ("thurs", 3)]).map(|i| i as u32)
}

/// Words that are dates before they are names: full month and weekday names
/// ("March", "May", "Sunday") and dotted month abbreviations ("Jan."), any case.
/// Bare abbreviations ("Mar", "Sun") are left out: they are names too often.
pub fn is_date_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    MONTHS.contains(&w.as_str())
        || WEEKDAYS.contains(&w.as_str())
        || (w.ends_with('.') && month(&w).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_abbreviations() {
        assert_eq!(month("March"), Some(3));
        assert_eq!(month("mar."), Some(3));
        assert_eq!(month("SEPT."), Some(9));
        assert_eq!(month("sep"), Some(9));
        assert_eq!(month("may"), Some(5));
        assert_eq!(month("ma"), None);
        assert_eq!(month("marc"), None);
        assert_eq!(month("tues"), None);
        assert_eq!(weekday("Tues."), Some(1));
        assert_eq!(weekday("thurs"), Some(3));
        assert_eq!(weekday("sun"), Some(6));
        assert_eq!(weekday("sept"), None);
        assert!(is_date_word("May") && is_date_word("Jan.") && is_date_word("sunday"));
        assert!(!is_date_word("Jan") && !is_date_word("Sun") && !is_date_word("Marchand"));
    }
}
