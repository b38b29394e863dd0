//! One JSON Lines record → one [`Document`].
//!
//! Fields are read as untyped JSON values first, so a wrong type gets a message
//! naming the field and the type found (`"text" is a number, expected a string`)
//! instead of serde's generic error. Unknown fields are ignored: corpora carry
//! their own metadata and Dyad should not refuse them for it.

use crate::date;
use crate::diag::Reason;
use dyad_doc::Document;
use serde_json::{Map, Value};

/// A problem with one record: the reason and a message (file and line are added by
/// the reader). `skip` says whether the record is dropped.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub reason: Reason,
    pub message: String,
    pub skip: bool,
}

fn skip(reason: Reason, message: impl Into<String>) -> Problem {
    Problem {
        reason,
        message: message.into(),
        skip: true,
    }
}

fn warn(reason: Reason, message: impl Into<String>) -> Problem {
    Problem {
        reason,
        message: message.into(),
        skip: false,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An optional string field; `null` and `""` count as absent.
fn opt_string(obj: &mut Map<String, Value>, key: &str) -> Result<Option<String>, Problem> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(skip(
            Reason::WrongType,
            format!("\"{key}\" is {}, expected a string", type_name(&v)),
        )),
    }
}

/// Parses one non-blank line. `fallback_id` names the record when it has no id;
/// `default_date` applies when it has no date. Returns the document and any
/// warnings, or the problem that made it unusable.
pub fn parse_line(
    line: &str,
    fallback_id: &str,
    default_date: Option<&str>,
    max_text_bytes: usize,
) -> Result<(Document, Vec<Problem>), Problem> {
    let mut warnings = Vec::new();
    let value: Value = serde_json::from_str(line).map_err(|e| {
        // The reader names the line; serde's "line 1" would only confuse.
        let msg = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let what = msg.strip_suffix(&position).unwrap_or(&msg);
        skip(
            Reason::MalformedJson,
            format!("{what} at column {}", e.column()),
        )
    })?;
    let Value::Object(mut obj) = value else {
        return Err(skip(
            Reason::MalformedJson,
            format!("expected a JSON object, found {}", type_name(&value)),
        ));
    };
    let text = match obj.remove("text") {
        None | Some(Value::Null) => {
            return Err(skip(Reason::MissingText, "no \"text\" field"));
        }
        Some(Value::String(s)) => s,
        Some(v) => {
            return Err(skip(
                Reason::WrongType,
                format!("\"text\" is {}, expected a string", type_name(&v)),
            ));
        }
    };
    if text.trim().is_empty() {
        return Err(skip(Reason::EmptyText, "\"text\" is empty"));
    }
    if text.len() > max_text_bytes {
        return Err(skip(
            Reason::TooLarge,
            format!(
                "text is {} bytes, over the {max_text_bytes}-byte limit (--max-doc-bytes)",
                text.len()
            ),
        ));
    }
    if text.contains('\0') {
        return Err(skip(Reason::Binary, "text contains NUL characters"));
    }
    let id = match obj.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            warnings.push(warn(
                Reason::MissingId,
                format!("no \"id\": using \"{fallback_id}\""),
            ));
            fallback_id.to_string()
        }
        Some(v) => {
            return Err(skip(
                Reason::WrongType,
                format!("\"id\" is {}, expected a string or number", type_name(&v)),
            ));
        }
    };
    let date = match opt_string(&mut obj, "date")? {
        Some(d) => match date::normalize(&d) {
            Some(iso) => Some(iso),
            None => {
                warnings.push(warn(
                    Reason::UnknownDate,
                    format!("date {d:?} is not in a known format; kept as given"),
                ));
                Some(d)
            }
        },
        None => default_date.map(str::to_string),
    };
    let doc = Document {
        id,
        date,
        text,
        title: opt_string(&mut obj, "title")?,
        source: opt_string(&mut obj, "source")?,
        url: opt_string(&mut obj, "url")?,
    };
    Ok((doc, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<(Document, Vec<Problem>), Problem> {
        parse_line(line, "f:1", None, 1000)
    }

    #[test]
    fn reads_fields_and_normalises_dates() {
        let (d, w) = parse(r#"{"id":"a","date":"26-FEB-1987 15:03:27.51","text":"Hi.","title":"T","source":"s","url":"u","extra":[1]}"#).unwrap();
        assert!(w.is_empty());
        assert_eq!(d.id, "a");
        assert_eq!(d.date.as_deref(), Some("1987-02-26"));
        assert_eq!(
            (d.title.as_deref(), d.source.as_deref(), d.url.as_deref()),
            (Some("T"), Some("s"), Some("u"))
        );
        let (d, _) = parse(r#"{"id":42,"text":"x"}"#).unwrap();
        assert_eq!(d.id, "42");
        assert_eq!(d.date, None);
    }

    #[test]
    fn unknown_dates_are_kept_with_a_warning() {
        let (d, w) = parse(r#"{"id":"a","date":"last Tuesday","text":"x"}"#).unwrap();
        assert_eq!(d.date.as_deref(), Some("last Tuesday"));
        assert_eq!(w[0].reason, Reason::UnknownDate);
        let (d, _) =
            parse_line(r#"{"id":"a","text":"x"}"#, "f:1", Some("2024-01-02"), 100).unwrap();
        assert_eq!(d.date.as_deref(), Some("2024-01-02"));
    }

    #[test]
    fn missing_id_is_made_up() {
        let (d, w) = parse(r#"{"text":"x"}"#).unwrap();
        assert_eq!(d.id, "f:1");
        assert_eq!(w[0].reason, Reason::MissingId);
    }

    #[test]
    fn bad_records_say_why() {
        let reason = |l: &str| parse(l).unwrap_err().reason;
        assert_eq!(reason(r#"{"id":"a","text":"x""#), Reason::MalformedJson);
        assert_eq!(reason(r#"["a"]"#), Reason::MalformedJson);
        assert_eq!(reason(r#"{"id":"a"}"#), Reason::MissingText);
        assert_eq!(reason(r#"{"id":"a","text":"  "}"#), Reason::EmptyText);
        assert_eq!(reason(r#"{"id":"a","text":5}"#), Reason::WrongType);
        assert_eq!(reason(r#"{"id":{},"text":"x"}"#), Reason::WrongType);
        assert_eq!(
            reason(r#"{"id":"a","text":"x","date":7}"#),
            Reason::WrongType
        );
        assert_eq!(reason(r#"{"id":"a","text":"a\u0000b"}"#), Reason::Binary);
        let big = format!(r#"{{"id":"a","text":"{}"}}"#, "x".repeat(1001));
        assert_eq!(reason(&big), Reason::TooLarge);
        assert_eq!(
            parse(r#"{"id":"a","text":5}"#).unwrap_err().message,
            "\"text\" is a number, expected a string"
        );
    }
}
