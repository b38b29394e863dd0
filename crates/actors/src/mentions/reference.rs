//! References back: pronouns and definite descriptions resolved to earlier actors, in reading order.

use super::{How, Mention, Run, span_text};
use crate::dict::Kind;
use crate::matcher::{Hit, RefWord};
use dyad_doc::DepRel;
use rustc_hash::FxHashMap;

/// How many sentences back a subject stays the most salient person.
const SALIENT_SENTENCES: u32 = 3;

/// What references can point back to, updated in reading order.
#[derive(Default)]
pub(super) struct Context {
    pub(super) last_person: Option<Mention>,
    /// The last person named as a clause's subject: the most salient one,
    /// which "he" and "she" refer to first ("Erdoğan ... lambasted decisions
    /// by Donald Trump. The decision, he said, ...": Erdoğan).
    pub(super) last_subject_person: Option<Mention>,
    /// Most recent last; one per country code.
    pub(super) countries: Vec<Mention>,
    pub(super) persons: Vec<Mention>,
    pub(super) last_actor: Option<Mention>,
    pub(super) last_plural: Option<(u32, Mention)>,
    /// Last actor named with each agent title ("the president").
    pub(super) by_agent: FxHashMap<u32, Mention>,
}

impl Context {
    /// Records a mention as soon as it is found, so a pronoun later in the same
    /// sentence can refer to it ("Biden said ..., and he warned").
    pub(super) fn note(&mut self, m: &Mention, kind: Option<Kind>, subject: bool) {
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
            if subject {
                self.last_subject_person = Some(m.clone());
            }
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

impl Run<'_> {
    pub(super) fn reference(&self, s: u32, r: RefWord, h: Hit) -> Option<Mention> {
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
            RefWord::Person => {
                // The last subject within the last few sentences, else the
                // last person named.
                let subject = self
                    .ctx
                    .last_subject_person
                    .as_ref()
                    .filter(|p| p.sentence + SALIENT_SENTENCES >= s);
                subject
                    .or(self.ctx.last_person.as_ref())
                    .map(|p| refer(p, How::Pronoun))
            }
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
}
