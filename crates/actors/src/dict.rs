//! The dictionary model: actor entries with dated roles, agents, discards, and the
//! builder that turns names into one matching automaton.
//!
//! Every reader (Dyad's own format, PETRARCH, TABARI) produces the same plain
//! entries through [`DictBuilder`]. Entries added first win when two spell the same
//! normalised name, so a curated file loaded before a converted one overrides it
//! name by name, and within a file the first spelling wins (as in PETRARCH).

use crate::matcher::{Matcher, Target};
use crate::normalize::{is_short_acronym, normalize_name};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

/// What sort of thing an actor entry names; decides how it composes and what
/// pronouns and descriptions can refer back to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A country, its adjective and demonym ("Russia", "Russian", "Russians").
    Country,
    /// A capital or seat of government standing for a government ("Beijing", "the Kremlin").
    Capital,
    /// A person, normally with dated roles.
    Person,
    /// An organisation: IGO, armed group, party, institution, ethnic or religious group.
    Group,
    /// A place inside a country (city, region, province, landmark): where
    /// something happens, not who acts. It gives its country to an agent it
    /// modifies ("Karachi police" = `PAKCOP`) and to the document's context,
    /// and is never an actor on its own ("an attack near the Manipur capital").
    Place,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Capital => "capital",
            Kind::Person => "person",
            Kind::Group => "group",
            Kind::Place => "place",
        }
    }
}

/// Date as `YYYYMMDD` in one integer, so comparisons are integer comparisons.
pub type Day = u32;
pub const OPEN_START: Day = 0;
pub const OPEN_END: Day = 99_999_999;

/// A code the actor holds, optionally only between two dates (both inclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    pub from: Day,
    pub to: Day,
}

impl Role {
    pub fn undated(code: impl Into<String>) -> Role {
        Role {
            code: code.into(),
            from: OPEN_START,
            to: OPEN_END,
        }
    }

    pub fn is_dated(&self) -> bool {
        self.from != OPEN_START || self.to != OPEN_END
    }

    /// The role as written in Dyad's format: `USAGOV 2009-01-20..2017-01-20`.
    pub fn describe(&self) -> String {
        if !self.is_dated() {
            return self.code.clone();
        }
        let day = |d: Day, open: Day| {
            if d == open {
                String::new()
            } else {
                format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
            }
        };
        format!(
            "{} {}..{}",
            self.code,
            day(self.from, OPEN_START),
            day(self.to, OPEN_END)
        )
    }
}

/// Where an entry was written: a file name (as given to the loader) and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: u16,
    pub line: u32,
}

/// One actor: its names, kind and roles.
#[derive(Clone, Debug)]
pub struct ActorEntry {
    /// The first name as written; the entry's label in provenance.
    pub name: String,
    pub kind: Kind,
    /// In order of precedence: the first dated role covering the date wins, then the
    /// first undated role.
    pub roles: Vec<Role>,
    pub source: Source,
}

impl ActorEntry {
    /// The role in force on `date`: the first dated role covering it, else the first
    /// undated role, else (the date is outside every role) the closest earlier role.
    /// Without a date, the most recent role: the one ending last.
    pub fn role_on(&self, date: Option<Day>) -> Option<&Role> {
        match date {
            Some(d) => self
                .roles
                .iter()
                .find(|r| r.is_dated() && r.from <= d && d <= r.to)
                .or_else(|| self.roles.iter().find(|r| !r.is_dated()))
                .or_else(|| {
                    self.roles
                        .iter()
                        .filter(|r| r.to < d)
                        .max_by_key(|r| r.to)
                        .or_else(|| self.roles.iter().min_by_key(|r| r.from))
                }),
            None => self
                .roles
                .iter()
                .filter(|r| r.is_dated())
                .max_by_key(|r| (r.to, r.from))
                .or_else(|| self.roles.first()),
        }
    }
}

/// An agent: a word for a kind of actor that takes its country from context
/// ("forces", "foreign minister", "protesters").
#[derive(Clone, Debug)]
pub struct AgentEntry {
    pub name: String,
    /// Sector code(s), e.g. `MIL`, `GOVMED`.
    pub code: String,
    /// The code goes before the country (`NGO~` in PETRARCH: "Ugandan rights group" → `NGOUGA`).
    pub prefix: bool,
    pub source: Source,
}

/// Whether a discard phrase drops the sentence or the whole story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscardScope {
    Sentence,
    Story,
}

/// A phrase that marks a sentence (or story) as not about political events
/// ("Manchester United", "bronze medal").
#[derive(Clone, Debug)]
pub struct DiscardEntry {
    pub name: String,
    pub scope: DiscardScope,
    pub source: Source,
}

/// A problem in a dictionary file; the line is skipped and loading continues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// How a name is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NameFlags {
    /// The last word is a stem: it matches any token it begins (TABARI "ARGENTIN").
    pub stem: bool,
    /// Short acronym: the text must be written in capitals ("US", not "us").
    pub caps: bool,
}

/// Collects entries from any number of files, then builds an [`ActorDict`].
#[derive(Default)]
pub struct DictBuilder {
    pub(crate) files: Vec<String>,
    pub(crate) actors: Vec<ActorEntry>,
    pub(crate) agents: Vec<AgentEntry>,
    pub(crate) discards: Vec<DiscardEntry>,
    pub(crate) warnings: Vec<Warning>,
    /// Normalised pattern (with flags) → what it names; first added wins.
    pub(crate) names: Vec<(String, NameFlags, Target)>,
    /// Each name of `names` as written (kept only for the converter, which writes them out).
    pub(crate) spellings: Vec<String>,
    keep_spellings: bool,
    seen: FxHashMap<(String, bool), usize>,
}

impl DictBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that also keeps each name as written.
    pub(crate) fn with_spellings() -> Self {
        DictBuilder {
            keep_spellings: true,
            ..Self::default()
        }
    }

    /// Registers a file name for provenance and returns its index.
    pub(crate) fn file(&mut self, name: &str) -> u16 {
        if let Some(i) = self.files.iter().position(|f| f == name) {
            return i as u16;
        }
        self.files.push(name.to_string());
        (self.files.len() - 1) as u16
    }

    pub(crate) fn warn(&mut self, file: u16, line: u32, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.files[file as usize].clone(),
            line,
            message: message.into(),
        });
    }

    /// Adds a name for a target. Returns false if it normalises to nothing or an
    /// earlier entry already has it.
    pub(crate) fn add_name(&mut self, name: &str, stem: bool, target: Target) -> bool {
        // A leading article is not part of a name: "the Kremlin" is matched as
        // "Kremlin", so "The Kremlin" and "the Kremlin's" both find it and the
        // article never hides a longer name that starts after it.
        let name = name.trim_matches(|c: char| c == '_' || c.is_whitespace());
        let name = match name.get(..4) {
            Some(a) if a.eq_ignore_ascii_case("the ") || a.eq_ignore_ascii_case("the_") => {
                &name[4..]
            }
            _ => name,
        };
        let norm = normalize_name(name);
        if norm.is_empty() {
            return false;
        }
        let flags = NameFlags {
            stem,
            caps: !stem && is_short_acronym(name, &norm),
        };
        let key = (norm, stem);
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key.clone(), self.names.len());
        self.names.push((key.0, flags, target));
        if self.keep_spellings {
            self.spellings.push(name.trim().to_string());
        }
        true
    }

    pub(crate) fn add_actor(&mut self, entry: ActorEntry, names: &[(String, bool)]) -> u32 {
        let id = self.actors.len() as u32;
        self.actors.push(entry);
        for (n, stem) in names {
            self.add_name(n, *stem, Target::Actor(id));
        }
        id
    }

    /// Adds an agent with its names and their regular plurals.
    pub(crate) fn add_agent(&mut self, entry: AgentEntry, names: &[String], plurals: bool) -> u32 {
        let id = self.agents.len() as u32;
        self.agents.push(entry);
        for n in names {
            self.add_name(n, false, Target::Agent(id));
            if plurals && let Some(p) = plural(n) {
                self.add_name(&p, false, Target::Agent(id));
            }
        }
        id
    }

    pub(crate) fn add_discard(&mut self, entry: DiscardEntry) {
        let id = self.discards.len() as u32;
        let name = entry.name.clone();
        self.discards.push(entry);
        self.add_name(&name, false, Target::Discard(id));
    }

    /// Warnings so far (the built dictionary keeps them too).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Builds the matching automaton over every name added.
    pub fn build(self) -> ActorDict {
        let mut countries = FxHashSet::default();
        for a in &self.actors {
            if a.kind == Kind::Country {
                for r in &a.roles {
                    if r.code.len() == 3 {
                        countries.insert(r.code.clone());
                    }
                }
            }
        }
        let mut surnames: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (name, _, target) in &self.names {
            let Target::Actor(id) = *target else { continue };
            if self.actors[id as usize].kind != Kind::Person {
                continue;
            }
            // Only names of two words or more: a one-word name is matched as it is.
            if let Some((_, last)) = name.rsplit_once(' ')
                && last.len() >= 3
                && last.chars().all(char::is_alphabetic)
            {
                let ids = surnames.entry(last.to_string()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let matcher = Matcher::build(&self.names);
        ActorDict {
            files: self.files,
            actors: self.actors,
            agents: self.agents,
            discards: self.discards,
            warnings: self.warnings,
            countries,
            surnames,
            matcher,
        }
    }
}

/// Regular English plural of the last word of a name ("foreign minister" →
/// "foreign ministers", "militia" → "militias", "authority" → "authorities").
pub(crate) fn plural(name: &str) -> Option<String> {
    let name = name.trim_end_matches(['_', ' ']);
    let last = name.rsplit([' ', '_']).next()?;
    let lower = last.to_ascii_lowercase();
    const UNCOUNTED: &[&str] = &[
        "police",
        "media",
        "military",
        "personnel",
        "staff",
        "people",
        "clergy",
        "leadership",
        "intelligence",
        "press",
        "public",
        "youth",
        "infantry",
        "artillery",
        "cavalry",
    ];
    if lower.len() < 3
        || lower.ends_with('s')
        || lower.ends_with("men")
        || UNCOUNTED.contains(&lower.as_str())
    {
        return None;
    }
    let upper = last.chars().all(|c| !c.is_lowercase());
    let suffix = if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        return Some(format!(
            "{}{}",
            &name[..name.len() - 1],
            if upper { "IES" } else { "ies" }
        ));
    } else if lower.ends_with("man") {
        return Some(format!(
            "{}{}",
            &name[..name.len() - 2],
            if upper { "EN" } else { "en" }
        ));
    } else if lower.ends_with("ch") || lower.ends_with("sh") || lower.ends_with('x') {
        "es"
    } else {
        "s"
    };
    Some(format!(
        "{name}{}",
        if upper {
            suffix.to_ascii_uppercase()
        } else {
            suffix.to_string()
        }
    ))
}

/// Actor and agent dictionaries compiled into one automaton.
pub struct ActorDict {
    pub(crate) files: Vec<String>,
    pub(crate) actors: Vec<ActorEntry>,
    pub(crate) agents: Vec<AgentEntry>,
    pub(crate) discards: Vec<DiscardEntry>,
    pub(crate) warnings: Vec<Warning>,
    /// Codes of country entries: a code starting with one of these has that country.
    pub(crate) countries: FxHashSet<String>,
    /// People by the last word of each of their names ("mugabe"), for a title
    /// followed by a surname alone ("President Mugabe").
    pub(crate) surnames: FxHashMap<String, Vec<u32>>,
    pub(crate) matcher: Matcher,
}

impl fmt::Debug for ActorDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorDict")
            .field("files", &self.files)
            .field("actors", &self.actors.len())
            .field("agents", &self.agents.len())
            .field("discards", &self.discards.len())
            .field("names", &self.matcher.len())
            .field("warnings", &self.warnings.len())
            .finish()
    }
}

impl ActorDict {
    pub fn actors(&self) -> &[ActorEntry] {
        &self.actors
    }
    pub fn agents(&self) -> &[AgentEntry] {
        &self.agents
    }
    pub fn discard_entries(&self) -> &[DiscardEntry] {
        &self.discards
    }
    /// Problems found while loading: each names the file and line; those lines were skipped.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
    /// Number of distinct names (patterns) in the automaton.
    pub fn name_count(&self) -> usize {
        self.matcher.len()
    }

    /// `file:line` of a source.
    pub fn source_label(&self, s: Source) -> String {
        format!("{}:{}", self.files[s.file as usize], s.line)
    }

    /// Splits a code into country and agent: `RUSMIL` → (`RUS`, `MIL`); `IGOUNO` →
    /// (none, `IGO`); `MIL` (a bare agent) → (none, `MIL`).
    pub fn split_code(&self, code: &str) -> (Option<String>, Option<String>) {
        let head = code.get(..3);
        match head {
            Some(h) if self.countries.contains(h) => (
                Some(h.to_string()),
                code.get(3..6).filter(|a| a.len() == 3).map(str::to_string),
            ),
            Some(h) => (None, Some(h.to_string())),
            None => (None, None),
        }
    }

    /// Looks up the actor entries a name matches exactly (after normalisation).
    pub fn lookup(&self, name: &str) -> Option<&ActorEntry> {
        match self.matcher.exact(&normalize_name(name))? {
            Target::Actor(id) => self.actors.get(id as usize),
            _ => None,
        }
    }
}

/// Parses a document date (`YYYY-MM-DD`, `YYYYMMDD`, optionally followed by a
/// time) into a [`Day`].
pub fn parse_doc_date(s: &str) -> Option<Day> {
    let digits: String = s
        .chars()
        .take_while(|c| !matches!(c, 'T' | ' '))
        .filter(|c| c.is_ascii_digit())
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let d: Day = digits[..8].parse().ok()?;
    let (m, day) = (d / 100 % 100, d % 100);
    ((1..=12).contains(&m) && (1..=31).contains(&day)).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(roles: Vec<Role>) -> ActorEntry {
        ActorEntry {
            name: "Joe Biden".into(),
            kind: Kind::Person,
            roles,
            source: Source { file: 0, line: 1 },
        }
    }

    #[test]
    fn dated_roles() {
        let biden = entry(vec![
            Role {
                code: "USAGOV".into(),
                from: 20090120,
                to: 20170120,
            },
            Role {
                code: "USAGOV".into(),
                from: 20210120,
                to: 20250120,
            },
            Role::undated("USAELI"),
        ]);
        let code = |d| biden.role_on(d).map(|r| r.code.as_str());
        assert_eq!(code(Some(20100301)), Some("USAGOV"));
        assert_eq!(code(Some(20190301)), Some("USAELI"));
        assert_eq!(code(Some(20220301)), Some("USAGOV"));
        assert_eq!(code(Some(20250301)), Some("USAELI"));
        assert_eq!(biden.role_on(None).unwrap().to, 20250120);
        // No undated role: outside every range, the latest role that ended before.
        let gollum = entry(vec![
            Role {
                code: "HOB".into(),
                from: OPEN_START,
                to: 19950601,
            },
            Role {
                code: "HOBGOV".into(),
                from: 19950601,
                to: 19990815,
            },
            Role {
                code: "HOBREB".into(),
                from: 19990816,
                to: OPEN_END,
            },
        ]);
        assert_eq!(gollum.role_on(Some(19900101)).unwrap().code, "HOB");
        assert_eq!(gollum.role_on(Some(19970101)).unwrap().code, "HOBGOV");
        assert_eq!(gollum.role_on(Some(20000101)).unwrap().code, "HOBREB");
        assert_eq!(gollum.role_on(None).unwrap().code, "HOBREB");
    }

    #[test]
    fn plurals_and_dates() {
        assert_eq!(
            plural("foreign minister").as_deref(),
            Some("foreign ministers")
        );
        assert_eq!(plural("AUTHORITY").as_deref(), Some("AUTHORITIES"));
        assert_eq!(plural("congressman").as_deref(), Some("congressmen"));
        assert_eq!(plural("police"), None);
        assert_eq!(plural("forces"), None);
        assert_eq!(plural("church").as_deref(), Some("churches"));
        assert_eq!(parse_doc_date("2024-05-17"), Some(20240517));
        assert_eq!(parse_doc_date("20240517"), Some(20240517));
        assert_eq!(parse_doc_date("2024-05-17T10:00:00Z"), Some(20240517));
        assert_eq!(parse_doc_date("May 2024"), None);
        assert_eq!(parse_doc_date("2024-13-01"), None);
    }
}
