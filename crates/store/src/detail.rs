//! Lossless storage of a coded event: columns plus a small JSON "detail".
//!
//! Every field that has a column (codes, actors, place, provenance pattern ...)
//! is stored only there; `mentions.detail` keeps the rest (byte spans, count
//! qualifiers, the date expression, dictionary entries, coding rules) as JSON.
//! Keeping the whole event as JSON instead would double what DuckDB has to
//! compress on every append, and string compression is what bounds bulk
//! insert speed. [`rebuild`] puts an event back together, so exports and
//! `--explain` still reproduce `dyad code`'s output exactly (tested).

use crate::{Error, Result};
use dyad_doc::Event;
use serde_json::{Map, Value};

/// The JSON detail of `e`: its serialisation minus everything stored in columns.
pub(crate) fn strip(e: &Event) -> Result<String> {
    let mut v = serde_json::to_value(e)
        .map_err(|err| Error::Invalid(format!("event {}: {err}", e.event_id)))?;
    let Value::Object(o) = &mut v else {
        unreachable!("an Event serialises to an object")
    };
    for k in [
        "event_id",
        "doc_id",
        "sentence",
        "cameo",
        "root",
        "quad_class",
        "goldstein",
        "plover",
        "text",
        "modality",
    ] {
        o.remove(k);
    }
    for side in ["source", "target"] {
        strip_keys(o, side, &["code", "country", "text", "agent"]);
    }
    strip_keys(
        o,
        "location",
        &[
            "name",
            "admin1",
            "country",
            "lat",
            "lon",
            "feature",
            "method",
            "geonames_id",
        ],
    );
    if let Some(Value::Object(p)) = o.get_mut("provenance") {
        p.remove("pattern");
        p.remove("pattern_source");
        if let Some(Value::Object(t)) = p.get_mut("trigger") {
            t.remove("text");
        }
    }
    Ok(v.to_string())
}

/// Removes `keys` from the object at `field`, and the field itself if that empties it.
fn strip_keys(o: &mut Map<String, Value>, field: &str, keys: &[&str]) {
    if let Some(Value::Object(inner)) = o.get_mut(field) {
        for k in keys {
            inner.remove(*k);
        }
        if inner.is_empty() {
            o.remove(field);
        }
    } else if o.get(field) == Some(&Value::Null) {
        o.remove(field);
    }
}

/// Columns [`rebuild`] reads, over a `mentions` alias `m`, in order.
pub(crate) const MENTION_SELECT: &str = "m.event_id, m.doc_id, m.sentence, m.cameo, m.root, \
    m.quad_class, m.goldstein, m.plover_category, m.plover_mode, m.modality, \
    m.source_code, m.source_country, m.source_text, m.source_agent, \
    m.target_code, m.target_country, m.target_text, m.target_agent, \
    m.location_name, m.location_admin1, m.location_country, m.lat, m.lon, \
    m.location_feature, m.location_method, m.geonames_id, \
    m.pattern, m.pattern_source, m.trigger, m.detail";

/// The event stored in the row's [`MENTION_SELECT`] columns starting at `at`,
/// with its sentence `text`.
pub(crate) fn rebuild(r: &duckdb::Row<'_>, at: usize, text: String) -> Result<Event> {
    let s = |i: usize| -> duckdb::Result<Value> {
        Ok(r.get::<_, Option<String>>(at + i)?
            .map_or(Value::Null, Value::String))
    };
    let actor = |i: usize| -> duckdb::Result<Value> {
        let code = s(i)?;
        if code.is_null() {
            return Ok(Value::Null);
        }
        let mut a = Map::new();
        a.insert("code".into(), code);
        a.insert("country".into(), s(i + 1)?);
        a.insert("text".into(), s(i + 2)?);
        let agent = s(i + 3)?;
        if !agent.is_null() {
            a.insert("agent".into(), agent);
        }
        Ok(Value::Object(a))
    };
    let mut v = Map::new();
    v.insert("event_id".into(), s(0)?);
    v.insert("doc_id".into(), s(1)?);
    v.insert("sentence".into(), r.get::<_, i32>(at + 2)?.into());
    v.insert("cameo".into(), s(3)?);
    v.insert("root".into(), s(4)?);
    v.insert("quad_class".into(), r.get::<_, u8>(at + 5)?.into());
    v.insert("goldstein".into(), r.get::<_, f32>(at + 6)?.into());
    let category = s(7)?;
    v.insert(
        "plover".into(),
        serde_json::json!({
            "category": if category.is_null() { Value::String(String::new()) } else { category },
            "mode": s(8)?,
        }),
    );
    v.insert("modality".into(), s(9)?);
    v.insert("source".into(), actor(10)?);
    v.insert("target".into(), actor(14)?);
    let place = s(18)?;
    if !place.is_null() {
        let mut l = Map::new();
        l.insert("name".into(), place);
        l.insert("admin1".into(), s(19)?);
        l.insert("country".into(), s(20)?);
        l.insert("lat".into(), r.get::<_, Option<f64>>(at + 21)?.into());
        l.insert("lon".into(), r.get::<_, Option<f64>>(at + 22)?.into());
        l.insert("feature".into(), s(23)?);
        l.insert("method".into(), s(24)?);
        if let Some(id) = r.get::<_, Option<u64>>(at + 25)? {
            l.insert("geonames_id".into(), id.into());
        }
        v.insert("location".into(), Value::Object(l));
    }
    v.insert(
        "provenance".into(),
        serde_json::json!({
            "pattern": s(26)?,
            "pattern_source": s(27)?,
            "trigger": { "text": s(28)? },
        }),
    );
    v.insert("text".into(), Value::String(text));
    let detail: String = r.get(at + 29)?;
    let detail: Value = serde_json::from_str(&detail)
        .map_err(|e| Error::Invalid(format!("stored event detail is not JSON: {e}")))?;
    let mut v = Value::Object(v);
    merge(&mut v, detail);
    serde_json::from_value(v)
        .map_err(|e| Error::Invalid(format!("stored event is incomplete: {e}")))
}

/// Deep-merges `from` into `into` (objects recursively, anything else replaces).
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}
