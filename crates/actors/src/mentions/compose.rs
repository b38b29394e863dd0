//! Country + agent composition ("Russian forces" = `RUSMIL`) and the words that may stand between them.

use super::{How, Mention, Run};
use dyad_doc::Upos;
use dyad_doc::event::Entry;
use std::ops::Range;

/// Nouns for a body of people, which take their kind from an agent word
/// before them ("opposition groups", "rebel factions").
pub(super) fn is_collective(w: &str) -> bool {
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

/// Words that may stand between a country and its agent without POS tags.
pub(super) fn is_function_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "and", "or", "of", "to", "in", "on", "the", "a", "an", "with", "for", "by", "at", "from",
        "as", "is", "was", "are", "were", "has", "have", "had", "said", "says", "that", "which",
        "who", "will", "would", "not",
    ];
    WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

impl Run<'_> {
    /// Country code + agent code (`RUS` + `MIL`, or `NGO~` + `UGA` for a prefix agent).
    pub(super) fn compose(
        &self,
        country: &Mention,
        agent: u32,
        tokens: Range<u32>,
        head: u32,
    ) -> Mention {
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

    pub(super) fn agent_entry(&self, agent: u32) -> Entry {
        let a = &self.dict.agents[agent as usize];
        Entry {
            name: a.name.clone(),
            source: self.dict.source_label(a.source),
            role: None,
        }
    }

    /// Whether tokens `from..to` may stand between a country and its agent.
    pub(super) fn modifier_gap(&self, from: u32, to: u32) -> bool {
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

    /// `of` or `of the` between an agent and a country.
    pub(super) fn of_between(&self, from: u32, to: u32) -> bool {
        match to.saturating_sub(from) {
            1 => self.form(from).eq_ignore_ascii_case("of"),
            2 => {
                self.form(from).eq_ignore_ascii_case("of")
                    && self.form(from + 1).eq_ignore_ascii_case("the")
            }
            _ => false,
        }
    }
}
