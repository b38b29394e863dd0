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

mod compose;
mod compound;
mod person;
mod reference;

use crate::dict::{ActorDict, ActorEntry, Kind, parse_doc_date};
use crate::matcher::{Haystack, Hit, Target};
use compose::is_collective;
use dyad_doc::event::Entry;
use dyad_doc::{DepRel, Doc, Upos};
use reference::Context;

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
        // Every sentence, hits or not: a surname alone refers back to a person.
        for s in 0..doc.sentences.len() {
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

    /// Records a mention for references and keeps it.
    fn push(&mut self, found: &mut Vec<Mention>, m: Mention, kind: Option<Kind>) {
        let subject = matches!(
            self.doc.deprel.get(m.head as usize),
            Some(DepRel::Nsubj | DepRel::NsubjPass)
        );
        self.ctx.note(&m, kind, subject);
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
        self.surnames(s, &mut found);
        for m in self.compounds(s, found) {
            if !m.members.is_empty() {
                self.ctx.note(&m, None, false);
            }
            out.push(m);
        }
    }
}
