//! Event attributes: where an event happened, when, and how many people it
//! touched (killed, wounded, displaced, arrested, crowd size).
//!
//! [`Attributes::annotate`] runs after the coder: it reads the annotated [`Doc`]
//! and fills [`Event::location`], [`Event::when`]/[`Event::date`] and
//! [`Event::counts`] of events coded from it. Work per document is one automaton
//! pass over the text for place names plus a token scan per event sentence for
//! dates and counts; nothing is allocated per gazetteer entry.
//!
//! Every decision keeps its evidence (`method`, `text`, `span`) in the event, so
//! [`Attributes::explain`] can tell a researcher how each attribute was found and
//! a wrong place can be traced to the words that caused it. Refused numbers
//! ("1e309 people were killed") are not coded; they leave a rule
//! `attr: ignored count …` in the event's provenance instead.
//!
//! Modules: [`gazetteer`] (embedded GeoNames-derived data and the name
//! automaton), [`location`] (finding, vetting and resolving place mentions; the
//! event's place), [`when`] (dates), [`counts`] and [`number`] (quantities).

pub mod counts;
pub mod gazetteer;
pub mod location;
mod names;
pub mod number;
pub mod when;

use dyad_doc::event::{Count, Location, When};
use dyad_doc::{Doc, Event};
use gazetteer::{Feature, Gazetteer, LoadError};
use location::{PlaceMention, Tokens};
use std::sync::OnceLock;

/// The attribute annotator: the gazetteer plus the rules in the modules.
#[derive(Debug)]
pub struct Attributes {
    gazetteer: Gazetteer,
}

impl Attributes {
    /// The embedded gazetteer, loaded once on first use.
    pub fn builtin() -> &'static Attributes {
        static BUILTIN: OnceLock<Attributes> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The embedded file is generated and tested; failing here means a broken build.
            let gazetteer = Gazetteer::builtin_data()
                .unwrap_or_else(|e| panic!("embedded gazetteer is corrupt: {e}"));
            Attributes { gazetteer }
        })
    }

    /// A gazetteer file in the embedded format (gzipped TSV), e.g. one rebuilt with
    /// `tools/gazetteer/build.py` and extended by hand.
    pub fn load(path: &std::path::Path) -> Result<Attributes, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError {
            line: 0,
            message: format!("{}: {e}", path.display()),
        })?;
        let gazetteer = if bytes.starts_with(&[0x1f, 0x8b]) {
            Gazetteer::from_gzip(&bytes)
        } else {
            Gazetteer::parse(&String::from_utf8_lossy(&bytes))
        }
        .map_err(|e| LoadError {
            line: e.line,
            message: format!("{}: {}", path.display(), e.message),
        })?;
        Ok(Attributes { gazetteer })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The vetted, resolved place mentions of a document (all sentences).
    pub fn places(&self, doc: &Doc) -> Vec<PlaceMention> {
        let tok = Tokens::new(doc);
        location::find_mentions(&self.gazetteer, &tok, &[])
    }

    /// Fills `location`, `when`, `date` and `counts` of events coded from `doc`.
    /// Fields already set (by an earlier stage or the user) are left alone.
    pub fn annotate(&self, doc: &Doc, events: &mut [Event]) {
        if events.is_empty() || doc.is_empty() {
            return;
        }
        let g = &self.gazetteer;
        let tok = Tokens::new(doc);
        let actor_countries: Vec<u32> = events
            .iter()
            .flat_map(|e| [&e.source, &e.target])
            .filter_map(|a| a.as_ref()?.country.as_deref())
            .filter_map(|c| g.country_by_alpha3(c))
            .collect();
        let mentions = location::find_mentions(g, &tok, &actor_countries);
        let doc_date = doc.date.as_deref().and_then(when::parse_doc_date);

        // counts and dates are per sentence; several events may share one
        let mut sentence_cache: Vec<(usize, SentenceFacts)> = Vec::new();
        for k in 0..events.len() {
            let Some(s) = (events[k].sentence as usize).checked_sub(1) else {
                continue;
            };
            if s >= doc.sentences.len() {
                continue;
            }
            let trigger = trigger_token(&tok, &events[k]);
            if !sentence_cache.iter().any(|(cs, _)| *cs == s) {
                sentence_cache.push((s, SentenceFacts::read(&tok, s, doc_date)));
            }
            let facts = &sentence_cache
                .iter()
                .find(|(cs, _)| *cs == s)
                .expect("just inserted")
                .1;

            // where
            if events[k].location.is_none() {
                let spans: Vec<(u32, u32)> = [&events[k].source, &events[k].target]
                    .into_iter()
                    .filter_map(|a| a.as_ref()?.span)
                    .collect();
                if let Some((m, method)) = location::locate(&tok, &mentions, s, trigger, &spans) {
                    events[k].location = Some(self.location_of(doc, m, method.as_str()));
                }
            }

            // when
            if events[k].when.is_none()
                && let Some(d) = doc_date
            {
                let nearest = facts.dates.iter().min_by_key(|m| match trigger {
                    Some(t) => token_distance(m.start, m.end, t),
                    None => m.start,
                });
                let w = match nearest {
                    Some(m) => When {
                        date: m.date.to_string(),
                        expression: Some(
                            doc.text[doc.start[m.start] as usize..doc.end[m.end - 1] as usize]
                                .to_string(),
                        ),
                        method: m.method.to_string(),
                    },
                    None => When {
                        date: d.to_string(),
                        expression: None,
                        method: "document".to_string(),
                    },
                };
                events[k].date = Some(w.date.clone());
                events[k].when = Some(w);
            }

            // how many: each count goes to the sentence's event nearest its anchor
            if events[k].counts.is_empty() {
                for c in &facts.counts {
                    if nearest_event(&tok, events, s, c.anchor) != Some(k) {
                        continue;
                    }
                    let slot = match c.kind {
                        counts::Kind::Killed => &mut events[k].counts.killed,
                        counts::Kind::Wounded => &mut events[k].counts.wounded,
                        counts::Kind::Displaced => &mut events[k].counts.displaced,
                        counts::Kind::Arrested => &mut events[k].counts.arrested,
                        counts::Kind::Crowd => &mut events[k].counts.crowd,
                    };
                    if slot.is_none() {
                        *slot = Some(Count {
                            value: c.value,
                            qualifier: c.qualifier.to_string(),
                            text: doc.text[c.start..c.end].to_string(),
                            unit: c.unit.clone(),
                        });
                    }
                }
                for r in &facts.rejected {
                    let rule = format!(
                        "attr: ignored count \"{}\" ({})",
                        &doc.text[r.start..r.end],
                        r.reason
                    );
                    if !events[k].provenance.rules.contains(&rule) {
                        events[k].provenance.rules.push(rule);
                    }
                }
            }
        }
    }

    fn location_of(&self, doc: &Doc, m: &PlaceMention, method: &str) -> Location {
        let g = &self.gazetteer;
        let p = g.place(m.place);
        let admin1 = match p.feature {
            Feature::Admin1 => Some(p.name.clone()),
            Feature::City => g.admin1_of(p).map(|a| g.place(a).name.clone()),
            Feature::Country => None,
        };
        Location {
            name: p.name.clone(),
            admin1,
            country: g.alpha3(p).map(str::to_string),
            lat: Some(p.lat),
            lon: Some(p.lon),
            feature: p.feature.as_str().to_string(),
            method: method.to_string(),
            text: Some(doc.text[m.start..m.end].to_string()),
            span: Some((m.start as u32, m.end as u32)),
            geonames_id: (p.geonames_id != 0).then_some(p.geonames_id),
        }
    }

    /// Human-readable lines saying how each attribute of an annotated event was
    /// found (printed by `dyad code --explain`).
    pub fn explain(&self, event: &Event) -> Vec<String> {
        let mut out = Vec::new();
        match &event.location {
            Some(l) => {
                let how = match l.method.as_str() {
                    "sentence" => "named in the event's sentence",
                    "dateline" => "the document's dateline (the sentence names no place)",
                    "document" => "named in an earlier sentence (the sentence names no place)",
                    other => other,
                };
                let coords = match (l.lat, l.lon) {
                    (Some(a), Some(o)) => format!(" at {a:.4}, {o:.4}"),
                    _ => String::new(),
                };
                let within = [l.admin1.as_deref(), l.country.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|x| *x != l.name)
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(format!(
                    "where: {} ({}{}){coords}: {how}, from \"{}\"{}{}",
                    l.name,
                    l.feature,
                    if within.is_empty() {
                        String::new()
                    } else {
                        format!(" in {within}")
                    },
                    l.text.as_deref().unwrap_or(""),
                    l.span
                        .map_or(String::new(), |(s, e)| format!(" [bytes {s}..{e}]")),
                    l.geonames_id
                        .map_or(String::new(), |id| format!(", GeoNames {id}")),
                ));
            }
            None => out.push(
                "where: no place found in the sentence, dateline or the sentences before".into(),
            ),
        }
        match &event.when {
            Some(w) => out.push(match (&w.expression, w.method.as_str()) {
                (Some(x), "relative") => {
                    format!(
                        "when: {} from \"{x}\", resolved against the document date",
                        w.date
                    )
                }
                (Some(x), _) => format!("when: {} written in the sentence as \"{x}\"", w.date),
                (None, _) => format!(
                    "when: {} is the document date (no date expression in the sentence)",
                    w.date
                ),
            }),
            None => out.push("when: unknown (the document has no date)".into()),
        }
        let c = &event.counts;
        for (name, count) in [
            ("killed", &c.killed),
            ("wounded", &c.wounded),
            ("displaced", &c.displaced),
            ("arrested", &c.arrested),
            ("crowd", &c.crowd),
        ] {
            if let Some(n) = count {
                out.push(format!(
                    "{name}: {} ({}) from \"{}\"",
                    n.value, n.qualifier, n.text
                ));
            }
        }
        for r in event
            .provenance
            .rules
            .iter()
            .filter(|r| r.starts_with("attr:"))
        {
            out.push(r.clone());
        }
        out
    }
}

/// Dates and counts of one sentence, computed once however many events it holds.
struct SentenceFacts {
    dates: Vec<when::DateMention>,
    counts: Vec<counts::CountMention>,
    rejected: Vec<counts::Rejected>,
}

impl SentenceFacts {
    fn read(tok: &Tokens, s: usize, doc_date: Option<chrono::NaiveDate>) -> SentenceFacts {
        let sp = tok.doc.sentences[s];
        let words: Vec<&str> = sp.tokens().map(|i| tok.w(i)).collect();
        let dates = match doc_date {
            Some(d) => when::find_dates(&words, d)
                .into_iter()
                .map(|mut m| {
                    m.start += sp.first_token as usize;
                    m.end += sp.first_token as usize;
                    m
                })
                .collect(),
            None => Vec::new(),
        };
        let (counts, rejected) = counts::find_counts(tok, s);
        SentenceFacts {
            dates,
            counts,
            rejected,
        }
    }
}

/// The token of the event's trigger, from its byte span.
fn trigger_token(tok: &Tokens, e: &Event) -> Option<usize> {
    let t = &e.provenance.trigger;
    if t.end <= t.start {
        return None;
    }
    let i = tok.token_at(t.start as usize);
    (i < tok.doc.len()).then_some(i)
}

fn token_distance(start: usize, end: usize, t: usize) -> usize {
    if t < start {
        start - t
    } else {
        t.saturating_sub(end.saturating_sub(1))
    }
}

/// Index of the event of sentence `s` whose trigger is nearest token `anchor`.
fn nearest_event(tok: &Tokens, events: &[Event], s: usize, anchor: usize) -> Option<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.sentence as usize == s + 1)
        .min_by_key(|(_, e)| trigger_token(tok, e).map_or(usize::MAX / 2, |t| t.abs_diff(anchor)))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::{Document, SentenceSpan};

    /// A doc tokenised at spaces, one sentence (the real segmenter is a
    /// dev-dependency of the integration tests, not of this crate).
    fn doc(text: &str, date: &str) -> Doc {
        let mut d = Doc::from_document(Document {
            id: "t".into(),
            date: Some(date.into()),
            text: text.into(),
            ..Default::default()
        });
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            let boundary = c == ' ' || c == ',' || c == '.';
            match (start, boundary) {
                (Some(s), true) => {
                    d.push_token(s, i, c == ' ');
                    start = None;
                }
                (None, false) => start = Some(i),
                _ => {}
            }
            if (c == ',' || c == '.') && i < text.len() {
                d.push_token(i, i + 1, true);
            }
        }
        d.sentences.push(SentenceSpan {
            first_token: 0,
            end_token: d.len() as u32,
            start: 0,
            end: text.len() as u32,
        });
        d
    }

    fn event_at(d: &Doc, trigger: &str) -> Event {
        let t = d.text.find(trigger).expect("trigger") as u32;
        Event {
            sentence: 1,
            provenance: dyad_doc::event::Provenance {
                trigger: dyad_doc::event::Span {
                    text: trigger.into(),
                    start: t,
                    end: t + trigger.len() as u32,
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn custom_gazetteer_file() {
        let dir = std::env::temp_dir().join(format!("dyad-attr-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("places.tsv");
        std::fs::write(
            &path,
            "C\t1\tZZ\tZZZ\tZedland\t10\t20\t1000000\tZed City\tZedland\tZedlander\n\
             P\t2\tZZ\t\tZed City\t10.5\t20.5\t50000\t\tZed City|Zedopolis\t\n",
        )
        .unwrap();
        let attrs = Attributes::load(&path).unwrap();
        let d = doc("Troops clashed in Zedopolis on Tuesday.", "2024-05-17");
        let mut events = [event_at(&d, "clashed")];
        attrs.annotate(&d, &mut events);
        let loc = events[0].location.as_ref().expect("located");
        assert_eq!(
            (loc.name.as_str(), loc.country.as_deref()),
            ("Zed City", Some("ZZZ"))
        );
        assert_eq!(loc.text.as_deref(), Some("Zedopolis"));
        assert_eq!(events[0].date.as_deref(), Some("2024-05-14"));
        let lines = attrs.explain(&events[0]);
        assert!(
            lines[0].starts_with("where: Zed City (city in ZZZ)"),
            "{lines:?}"
        );
        assert!(lines[1].contains("\"Tuesday\""), "{lines:?}");

        std::fs::write(&path, "P\t2\tZZ\n").unwrap();
        let err = Attributes::load(&path).unwrap_err();
        assert!(
            err.to_string().contains("places.tsv") && err.line == 1,
            "{err}"
        );
        assert!(Attributes::load(&dir.join("missing.tsv")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn fields_already_set_are_kept_and_bad_events_skipped() {
        let d = doc("Police arrested 12 protesters in Kyiv.", "2024-05-17");
        let mut set = event_at(&d, "arrested");
        set.location = Some(Location {
            name: "Somewhere".into(),
            ..Default::default()
        });
        let mut out_of_range = event_at(&d, "arrested");
        out_of_range.sentence = 9;
        let mut zero = event_at(&d, "arrested");
        zero.sentence = 0;
        let mut events = [set, out_of_range, zero];
        Attributes::builtin().annotate(&d, &mut events);
        assert_eq!(events[0].location.as_ref().unwrap().name, "Somewhere");
        assert_eq!(events[0].counts.arrested.as_ref().unwrap().value, 12);
        assert!(events[1].location.is_none() && events[1].counts.is_empty());
        assert!(events[2].location.is_none() && events[2].date.is_none());
    }

    #[test]
    fn tokens_without_sentences_do_not_panic() {
        let mut d = doc("Shelling in Kharkiv killed 3 people.", "2024-05-17");
        d.sentences.clear();
        let mut events = [event_at(&d, "killed")];
        Attributes::builtin().annotate(&d, &mut events);
        assert!(Attributes::builtin().places(&d).is_empty());
    }
}
