//! From names found in the text to actor mentions: composition, dated roles,
//! compounds and references back.
//!
//! The automaton finds the pieces ("Russian", "Foreign Minister", "Sergey Lavrov");
//! this module puts them together, left to right within each sentence:
//!
//! * country + agent → one actor: "Russian forces" → `RUSMIL`, "Ukraine's army",
//!   "Chinese state media" (up to two modifiers between when the tagger says they
//!   are adjectives or nouns), "the foreign minister of Russia";
//! * title + person → the person, whose dated role decides the code ("Ukrainian
//!   President Volodymyr Zelenskyy" → `UKRGOV` through Zelenskyy's role, or through
//!   country + agent for a person the dictionary does not know);
//! * `A and B`, `A, B and C` → one compound mention whose `members` are the actors;
//! * references back: "he"/"she" → the last person; "the two countries" → the last
//!   two countries; "the president" → the last actor named with that title;
//!   "the country" → the last country; subject "it" → the last country or group.
//!
//! The state for references lives in one `Context` per document, so mentions are
//! resolved in reading order and never look ahead.

use crate::dict::{ActorDict, ActorEntry, Kind, parse_doc_date};
use crate::matcher::{Haystack, Hit, RefWord, Target};
use dyad_doc::event::Entry;
use dyad_doc::{DepRel, Doc, Upos};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::ops::Range;

/// How a mention was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The actor's own name ("Putin", "Russia", "NATO"), possibly with a title.
    Name,
    /// An agent word, with the country it was composed with if any ("Russian forces").
    Agent,
    /// A capital or seat of government for its government ("Beijing", "the Kremlin").
    Metonym,
    /// A place inside a country ("Karachi", "Veracruz"): a location, never an
    /// actor by itself; `code` is its country.
    Place,
    /// A pronoun resolved to an earlier actor ("he").
    Pronoun,
    /// A definite description resolved to earlier actors ("the two countries", "the president").
    Coreference,
    /// Coordinated actors ("Russia and China"): see `members`.
    Compound,
}

impl How {
    /// The name used in explanations and JSON (`name`, `agent`, `metonym`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            How::Name => "name",
            How::Agent => "agent",
            How::Metonym => "metonym",
            How::Place => "place",
            How::Pronoun => "pronoun",
            How::Coreference => "coreference",
            How::Compound => "compound",
        }
    }
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One actor in the text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mention {
    /// 0-based index into `doc.sentences`.
    pub sentence: u32,
    /// Document-wide token indices.
    pub tokens: Range<u32>,
    /// The syntactic head of the span (from the parse when there is one, else its last token).
    pub head: u32,
    /// CAMEO-style code: `RUSGOV`, `UKRMIL`, `IGOUNO`; a bare agent has only its sector (`MIL`).
    /// For a compound, the first member's code.
    pub code: String,
    /// ISO 3166 alpha-3 of the actor's country.
    pub country: Option<String>,
    /// Sector part of the code (`GOV`, `MIL`, `IGO`, ...).
    pub agent: Option<String>,
    /// The words in the text.
    pub text: String,
    /// The dictionary entry that decided the code; `role` is the dated role that applied.
    pub entry: Entry,
    /// The agent entry composed with it ("forces" in "Russian forces").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_entry: Option<Entry>,
    pub how: How,
    /// The actors of a compound ("Russia and China", "the two countries"); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Mention>,
}

impl Mention {
    /// The actors this mention stands for: its members for a compound, else itself.
    pub fn actors(&self) -> &[Mention] {
        if self.members.is_empty() {
            std::slice::from_ref(self)
        } else {
            &self.members
        }
    }
}

/// A discard phrase found in the text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiscardHit {
    pub sentence: u32,
    pub tokens: Range<u32>,
    pub scope: crate::dict::DiscardScope,
    pub text: String,
    pub entry: Entry,
}

/// What references can point back to, updated in reading order.
#[derive(Default)]
struct Context {
    last_person: Option<Mention>,
    /// Most recent last; one per country code.
    countries: Vec<Mention>,
    persons: Vec<Mention>,
    last_actor: Option<Mention>,
    last_plural: Option<(u32, Mention)>,
    /// Last actor named with each agent title ("the president").
    by_agent: FxHashMap<u32, Mention>,
}

impl Context {
    /// Records a mention as soon as it is found, so a pronoun later in the same
    /// sentence can refer to it ("Biden said ..., and he warned").
    fn note(&mut self, m: &Mention, kind: Option<Kind>) {
        if !m.members.is_empty() {
            // Members were noted one by one when found; a compound is also a plural.
            if m.how != How::Pronoun {
                self.last_plural = Some((m.sentence, m.clone()));
            }
            return;
        }
        if m.how == How::Pronoun {
            return;
        }
        if kind == Some(Kind::Person) {
            self.last_person = Some(m.clone());
            self.persons.retain(|p| p.entry.source != m.entry.source);
            self.persons.push(m.clone());
        } else if m.how != How::Place && (m.country.is_some() || m.code.starts_with("IGO")) {
            self.last_actor = Some(m.clone());
        }
        // Any actor with a country makes that country available to "the country"
        // and "the two countries", as the country itself.
        if let Some(c) = &m.country {
            let mut country = m.clone();
            country.code = c.clone();
            country.agent = None;
            self.countries.retain(|x| x.country.as_ref() != Some(c));
            self.countries.push(country);
        }
    }
}

/// Nouns for a body of people, which take their kind from an agent word
/// before them ("opposition groups", "rebel factions").
fn is_collective(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "group",
        "groups",
        "faction",
        "factions",
        "members",
        "supporters",
        "movement",
        "movements",
        "coalition",
        "figures",
    ];
    WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Words before a title that say the office is no longer held ("former
/// President", "ousted Prime Minister").
fn is_former(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "former",
        "ex",
        "ex-",
        "ousted",
        "deposed",
        "toppled",
        "overthrown",
        "exiled",
        "late",
        "onetime",
        "one-time",
        "erstwhile",
    ];
    WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Words that may stand between a country and its agent without POS tags.
fn is_function_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "and", "or", "of", "to", "in", "on", "the", "a", "an", "with", "for", "by", "at", "from",
        "as", "is", "was", "are", "were", "has", "have", "had", "said", "says", "that", "which",
        "who", "will", "would", "not",
    ];
    WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

impl ActorDict {
    /// Actor mentions in `doc`, in text order. Uses `doc.date` for dated roles and
    /// the tags and parse when present (segmentation is required).
    pub fn mentions(&self, doc: &Doc) -> Vec<Mention> {
        let mut hay = Haystack::default();
        let mut hits = Vec::new();
        self.matcher.scan(doc, &mut hay, &mut hits);
        let mut run = Run {
            dict: self,
            doc,
            date: doc.date.as_deref().and_then(parse_doc_date),
            ctx: Context::default(),
        };
        let mut out = Vec::new();
        let mut k = 0;
        while k < hits.len() {
            let s = doc.sentence_of(hits[k].first as usize);
            let n = hits[k..]
                .iter()
                .take_while(|h| doc.sentence_of(h.first as usize) == s)
                .count();
            run.sentence(s as u32, &hits[k..k + n], &mut out);
            k += n;
        }
        out
    }

    /// Discard phrases in `doc` (sentence- or story-level), for the coder to apply.
    pub fn discards(&self, doc: &Doc) -> Vec<DiscardHit> {
        let mut hay = Haystack::default();
        let mut hits = Vec::new();
        self.matcher.scan(doc, &mut hay, &mut hits);
        hits.iter()
            .filter_map(|h| match h.target {
                Target::Discard(id) => {
                    let d = &self.discards[id as usize];
                    Some(DiscardHit {
                        sentence: doc.sentence_of(h.first as usize) as u32,
                        tokens: h.first..h.end,
                        scope: d.scope,
                        text: span_text(doc, h.first, h.end).to_string(),
                        entry: Entry {
                            name: d.name.clone(),
                            source: self.source_label(d.source),
                            role: None,
                        },
                    })
                }
                _ => None,
            })
            .collect()
    }
}

fn span_text(doc: &Doc, first: u32, end: u32) -> &str {
    &doc.text[doc.start[first as usize] as usize..doc.end[end as usize - 1] as usize]
}

struct Run<'a> {
    dict: &'a ActorDict,
    doc: &'a Doc,
    date: Option<u32>,
    ctx: Context,
}

impl Run<'_> {
    fn form(&self, i: u32) -> &str {
        self.doc.form(i as usize)
    }

    fn upos(&self, i: u32) -> Option<Upos> {
        self.doc.upos.get(i as usize).copied()
    }

    /// The head of a span: the token whose head lies outside it, else `fallback`.
    fn head(&self, tokens: &Range<u32>, fallback: u32) -> u32 {
        if self.doc.head.is_empty() {
            return fallback;
        }
        tokens
            .clone()
            .find(|&t| match self.doc.head_of(t as usize) {
                Some(h) => !tokens.contains(&(h as u32)),
                None => true,
            })
            .unwrap_or(fallback)
    }

    fn entry(&self, e: &ActorEntry, role: Option<&crate::dict::Role>) -> Entry {
        Entry {
            name: e.name.clone(),
            source: self.dict.source_label(e.source),
            role: role.filter(|r| r.is_dated()).map(|r| r.describe()),
        }
    }

    fn mention(
        &self,
        s: u32,
        tokens: Range<u32>,
        head: u32,
        code: String,
        entry: Entry,
        how: How,
    ) -> Mention {
        let (country, agent) = self.dict.split_code(&code);
        Mention {
            sentence: s,
            text: span_text(self.doc, tokens.start, tokens.end).to_string(),
            head: self.head(&tokens, head),
            tokens,
            code,
            country,
            agent,
            entry,
            agent_entry: None,
            how,
            members: Vec::new(),
        }
    }

    /// The actor mention for an entry found at `hit`, with its code on the document date.
    fn actor(&self, s: u32, id: u32, tokens: Range<u32>) -> Option<Mention> {
        let e = &self.dict.actors[id as usize];
        let role = e.role_on(self.date)?;
        // `---`, `###`, `+++`: a null actor, whose words name nobody.
        if !role
            .code
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let how = match e.kind {
            Kind::Capital => How::Metonym,
            Kind::Place => How::Place,
            _ => How::Name,
        };
        let last = tokens.end - 1;
        let entry = self.entry(e, Some(role));
        if role.code.contains('/') {
            // TABARI's compound code `[FRO/BIL/SAM]`: one name for several actors.
            let members: Vec<Mention> = role
                .code
                .split('/')
                .filter(|c| !c.is_empty())
                .map(|c| self.mention(s, tokens.clone(), last, c.to_string(), entry.clone(), how))
                .collect();
            let mut top = members.first()?.clone();
            top.how = How::Compound;
            top.members = members;
            return Some(top);
        }
        Some(self.mention(s, tokens, last, role.code.clone(), entry, how))
    }

    /// A person named with a title ("Russian President Boris Yeltsin", "ousted
    /// President Askar Akayev"). The title is evidence of the office the person
    /// held when the text was written, so it wins over a dated role that
    /// contradicts it: news text is often coded with a missing or placeholder
    /// date, and then the dictionary's most recent role (often "former") would
    /// decide. A title after "former", "ousted", ... stands for `ELI`. Among the
    /// person's roles with the title's sector, the one in force on the document
    /// date, else the closest to it, applies.
    fn titled_actor(&self, s: u32, id: u32, tokens: Range<u32>, title: u32) -> Option<Mention> {
        let m = self.actor(s, id, tokens.clone())?;
        let a = &self.dict.agents[title as usize];
        let former = tokens.start > 0 && is_former(self.form(tokens.start - 1));
        let want = if former { "ELI" } else { a.code.get(..3)? };
        let country = m.country.clone();
        if a.prefix
            || country.is_none()
            || !m.members.is_empty()
            || m.agent.as_deref() == Some(want)
        {
            return Some(m);
        }
        let e = &self.dict.actors[id as usize];
        let fits = |r: &&crate::dict::Role| {
            let (c, ag) = self.dict.split_code(&r.code);
            c == country && ag.as_deref() == Some(want)
        };
        let role = e
            .roles
            .iter()
            .filter(fits)
            .min_by_key(|r| self.role_distance(r));
        let (code, entry) = match role {
            Some(r) => (r.code.clone(), self.entry(e, Some(r))),
            // Only "former" is safe to apply to a role the dictionary lacks:
            // a title can be ambiguous ("Chief of Staff Donald Regan" is the
            // White House's, not the army's).
            None if former => (format!("{}ELI", country.as_deref()?), m.entry.clone()),
            None => return Some(m),
        };
        Some(self.mention(s, tokens, m.head, code, entry, m.how))
    }

    /// How far a role lies from the document date (0: in force). Without a
    /// date, the most recent role is the closest.
    fn role_distance(&self, r: &crate::dict::Role) -> u32 {
        match self.date {
            Some(d) if d < r.from => r.from - d,
            Some(d) if d > r.to => d - r.to,
            Some(_) => 0,
            None => crate::dict::OPEN_END - r.to.min(crate::dict::OPEN_END),
        }
    }

    /// The person a title followed by a name the dictionary does not spell out
    /// names by their surname ("President Mugabe", "Chancellor Kohl"): the
    /// people with that surname who held an office of the title's sector (in
    /// the title's country, when it names one), whose name has the first word
    /// given in the text if any. One of them, or several of one country (the
    /// one whose office is closest in time); people of several countries are
    /// too ambiguous.
    fn person_by_surname(
        &self,
        name: Range<u32>,
        title: u32,
        country: Option<&str>,
    ) -> Option<u32> {
        let a = &self.dict.agents[title as usize];
        // The name must end where the text's name ends: "Trade Minister
        // Woong-Bae Rha" is not a "Woong".
        let cut = (name.end as usize) < self.doc.len()
            && self.form(name.end).starts_with(['-', '–'])
            && self.doc.start[name.end as usize] == self.doc.end[name.end as usize - 1];
        if a.prefix || name.is_empty() || cut {
            return None;
        }
        let sector = a.code.get(..3)?;
        let ids = self
            .dict
            .surnames
            .get(&crate::normalize::normalize_name(self.form(name.end - 1)))?;
        let first =
            (name.len() > 1).then(|| crate::normalize::normalize_name(self.form(name.start)));
        let fits: Vec<(u32, &crate::dict::Role)> = ids
            .iter()
            .filter(|&&id| {
                let e = &self.dict.actors[id as usize];
                first.as_ref().is_none_or(|f| {
                    crate::normalize::normalize_name(&e.name)
                        .split(' ')
                        .any(|w| w == f)
                })
            })
            .filter_map(|&id| {
                let e = &self.dict.actors[id as usize];
                e.roles
                    .iter()
                    .filter(|r| {
                        let (c, ag) = self.dict.split_code(&r.code);
                        ag.as_deref() == Some(sector)
                            && c.is_some()
                            && country.is_none_or(|k| c.as_deref() == Some(k))
                    })
                    .min_by_key(|r| self.role_distance(r))
                    .map(|r| (id, r))
            })
            .collect();
        let one_country = fits.first()?.1.code.get(..3)?;
        if fits
            .iter()
            .any(|(_, r)| r.code.get(..3) != Some(one_country))
        {
            return None;
        }
        fits.iter()
            .min_by_key(|(_, r)| self.role_distance(r))
            .map(|(id, _)| *id)
    }

    /// Country code + agent code (`RUS` + `MIL`, or `NGO~` + `UGA` for a prefix agent).
    fn compose(&self, country: &Mention, agent: u32, tokens: Range<u32>, head: u32) -> Mention {
        let a = &self.dict.agents[agent as usize];
        let base = country
            .country
            .clone()
            .unwrap_or_else(|| country.code.clone());
        let code = if a.prefix {
            format!("{}{}", a.code, base)
        } else {
            // Keep a group's own code ("PSEREBHMS" + "MIL" would say nothing new).
            format!("{}{}", base, a.code)
        };
        let mut m = self.mention(
            country.sentence,
            tokens,
            head,
            code,
            country.entry.clone(),
            How::Agent,
        );
        m.agent_entry = Some(self.agent_entry(agent));
        m
    }

    fn agent_entry(&self, agent: u32) -> Entry {
        let a = &self.dict.agents[agent as usize];
        Entry {
            name: a.name.clone(),
            source: self.dict.source_label(a.source),
            role: None,
        }
    }

    /// Whether tokens `from..to` may stand between a country and its agent.
    fn modifier_gap(&self, from: u32, to: u32) -> bool {
        let n = to.saturating_sub(from);
        if n == 0 {
            return true;
        }
        if n == 1 && matches!(self.form(from), "'s" | "’s" | "'" | "’") {
            return true;
        }
        // "Vietnamese-led forces", "U.S.-led troops": the country's forces.
        let joined: String = (from..to).map(|t| self.form(t)).collect();
        if n <= 2 && joined.eq_ignore_ascii_case("-led") {
            return true;
        }
        if self.doc.upos.is_empty() {
            return n == 1 && {
                let w = self.form(from);
                w.chars().all(|c| c.is_alphabetic()) && !is_function_word(w)
            };
        }
        n <= 2
            && (from..to).all(|t| {
                matches!(self.upos(t), Some(Upos::Adj | Upos::Noun | Upos::Propn))
                    && !is_function_word(self.form(t))
            })
    }

    /// Extends a titled span over a following unknown name ("President William
    /// Ruto"): proper nouns by the tagger, or capitalised words without tags.
    fn extend_over_name(&self, end: u32, limit: u32) -> u32 {
        let name_like = |t: u32| match self.upos(t) {
            Some(u) => u == Upos::Propn,
            None => {
                let w = self.form(t);
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''))
            }
        };
        let mut e = end;
        while e < limit && e < end + 4 && name_like(e) {
            e += 1;
        }
        e
    }

    /// Records a mention for references and keeps it.
    fn push(&mut self, found: &mut Vec<Mention>, m: Mention, kind: Option<Kind>) {
        self.ctx.note(&m, kind);
        found.push(m);
    }

    /// Whether a bare agent is only a modifier ("military exercises", "economic and
    /// military ties"): an adjective, or a noun modifying a later noun, by the tags
    /// and parse; without them it is kept.
    fn is_modifier(&self, last: u32) -> bool {
        let i = last as usize;
        let before_head = self.doc.head_of(i).is_some_and(|h| h > i);
        self.upos(last) == Some(Upos::Adj)
            || (before_head
                && matches!(
                    self.doc.deprel.get(i),
                    Some(DepRel::Amod | DepRel::Compound)
                ))
    }

    fn sentence(&mut self, s: u32, hits: &[Hit], out: &mut Vec<Mention>) {
        let sp = self.doc.sentences[s as usize];
        let dict = self.dict;
        let mut found: Vec<Mention> = Vec::new();
        let person_after = |at: usize, end: u32| match hits.get(at).copied() {
            Some(n) if n.first == end => match n.target {
                Target::Actor(id) if dict.actors[id as usize].kind == Kind::Person => Some((n, id)),
                _ => None,
            },
            _ => None,
        };
        let mut k = 0;
        while k < hits.len() {
            let h = hits[k];
            let next = hits.get(k + 1).copied();
            match h.target {
                Target::Discard(_) => {}
                Target::Actor(id) => {
                    let kind = dict.actors[id as usize].kind;
                    let Some(m) = self.actor(s, id, h.first..h.end) else {
                        k += 1;
                        continue;
                    };
                    let agent_next = match next {
                        Some(n) => match n.target {
                            Target::Agent(ag) => Some((n, ag)),
                            _ => None,
                        },
                        None => None,
                    };
                    // "Bosnian Serb forces": the people of one country living in
                    // another are coded by the country they live in, with the agent.
                    let residence = found.last().filter(|p| {
                        kind == Kind::Country
                            && p.how == How::Name
                            && p.members.is_empty()
                            && p.agent.is_none()
                            && p.tokens.end == h.first
                            && self.form(h.first).starts_with(char::is_uppercase)
                            && p.country.is_some()
                            && p.country != m.country
                    });
                    if let Some(home) = residence.cloned()
                        && let Some((n, ag)) = agent_next
                        && n.first == h.end
                    {
                        found.pop();
                        let c = self.compose(&home, ag, home.tokens.start..n.end, n.end - 1);
                        self.ctx.by_agent.insert(ag, c.clone());
                        self.push(&mut found, c, None);
                        k += 2;
                        continue;
                    }
                    if kind == Kind::Country
                        && agent_next.is_none_or(|(n, _)| !self.modifier_gap(h.end, n.first))
                        && (residence.is_some()
                            || (h.first > sp.first_token
                                && self.form(h.first - 1).eq_ignore_ascii_case("ethnic")))
                    {
                        // "ethnic Albanians", "Bosnian Serbs": an ethnic group, not
                        // its country. It is coded by the country it lives in:
                        // the one before it (`BIHSRB`), else, like an agent, the
                        // one the sentence names (`SRB` + `ALB` for ethnic
                        // Albanians in Serbia).
                        let g = match residence.cloned() {
                            Some(home) => {
                                found.pop();
                                let code = format!(
                                    "{}{}",
                                    home.country.as_deref().unwrap_or_default(),
                                    m.code
                                );
                                let tokens = home.tokens.start..h.end;
                                self.mention(s, tokens, h.end - 1, code, m.entry, How::Name)
                            }
                            None => {
                                let mut g = m;
                                g.agent = g.country.take();
                                g.tokens.start -= 1;
                                g.text = span_text(self.doc, g.tokens.start, h.end).to_string();
                                g
                            }
                        };
                        self.push(&mut found, g, None);
                        k += 1;
                        continue;
                    }
                    if matches!(kind, Kind::Country | Kind::Place)
                        && let Some((n, ag)) = agent_next
                        && self.modifier_gap(h.end, n.first)
                    {
                        // Country + agent (+ person): "Russian Foreign Minister Sergey Lavrov";
                        // a place's country too: "Karachi police".
                        let (mut n, mut ag) = (n, ag);
                        if let Some(n2) = hits.get(k + 2).copied()
                            && n2.first == n.end
                            && let Target::Agent(ag2) = n2.target
                        {
                            // "Israeli intelligence officials", "army bulldozers": one
                            // actor, whose sector is the modifier's, the more specific
                            // word, unless that is only "government".
                            if dict.agents[ag as usize].code.starts_with("GOV")
                                && !dict.agents[ag2 as usize].code.starts_with("GOV")
                            {
                                ag = ag2;
                            }
                            n.end = n2.end;
                            k += 1;
                        }
                        let mut c = self.compose(&m, ag, h.first..n.end, n.end - 1);
                        let mut kind = None;
                        k += 2;
                        if let Some((p, pid)) = person_after(k, n.end) {
                            if let Some(mut pm) = self.titled_actor(s, pid, h.first..p.end, ag) {
                                pm.agent_entry = c.agent_entry.take();
                                c = pm;
                                kind = Some(Kind::Person);
                            }
                            k += 1;
                        } else {
                            let e = self.extend_over_name(n.end, sp.end_token);
                            let known = self
                                .person_by_surname(n.end..e, ag, m.country.as_deref())
                                .and_then(|pid| self.titled_actor(s, pid, h.first..e, ag));
                            if let Some(mut pm) = known {
                                pm.agent_entry = c.agent_entry.take();
                                c = pm;
                                kind = Some(Kind::Person);
                            } else if e > n.end {
                                let agent_entry = c.agent_entry.take();
                                c = self.mention(s, h.first..e, e - 1, c.code, c.entry, How::Agent);
                                c.agent_entry = agent_entry;
                                kind = Some(Kind::Person);
                            }
                        }
                        self.ctx.by_agent.insert(ag, c.clone());
                        self.push(&mut found, c, kind);
                        continue;
                    }
                    if kind == Kind::Group
                        && let Some((n, ag)) = agent_next
                        && n.first == h.end
                    {
                        // Group + agent: "Hamas fighters" is Hamas.
                        let mut g = self.mention(
                            s,
                            h.first..n.end,
                            n.end - 1,
                            m.code.clone(),
                            m.entry.clone(),
                            How::Name,
                        );
                        g.agent_entry = Some(self.agent_entry(ag));
                        self.push(&mut found, g, Some(kind));
                        k += 2;
                        continue;
                    }
                    if kind == Kind::Country
                        && let Some((p, pid)) = person_after(k + 1, h.end)
                        && let Some(pm) = self.actor(s, pid, h.first..p.end)
                    {
                        self.push(&mut found, pm, Some(Kind::Person));
                        k += 2;
                        continue;
                    }
                    self.push(&mut found, m, Some(kind));
                }
                Target::Agent(ag) => {
                    // Title + person: "President Putin".
                    if let Some((p, pid)) = person_after(k + 1, h.end) {
                        if let Some(mut pm) = self.titled_actor(s, pid, h.first..p.end, ag) {
                            pm.agent_entry = Some(self.agent_entry(ag));
                            self.ctx.by_agent.insert(ag, pm.clone());
                            self.push(&mut found, pm, Some(Kind::Person));
                        }
                        k += 2;
                        continue;
                    }
                    // "the foreign minister of Russia".
                    if let Some(n) = next
                        && let Target::Actor(cid) = n.target
                        && dict.actors[cid as usize].kind == Kind::Country
                        && self.of_between(h.end, n.first)
                        && let Some(cm) = self.actor(s, cid, n.first..n.end)
                    {
                        let c = self.compose(&cm, ag, h.first..n.end, h.end - 1);
                        self.ctx.by_agent.insert(ag, c.clone());
                        self.push(&mut found, c, None);
                        k += 2;
                        continue;
                    }
                    // "the president": the last actor named with that title.
                    let the_before = h.first > sp.first_token
                        && self.form(h.first - 1).eq_ignore_ascii_case("the");
                    if the_before && let Some(prev) = self.ctx.by_agent.get(&ag) {
                        let mut m = prev.clone();
                        let tokens = h.first - 1..h.end;
                        m.sentence = s;
                        m.text = span_text(self.doc, tokens.start, tokens.end).to_string();
                        m.head = self.head(&tokens, h.end - 1);
                        m.tokens = tokens;
                        m.how = How::Coreference;
                        m.members.clear();
                        self.push(&mut found, m, None);
                        k += 1;
                        continue;
                    }
                    // "opposition groups", "rebel factions": the agent word
                    // modifies a word for people of that kind, and is the actor.
                    let people_after = h.end < sp.end_token
                        && self.doc.head_of(h.end as usize - 1) == Some(h.end as usize)
                        && is_collective(self.form(h.end));
                    if self.is_modifier(h.end - 1) && !people_after {
                        k += 1;
                        continue;
                    }
                    if people_after {
                        let a = &dict.agents[ag as usize];
                        let mut m = self.mention(
                            s,
                            h.first..h.end + 1,
                            h.end,
                            a.code.clone(),
                            self.agent_entry(ag),
                            How::Agent,
                        );
                        m.country = None;
                        m.agent = Some(a.code.get(..3).unwrap_or(&a.code).to_string());
                        self.push(&mut found, m, None);
                        k += 1;
                        continue;
                    }
                    let e = self.extend_over_name(h.end, sp.end_token);
                    if let Some(pid) = self.person_by_surname(h.end..e, ag, None)
                        && let Some(mut pm) = self.titled_actor(s, pid, h.first..e, ag)
                    {
                        pm.agent_entry = Some(self.agent_entry(ag));
                        self.ctx.by_agent.insert(ag, pm.clone());
                        self.push(&mut found, pm, Some(Kind::Person));
                        k += 1;
                        continue;
                    }
                    let a = &dict.agents[ag as usize];
                    let mut m = self.mention(
                        s,
                        h.first..e,
                        e - 1,
                        a.code.clone(),
                        self.agent_entry(ag),
                        How::Agent,
                    );
                    m.country = None;
                    m.agent = Some(a.code.get(..3).unwrap_or(&a.code).to_string());
                    self.push(&mut found, m, None);
                }
                Target::Ref(r) => {
                    if let Some(m) = self.reference(s, r, h) {
                        self.push(&mut found, m, None);
                    }
                }
            }
            k += 1;
        }
        for m in self.compounds(s, found) {
            if !m.members.is_empty() {
                self.ctx.note(&m, None);
            }
            out.push(m);
        }
    }

    /// `of` or `of the` between an agent and a country.
    fn of_between(&self, from: u32, to: u32) -> bool {
        match to.saturating_sub(from) {
            1 => self.form(from).eq_ignore_ascii_case("of"),
            2 => {
                self.form(from).eq_ignore_ascii_case("of")
                    && self.form(from + 1).eq_ignore_ascii_case("the")
            }
            _ => false,
        }
    }

    fn reference(&self, s: u32, r: RefWord, h: Hit) -> Option<Mention> {
        let tokens = h.first..h.end;
        let text = span_text(self.doc, h.first, h.end).to_string();
        let refer = |m: &Mention, how: How| {
            let mut m = m.clone();
            m.sentence = s;
            m.head = self.head(&tokens, h.end - 1);
            m.tokens = tokens.clone();
            m.text = text.clone();
            m.how = how;
            m.members.clear();
            m
        };
        let compound = |members: Vec<Mention>| {
            let mut top = members[0].clone();
            top.members = members;
            top
        };
        match r {
            RefWord::Person => self
                .ctx
                .last_person
                .as_ref()
                .map(|p| refer(p, How::Pronoun)),
            RefWord::It => {
                // Only a subject "it" is worth resolving ("it is raining" has no antecedent,
                // and without a parse there is no telling).
                let subject = matches!(self.doc.deprel.get(h.first as usize), Some(DepRel::Nsubj));
                let a = self.ctx.last_actor.as_ref()?;
                (subject && a.sentence + 1 >= s).then(|| refer(a, How::Pronoun))
            }
            RefWord::They => {
                let (at, p) = self.ctx.last_plural.as_ref()?;
                (at + 1 >= s).then(|| {
                    let members = p.members.iter().map(|x| refer(x, How::Pronoun)).collect();
                    let mut top = compound(members);
                    top.how = How::Pronoun;
                    top
                })
            }
            RefWord::TwoCountries | RefWord::TwoLeaders => {
                let pool = if r == RefWord::TwoCountries {
                    &self.ctx.countries
                } else {
                    &self.ctx.persons
                };
                if pool.len() < 2 {
                    return None;
                }
                let members: Vec<Mention> = pool[pool.len() - 2..]
                    .iter()
                    .map(|x| refer(x, How::Coreference))
                    .collect();
                let mut top = compound(members);
                top.how = How::Coreference;
                Some(top)
            }
            RefWord::TheCountry => self.ctx.countries.last().map(|c| {
                let mut m = refer(c, How::Coreference);
                if let Some(cc) = &m.country {
                    m.code = cc.clone();
                    m.agent = None;
                }
                m
            }),
        }
    }

    /// Joins coordinated mentions: `A and B`, `A, B and C`, `A and the B`. A comma
    /// before the last `and` only continues a list of three or more (", and" between
    /// two mentions usually joins clauses, not actors).
    fn compounds(&self, s: u32, found: Vec<Mention>) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::with_capacity(found.len());
        let mut i = 0;
        while i < found.len() {
            let mut j = i;
            let mut closed_at = None;
            while j + 1 < found.len() {
                let (a, b) = (&found[j], &found[j + 1]);
                if !a.members.is_empty()
                    || !b.members.is_empty()
                    || b.how == How::Pronoun
                    || a.how == How::Pronoun
                {
                    break;
                }
                match self.link(a.tokens.end, b.tokens.start) {
                    Some(Link::And) => {
                        closed_at = Some(j + 1);
                        break;
                    }
                    Some(Link::CommaAnd) if j > i => {
                        closed_at = Some(j + 1);
                        break;
                    }
                    Some(Link::Comma) => j += 1,
                    _ => break,
                }
            }
            match closed_at {
                Some(last) => {
                    let mut members: Vec<Mention> = found[i..=last].to_vec();
                    self.share_agent(&mut members);
                    let tokens = members[0].tokens.start..members[last - i].tokens.end;
                    let mut top = members[0].clone();
                    top.text = span_text(self.doc, tokens.start, tokens.end).to_string();
                    top.head = members[0].head;
                    top.tokens = tokens;
                    top.sentence = s;
                    top.how = How::Compound;
                    top.members = members;
                    out.push(top);
                    i = last + 1;
                }
                None => {
                    out.push(found[i].clone());
                    i += 1;
                }
            }
        }
        out
    }

    /// "Hungarian and Romanian officials": the agent of the last member belongs to
    /// every coordinated country adjective before it (`HUNGOV`, `ROUGOV`); and
    /// "Syrian tanks and helicopters": the country of the first member belongs to
    /// the bare agents of the same sector after it (not to "Russian troops and
    /// rebels").
    fn share_agent(&self, members: &mut [Mention]) {
        if let Some((first, rest)) = members.split_first_mut()
            && first.how == How::Agent
            && first.country.is_some()
        {
            for m in rest {
                if m.how == How::Agent && m.country.is_none() && m.agent == first.agent {
                    m.code = first.code.clone();
                    m.country = first.country.clone();
                }
            }
        }
        // Only a plain list of adjectives: "A and B officials", "A, B and C troops".
        let plain = members.windows(2).all(|w| {
            (w[0].tokens.end..w[1].tokens.start).all(|t| matches!(self.form(t), "," | "and"))
        });
        let Some((last, rest)) = members.split_last_mut() else {
            return;
        };
        if !plain || last.how != How::Agent || last.text.contains(" of ") {
            return;
        }
        let (Some(country), Some(agent_entry)) = (&last.country, &last.agent_entry) else {
            return;
        };
        let Some(suffix) = last
            .code
            .strip_prefix(country.as_str())
            .filter(|s| !s.is_empty())
        else {
            return;
        };
        for m in rest {
            let adjective = match self.upos(m.head) {
                Some(u) => matches!(u, Upos::Adj | Upos::Propn),
                None => true,
            };
            if m.how == How::Name
                && m.agent.is_none()
                && m.code.len() == 3
                && m.country.is_some()
                && adjective
            {
                m.code = format!("{}{suffix}", m.code);
                m.agent = Some(suffix.get(..3).unwrap_or(suffix).to_string());
                m.agent_entry = Some(agent_entry.clone());
                m.how = How::Agent;
            }
        }
    }

    /// What joins two mentions, if they may be coordinated.
    fn link(&self, from: u32, to: u32) -> Option<Link> {
        let is = |t: u32, w: &str| self.form(t).eq_ignore_ascii_case(w);
        let and = |t: u32| is(t, "and") || is(t, "&");
        match to.checked_sub(from)? {
            1 if and(from) => Some(Link::And),
            1 if is(from, ",") => Some(Link::Comma),
            2 if and(from) && is(from + 1, "the") => Some(Link::And),
            2 if is(from, ",") && and(from + 1) => Some(Link::CommaAnd),
            3 if is(from, ",") && and(from + 1) && is(from + 2, "the") => Some(Link::CommaAnd),
            _ => None,
        }
    }
}

/// Words between two coordinated mentions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    And,
    Comma,
    CommaAnd,
}
