//! Synthetic events for benchmarks and crash tests (`gen-events`).
//!
//! Real coded corpora large enough to measure a 10-million-event database do not
//! exist in this repository, so we generate them: a deterministic stream (a
//! fixed-seed SplitMix64, no `rand` dependency) of documents with a few events
//! each, drawing actors, codes, places, outlets and dates from small tables with
//! skewed (roughly Zipfian) weights, so that dyads, months and places have the
//! long-tailed shape of real event data and dedup finds real clusters (about
//! one in three events has a same-key neighbour within a day).

use crate::Article;
use crate::write::Sentence;
use dyad_doc::Event;
use dyad_doc::event::{ActorRef, Location, Plover, Provenance, Span};

const COUNTRIES: [&str; 24] = [
    "RUS", "UKR", "USA", "CHN", "ISR", "PSE", "IRN", "SYR", "IND", "PAK", "GBR", "FRA", "DEU",
    "TUR", "NGA", "COL", "MEX", "AFG", "IRQ", "SDN", "ETH", "MMR", "VEN", "BRA",
];
const AGENTS: [&str; 8] = ["GOV", "MIL", "", "CVL", "REB", "COP", "OPP", "BUS"];
/// (code, quad class, Goldstein, PLOVER category)
const CODES: [(&str, u8, f32, &str); 16] = [
    ("190", 4, -10.0, "ASSAULT"),
    ("042", 1, 1.9, "CONSULT"),
    ("010", 1, 0.0, "DISAPPROVE"),
    ("111", 3, -2.0, "DISAPPROVE"),
    ("036", 1, 4.0, "CONSULT"),
    ("193", 4, -10.0, "ASSAULT"),
    ("173", 4, -5.0, "COERCE"),
    ("145", 3, -7.5, "PROTEST"),
    ("057", 1, 8.0, "AGREE"),
    ("070", 2, 7.0, "AID"),
    ("130", 3, -4.4, "THREATEN"),
    ("195", 4, -10.0, "ASSAULT"),
    ("061", 2, 6.4, "COOPERATE"),
    ("0311", 1, 5.2, "REQUEST"),
    ("181", 4, -9.0, "ASSAULT"),
    ("020", 1, 3.0, "REQUEST"),
];
/// (name, admin1, country, lat, lon)
const PLACES: [(&str, &str, &str, f64, f64); 12] = [
    ("Kharkiv", "Kharkivska", "UKR", 49.98, 36.25),
    ("Moscow", "Moscow", "RUS", 55.75, 37.62),
    ("Gaza", "Gaza Strip", "PSE", 31.50, 34.47),
    ("Kyiv", "Kyiv City", "UKR", 50.45, 30.52),
    ("Beijing", "Beijing", "CHN", 39.90, 116.40),
    ("Washington", "District of Columbia", "USA", 38.90, -77.04),
    ("Damascus", "Damascus", "SYR", 33.51, 36.29),
    ("Tehran", "Tehran", "IRN", 35.69, 51.39),
    ("Kabul", "Kabul", "AFG", 34.53, 69.17),
    ("Lagos", "Lagos", "NGA", 6.52, 3.38),
    ("Bogota", "Bogota D.C.", "COL", 4.71, -74.07),
    ("Khartoum", "Khartoum", "SDN", 15.50, 32.56),
];
const OUTLETS: [&str; 8] = [
    "Reuters",
    "AP",
    "AFP",
    "BBC",
    "Guardian",
    "Al Jazeera",
    "Xinhua",
    "TASS",
];
/// 2015-01-01 as days since 1970-01-01, and the span of generated dates.
const FIRST_DAY: i64 = 16_436;
const DAYS: u64 = 3_653;

/// SplitMix64: tiny, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Skewed index in `0..n`: small indices are much more likely.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Generates `n_docs` documents of 1 to 5 events each (3 on average), deterministically from `seed`.
pub fn articles(seed: u64, n_docs: u64) -> impl Iterator<Item = Article> {
    let mut rng = Rng(seed);
    (0..n_docs).map(move |i| article(&mut rng, i))
}

fn date_string(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn actor(rng: &mut Rng) -> ActorRef {
    let country = COUNTRIES[rng.zipf(COUNTRIES.len())];
    let agent = AGENTS[rng.zipf(AGENTS.len())];
    ActorRef {
        code: format!("{country}{agent}"),
        country: Some(country.to_string()),
        text: format!("{country} {agent}").trim().to_lowercase(),
        agent: (!agent.is_empty()).then(|| agent.to_string()),
        span: None,
    }
}

fn article(rng: &mut Rng, i: u64) -> Article {
    let doc_id = format!("synth-{i:09}");
    let day = FIRST_DAY + rng.below(DAYS) as i64;
    let date = date_string(day);
    let outlet = OUTLETS[rng.zipf(OUTLETS.len())];
    let n_events = 1 + rng.below(5) as u32;
    let mut sentences = Vec::with_capacity(n_events as usize);
    let mut events = Vec::with_capacity(n_events as usize);
    for s in 1..=n_events {
        let (cameo, quad, goldstein, plover) = CODES[rng.zipf(CODES.len())];
        let source = actor(rng);
        let target = actor(rng);
        let place = PLACES[rng.zipf(PLACES.len())];
        // Reports trail events by up to two days.
        let event_date = date_string(day - rng.below(3) as i64);
        let text = format!(
            "{} acted on {} near {} ({cameo}).",
            source.text, target.text, place.0
        );
        sentences.push(Sentence {
            index: s,
            span: None,
            text: text.clone(),
        });
        events.push(Event {
            event_id: format!("{doc_id}:{s}:1"),
            doc_id: doc_id.clone(),
            sentence: s,
            date: Some(event_date),
            source: Some(source),
            target: Some(target),
            cameo: cameo.to_string(),
            root: cameo[..2].to_string(),
            quad_class: quad,
            goldstein,
            plover: Plover {
                category: plover.to_string(),
                mode: None,
            },
            text,
            location: Some(Location {
                name: place.0.to_string(),
                admin1: Some(place.1.to_string()),
                country: Some(place.2.to_string()),
                lat: Some(place.3),
                lon: Some(place.4),
                feature: "city".to_string(),
                method: "sentence".to_string(),
                ..Location::default()
            }),
            provenance: Provenance {
                trigger: Span {
                    text: "acted".to_string(),
                    start: 0,
                    end: 5,
                },
                pattern: format!("synthetic {cameo}"),
                pattern_source: "synthetic".to_string(),
                ..Provenance::default()
            },
            ..Event::default()
        });
    }
    Article {
        content_hash: crate::fnv1a(&[doc_id.as_bytes(), date.as_bytes()]),
        doc_id,
        date: Some(date),
        title: None,
        outlet: Some(outlet.to_string()),
        url: None,
        sentences,
        events,
    }
}

/// User + system CPU seconds of this process and all its threads (DuckDB's
/// workers included), from `/proc/self/stat`; 0 where that is unavailable.
/// Benchmarks print it beside wall time: on a machine shared with other work,
/// wall time says more about the neighbours than about the code measured.
pub fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // utime and stime are the 14th and 15th fields of the line, in clock
    // ticks (100 per second on Linux); count after the `(command)` field,
    // which may contain spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_well_formed() {
        let a: Vec<Article> = articles(7, 200).collect();
        let b: Vec<Article> = articles(7, 200).collect();
        assert_eq!(a.len(), 200);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.events, y.events);
        }
        let n: usize = a.iter().map(|x| x.events.len()).sum();
        assert!(
            (400..=800).contains(&n),
            "about 3 events per document, got {n}"
        );
        for e in a.iter().flat_map(|x| &x.events) {
            assert!(e.date.as_deref().is_some_and(|d| d.starts_with("20")));
            assert_eq!(e.root, e.cameo[..2]);
        }
    }
}
