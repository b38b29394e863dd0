//! Converting PETRARCH2's dictionaries into Dyad's format (the `build-actor-dict` tool).
//!
//! The converted files are committed and embedded; this module is how they are
//! rebuilt from `../shared/data/dictionaries/petrarch2/`. It reads the PETRARCH
//! files with the same parser as [`crate::ActorDict::load_petrarch`], then writes:
//!
//! * `countries.actors`: one entry per country code, its names from PLOVER's
//!   country table (ISO alpha-3, name, adjectives and demonyms) first, then the
//!   country-level synonyms PETRARCH lists that name the country itself
//!   (spelling variants, other languages); the rest of PETRARCH's synonyms
//!   (cities, regions, mountains, rivers) go to a `@kind place` entry of the
//!   same code, told apart with the gazetteer ([`Gazetteer`]): a place is where
//!   something happens, never an actor on its own;
//! * `phoenix.actors`: people and institutions (with PETRARCH's dated roles),
//!   international organisations, non-state armed groups, ethnic and religious groups;
//! * `agents.actors` and `discards.actors` (without PETRARCH's bare-year discards,
//!   1914 to 2013, which would drop any current sentence that mentions a past year).
//!
//! PETRARCH2's people are as of ~2016. The hand-written `curated.actors` is loaded
//! first and wins name by name; on top of that, a converted person who shares any
//! name with a curated person is dropped whole, so that a longer stale alias
//! ("Vice President Joe Biden" with an open-ended 2009 role) cannot outlive the
//! curated entry.

use crate::dict::{ActorEntry, DictBuilder, Kind, Role};
use crate::matcher::Target;
use crate::normalize::normalize_name;
use crate::petrarch::{self, Dialect};
use crate::{DictError, format};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Names the gazetteer knows (`data/gazetteer/places.tsv.gz`, normalised):
/// countries (names, other names, adjectives) and places below them
/// (administrative regions, populated places). It decides which of
/// PETRARCH's country synonyms are places.
#[derive(Debug, Default)]
pub struct Gazetteer {
    countries: FxHashSet<String>,
    places: FxHashSet<String>,
}

impl Gazetteer {
    /// Reads the gazetteer's TSV text: `C` rows (names in columns 5, 10, 11),
    /// `A` and `P` rows (columns 5 and 10); other rows are ignored.
    pub fn from_tsv(text: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let (set, fields): (&mut FxHashSet<String>, &[usize]) = match cols[0] {
                "C" => (&mut g.countries, &[4, 9, 10]),
                "A" | "P" => (&mut g.places, &[4, 9]),
                _ => continue,
            };
            for &f in fields {
                for n in cols.get(f).unwrap_or(&"").split('|') {
                    let k = normalize_name(n);
                    if !k.is_empty() {
                        set.insert(k);
                    }
                }
            }
        }
        g
    }

    /// Whether PETRARCH's synonym `name` of a country whose own names
    /// (PLOVER's table) are `own` is a place in it rather than the country: a
    /// gazetteer country name is the country, a gazetteer place is a place;
    /// a name the gazetteer does not know is the country when it spells one of
    /// the country's names differently (same first three letters, or
    /// containing one: "Afganistan", "Soviet Occupied Afghanistan"), else a
    /// place ("Aconcagua", "Pampas").
    pub fn is_place(&self, name: &str, own: &[String]) -> bool {
        let k = normalize_name(name);
        if self.countries.contains(&k) {
            return false;
        }
        if self.places.contains(&k) {
            return true;
        }
        let head = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphabetic())
                .take(3)
                .collect::<String>()
        };
        let kh = head(&k);
        !own.iter().any(|o| {
            let o = normalize_name(o);
            (kh.chars().count() == 3 && head(&o) == kh) || (!o.is_empty() && k.contains(&o))
        })
    }
}

/// What a conversion wrote.
#[derive(Debug, Default)]
pub struct Report {
    pub countries: usize,
    /// Country synonyms written as places.
    pub places: usize,
    pub actors: usize,
    pub agents: usize,
    pub discards: usize,
    /// Converted people dropped because the curated file has them.
    pub superseded: usize,
    /// Problems in the PETRARCH files (lines skipped), as `file:line: message`.
    pub warnings: Vec<String>,
}

fn read(path: &Path) -> Result<String, DictError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| DictError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// A name in display form: PETRARCH writes everything in capitals; words are
/// capitalised, except short acronyms (kept in capitals, which makes them
/// case-sensitive) and particles.
fn display_name(raw: &str) -> String {
    const PARTICLES: &[&str] = &[
        "of", "the", "and", "for", "al", "el", "de", "la", "le", "bin", "ibn", "von", "van", "da",
        "dos", "du", "des", "del", "y", "on", "in", "at", "to", "a",
    ];
    let words: Vec<&str> = raw.split_whitespace().collect();
    let single = words.len() == 1;
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            if w.contains('.') || (single && letters <= 3 && !PARTICLES.contains(&lower.as_str())) {
                w.to_string()
            } else if i > 0 && PARTICLES.contains(&lower.as_str()) {
                lower
            } else {
                let mut out = String::with_capacity(w.len());
                let mut up = true;
                for c in lower.chars() {
                    if up && c.is_alphabetic() {
                        out.extend(c.to_uppercase());
                        up = false;
                    } else {
                        out.push(c);
                    }
                    if matches!(c, '-' | '\'' | '(' | '/') {
                        up = true;
                    }
                }
                out
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name can be written in Dyad's format if it has none of its syntax characters.
fn writable(name: &str) -> bool {
    !name.contains(['|', '#', '=', '\n']) && !name.trim().is_empty() && !name.trim().ends_with('*')
}

/// An actor with its names as written (and whether each is a stem).
type Named = (Vec<(String, bool)>, ActorEntry);

/// Names of each actor of a builder, as written, in order.
fn names_by_actor(b: &DictBuilder) -> Vec<Vec<(String, bool)>> {
    let mut out = vec![Vec::new(); b.actors.len()];
    for ((_, flags, t), spelling) in b.names.iter().zip(&b.spellings) {
        if let Target::Actor(id) = t {
            out[*id as usize].push((spelling.clone(), flags.stem));
        }
    }
    out
}

fn write_entry(out: &mut String, names: &[(String, bool)], roles: &[Role]) {
    let list: Vec<String> = names
        .iter()
        .map(|(n, stem)| {
            if *stem {
                format!("{}*", display_name(n))
            } else {
                display_name(n)
            }
        })
        .collect();
    // Long alias lists wrap onto `| ...` continuation lines, five names a line.
    let mut chunks = list.chunks(5);
    out.push_str(&chunks.next().unwrap_or_default().join(" | "));
    if let [r] = roles
        && !r.is_dated()
    {
        let _ = write!(out, " = {}", r.code);
        for c in chunks {
            let _ = write!(out, "\n    | {}", c.join(" | "));
        }
        out.push('\n');
        return;
    }
    for c in chunks {
        let _ = write!(out, "\n    | {}", c.join(" | "));
    }
    out.push('\n');
    for r in roles {
        let _ = writeln!(out, "    {}", r.describe());
    }
}

/// Names not yet written (normalised), so each name appears once across the files.
#[derive(Default)]
struct Taken(FxHashSet<String>);

impl Taken {
    fn keep(&mut self, names: &[(String, bool)]) -> Vec<(String, bool)> {
        names
            .iter()
            .filter(|(n, _)| writable(n))
            .filter(|(n, _)| {
                let k = normalize_name(n);
                !k.is_empty() && self.0.insert(k)
            })
            .cloned()
            .collect()
    }
}

const HEADER: &str = "# Generated by `cargo run -p dyad-actors --bin build-actor-dict` from the PETRARCH2\n# dictionaries (Open Event Data Alliance, MIT licence; see NOTICE). Do not edit:\n# corrections and additions go in curated.actors, which wins name by name.\n";

/// Converts the PETRARCH2 dictionaries in `src` (with PLOVER's `countries.csv` if
/// given) into Dyad's files in `out_dir`, superseded by `curated`; with a
/// gazetteer, country synonyms that are places are written as places.
pub fn convert(
    src: &Path,
    countries_csv: Option<&Path>,
    curated: &Path,
    out_dir: &Path,
    gazetteer: Option<&Gazetteer>,
) -> Result<Report, DictError> {
    let mut report = Report::default();
    let mut cur = DictBuilder::with_spellings();
    format::read_dyad(&mut cur, "curated.actors", &read(curated)?);
    let curated_people: FxHashSet<String> = names_by_actor(&cur)
        .iter()
        .zip(&cur.actors)
        .filter(|(_, a)| a.kind == Kind::Person)
        .flat_map(|(ns, _)| ns.iter().map(|(n, _)| normalize_name(n)))
        .collect();

    let mut taken = Taken::default();
    // code → names, in insertion order of codes kept by BTreeMap (sorted by code).
    let mut countries: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    // PLOVER's own names of each country, which are never places.
    let mut own_names: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut country_order: FxHashMap<String, usize> = FxHashMap::default();
    if let Some(csv) = countries_csv {
        for line in read(csv)?.lines().skip(1) {
            let cols = split_csv(line);
            if cols.len() < 4 || cols[2].len() != 3 {
                continue;
            }
            let code = cols[2].to_ascii_uppercase();
            let entry = countries.entry(code.clone()).or_default();
            entry.push((cols[1].clone(), false));
            entry.extend(
                cols[3]
                    .split(',')
                    .map(|n| (n.trim().to_string(), false))
                    .filter(|(n, _)| !n.is_empty()),
            );
            own_names
                .entry(code.clone())
                .or_default()
                .extend(entry.iter().map(|(n, _)| n.clone()));
            let k = country_order.len();
            country_order.entry(code).or_insert(k);
        }
    }

    let mut phoenix = String::from(HEADER);
    let mut dated_countries = String::new();
    let files = [
        ("Phoenix.Countries.actors.txt", None),
        ("Phoenix.International.actors.txt", None),
        ("Phoenix.MilNonState.actors.txt", None),
        ("CAMEO.EthnicGroups.actors.txt", Some(Kind::Group)),
        ("CAMEO.ReligiousGroups.actors.txt", Some(Kind::Group)),
    ];
    let mut sections: Vec<(String, Vec<Named>)> = Vec::new();
    for (file, force) in files {
        let path = src.join(file);
        let mut b = DictBuilder::with_spellings();
        petrarch::read_actors(&mut b, file, &read(&path)?, Dialect::Petrarch);
        report
            .warnings
            .extend(b.warnings.iter().map(|w| w.to_string()));
        let names = names_by_actor(&b);
        let mut rest = Vec::new();
        for (ns, mut a) in names.into_iter().zip(b.actors) {
            if let Some(k) = force {
                a.kind = k;
            }
            if ns.is_empty() {
                continue;
            }
            if a.kind == Kind::Country {
                // One code whatever the date ("IRQ ..2003-03-19", "IRQ 2006-05-21.."): undated.
                if let Some(r) = a.roles.first()
                    && a.roles.iter().all(|x| x.code == r.code)
                    && (a.roles.len() > 1 || !r.is_dated())
                {
                    countries.entry(r.code.clone()).or_default().extend(ns);
                } else {
                    let keep = taken.keep(&ns);
                    if !keep.is_empty() {
                        write_entry(&mut dated_countries, &keep, &a.roles);
                    }
                }
                continue;
            }
            if a.kind == Kind::Person
                && ns
                    .iter()
                    .any(|(n, _)| curated_people.contains(&normalize_name(n)))
            {
                report.superseded += 1;
                continue;
            }
            rest.push((ns, a));
        }
        sections.push((file.to_string(), rest));
    }

    let mut out = String::from(HEADER);
    out.push_str("@kind country\n");
    let mut places = String::new();
    let no_names = Vec::new();
    for (code, names) in &countries {
        let own = own_names.get(code).unwrap_or(&no_names);
        let (place, country): (Vec<_>, Vec<_>) = names.iter().cloned().partition(|(n, _)| {
            // A code PLOVER's table lacks (the Soviet Union, East Germany, or a
            // group PETRARCH filed there) has no names to compare: kept whole.
            !own.is_empty() && !own.contains(n) && gazetteer.is_some_and(|g| g.is_place(n, own))
        });
        let keep = taken.keep(&country);
        if !keep.is_empty() {
            report.countries += 1;
            write_entry(&mut out, &keep, &[Role::undated(code.clone())]);
        }
        let keep = taken.keep(&place);
        if !keep.is_empty() {
            report.places += keep.len();
            write_entry(&mut places, &keep, &[Role::undated(code.clone())]);
        }
    }
    if !places.is_empty() {
        out.push_str("\n# Places inside each country (cities, regions, landmarks): locations, not actors.\n@kind place\n");
        out.push_str(&places);
    }
    if !dated_countries.is_empty() {
        out.push_str("\n# Countries whose code changed over time.\n");
        out.push_str(&dated_countries);
    }
    write(out_dir, "countries.actors", &out)?;

    for (file, entries) in sections {
        let _ = writeln!(phoenix, "\n# From {file}");
        let mut kind = None;
        for (ns, a) in entries {
            let keep = taken.keep(&ns);
            if keep.is_empty() {
                continue;
            }
            if kind != Some(a.kind) {
                let _ = writeln!(phoenix, "@kind {}", a.kind.as_str());
                kind = Some(a.kind);
            }
            report.actors += 1;
            write_entry(&mut phoenix, &keep, &a.roles);
        }
    }
    write(out_dir, "phoenix.actors", &phoenix)?;

    // Agents.
    let mut b = DictBuilder::with_spellings();
    petrarch::read_agents(
        &mut b,
        "Phoenix.agents.txt",
        &read(&src.join("Phoenix.agents.txt"))?,
        Dialect::Petrarch,
    );
    report
        .warnings
        .extend(b.warnings.iter().map(|w| w.to_string()));
    let mut agent_names: Vec<Vec<String>> = vec![Vec::new(); b.agents.len()];
    for ((_, _, t), spelling) in b.names.iter().zip(&b.spellings) {
        if let Target::Agent(id) = t
            && writable(spelling)
        {
            agent_names[*id as usize].push(spelling.to_lowercase());
        }
    }
    let mut out = String::from(HEADER);
    out.push_str("@kind agent\n");
    for (a, names) in b.agents.iter().zip(agent_names) {
        if names.is_empty() {
            continue;
        }
        report.agents += 1;
        let code = if a.prefix {
            format!("{}~", a.code)
        } else {
            a.code.clone()
        };
        let _ = writeln!(out, "{} = {code}", names.join(" | "));
    }
    write(out_dir, "agents.actors", &out)?;

    // Discards.
    let mut b = DictBuilder::with_spellings();
    petrarch::read_discards(
        &mut b,
        "Phoenix.discards.txt",
        &read(&src.join("Phoenix.discards.txt"))?,
        Dialect::Petrarch,
    );
    let mut out = String::from(HEADER);
    out.push_str("@kind discard\n");
    for d in &b.discards {
        // Bare years (1914 ... 2013) were PETRARCH's filter for historical stories;
        // in current news they would drop every sentence that mentions a past year.
        let year = d.name.trim().len() == 4 && d.name.trim().bytes().all(|b| b.is_ascii_digit());
        if year || !writable(&d.name) || normalize_name(&d.name).is_empty() {
            continue;
        }
        report.discards += 1;
        let scope = match d.scope {
            crate::DiscardScope::Sentence => "sentence",
            crate::DiscardScope::Story => "story",
        };
        let _ = writeln!(out, "{} = {scope}", d.name.to_lowercase());
    }
    write(out_dir, "discards.actors", &out)?;
    Ok(report)
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), DictError> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|source| DictError::Io { path, source })
}

/// Splits one CSV line with `"quoted, fields"`.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().expect("never empty").push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(
            display_name("PRESIDENT GEORGE W. BUSH"),
            "President George W. Bush"
        );
        assert_eq!(display_name("UN"), "UN");
        assert_eq!(display_name("AL-QAEDA"), "Al-Qaeda");
        assert_eq!(
            display_name("ISLAMIC REPUBLIC OF AFGHANISTAN"),
            "Islamic Republic of Afghanistan"
        );
        assert_eq!(display_name("U.N."), "U.N.");
        assert_eq!(
            split_csv("AF,Afghanistan,AFG,\"Afghan, Afghani\""),
            ["AF", "Afghanistan", "AFG", "Afghan, Afghani"]
        );
    }
}
