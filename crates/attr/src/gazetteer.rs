//! The gazetteer: countries, first-level regions and populated places, and the
//! automaton that finds their names in text.
//!
//! The data is `data/gazetteer/places.tsv.gz`, built by `tools/gazetteer/build.py`
//! from GeoNames-derived registry packages. It is a gzipped tab-separated text
//! file rather than a bespoke binary format so that researchers can read (and
//! patch) it with `zcat | grep`; parsing it is a few tens of milliseconds, which
//! the load benchmark checks.
//!
//! Every name of every place (primary, alternates, generated "X region" forms)
//! becomes one pattern of a single Aho-Corasick automaton, matched ASCII
//! case-insensitively so that ALL-CAPS wires and lower-cased corpora are still
//! searchable; whether a match is really a place (capitalisation, part of speech,
//! person names) is decided by the caller, which sees the context. A pattern maps
//! to every place that carries that name (`Paris` → Paris FR, Paris TX, ...), and
//! disambiguation happens later with document context.

use daachorse::DoubleArrayAhoCorasick;
use rustc_hash::FxHashMap;
use std::io::Read;

/// What kind of place an entry is; the order is the specificity order used when a
/// name denotes several kinds ("Kharkiv" the city before "Kharkiv" the oblast).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    Country,
    Admin1,
    City,
}

impl Feature {
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Admin1 => "admin1",
            Feature::City => "city",
        }
    }
}

/// One gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub feature: Feature,
    /// GeoNames id (0 when unknown).
    pub geonames_id: u64,
    pub name: String,
    /// ISO 3166 alpha-2 of the country.
    pub cc2: [u8; 2],
    /// Index of the country in [`Gazetteer::places`], or `u32::MAX` if unknown.
    pub country: u32,
    /// Index of the admin1 region holding a city, or `u32::MAX`.
    pub admin1: u32,
    /// GeoNames admin1 code of a region (`"07"` for Kharkiv Oblast); empty otherwise.
    pub admin1_code: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Curated conflict location below the population threshold.
    pub curated: bool,
}

/// Country-only facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CountryInfo {
    pub alpha3: String,
    pub capital: String,
    /// Demonyms / adjectives ("Ukrainian").
    pub adjectives: Vec<String>,
}

/// Why a name is risky as a bare place mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ambiguity {
    /// Also a common English word ("Split", "Nice", "Mobile").
    Word,
    /// Also a common given or family name ("Jordan", "Chad", "Georgia").
    Person,
}

/// One name of one place, as the automaton reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameRef {
    pub place: u32,
    /// The place's primary name (not an alternate or generated form).
    pub primary: bool,
    /// A generated or listed form that names the region type ("Kharkiv region").
    pub typed: bool,
}

/// A name found in text: byte range and the places it may denote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameMatch {
    pub start: usize,
    pub end: usize,
    /// Pattern id; see [`Gazetteer::candidates`].
    pub pattern: u32,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    countries: FxHashMap<u32, CountryInfo>,
    by_alpha3: FxHashMap<String, u32>,
    by_alpha2: FxHashMap<[u8; 2], u32>,
    automaton: DoubleArrayAhoCorasick<u32>,
    /// Pattern id → range into `refs`.
    pattern_refs: Vec<(u32, u32)>,
    refs: Vec<NameRef>,
    ambiguous: FxHashMap<String, Ambiguity>,
    /// Lower-cased adjective → country place index.
    adjectives: FxHashMap<String, u32>,
}

/// An error in the gazetteer file, naming the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gazetteer line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LoadError {}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("names", &self.pattern_refs.len())
            .finish()
    }
}

/// The embedded gazetteer file.
pub const BUILTIN_GZ: &[u8] = include_bytes!("../../../data/gazetteer/places.tsv.gz");
/// The same, decompressed by `build.rs`, with its name automaton and name →
/// places table.
const BUILTIN_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/places.tsv"));
const BUILTIN_AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.daac"));
const BUILTIN_REFS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.refs"));

type Prebuilt = (DoubleArrayAhoCorasick<u32>, Vec<(u32, u32)>, Vec<NameRef>);

fn unpack(r: crate::names::PackedRef) -> NameRef {
    NameRef {
        place: r >> 2,
        primary: r & 2 != 0,
        typed: r & 1 != 0,
    }
}

impl Gazetteer {
    /// Decompresses and parses a gzipped gazetteer file.
    pub fn from_gzip(bytes: &[u8]) -> Result<Gazetteer, LoadError> {
        let mut text = String::with_capacity(bytes.len() * 3);
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| LoadError {
                line: 0,
                message: format!("cannot decompress: {e}"),
            })?;
        Gazetteer::parse(&text)
    }

    /// Parses the tab-separated gazetteer text (format in the file's header).
    /// Malformed lines are errors naming the line: the file is generated, so a bad
    /// line means a broken build or a bad hand edit, and silently dropping places
    /// would hide that.
    pub fn parse(text: &str) -> Result<Gazetteer, LoadError> {
        Gazetteer::parse_with(text, None)
    }

    /// The embedded gazetteer, with the automaton and name table `build.rs`
    /// precomputed.
    pub fn builtin_data() -> Result<Gazetteer, LoadError> {
        let fail = |message: String| LoadError { line: 0, message };
        let (automaton, _) = DoubleArrayAhoCorasick::<u32>::deserialize(BUILTIN_AUTOMATON)
            .map_err(|e| fail(format!("bad serialised automaton: {e}")))?;
        let words: Vec<u32> = BUILTIN_REFS
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let n = *words
            .first()
            .ok_or_else(|| fail("empty name table".into()))? as usize;
        let ranges = words
            .get(1..1 + 2 * n)
            .ok_or_else(|| fail("short name table".into()))?;
        let pattern_refs = ranges.chunks_exact(2).map(|r| (r[0], r[1])).collect();
        let refs = words[1 + 2 * n..].iter().map(|&r| unpack(r)).collect();
        Gazetteer::parse_with(BUILTIN_TSV, Some((automaton, pattern_refs, refs)))
    }

    fn parse_with(text: &str, prebuilt: Option<Prebuilt>) -> Result<Gazetteer, LoadError> {
        let mut places = Vec::new();
        let mut countries = FxHashMap::default();
        let mut by_alpha3 = FxHashMap::default();
        let mut by_alpha2 = FxHashMap::default();
        let mut admin1 = FxHashMap::default();
        let mut ambiguous = FxHashMap::default();
        let mut adjectives = FxHashMap::default();

        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            let err = |message: String| LoadError {
                line: line_no,
                message,
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // fixed-size column array: no allocation per line
            let mut cols = [""; 12];
            let mut ncols = 0;
            for (k, c) in line.split('\t').enumerate() {
                if k < cols.len() {
                    cols[k] = c;
                }
                ncols = k + 1;
            }
            match cols[0] {
                "W" | "N" => {
                    let kind = if cols[0] == "W" {
                        Ambiguity::Word
                    } else {
                        Ambiguity::Person
                    };
                    for name in cols[1].split('|').filter(|s| !s.is_empty()) {
                        ambiguous.insert(name.to_ascii_lowercase(), kind);
                    }
                    continue;
                }
                "C" | "A" | "P" => {}
                other => return Err(err(format!("unknown record kind {other:?}"))),
            }
            if ncols != 11 {
                return Err(err(format!("expected 11 columns, found {ncols}")));
            }
            let feature = match cols[0] {
                "C" => Feature::Country,
                "A" => Feature::Admin1,
                _ => Feature::City,
            };
            let cc2: [u8; 2] = cols[2]
                .as_bytes()
                .try_into()
                .map_err(|_| err(format!("bad country code {:?}", cols[2])))?;
            let num = |i: usize| -> Result<f64, LoadError> {
                cols[i]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| err(format!("column {} is not a number: {:?}", i + 1, cols[i])))
            };
            let (lat, lon) = (num(5)?, num(6)?);
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(err(format!("coordinates out of range: {lat}, {lon}")));
            }
            let int = |i: usize| -> Result<u64, LoadError> {
                cols[i]
                    .parse::<u64>()
                    .map_err(|_| err(format!("column {} is not an integer: {:?}", i + 1, cols[i])))
            };
            let idx = places.len() as u32;
            let place = Place {
                feature,
                geonames_id: int(1)?,
                name: cols[4].to_string(),
                cc2,
                country: u32::MAX,
                admin1: u32::MAX,
                admin1_code: if feature == Feature::Country {
                    String::new()
                } else {
                    cols[3].to_string()
                },
                lat,
                lon,
                population: int(7)?,
                curated: feature == Feature::City && cols[8] == "curated",
            };
            match feature {
                Feature::Country => {
                    by_alpha3.insert(cols[3].to_string(), idx);
                    by_alpha2.insert(cc2, idx);
                    let adjs: Vec<String> = cols[10]
                        .split('|')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    for a in &adjs {
                        adjectives.insert(a.to_ascii_lowercase(), idx);
                    }
                    countries.insert(
                        idx,
                        CountryInfo {
                            alpha3: cols[3].to_string(),
                            capital: cols[8].to_string(),
                            adjectives: adjs,
                        },
                    );
                }
                Feature::Admin1 => {
                    admin1.insert((cc2, cols[3].to_string()), idx);
                }
                Feature::City => {}
            }
            places.push(place);
        }
        for p in &mut places {
            p.country = by_alpha2.get(&p.cc2).copied().unwrap_or(u32::MAX);
            if p.feature == Feature::City {
                p.admin1 = admin1
                    .get(&(p.cc2, std::mem::take(&mut p.admin1_code)))
                    .copied()
                    .unwrap_or(u32::MAX);
            }
        }
        let (automaton, pattern_refs, refs) = match prebuilt {
            Some(p) => p,
            None => {
                let (patterns, table) = crate::names::name_table(text);
                let automaton = DoubleArrayAhoCorasick::with_values(
                    patterns
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.as_str(), i as u32)),
                )
                .map_err(|e| LoadError {
                    line: 0,
                    message: format!("cannot build name automaton: {e}"),
                })?;
                let mut refs = Vec::new();
                let mut pattern_refs = Vec::with_capacity(table.len());
                for r in table {
                    let s = refs.len() as u32;
                    refs.extend(r.into_iter().map(unpack));
                    pattern_refs.push((s, refs.len() as u32));
                }
                (automaton, pattern_refs, refs)
            }
        };
        if refs
            .iter()
            .any(|r: &NameRef| r.place as usize >= places.len())
        {
            return Err(LoadError {
                line: 0,
                message: "name table refers to a missing place (stale build?)".into(),
            });
        }
        Ok(Gazetteer {
            places,
            countries,
            by_alpha3,
            by_alpha2,
            automaton,
            pattern_refs,
            refs,
            ambiguous,
            adjectives,
        })
    }

    /// Every name occurrence in `lowered`, which must be the text ASCII-lower-cased
    /// (same byte offsets; see [`ascii_lower_into`]). Matches overlap; the caller
    /// filters by token boundaries and context.
    pub fn find_names<'a>(&'a self, lowered: &'a str) -> impl Iterator<Item = NameMatch> + 'a {
        self.automaton
            .find_overlapping_iter(lowered)
            .map(|m| NameMatch {
                start: m.start(),
                end: m.end(),
                pattern: m.value(),
            })
    }

    /// The places a matched pattern may denote.
    pub fn candidates(&self, pattern: u32) -> &[NameRef] {
        let (s, e) = self.pattern_refs[pattern as usize];
        &self.refs[s as usize..e as usize]
    }

    pub fn place(&self, i: u32) -> &Place {
        &self.places[i as usize]
    }

    pub fn country_info(&self, country: u32) -> Option<&CountryInfo> {
        self.countries.get(&country)
    }

    /// The country place of an ISO alpha-3 code ("UKR").
    pub fn country_by_alpha3(&self, code: &str) -> Option<u32> {
        self.by_alpha3.get(code).copied()
    }

    pub fn country_by_alpha2(&self, code: &str) -> Option<u32> {
        code.as_bytes()
            .try_into()
            .ok()
            .and_then(|c: [u8; 2]| self.by_alpha2.get(&c).copied())
    }

    /// The admin1 region holding a place, if any.
    pub fn admin1_of(&self, p: &Place) -> Option<u32> {
        (p.admin1 != u32::MAX).then_some(p.admin1)
    }

    /// ISO alpha-3 of the place's country.
    pub fn alpha3(&self, p: &Place) -> Option<&str> {
        self.country_info(p.country).map(|c| c.alpha3.as_str())
    }

    /// The country an adjective or demonym refers to; `word` ASCII-lower-cased
    /// ("ukrainian" → Ukraine).
    pub fn country_of_adjective(&self, word: &str) -> Option<u32> {
        self.adjectives.get(word).copied()
    }

    /// Whether a bare name is risky (common word / person name); `name`
    /// ASCII-lower-cased.
    pub fn ambiguity(&self, name: &str) -> Option<Ambiguity> {
        self.ambiguous.get(name).copied()
    }

    pub fn pattern_count(&self) -> usize {
        self.pattern_refs.len()
    }
}

/// ASCII-lower-cases `text` into `buf` (reused across calls): byte offsets are
/// unchanged, so matches map straight back to the original text.
pub fn ascii_lower_into(text: &str, buf: &mut String) {
    buf.clear();
    buf.push_str(text);
    buf.make_ascii_lowercase();
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "# test\n\
C\t690791\tUA\tUKR\tUkraine\t49\t32\t40000000\tKyiv\tUkraine|Україна\tUkrainian\n\
A\t706482\tUA\t07\tKharkivska oblast\t49.8\t36.3\t0\tRegion\tKharkivska oblast|Kharkiv|Kharkiv region\t\n\
P\t706483\tUA\t07\tKharkiv\t49.98\t36.25\t1421125\t\tKharkiv|Kharkov|Харків\t\n\
W\tSplit\n";

    #[test]
    fn parses_and_finds_names() {
        let g = Gazetteer::parse(MINI).unwrap();
        assert_eq!(g.places.len(), 3);
        let text = "Shelling hit KHARKOV and the Kharkiv region; Харків said.";
        let mut lowered = String::new();
        ascii_lower_into(text, &mut lowered);
        let found: Vec<(&str, usize)> = g
            .find_names(&lowered)
            .map(|m| (&text[m.start..m.end], g.candidates(m.pattern).len()))
            .collect();
        assert!(found.contains(&("KHARKOV", 1)));
        assert!(found.contains(&("Kharkiv", 2)), "{found:?}");
        assert!(found.contains(&("Kharkiv region", 1)));
        assert!(found.contains(&("Харків", 1)));
        let city = g.place(2);
        assert_eq!(g.admin1_of(city), Some(1));
        assert_eq!(g.alpha3(city), Some("UKR"));
        assert_eq!(g.country_of_adjective("ukrainian"), Some(0));
        assert_eq!(g.ambiguity("split"), Some(Ambiguity::Word));
    }

    #[test]
    fn bad_lines_name_the_line() {
        let bad = "C\t1\tUA\tUKR\tUkraine\tnorth\t32\t0\tKyiv\tUkraine\t\n";
        let e = Gazetteer::parse(bad).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("not a number"), "{e}");
        let e = Gazetteer::parse("# h\nP\t1\tUA\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Gazetteer::parse("P\t1\tUA\t07\tX\t95\t0\t0\t\tX\t\n").unwrap_err();
        assert!(e.message.contains("out of range"));
        assert!(Gazetteer::from_gzip(b"not gzip").is_err());
    }

    #[test]
    fn builtin_is_complete() {
        let g = Gazetteer::builtin_data().unwrap();
        let slow = Gazetteer::from_gzip(BUILTIN_GZ).unwrap();
        assert_eq!(g.places, slow.places);
        let text = "clashes in kharkiv and paris";
        let a: Vec<_> = g.find_names(text).collect();
        assert_eq!(a, slow.find_names(text).collect::<Vec<_>>());
        assert!(a.len() >= 2);
        assert!(
            g.places
                .iter()
                .filter(|p| p.feature == Feature::Country)
                .count()
                >= 240
        );
        assert!(
            g.places
                .iter()
                .filter(|p| p.feature == Feature::Admin1)
                .count()
                >= 3000
        );
        assert!(
            g.places
                .iter()
                .filter(|p| p.feature == Feature::City)
                .count()
                >= 30000
        );
        let ukr = g.country_by_alpha3("UKR").unwrap();
        assert_eq!(g.country_info(ukr).unwrap().capital, "Kyiv");
        let d = distance_km((50.45, 30.52), (49.98, 36.25));
        assert!((400.0..420.0).contains(&d), "Kyiv-Kharkiv {d}");
    }
}
