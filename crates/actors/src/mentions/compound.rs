//! Coordinated actors ("Russia and China", "A, B and C") as one compound mention.

use super::{How, Mention, Run, span_text};
use dyad_doc::Upos;

impl Run<'_> {
    /// Joins coordinated mentions: `A and B`, `A, B and C`, `A and the B`. A comma
    /// before the last `and` only continues a list of three or more (", and" between
    /// two mentions usually joins clauses, not actors).
    pub(super) fn compounds(&self, s: u32, found: Vec<Mention>) -> Vec<Mention> {
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
    pub(super) fn share_agent(&self, members: &mut [Mention]) {
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
