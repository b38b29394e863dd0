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
//! touched (new or deleted mentions), as one set-based SQL statement, and
//! rewrites only the derived `events` and `event_mentions` rows of those keys.

use crate::columns::Columns;
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
    // Fast path for the usual `YYYY-MM-DD` (chrono's format parser showed up
    // in bulk-insert profiles); anything else goes through chrono as before.
    let b = s.as_bytes();
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let n =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
        return chrono::NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10));
    }
    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

const TEMP_TABLES: &str = "
CREATE TEMP TABLE IF NOT EXISTS batch_docs (doc_id VARCHAR, content_hash UBIGINT);
CREATE TEMP TABLE IF NOT EXISTS replace_docs (doc_id VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS touched (dedup_key VARCHAR);
DELETE FROM batch_docs; DELETE FROM replace_docs; DELETE FROM touched;";

/// `global_id` of the event whose earliest mention has id `rep`.
const GLOBAL_ID: &str = "('0x' || substr(md5(rep), 1, 15))::BIGINT";

/// Re-clusters the mentions whose dedup key satisfies `scope` into events,
/// rewriting their `event_mentions` links and `events` rows.
fn recluster_sql(scope: &str) -> String {
    format!(
        "
DELETE FROM event_mentions WHERE global_id IN (SELECT global_id FROM events WHERE {scope});
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
    FROM g),
r AS (
    SELECT event_id, doc_id, src, date,
           first_value(event_id) OVER (PARTITION BY dedup_key, cl ORDER BY date NULLS LAST, event_id) AS rep
    FROM c)
SELECT *, {GLOBAL_ID} AS gid FROM r;
INSERT INTO event_mentions SELECT gid, event_id, doc_id FROM clusters;
INSERT INTO events
SELECT a.gid, m.* EXCLUDE (detail), a.n, a.sources, a.articles, a.first_date, a.last_date
FROM (SELECT rep, any_value(gid) AS gid, count(*) AS n, count(DISTINCT src) AS sources,
             count(DISTINCT doc_id) AS articles, min(date) AS first_date, max(date) AS last_date
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
                 DELETE FROM event_mentions WHERE doc_id IN (SELECT doc_id FROM replace_docs);
                 DELETE FROM sentences WHERE doc_id IN (SELECT doc_id FROM replace_docs);
                 DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM replace_docs);",
            )?;
        }

        let mut keys: HashSet<String> = HashSet::new();
        report.mentions = self.append_articles(&todo, Some(&mut keys))?;
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

    /// Appends already-clustered rows in bulk, bypassing per-batch dedup, in
    /// the caller's transaction. Call [`Store::rebuild_events`] after.
    pub fn append_mentions_bulk(&mut self, articles: &[Article]) -> Result<u64> {
        let refs: Vec<&Article> = articles.iter().collect();
        self.append_articles(&refs, None)
    }

    /// Appends the documents, sentences and mentions of `articles` (columnar,
    /// through Arrow); collects the mentions' dedup keys into `keys` if given.
    fn append_articles(
        &self,
        articles: &[&Article],
        keys: Option<&mut HashSet<String>>,
    ) -> Result<u64> {
        let built = build_batches(articles, keys)?;
        for (table, batch) in [
            ("documents", built.documents),
            ("sentences", built.sentences),
            ("mentions", built.mention_rows),
        ] {
            if batch.num_rows() > 0 {
                let mut app = self.conn.appender(table)?;
                app.append_record_batch(batch)?;
                app.flush()?;
            }
        }
        Ok(built.mentions)
    }
}

/// The documents, sentences and mentions of `articles` as Arrow record
/// batches in table column order; collects the mentions' dedup keys into
/// `keys` if given.
pub(crate) fn build_batches(
    articles: &[&Article],
    mut keys: Option<&mut HashSet<String>>,
) -> Result<crate::bulk::Built> {
    let now = chrono::Utc::now().naive_utc();
    let n_sents = articles.iter().map(|a| a.sentences.len()).sum();
    let n_ments = articles.iter().map(|a| a.events.len()).sum();
    let mut docs = Columns::with_capacity(&DOCUMENT_LAYOUT, articles.len());
    let mut sents = Columns::with_capacity(&SENTENCE_LAYOUT, n_sents);
    let mut ments = Columns::with_capacity(&MENTION_LAYOUT, n_ments);
    let mut n = 0u64;
    for a in articles {
        docs.row()
            .text(Some(&a.doc_id))
            .ubig(Some(a.content_hash))
            .date(a.date.as_deref().and_then(parse_date))
            .text(a.title.as_deref())
            .text(a.outlet.as_deref())
            .text(a.url.as_deref())
            .int(Some(a.sentences.len() as i32))
            .int(Some(a.events.len() as i32))
            .timestamp(now);
        for s in &a.sentences {
            sents
                .row()
                .text(Some(&a.doc_id))
                .int(Some(s.index as i32))
                .int(s.span.map(|x| x.0 as i32))
                .int(s.span.map(|x| x.1 as i32))
                .text(Some(&s.text));
        }
        for e in &a.events {
            let key = dedup_key(e);
            append_mention(&mut ments, a, e, &key)?;
            if let Some(keys) = keys.as_deref_mut() {
                keys.insert(key);
            }
            n += 1;
        }
    }
    Ok(crate::bulk::Built {
        documents: docs.finish(),
        sentences: sents.finish(),
        mention_rows: ments.finish(),
        mentions: n,
    })
}

use crate::columns::Kind::{self, Date, Double, Float, Int, Text, Timestamp, UBig, UTiny};

const DOCUMENT_LAYOUT: [(&str, Kind); 9] = [
    ("doc_id", Text),
    ("content_hash", UBig),
    ("date", Date),
    ("title", Text),
    ("outlet", Text),
    ("url", Text),
    ("n_sentences", Int),
    ("n_events", Int),
    ("ingested_at", Timestamp),
];

const SENTENCE_LAYOUT: [(&str, Kind); 5] = [
    ("doc_id", Text),
    ("sentence", Int),
    ("start_byte", Int),
    ("end_byte", Int),
    ("text", Text),
];

/// `mentions` in table order (see `schema::EVENT_COLUMNS`).
const MENTION_LAYOUT: [(&str, Kind); crate::schema::N_MENTION_COLUMNS] = [
    ("event_id", Text),
    ("doc_id", Text),
    ("sentence", Int),
    ("outlet", Text),
    ("url", Text),
    ("date", Date),
    ("source_code", Text),
    ("source_country", Text),
    ("source_agent", Text),
    ("source_text", Text),
    ("target_code", Text),
    ("target_country", Text),
    ("target_agent", Text),
    ("target_text", Text),
    ("cameo", Text),
    ("root", Text),
    ("quad_class", UTiny),
    ("goldstein", Float),
    ("plover_category", Text),
    ("plover_mode", Text),
    ("modality", Text),
    ("location_name", Text),
    ("location_admin1", Text),
    ("location_country", Text),
    ("lat", Double),
    ("lon", Double),
    ("location_feature", Text),
    ("location_method", Text),
    ("geonames_id", UBig),
    ("date_method", Text),
    ("date_expression", Text),
    ("killed", UBig),
    ("wounded", UBig),
    ("displaced", UBig),
    ("arrested", UBig),
    ("crowd", UBig),
    ("trigger", Text),
    ("pattern", Text),
    ("pattern_source", Text),
    ("dedup_key", Text),
    ("detail", Text),
];

fn append_mention(cols: &mut Columns, a: &Article, e: &Event, key: &str) -> Result<()> {
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
    let detail = crate::detail::strip(e)?;
    let modality = match e.modality {
        dyad_doc::event::Modality::Factual => "factual",
        dyad_doc::event::Modality::Negated => "negated",
        dyad_doc::event::Modality::Hypothetical => "hypothetical",
    };
    cols.row()
        .text(Some(&e.event_id))
        .text(Some(&e.doc_id))
        .int(Some(e.sentence as i32))
        .text(a.outlet.as_deref())
        .text(a.url.as_deref())
        .date(event_date(e))
        .text(src.map(|x| x.code.as_str()))
        .text(src.and_then(|x| x.country.as_deref()))
        .text(src.and_then(|x| x.agent.as_deref()))
        .text(src.map(|x| x.text.as_str()))
        .text(tgt.map(|x| x.code.as_str()))
        .text(tgt.and_then(|x| x.country.as_deref()))
        .text(tgt.and_then(|x| x.agent.as_deref()))
        .text(tgt.map(|x| x.text.as_str()))
        .text(Some(&e.cameo))
        .text(Some(&e.root))
        .utiny(Some(e.quad_class))
        .float(Some(e.goldstein))
        .text(Some(e.plover.category.as_str()).filter(|c| !c.is_empty()))
        .text(e.plover.mode.as_deref())
        .text(Some(modality))
        .text(loc.map(|l| l.name.as_str()))
        .text(loc.and_then(|l| l.admin1.as_deref()))
        .text(loc.and_then(|l| l.country.as_deref()))
        .double(loc.and_then(|l| l.lat))
        .double(loc.and_then(|l| l.lon))
        .text(loc.map(|l| l.feature.as_str()))
        .text(loc.map(|l| l.method.as_str()))
        .ubig(loc.and_then(|l| l.geonames_id))
        .text(e.when.as_ref().map(|w| w.method.as_str()))
        .text(e.when.as_ref().and_then(|w| w.expression.as_deref()))
        .ubig(count(&e.counts.killed))
        .ubig(count(&e.counts.wounded))
        .ubig(count(&e.counts.displaced))
        .ubig(count(&e.counts.arrested))
        .ubig(count(&e.counts.crowd))
        .text(Some(&e.provenance.trigger.text))
        .text(Some(&e.provenance.pattern))
        .text(Some(&e.provenance.pattern_source))
        .text(Some(key))
        .text(Some(&detail));
    Ok(())
}
