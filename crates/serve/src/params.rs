//! Strict query-string parsing.
//!
//! Every endpoint declares the parameters it takes; anything else is a 400 that
//! names the offending key and lists the accepted ones. A typo such as `?soruce=RUS`
//! must not silently widen a query to every event, which is what a lenient parser
//! would do. Values are only ever parsed into typed values here and later bound as
//! SQL parameters by the store, never spliced into SQL.
//!
//! The parser is hand-rolled over `form_urlencoded` pairs rather than serde-derived:
//! serde's `flatten` (needed to share one filter struct between endpoints) loses the
//! type information `serde_urlencoded` relies on, and hand-written errors can say
//! exactly which parameter was wrong and why.

use crate::error::{ApiError, ApiResult};

/// The decoded `key=value` pairs of one request, checked against an allow-list.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// Longest value accepted for any parameter: filters are codes, dates and short
/// search phrases; anything longer is a mistake or an attack.
pub const MAX_VALUE_LEN: usize = 200;

impl Params {
    /// Parses `query` (the part after `?`), rejecting keys not in `allowed`, repeated
    /// keys and over-long values.
    pub fn parse(query: Option<&str>, allowed: &[&str]) -> ApiResult<Params> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if key.is_empty() && value.is_empty() {
                continue;
            }
            if !allowed.contains(&key.as_ref()) {
                let accepted = if allowed.is_empty() {
                    "none".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter `{}`; accepted: {accepted}",
                    clip(&key)
                )));
            }
            if pairs.iter().any(|(k, _)| *k == key) {
                return Err(ApiError::bad_request(format!(
                    "query parameter `{key}` given more than once"
                )));
            }
            if value.chars().count() > MAX_VALUE_LEN {
                return Err(ApiError::bad_request(format!(
                    "query parameter `{key}` is longer than {MAX_VALUE_LEN} characters"
                )));
            }
            pairs.push((key.into_owned(), value.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// The value of `key`, trimmed; an empty value counts as absent so that a form
    /// with a blank field means "no filter".
    pub fn str(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.str(key).map(str::to_string)
    }

    /// A calendar date `YYYY-MM-DD`, checked for a real day (no 2024-02-30).
    pub fn date(&self, key: &str) -> ApiResult<Option<String>> {
        match self.str(key) {
            None => Ok(None),
            Some(v) if is_date(v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::bad_request(format!(
                "query parameter `{key}` must be a date YYYY-MM-DD, got `{}`",
                clip(v)
            ))),
        }
    }

    /// An unsigned integer in `min..=max`, or `default` when absent.
    pub fn int_in(&self, key: &str, min: u64, max: u64, default: u64) -> ApiResult<u64> {
        let Some(v) = self.str(key) else {
            return Ok(default);
        };
        let n: u64 = v.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "query parameter `{key}` must be a whole number, got `{}`",
                clip(v)
            ))
        })?;
        if n < min || n > max {
            return Err(ApiError::bad_request(format!(
                "query parameter `{key}` must be between {min} and {max}, got {n}"
            )));
        }
        Ok(n)
    }

    /// One of a fixed set of words, or `default` when absent.
    pub fn choice<'a>(
        &self,
        key: &str,
        choices: &[&'a str],
        default: &'a str,
    ) -> ApiResult<&'a str> {
        let Some(v) = self.str(key) else {
            return Ok(default);
        };
        choices.iter().copied().find(|c| *c == v).ok_or_else(|| {
            ApiError::bad_request(format!(
                "query parameter `{key}` must be one of {}, got `{}`",
                choices.join(", "),
                clip(v)
            ))
        })
    }

    /// An actor or country code: letters and digits only (`RUSGOV`, `UKR`, `IGOUNO`),
    /// upper-cased.
    pub fn code(&self, key: &str) -> ApiResult<Option<String>> {
        match self.str(key) {
            None => Ok(None),
            Some(v) if v.len() <= 40 && v.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Ok(Some(v.to_ascii_uppercase()))
            }
            Some(v) => Err(ApiError::bad_request(format!(
                "query parameter `{key}` must be a code of letters and digits (e.g. RUSGOV), got `{}`",
                clip(v)
            ))),
        }
    }

    /// A CAMEO code or code prefix: 2 to 4 digits (`19`, `190`, `0311`).
    pub fn cameo(&self, key: &str) -> ApiResult<Option<String>> {
        match self.str(key) {
            None => Ok(None),
            Some(v) if (2..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Some(v.to_string()))
            }
            Some(v) => Err(ApiError::bad_request(format!(
                "query parameter `{key}` must be a CAMEO code of 2 to 4 digits (e.g. 19, 190, 0311), got `{}`",
                clip(v)
            ))),
        }
    }
}

/// `YYYY-MM-DD` naming a day that exists in the proleptic Gregorian calendar.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Echoes user input in an error message at a bounded length.
fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(is_date("2024-05-17"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(!is_date("2024-04-31"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-00-10"));
        assert!(!is_date("2024-5-17"));
        assert!(!is_date("2024/05/17"));
        assert!(!is_date("17-05-2024"));
        assert!(!is_date("2024-05-1x"));
        assert!(!is_date(""));
    }

    #[test]
    fn unknown_and_repeated_keys_are_rejected() {
        let e = Params::parse(Some("soruce=RUS"), &["source", "target"]).unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert!(e.message.contains("`soruce`"), "{}", e.message);
        assert!(e.message.contains("source, target"), "{}", e.message);
        let e = Params::parse(Some("source=RUS&source=UKR"), &["source"]).unwrap_err();
        assert!(e.message.contains("more than once"), "{}", e.message);
    }

    #[test]
    fn values_are_decoded_and_typed() {
        let p = Params::parse(
            Some("q=peace+talks&source=rusgov&limit=50&from=2024-05-01&code=%2019"),
            &["q", "source", "limit", "from", "code"],
        )
        .unwrap();
        assert_eq!(p.str("q"), Some("peace talks"));
        assert_eq!(p.code("source").unwrap().as_deref(), Some("RUSGOV"));
        assert_eq!(p.int_in("limit", 1, 100, 10).unwrap(), 50);
        assert_eq!(p.date("from").unwrap().as_deref(), Some("2024-05-01"));
        assert_eq!(p.cameo("code").unwrap().as_deref(), Some("19"));
        assert!(p.int_in("limit", 1, 20, 10).is_err());
    }

    #[test]
    fn sql_in_a_code_is_a_400_not_a_query() {
        let p = Params::parse(Some("source=RUS'%20OR%201=1--"), &["source"]).unwrap();
        let e = p.code("source").unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
    }

    #[test]
    fn blank_values_mean_absent() {
        let p = Params::parse(Some("source=&from="), &["source", "from"]).unwrap();
        assert_eq!(p.code("source").unwrap(), None);
        assert_eq!(p.date("from").unwrap(), None);
    }
}
