//! Event dates: the document date, unless the event's sentence says otherwise.
//!
//! News reports events relative to their own date ("on Tuesday", "yesterday",
//! "two days ago"), so every expression is resolved against the document date.
//! Weekdays resolve to the most recent such day on or before the document date
//! (reporting is about the past), unless the sentence is about the future ("will
//! meet on Tuesday", "next Tuesday"). Periods ("last week", "earlier this month")
//! resolve to their first day, never after the document date, and keep the
//! original words so a reader can judge the precision. Month-day dates without a
//! year take the year that puts them on or before the document date (with a week
//! of slack for stories filed slightly ahead).
//!
//! When several expressions occur in the sentence, the one nearest the event's
//! trigger wins: "Police said on Monday that protesters were arrested on Saturday"
//! dates the arrests, not the statement, when the trigger is "arrested".

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// A temporal expression found in a sentence, with its resolved date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    pub date: NaiveDate,
    /// Token range (indices into the token list given to [`find_dates`]).
    pub start: usize,
    pub end: usize,
    /// `relative` (resolved against the document date) or `explicit`.
    pub method: &'static str,
}

/// Parses a document date: `YYYY-MM-DD`, optionally followed by a time.
pub fn parse_doc_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .ok()
}

fn weekday(w: &str) -> Option<Weekday> {
    dyad_doc::calendar::weekday(w).and_then(|i| Weekday::try_from(i as u8).ok())
}

fn month(w: &str) -> Option<u32> {
    dyad_doc::calendar::month(w)
}

fn small(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "several" => 3,
        "few" => 3,
        _ => w.parse::<i64>().ok().filter(|n| (1..=400).contains(n))?,
    })
}

fn day_of_month(w: &str) -> Option<u32> {
    let d = w
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse::<u32>()
        .ok()?;
    // "16th", "1st": the suffix must be an ordinal suffix if present
    let suffix = &w[w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len()..];
    (matches!(suffix, "" | "st" | "nd" | "rd" | "th") && (1..=31).contains(&d)).then_some(d)
}

/// Whether the word names a month ("may" only as part of a date, see caller).
pub fn is_month(w: &str) -> bool {
    month(w).is_some() && w != "may"
}

fn year(w: &str) -> Option<i32> {
    (w.len() == 4)
        .then(|| w.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The most recent `wd` on or before `d` (strictly before when `strict`).
fn previous_weekday(d: NaiveDate, wd: Weekday, strict: bool) -> NaiveDate {
    let mut back =
        (7 + d.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
    if strict && back == 0 {
        back = 7;
    }
    d - Duration::days(back)
}

/// The next `wd` on or after `d` (strictly after when `strict`).
fn next_weekday(d: NaiveDate, wd: Weekday, strict: bool) -> NaiveDate {
    let mut fwd =
        (7 + wd.num_days_from_monday() as i64 - d.weekday().num_days_from_monday() as i64) % 7;
    if strict && fwd == 0 {
        fwd = 7;
    }
    d + Duration::days(fwd)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// Month and day without a year: the year that puts it on or before the document
/// date (a week of slack), or after it for future-tense sentences.
fn month_day(doc: NaiveDate, m: u32, d: u32, future: bool) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(doc.year(), m, d)?;
    if future {
        return if this < doc {
            NaiveDate::from_ymd_opt(doc.year() + 1, m, d)
        } else {
            Some(this)
        };
    }
    if this > doc + Duration::days(7) {
        NaiveDate::from_ymd_opt(doc.year() - 1, m, d)
    } else {
        Some(this)
    }
}

/// Whether the sentence talks about the future ("will", "next", "plans to").
pub fn is_future(words: &[&str]) -> bool {
    words.iter().any(|w| {
        matches!(
            *w,
            "will" | "'ll" | "shall" | "tomorrow" | "scheduled" | "planned" | "plans" | "upcoming"
        )
    })
}

/// Finds every temporal expression in a sentence. `words` are the sentence's
/// lower-cased token forms; `doc` is the document date.
pub fn find_dates(words: &[&str], doc: NaiveDate) -> Vec<DateMention> {
    let future = is_future(words);
    let mut out = Vec::new();
    let mut i = 0;
    let w = |k: usize| words.get(k).copied().unwrap_or("");
    while i < words.len() {
        let rel = |date: NaiveDate, len: usize| DateMention {
            date,
            start: i,
            end: i + len,
            method: "relative",
        };
        let exp = |date: NaiveDate, start: usize, end: usize| DateMention {
            date,
            start,
            end,
            method: "explicit",
        };
        let found: Option<DateMention> = match w(i) {
            "today" | "tonight" => Some(rel(doc, 1)),
            "yesterday" => Some(rel(doc - Duration::days(1), 1)),
            "overnight" => Some(rel(doc - Duration::days(1), 1)),
            "tomorrow" => Some(rel(doc + Duration::days(1), 1)),
            "this" if matches!(w(i + 1), "morning" | "afternoon" | "evening") => Some(rel(doc, 2)),
            "this" if w(i + 1) == "week" => Some(rel(monday_of(doc), 2)),
            "this" if w(i + 1) == "month" => Some(rel(first_of_month(doc), 2)),
            "earlier" if w(i + 1) == "this" && matches!(w(i + 2), "week" | "month") => {
                let d = if w(i + 2) == "week" {
                    monday_of(doc)
                } else {
                    first_of_month(doc)
                };
                Some(rel(d, 3))
            }
            "earlier" if w(i + 1) == "today" => Some(rel(doc, 2)),
            "last" | "past" => match w(i + 1) {
                "night" | "evening" => Some(rel(doc - Duration::days(1), 2)),
                "week" => Some(rel(monday_of(doc) - Duration::days(7), 2)),
                "weekend" => Some(rel(previous_weekday(doc, Weekday::Sat, true), 2)),
                "month" => doc
                    .checked_sub_months(Months::new(1))
                    .map(|d| rel(first_of_month(d), 2)),
                "year" => NaiveDate::from_ymd_opt(doc.year() - 1, 1, 1).map(|d| rel(d, 2)),
                x => weekday(x).map(|wd| rel(previous_weekday(doc, wd, true), 2)),
            },
            "next" => weekday(w(i + 1)).map(|wd| rel(next_weekday(doc, wd, true), 2)),
            "the" if matches!(w(i + 1), "previous" | "day") => match (w(i + 1), w(i + 2)) {
                ("previous", "day") | ("day", "before") => Some(rel(doc - Duration::days(1), 3)),
                _ => None,
            },
            x if weekday(x).is_some() => {
                let wd = weekday(x).unwrap_or(Weekday::Mon);
                let d = if future {
                    next_weekday(doc, wd, false)
                } else {
                    previous_weekday(doc, wd, false)
                };
                // "Tuesday night", "Tuesday morning": one expression
                let len = if matches!(w(i + 1), "night" | "morning" | "afternoon" | "evening") {
                    2
                } else {
                    1
                };
                // a few wires write "Monday, May 13": the explicit date follows
                Some(rel(d, len))
            }
            x if month(x).is_some() => {
                let m = month(x).unwrap_or(1);
                // "May 16", "May 16, 2024", "May 16 2024"
                if let Some(d) = day_of_month(w(i + 1)) {
                    let (y, end) = match (w(i + 2), year(w(i + 3)), year(w(i + 2))) {
                        (",", Some(y), _) => (Some(y), i + 4),
                        (_, _, Some(y)) => (Some(y), i + 3),
                        _ => (None, i + 2),
                    };
                    let date = match y {
                        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
                        None => month_day(doc, m, d, future),
                    };
                    date.map(|date| exp(date, i, end))
                } else if x == "may" {
                    None // the modal verb
                } else if let Some(y) = year(w(i + 1)) {
                    NaiveDate::from_ymd_opt(y, m, 1).map(|date| exp(date, i, i + 2))
                } else if matches!(i.checked_sub(1).map(w), Some("in")) {
                    // "in March": the first day of the most recent such month
                    let mut y = doc.year();
                    if m > doc.month() && !future {
                        y -= 1;
                    }
                    NaiveDate::from_ymd_opt(y, m, 1).map(|date| exp(date, i, i + 1))
                } else {
                    None
                }
            }
            x if day_of_month(x).is_some() && month(w(i + 1)).is_some() => {
                // "16 May", "16 May 2024"
                let (d, m) = (day_of_month(x).unwrap_or(1), month(w(i + 1)).unwrap_or(1));
                match year(w(i + 2)) {
                    Some(y) => NaiveDate::from_ymd_opt(y, m, d).map(|date| exp(date, i, i + 3)),
                    None => month_day(doc, m, d, future).map(|date| exp(date, i, i + 2)),
                }
            }
            x if x.len() == 10 && x.as_bytes()[4] == b'-' => {
                NaiveDate::parse_from_str(x, "%Y-%m-%d")
                    .ok()
                    .map(|d| exp(d, i, i + 1))
            }
            x => match (small(x), w(i + 1), w(i + 2)) {
                (Some(n), "days" | "day", "ago") => Some(rel(doc - Duration::days(n), 3)),
                (Some(n), "weeks" | "week", "ago") => Some(rel(doc - Duration::days(7 * n), 3)),
                (Some(n), "months" | "month", "ago") => u32::try_from(n)
                    .ok()
                    .and_then(|n| doc.checked_sub_months(Months::new(n)))
                    .map(|d| rel(d, 3)),
                _ => None,
            },
        };
        match found {
            Some(m) => {
                i = m.end.max(i + 1);
                out.push(m);
            }
            None => i += 1,
        }
    }
    // "on Monday, May 13": keep the explicit date, drop the weekday that precedes it
    out.dedup_by(|b, a| {
        let merge = a.method == "relative"
            && b.method == "explicit"
            && b.start <= a.end + 1
            && a.end - a.start == 1;
        if merge {
            a.end = b.end;
            a.date = b.date;
            a.method = "explicit";
        }
        merge
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(s: &str, doc: &str) -> Vec<(String, String)> {
        let words: Vec<String> = s.split_whitespace().map(|w| w.to_lowercase()).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        find_dates(&words, parse_doc_date(doc).unwrap())
            .into_iter()
            .map(|m| (words[m.start..m.end].join(" "), m.date.to_string()))
            .collect()
    }

    #[test]
    fn relative_expressions() {
        // 2024-05-17 is a Friday
        let d = "2024-05-17";
        assert_eq!(
            resolve("attacked on Tuesday", d),
            [("tuesday".into(), "2024-05-14".into())]
        );
        assert_eq!(resolve("attacked on Friday", d)[0].1, "2024-05-17");
        assert_eq!(resolve("last Friday", d)[0].1, "2024-05-10");
        assert_eq!(resolve("will meet on Tuesday", d)[0].1, "2024-05-21");
        assert_eq!(resolve("yesterday", d)[0].1, "2024-05-16");
        assert_eq!(resolve("two days ago", d)[0].1, "2024-05-15");
        assert_eq!(resolve("3 weeks ago", d)[0].1, "2024-04-26");
        assert_eq!(resolve("last week", d)[0].1, "2024-05-06");
        assert_eq!(resolve("earlier this month", d)[0].1, "2024-05-01");
        assert_eq!(resolve("last month", d)[0].1, "2024-04-01");
        assert_eq!(resolve("overnight", d)[0].1, "2024-05-16");
        assert_eq!(resolve("Tuesday night", d)[0].0, "tuesday night");
    }

    #[test]
    fn explicit_dates() {
        let d = "2024-05-17";
        assert_eq!(resolve("on May 16", d)[0].1, "2024-05-16");
        assert_eq!(resolve("on 16 May", d)[0].1, "2024-05-16");
        assert_eq!(resolve("on Dec. 30", d)[0].1, "2023-12-30");
        assert_eq!(resolve("on May 16 , 2023", d)[0].1, "2023-05-16");
        assert_eq!(
            resolve("on Monday , May 13", d),
            [("monday , may 13".into(), "2024-05-13".into())]
        );
        assert_eq!(resolve("in March", d)[0].1, "2024-03-01");
        assert!(resolve("he may go", d).is_empty());
        assert!(resolve("on May 32", d).is_empty());
        assert!(resolve("9999999999 days ago", d).is_empty());
        assert_eq!(
            parse_doc_date("2024-05-17T10:00:00Z"),
            NaiveDate::from_ymd_opt(2024, 5, 17)
        );
        assert_eq!(parse_doc_date("yesterday"), None);
    }
}
