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
///
/// Builds only the leftover fields instead of serialising the whole event and
/// deleting keys (bulk insert spent most of its Rust time there); the bytes are
/// the same as [`strip_full`]'s (keys sorted, tested).
pub(crate) fn strip(e: &Event) -> Result<String> {
    let err = |err: serde_json::Error| Error::Invalid(format!("event {}: {err}", e.event_id));
    let span = |s: Option<(u32, u32)>| -> Option<Value> {
        s.map(|(a, b)| Value::Array(vec![a.into(), b.into()]))
    };
    let mut o = Map::new();
    o.insert(
        "date".into(),
        e.date
            .as_ref()
            .map_or(Value::Null, |d| Value::String(d.clone())),
    );
    for (side, a) in [("source", &e.source), ("target", &e.target)] {
        if let Some(sp) = a.as_ref().and_then(|a| span(a.span)) {
            let mut m = Map::new();
            m.insert("span".into(), sp);
            o.insert(side.into(), Value::Object(m));
        }
    }
    if let Some(l) = &e.location {
        let mut m = Map::new();
        if let Some(t) = &l.text {
            m.insert("text".into(), Value::String(t.clone()));
        }
        if let Some(sp) = span(l.span) {
            m.insert("span".into(), sp);
        }
        if !m.is_empty() {
            o.insert("location".into(), Value::Object(m));
        }
    }
    if let Some(w) = &e.when {
        o.insert("when".into(), serde_json::to_value(w).map_err(err)?);
    }
    if !e.counts.is_empty() {
        o.insert(
            "counts".into(),
            serde_json::to_value(&e.counts).map_err(err)?,
        );
    }
    let p = &e.provenance;
    let mut pm = Map::new();
    let mut t = Map::new();
    t.insert("start".into(), p.trigger.start.into());
    t.insert("end".into(), p.trigger.end.into());
    pm.insert("trigger".into(), Value::Object(t));
    for (k, v) in [
        ("source_entry", &p.source_entry),
        ("target_entry", &p.target_entry),
    ] {
        if let Some(v) = v {
            pm.insert(k.into(), serde_json::to_value(v).map_err(err)?);
        }
    }
    if !p.rules.is_empty() {
        pm.insert("rules".into(), serde_json::to_value(&p.rules).map_err(err)?);
    }
    o.insert("provenance".into(), Value::Object(pm));
    if e.main_event {
        o.insert("main_event".into(), Value::Bool(true));
    }
    Ok(Value::Object(o).to_string())
}

/// [`strip`] the slow, obviously complete way: serialise everything, delete
/// what has a column.
#[cfg(test)]
pub(crate) fn strip_full(e: &Event) -> Result<String> {
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

#[cfg(test)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::event::{ActorRef, Count, Entry, Location, When};

    #[test]
    fn strip_matches_full_serialisation() {
        let mut events: Vec<Event> = crate::synth::articles(7, 300)
            .flat_map(|a| a.events)
            .collect();
        let mut e = events[0].clone();
        e.date = None;
        e.source = Some(ActorRef {
            code: "USAGOV".into(),
            country: Some("USA".into()),
            text: "Washington \"officials\"".into(),
            agent: Some("GOV".into()),
            span: Some((3, 9)),
        });
        e.target = None;
        e.location = Some(Location {
            name: "Kabul".into(),
            text: Some("in Kabul".into()),
            span: Some((10, 18)),
            geonames_id: Some(1138958),
            ..Location::default()
        });
        e.when = Some(When {
            date: "2015-02-03".into(),
            expression: Some("yesterday".into()),
            method: "relative".into(),
        });
        e.counts.killed = Some(Count {
            value: 12,
            qualifier: "at least".into(),
            text: "at least 12".into(),
            unit: Some("people".into()),
        });
        e.provenance.source_entry = Some(Entry {
            name: "US".into(),
            source: "dict/a.toml:1".into(),
            role: Some("GOV".into()),
        });
        e.provenance.target_entry = Some(Entry::default());
        e.provenance.rules = vec!["r1".into(), "r2 ü".into()];
        e.main_event = true;
        events.push(e.clone());
        e.location.as_mut().unwrap().text = None;
        e.location.as_mut().unwrap().span = None;
        e.target = e.source.clone();
        e.target.as_mut().unwrap().span = None;
        events.push(e);
        for e in &events {
            assert_eq!(strip(e).unwrap(), strip_full(e).unwrap(), "{}", e.event_id);
        }
    }
}
