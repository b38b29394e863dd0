//! Timeline periods: labels and gap filling.
//!
//! The database returns only periods that have events; a chart of those alone would
//! squeeze a quiet month out of existence. The server fills the missing periods with
//! zeros between the first and last, so the x-axis is even time. Weeks are ISO
//! weeks (Monday start, `2024-W20`), as DuckDB's `date_trunc('week', …)` gives.

use crate::model::Bucket;
use chrono::{Datelike, Days, Months, NaiveDate};
use dyad_store::query::{Interval, TimelinePoint};

/// Most periods one timeline may have; daily buckets over decades are refused with
/// a hint to use weeks or months instead of sending megabytes of zeros.
pub const MAX_BUCKETS: usize = 20_000;

/// The label of the period starting at `start`.
pub fn label(start: NaiveDate, by: Interval) -> String {
    match by {
        Interval::Day => start.format("%Y-%m-%d").to_string(),
        Interval::Week => {
            let w = start.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Interval::Month => start.format("%Y-%m").to_string(),
        Interval::Year => start.format("%Y").to_string(),
    }
}

fn next(d: NaiveDate, by: Interval) -> Option<NaiveDate> {
    match by {
        Interval::Day => d.checked_add_days(Days::new(1)),
        Interval::Week => d.checked_add_days(Days::new(7)),
        Interval::Month => d.checked_add_months(Months::new(1)),
        Interval::Year => d.checked_add_months(Months::new(12)),
    }
}

/// Labels `raw` (sorted or not) and fills gaps with zero buckets. Buckets whose start
/// is not a date are dropped (logged). Errors if the span needs more than
/// [`MAX_BUCKETS`] periods.
pub fn fill(raw: Vec<TimelinePoint>, by: Interval) -> Result<Vec<Bucket>, String> {
    let mut dated: Vec<(NaiveDate, TimelinePoint)> = raw
        .into_iter()
        .filter_map(|b| match NaiveDate::parse_from_str(&b.period, "%Y-%m-%d") {
            Ok(d) => Some((d, b)),
            Err(_) => {
                eprintln!(
                    "dyad serve: timeline bucket with a bad start date {:?}",
                    b.period
                );
                None
            }
        })
        .collect();
    dated.sort_by_key(|(d, _)| *d);
    let (Some((first, _)), Some((last, _))) = (dated.first(), dated.last()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (*first, *last);
    let mut out = Vec::new();
    let mut it = dated.into_iter().peekable();
    let mut day = first;
    loop {
        if out.len() >= MAX_BUCKETS {
            return Err(format!(
                "the timeline would have more than {MAX_BUCKETS} periods; use a coarser `by` or a narrower date range"
            ));
        }
        let mut bucket = Bucket {
            period: label(day, by),
            start: day.format("%Y-%m-%d").to_string(),
            events: 0,
            mentions: 0,
            quad: [0; 4],
            goldstein_mean: None,
        };
        while let Some((_, b)) = it.next_if(|(d, _)| *d <= day) {
            // Merge (normally exactly one raw bucket per period).
            let total = bucket.events + b.events;
            if total > 0 {
                let before = bucket.goldstein_mean.unwrap_or(0.0) * bucket.events as f64;
                bucket.goldstein_mean =
                    Some((before + b.goldstein_mean * b.events as f64) / total as f64);
            }
            bucket.events = total;
            bucket.mentions += b.mentions;
            for (q, n) in bucket.quad.iter_mut().zip(b.quad) {
                *q += n;
            }
        }
        out.push(bucket);
        match next(day, by) {
            Some(n) if n <= last => day = n,
            _ => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: &str, n: u64) -> TimelinePoint {
        TimelinePoint {
            period: start.into(),
            events: n,
            mentions: n,
            quad: [n, 0, 0, 0],
            goldstein_mean: 1.0,
        }
    }

    #[test]
    fn months_are_filled_with_zeros() {
        let b = fill(
            vec![raw("2024-05-01", 3), raw("2024-01-01", 2)],
            Interval::Month,
        )
        .unwrap();
        let labels: Vec<_> = b.iter().map(|b| b.period.as_str()).collect();
        assert_eq!(
            labels,
            ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
        );
        let counts: Vec<_> = b.iter().map(|b| b.events).collect();
        assert_eq!(counts, [2, 0, 0, 0, 3]);
        assert_eq!(b[1].goldstein_mean, None);
        assert_eq!(b[0].goldstein_mean, Some(1.0));
    }

    #[test]
    fn years_are_labelled_by_year() {
        let b = fill(
            vec![raw("2023-01-01", 1), raw("2025-01-01", 1)],
            Interval::Year,
        )
        .unwrap();
        let labels: Vec<_> = b.iter().map(|b| b.period.as_str()).collect();
        assert_eq!(labels, ["2023", "2024", "2025"]);
    }

    #[test]
    fn iso_weeks_cross_the_year() {
        let b = fill(
            vec![raw("2024-12-23", 1), raw("2025-01-06", 1)],
            Interval::Week,
        )
        .unwrap();
        let labels: Vec<_> = b.iter().map(|b| b.period.as_str()).collect();
        assert_eq!(labels, ["2024-W52", "2025-W01", "2025-W02"]);
    }

    #[test]
    fn too_many_days_is_an_error() {
        let e = fill(
            vec![raw("1900-01-01", 1), raw("2024-01-01", 1)],
            Interval::Day,
        )
        .unwrap_err();
        assert!(e.contains("coarser"), "{e}");
    }

    #[test]
    fn empty_is_empty() {
        assert!(fill(vec![], Interval::Day).unwrap().is_empty());
    }
}
