//! Idempotent, resumable ingest and deduplication.
//!
//! **Idempotent.** Every document carries a content hash (metadata + text, or
//! the coded events when only events are given). Storing a document whose id
//! is already present with the same hash does nothing; with a different hash
//! the old rows (document, sentences, mentions) are deleted and the new ones
//! written. Callers can ask [`Store::known_documents`] first and skip coding
//! unchanged documents altogether, which is what makes a re-run fast.
//!
//! **Resumable.** [`Store::ingest`] writes one batch of documents in one
//! transaction: the `documents` row (the "done" marker), its sentences, its
//! mentions and the re-deduplicated events commit together or not at all.
//! After `kill -9` DuckDB's write-ahead log replays committed batches and drops
//! the torn one, so a re-run stores exactly the documents that are missing.
//!
//! **Deduplication.** Mentions (one per coded event per sentence) are grouped
//! into events by a *dedup key*: country-level source, country-level target,
//! CAMEO root and place (admin1 when known, else country). Within a key,
//! mentions sorted by date form one event while consecutive dates are at most
//! one day apart (so reports dated the day of, or the day after, an event join
//! it); a gap of two days or more starts a new event. Mentions without a date
//! stay events of their own. Each event takes the fields of its earliest
//! mention (ties broken by mention id), and its `global_id` is derived from that
//! mention's id (first 60 bits of its MD5), so ids are stable across re-runs
//! and independent of ingest order. Each batch re-clusters only the keys it
//! touched (new or deleted mentions), as one set-based SQL statement.

use crate::{Error, Result, Store, fnv1a};
use duckdb::ToSql;
use dyad_doc::event::ActorRef;
use dyad_doc::{Doc, Document, Event};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One document ready to store: metadata, sentences and its coded events.
#[derive(Clone, Debug, Default)]
pub struct Article {
    pub doc_id: String,
    /// Publication date `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    pub title: Option<String>,
    /// The outlet (`Document::source`): counts toward `num_sources`.
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// See [`document_hash`]; equal hashes mean "already stored, skip".
    pub content_hash: u64,
    pub sentences: Vec<Sentence>,
    pub events: Vec<Event>,
}

/// A sentence kept for provenance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    /// 1-based, as in `Event::sentence`.
    pub index: u32,
    /// Byte offsets in the document text, when the text is known.
    pub span: Option<(u32, u32)>,
    pub text: String,
}

/// The content hash of an input document: what decides "unchanged, skip" vs
/// "changed, replace" on re-ingest.
pub fn document_hash(d: &Document) -> u64 {
    content_hash(
        d.date.as_deref(),
        d.title.as_deref(),
        d.source.as_deref(),
        d.url.as_deref(),
        &d.text,
    )
}

/// [`document_hash`] from the parts (for pre-tokenized input, which arrives as a `Doc`).
pub fn content_hash(
    date: Option<&str>,
    title: Option<&str>,
    source: Option<&str>,
    url: Option<&str>,
    text: &str,
) -> u64 {
    // NUL marks "absent", so a missing title differs from an empty one.
    fn opt(o: Option<&str>) -> &[u8] {
        o.unwrap_or("\u{0}").as_bytes()
    }
    fnv1a(&[
        opt(date),
        opt(title),
        opt(source),
        opt(url),
        text.as_bytes(),
    ])
}

impl Article {
    /// A coded document: all its sentences are kept.
    pub fn from_coded(doc: &Doc, events: Vec<Event>, content_hash: u64) -> Article {
        let sentences = doc
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| Sentence {
                index: i as u32 + 1,
                span: Some((s.start, s.end)),
                text: doc.text[s.start as usize..s.end as usize].to_string(),
            })
            .collect();
        Article {
            doc_id: doc.id.clone(),
            date: doc.date.clone(),
            title: doc.title.clone(),
            outlet: doc.source.clone(),
            url: doc.url.clone(),
            content_hash,
            sentences,
            events,
        }
    }

    /// Already-coded events of one document (`dyad ingest --events`): the
    /// sentences are the events' `text`, the hash covers the events themselves.
    pub fn from_events(doc_id: String, events: Vec<Event>) -> Article {
        let mut sentences: Vec<Sentence> = Vec::new();
        let mut h = fnv1a(&[doc_id.as_bytes()]);
        for e in &events {
            let json = serde_json::to_vec(e).unwrap_or_default();
            h = fnv1a(&[&h.to_le_bytes(), &json]);
            if !sentences.iter().any(|s| s.index == e.sentence) {
                sentences.push(Sentence {
                    index: e.sentence,
                    span: None,
                    text: e.text.clone(),
                });
            }
        }
        sentences.sort_by_key(|s| s.index);
        Article {
            date: events.iter().find_map(|e| e.date.clone()),
            doc_id,
            content_hash: h,
            sentences,
            events,
            ..Article::default()
        }
    }
}

/// What one or more [`Store::ingest`] calls did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Documents stored for the first time.
    pub stored: u64,
    /// Documents whose content changed and were replaced.
    pub replaced: u64,
    /// Documents already stored with the same content (nothing written).
    pub unchanged: u64,
    /// Mentions (coded events) written.
    pub mentions: u64,
}

impl IngestReport {
    pub fn add(&mut self, o: IngestReport) {
        self.stored += o.stored;
        self.replaced += o.replaced;
        self.unchanged += o.unchanged;
        self.mentions += o.mentions;
    }
}

/// The dedup key of an event: `source|target|root|place` (see module docs).
pub fn dedup_key(e: &Event) -> String {
    fn actor(a: &Option<ActorRef>) -> &str {
        match a {
            Some(a) => match &a.country {
                Some(c) if !c.is_empty() => c,
                _ => a.code.get(..3).unwrap_or(&a.code),
            },
            None => "",
        }
    }
    let place = match &e.location {
        Some(l) => match (&l.country, &l.admin1) {
            (Some(c), Some(a)) => format!("{c}/{a}"),
            (Some(c), None) => c.clone(),
            (None, Some(a)) => format!("/{a}"),
            (None, None) => String::new(),
        },
        None => String::new(),
    };
    format!(
        "{}|{}|{}|{}",
        actor(&e.source),
        actor(&e.target),
        e.root,
        place
    )
}

/// The event's date: `date`, else the resolved `when.date`, if it parses.
fn event_date(e: &Event) -> Option<chrono::NaiveDate> {
    e.date
        .as_deref()
        .or(e.when.as_ref().map(|w| w.date.as_str()))
        .and_then(parse_date)
}

pub(crate) fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

const TEMP_TABLES: &str = "
CREATE TEMP TABLE IF NOT EXISTS batch_docs (doc_id VARCHAR, content_hash UBIGINT);
CREATE TEMP TABLE IF NOT EXISTS replace_docs (doc_id VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS touched (dedup_key VARCHAR);
DELETE FROM batch_docs; DELETE FROM replace_docs; DELETE FROM touched;";

/// `global_id` of the event whose earliest mention has id `rep`.
const GLOBAL_ID: &str = "('0x' || substr(md5(rep), 1, 15))::BIGINT";

/// Re-clusters the mentions whose dedup key satisfies `scope` into events.
fn recluster_sql(scope: &str) -> String {
    format!(
        "
DELETE FROM events WHERE {scope};
CREATE OR REPLACE TEMP TABLE clusters AS
WITH m AS (
    SELECT event_id, doc_id, coalesce(outlet, doc_id) AS src, date, dedup_key
    FROM mentions WHERE {scope}),
g AS (
    SELECT *, CASE WHEN date IS NULL OR lag(date) OVER w IS NULL OR date - lag(date) OVER w > 1
                   THEN 1 ELSE 0 END AS brk
    FROM m WINDOW w AS (PARTITION BY dedup_key ORDER BY date NULLS LAST, event_id)),
c AS (
    SELECT *, sum(brk) OVER (PARTITION BY dedup_key ORDER BY date NULLS LAST, event_id
                             ROWS UNBOUNDED PRECEDING) AS cl
    FROM g)
SELECT event_id, doc_id, src, date,
       first_value(event_id) OVER (PARTITION BY dedup_key, cl ORDER BY date NULLS LAST, event_id) AS rep
FROM c;
UPDATE mentions SET global_id = {GLOBAL_ID} FROM clusters c
    WHERE mentions.event_id = c.event_id AND mentions.global_id IS DISTINCT FROM {GLOBAL_ID};
INSERT INTO events
SELECT m.*, a.n, a.sources, a.articles, a.first_date, a.last_date
FROM (SELECT rep, count(*) AS n, count(DISTINCT src) AS sources, count(DISTINCT doc_id) AS articles,
             min(date) AS first_date, max(date) AS last_date
      FROM clusters GROUP BY rep) a
JOIN mentions m ON m.event_id = a.rep;
DROP TABLE clusters;"
    )
}

impl Store {
    /// Every stored document id with its content hash.
    pub fn known_documents(&self) -> Result<HashMap<String, u64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, content_hash FROM documents")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores a batch of documents in one transaction (see module docs). When a
    /// doc id occurs twice in the batch the later one wins.
    pub fn ingest(&mut self, articles: &[Article]) -> Result<IngestReport> {
        // The later occurrence of a repeated id wins.
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(articles.len());
        for (i, a) in articles.iter().enumerate() {
            last.insert(&a.doc_id, i);
        }
        let batch: Vec<&Article> = articles
            .iter()
            .enumerate()
            .filter(|(i, a)| last[a.doc_id.as_str()] == *i)
            .map(|(_, a)| a)
            .collect();

        self.conn.execute_batch("BEGIN TRANSACTION")?;
        match self.ingest_in_transaction(&batch) {
            Ok(report) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(report)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn ingest_in_transaction(&self, batch: &[&Article]) -> Result<IngestReport> {
        let c = &self.conn;
        c.execute_batch(TEMP_TABLES)?;
        {
            let mut app = c.appender("batch_docs")?;
            for a in batch {
                app.append_row([&a.doc_id as &dyn ToSql, &a.content_hash])?;
            }
            app.flush()?;
        }
        let existing: HashMap<String, u64> = {
            let mut stmt = c.prepare(
                "SELECT d.doc_id, d.content_hash FROM documents d JOIN batch_docs b USING (doc_id)",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };

        let mut report = IngestReport::default();
        let mut todo = Vec::with_capacity(batch.len());
        let mut replaced = Vec::new();
        for a in batch {
            match existing.get(&a.doc_id) {
                Some(&h) if h == a.content_hash => report.unchanged += 1,
                Some(_) => {
                    report.replaced += 1;
                    replaced.push(*a);
                    todo.push(*a);
                }
                None => {
                    report.stored += 1;
                    todo.push(*a);
                }
            }
        }
        if todo.is_empty() {
            return Ok(report);
        }

        if !replaced.is_empty() {
            let mut app = c.appender("replace_docs")?;
            for a in &replaced {
                app.append_row([&a.doc_id as &dyn ToSql])?;
            }
            app.flush()?;
            drop(app);
            c.execute_batch(
                "INSERT INTO touched SELECT DISTINCT dedup_key FROM mentions
                     WHERE doc_id IN (SELECT doc_id FROM replace_docs);
                 DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM replace_docs);
                 DELETE FROM sentences WHERE doc_id IN (SELECT doc_id FROM replace_docs);
                 DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM replace_docs);",
            )?;
        }

        let now = chrono::Utc::now().naive_utc();
        let mut keys: HashSet<String> = HashSet::new();
        {
            let mut docs = c.appender("documents")?;
            let mut sents = c.appender("sentences")?;
            let mut ments = c.appender("mentions")?;
            for a in &todo {
                let date = a.date.as_deref().and_then(parse_date);
                docs.append_row([
                    &a.doc_id as &dyn ToSql,
                    &a.content_hash,
                    &date,
                    &a.title,
                    &a.outlet,
                    &a.url,
                    &(a.sentences.len() as i32),
                    &(a.events.len() as i32),
                    &now,
                ])?;
                for s in &a.sentences {
                    sents.append_row([
                        &a.doc_id as &dyn ToSql,
                        &(s.index as i32),
                        &s.span.map(|x| x.0 as i32),
                        &s.span.map(|x| x.1 as i32),
                        &s.text,
                    ])?;
                }
                for e in &a.events {
                    let key = dedup_key(e);
                    append_mention(&mut ments, a, e, &key)?;
                    keys.insert(key);
                    report.mentions += 1;
                }
            }
            docs.flush()?;
            sents.flush()?;
            ments.flush()?;
        }
        {
            let mut app = c.appender("touched")?;
            for k in &keys {
                app.append_row([k as &dyn ToSql])?;
            }
            app.flush()?;
        }
        c.execute_batch(&recluster_sql(
            "dedup_key IN (SELECT DISTINCT dedup_key FROM touched)",
        ))?;
        Ok(report)
    }

    /// Re-derives every event from the mentions (after changing the dedup
    /// rule, or to check that incremental dedup matches a full rebuild).
    pub fn rebuild_events(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN TRANSACTION")?;
        match self.conn.execute_batch(&recluster_sql("true")) {
            Ok(()) => Ok(self.conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e.into())
            }
        }
    }

    /// Appends already-clustered rows in bulk, bypassing per-batch dedup: the
    /// path of the synthetic-event generator. Call [`Store::rebuild_events`] after.
    pub fn append_mentions_bulk(&mut self, articles: &[Article]) -> Result<u64> {
        let c = &self.conn;
        let mut n = 0;
        let now = chrono::Utc::now().naive_utc();
        let mut docs = c.appender("documents")?;
        let mut sents = c.appender("sentences")?;
        let mut ments = c.appender("mentions")?;
        for a in articles {
            let date = a.date.as_deref().and_then(parse_date);
            docs.append_row([
                &a.doc_id as &dyn ToSql,
                &a.content_hash,
                &date,
                &a.title,
                &a.outlet,
                &a.url,
                &(a.sentences.len() as i32),
                &(a.events.len() as i32),
                &now,
            ])?;
            for s in &a.sentences {
                sents.append_row([
                    &a.doc_id as &dyn ToSql,
                    &(s.index as i32),
                    &s.span.map(|x| x.0 as i32),
                    &s.span.map(|x| x.1 as i32),
                    &s.text,
                ])?;
            }
            for e in &a.events {
                append_mention(&mut ments, a, e, &dedup_key(e))?;
                n += 1;
            }
        }
        docs.flush()?;
        sents.flush()?;
        ments.flush()?;
        Ok(n)
    }
}

fn append_mention(app: &mut duckdb::Appender<'_>, a: &Article, e: &Event, key: &str) -> Result<()> {
    if e.doc_id != a.doc_id {
        return Err(Error::Invalid(format!(
            "event {} belongs to document {}, not {}",
            e.event_id, e.doc_id, a.doc_id
        )));
    }
    let src = e.source.as_ref();
    let tgt = e.target.as_ref();
    let loc = e.location.as_ref();
    let count = |c: &Option<dyad_doc::event::Count>| c.as_ref().map(|c| c.value);
    // The sentence text lives in `sentences`; the JSON keeps everything else,
    // so `dyad export --format jsonl` reproduces `dyad code`'s output.
    let json = serde_json::to_string(&Event {
        text: String::new(),
        ..e.clone()
    })
    .map_err(|err| Error::Invalid(format!("event {}: {err}", e.event_id)))?;
    let modality = match e.modality {
        dyad_doc::event::Modality::Factual => "factual",
        dyad_doc::event::Modality::Negated => "negated",
        dyad_doc::event::Modality::Hypothetical => "hypothetical",
    };
    let no_global: Option<i64> = None;
    let row: [&dyn ToSql; crate::schema::N_EVENT_COLUMNS] = [
        &e.event_id as &dyn ToSql,
        &e.doc_id,
        &(e.sentence as i32),
        &a.outlet,
        &a.url,
        &event_date(e),
        &src.map(|x| &x.code),
        &src.and_then(|x| x.country.as_ref()),
        &src.and_then(|x| x.agent.as_ref()),
        &src.map(|x| &x.text),
        &tgt.map(|x| &x.code),
        &tgt.and_then(|x| x.country.as_ref()),
        &tgt.and_then(|x| x.agent.as_ref()),
        &tgt.map(|x| &x.text),
        &e.cameo,
        &e.root,
        &e.quad_class,
        &e.goldstein,
        &Some(&e.plover.category).filter(|c| !c.is_empty()),
        &e.plover.mode,
        &modality,
        &loc.map(|l| &l.name),
        &loc.and_then(|l| l.admin1.as_ref()),
        &loc.and_then(|l| l.country.as_ref()),
        &loc.and_then(|l| l.lat),
        &loc.and_then(|l| l.lon),
        &loc.map(|l| &l.feature),
        &loc.map(|l| &l.method),
        &loc.and_then(|l| l.geonames_id),
        &e.when.as_ref().map(|w| &w.method),
        &e.when.as_ref().and_then(|w| w.expression.as_ref()),
        &count(&e.counts.killed),
        &count(&e.counts.wounded),
        &count(&e.counts.displaced),
        &count(&e.counts.arrested),
        &count(&e.counts.crowd),
        &e.provenance.trigger.text,
        &e.provenance.pattern,
        &e.provenance.pattern_source,
        &key,
        &no_global,
        &json,
    ];
    app.append_row(&row[..])?;
    Ok(())
}
