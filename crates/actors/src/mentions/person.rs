//! People: a title with a known or unknown name, dated roles, surnames.

use super::{How, Mention, Run};
use crate::dict::Kind;
use crate::normalize::normalize_name;

use dyad_doc::Upos;
use std::ops::Range;

/// Words before a title that say the office is no longer held ("former
/// President", "ousted Prime Minister").
pub(super) fn is_former(w: &str) -> bool {
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

impl Run<'_> {
    /// A person named with a title ("Russian President Boris Yeltsin", "ousted
    /// President Askar Akayev"). The title is evidence of the office the person
    /// held when the text was written, so it wins over a dated role that
    /// contradicts it: news text is often coded with a missing or placeholder
    /// date, and then the dictionary's most recent role (often "former") would
    /// decide. A title after "former", "ousted", ... stands for `ELI`. Among the
    /// person's roles with the title's sector, the one in force on the document
    /// date, else the closest to it, applies.
    pub(super) fn titled_actor(
        &self,
        s: u32,
        id: u32,
        tokens: Range<u32>,
        title: u32,
    ) -> Option<Mention> {
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
    pub(super) fn role_distance(&self, r: &crate::dict::Role) -> u32 {
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
    pub(super) fn person_by_surname(
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

    /// Extends a titled span over a following unknown name ("President William
    /// Ruto"): proper nouns by the tagger, or capitalised words without tags.
    pub(super) fn extend_over_name(&self, end: u32, limit: u32) -> u32 {
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
}

/// Honorifics (`dict/actors/honorifics.words`): "Mr", "Sir", "Baroness".
fn is_honorific(w: &str) -> bool {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("../../../../dict/actors/honorifics.words")
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .flat_map(str::split_whitespace)
            .map(str::to_string)
            .collect()
    });
    let w = w.strip_suffix('.').unwrap_or(w);
    words.iter().any(|h| h.eq_ignore_ascii_case(w))
}

/// The last word of a person mention's text, normalised ("Prime Minister
/// Tony Blair" → "blair"); `None` for a one-word name, which the
/// dictionary matches as it is.
fn surname_of(m: &Mention) -> Option<String> {
    let (_, last) = m.text.trim().rsplit_once(char::is_whitespace)?;
    let k = normalize_name(last);
    (k.len() >= 2 && k.chars().all(char::is_alphabetic)).then_some(k)
}

impl Run<'_> {
    /// A person referred to by surname ("Blair said", "Mr Oaten", "Sir John
    /// Bourn" after "John Bourn"): a proper noun ending a name, not part of a
    /// mention, whose surname is that of a person named earlier in the
    /// document by a longer name; with an honorific before it and no such
    /// person, the one person of that surname the dictionary knows. A first
    /// name before it must be that person's.
    pub(super) fn surnames(&mut self, s: u32, found: &mut Vec<Mention>) {
        if self.doc.upos.is_empty() {
            return;
        }
        let sp = self.doc.sentences[s as usize];
        let covered = |found: &[Mention], t: u32| found.iter().any(|m| m.tokens.contains(&t));
        let doc = self.doc;
        let propn = |t: u32| doc.upos.get(t as usize) == Some(&Upos::Propn);
        let mut added = false;
        for t in sp.first_token..sp.end_token {
            if !propn(t) || covered(found, t) || (t + 1 < sp.end_token && propn(t + 1)) {
                continue;
            }
            let before = (t > sp.first_token).then(|| t - 1);
            let honorific = before.is_some_and(|b| is_honorific(self.form(b)));
            let first_name = before
                .filter(|&b| !honorific && propn(b) && !covered(found, b))
                .map(|b| normalize_name(self.form(b)));
            if before.is_some_and(|b| propn(b) && !honorific && first_name.is_none()) {
                continue;
            }
            let key = normalize_name(self.form(t));
            let earlier = self.ctx.persons.iter().rev().find(|p| {
                surname_of(p).as_deref() == Some(key.as_str())
                    && first_name
                        .as_ref()
                        .is_none_or(|f| normalize_name(&p.text).split(' ').any(|w| w == f))
            });
            let start = if honorific || first_name.is_some() { t - 1 } else { t };
            let tokens = start..t + 1;
            let m = match earlier {
                Some(p) => {
                    let mut m = p.clone();
                    m.sentence = s;
                    m.head = self.head(&tokens, t);
                    m.text = super::span_text(self.doc, tokens.start, tokens.end).to_string();
                    m.tokens = tokens;
                    m.how = How::Coreference;
                    m.members.clear();
                    m
                }
                None if honorific => match self.person_by_honorific(&key) {
                    Some(id) => match self.actor(s, id, tokens) {
                        Some(m) => m,
                        None => continue,
                    },
                    None => continue,
                },
                None => continue,
            };
            self.push(found, m, Some(Kind::Person));
            added = true;
        }
        if added {
            found.sort_by_key(|m| m.tokens.start);
        }
    }

    /// The one person of surname `key` the dictionary knows, when all its
    /// people of that surname are of one country (the role closest to the
    /// document date decides among them).
    fn person_by_honorific(&self, key: &str) -> Option<u32> {
        let ids = self.dict.surnames.get(key)?;
        let mut best: Option<(u32, u32, Option<String>)> = None;
        for &id in ids {
            let e = &self.dict.actors[id as usize];
            let r = e.roles.iter().min_by_key(|r| self.role_distance(r))?;
            let country = self.dict.split_code(&r.code).0;
            if let Some((_, _, c)) = &best
                && *c != country
            {
                return None;
            }
            let d = self.role_distance(r);
            if best.as_ref().is_none_or(|(_, bd, _)| d < *bd) {
                best = Some((id, d, country));
            }
        }
        best.map(|(id, _, _)| id)
    }
}
