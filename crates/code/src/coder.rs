//! The coder: triggers, patterns, roles and modality over one parsed sentence.
//!
//! Each sentence is handled on its own, with a few reusable buffers (children
//! lists of the parse, the token → mention map), so coding allocates only for
//! the events it produces and the candidates it reports.
//!
//! The **region** of a trigger is the part of its dependency subtree that belongs
//! to its own clause: everything below it except subjects (they are looked up
//! separately), nested finite clauses (`ccomp`, `advcl`, `parataxis`,
//! relative clauses) and coordinated verbs, which are triggers of their own.
//! Pattern words are matched in text order among the region's tokens, and
//! a target is looked for in the object first, then in the rest of the region.
//!
//! Rules, by the names they carry in provenance:
//! * `passive`: `nsubj:pass` is the target and the `by` phrase the source;
//! * `controller`: a verb without a subject takes the subject of the verb it
//!   depends on (`xcomp`, participle `advcl`, shared-subject `conj`), so "Russia
//!   agreed to help Ukraine" codes Russia → Ukraine;
//! * `event_noun`: "Russia's attack on Ukraine", "Russian assistance to China",
//!   "forces continued their offensive in Ukraine": the possessor or adjective
//!   (else the subject of the verb governing the noun) is the source, the
//!   prepositional argument the target;
//! * `threat` / `intent`: "threatened to attack" becomes 138, "agreed to help"
//!   becomes 033; `negated` and `hypothetical` ("did not", "may", "plans to")
//!   drop the event unless [`CoderOptions::keep_modal`] keeps it flagged;
//! * `framing`: a verb coded only by its default ("said", "continued",
//!   "threatened") whose complement was coded yields to it, which is how
//!   reported speech codes the reported event;
//! * `compound` / `reciprocal` / `reverse`: one event per source × target
//!   member; a compound subject without a target acting jointly ("the two
//!   countries conducted exercises") codes each member towards the others;
//!   `[042:043]` codes the reverse event too; a pattern with PETRARCH's
//!   compound marker (`- % HAVE * [191]`) matched with a compound source codes
//!   the members towards each other (`reciprocal`) whatever the target;
//! * `agent_of_country`: a bare agent composes with the country of its
//!   `from`/`in`/`of` modifier or its possessor ("soldiers from Gondor" =
//!   `GONMIL`, "Gondor's awful minister" = `GONGOV`);
//! * `nearest_source` / `nearest_target`: when the parse gives no subject or no
//!   argument with an actor, the closest actor before the verb, or the first
//!   actor below it, fills the role (parsers fail on long or odd sentences;
//!   PETRARCH-style dictionaries assume this positional reading); an actor in
//!   a verbless comma-delimited appositive gives way to the one before it
//!   ("Pakistan, a key U.S. ally in the war, has refused");
//! * `no_target`: with [`CoderOptions::monadic`], a main-clause event whose
//!   target is missing, or is only the source's own country, is coded with the
//!   source alone (PLOVER allows it);
//! * `demand:must` / `directive_target`: "X said Y must Z" is X demanding of Y
//!   (100); a demand or appeal without an object targets the subject of its
//!   complement clause, and keeps its own event (as a refusal does);
//! * `threat:unless`: a stated future act with an "unless" clause is a threat;
//!   `attempt`: an attempted act of force is coded as the act;
//! * `agent_of_local_country`: an agent without a country takes the country
//!   the sentence names closest to it (not with [`CoderOptions::bare_agents`]);
//! * `reflexive_target`: a target that is the source itself ("halted his
//!   march towards X") gives way to the next other actor;
//! * `repaired_root`: the trigger is a past-tense main verb the parser had
//!   attached as an adjective to its object (`repair_verbal_root`);
//! * `negated_acceptance`: "will not accept", "did not agree to" is a
//!   rejection (120), not a dropped event;
//! * `agentless`: with [`CoderOptions::monadic`], an act of force (18-20)
//!   stated in the passive without an agent ("civilians were killed in a
//!   bombing") is coded with its victim as target and no source.
//!
//! The events of the coded trigger highest in the parse are marked
//! `main_event`: the sentence's main event.

use crate::cameo::CameoTable;
use crate::verbs::{CodeSpec, Elem, Loc, Trigger, VerbDict};
use dyad_doc::event::{ActorRef, Event, Modality, Plover, Provenance, Span};
use dyad_doc::{DepRel, Doc, Upos};
use std::sync::OnceLock;

/// An actor mention, as `dyad-actors` finds it.
pub use dyad_actors::Mention;

/// A sentence the actor dictionary's discard list rules out.
#[derive(Clone, Debug, PartialEq)]
pub struct Discard {
    pub sentence: u32,
    /// The discard phrase and its dictionary entry, for the explanation.
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct CoderOptions {
    /// Keep negated and hypothetical events (flagged in `modality`) instead of dropping them.
    pub keep_modal: bool,
    /// Code one-actor events (no target) instead of rejecting them, as PLOVER
    /// allows ("the rebels agreed to disarm").
    pub monadic: bool,
    /// Code a future act ("will contribute") as the act itself rather than as an
    /// intent (03x) or threat (13x). PETRARCH and TABARI code the verb whatever
    /// its tense and spell out in their own patterns the futures they code
    /// differently, so their dictionaries are run with this set.
    pub literal_future: bool,
    /// Match patterns, and look for a pattern's or a verb's target, over the
    /// whole verb phrase, complement clauses included, as PETRARCH's patterns
    /// run over the verb phrase of a constituency parse ("allowed that Mordor
    /// isn't a really pleasant place"). Set for PETRARCH and TABARI dictionaries;
    /// Dyad's own patterns are written for the verb's own clause.
    pub verb_phrase_patterns: bool,
    /// Leave an agent without a country of its own bare ("the government" =
    /// `GOV`), as PETRARCH and TABARI do; otherwise it takes the country the
    /// sentence names closest to it.
    pub bare_agents: bool,
    /// Look a verb up only under its lemma and its form, as PETRARCH and TABARI
    /// do: their dictionaries list the inflected forms they accept, and a
    /// misspelt form ("departes") codes nothing. Otherwise a verb found under
    /// neither is also looked up under its inflection's stems, which recovers
    /// the lemmatizer's misreadings ("blamed" -> "blam").
    pub exact_verb_forms: bool,
}

/// What happened to a candidate trigger.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Coded: indices of the events it produced in the returned list.
    Coded(Vec<usize>),
    Rejected(String),
}

/// A trigger considered by the coder, for `--explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// 0-based sentence index.
    pub sentence: u32,
    pub trigger: Span,
    /// The pattern or default that applied, with its dictionary line.
    pub pattern: String,
    pub pattern_source: String,
    pub code: String,
    pub rules: Vec<String>,
    pub outcome: Outcome,
}

/// The event coder: a verb dictionary and the CAMEO table.
pub struct Coder {
    pub verbs: VerbDict,
    pub options: CoderOptions,
    cameo: &'static CameoTable,
}

impl Coder {
    pub fn new(verbs: VerbDict, options: CoderOptions) -> Coder {
        Coder {
            verbs,
            options,
            cameo: CameoTable::builtin(),
        }
    }

    /// The coder with Dyad's own dictionary, built once.
    pub fn builtin() -> &'static Coder {
        static C: OnceLock<Coder> = OnceLock::new();
        C.get_or_init(|| Coder::new(VerbDict::builtin(), CoderOptions::default()))
    }

    /// Events of `doc` (tagged, lemmatised and parsed) given its actor mentions.
    pub fn code(&self, doc: &Doc, mentions: &[Mention], discards: &[Discard]) -> Vec<Event> {
        self.run(doc, mentions, discards, None)
    }

    /// Events and every candidate considered, coded or rejected.
    pub fn explain(
        &self,
        doc: &Doc,
        mentions: &[Mention],
        discards: &[Discard],
    ) -> (Vec<Event>, Vec<Candidate>) {
        let mut cands = Vec::new();
        let events = self.run(doc, mentions, discards, Some(&mut cands));
        (events, cands)
    }

    fn run(
        &self,
        doc: &Doc,
        mentions: &[Mention],
        discards: &[Discard],
        mut trace: Option<&mut Vec<Candidate>>,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        if doc.head.len() != doc.len() || doc.lemma_span.len() != doc.len() || doc.is_empty() {
            return events;
        }
        let mut buf = Buffers::default();
        let mut m0 = 0;
        for s in 0..doc.sentences.len() {
            let m_end = m0
                + mentions[m0..]
                    .iter()
                    .take_while(|m| m.sentence as usize == s)
                    .count();
            // Mentions are in text order; skip any that are out of order.
            let sent_mentions = &mentions[m0..m_end];
            m0 = m_end;
            while m0 < mentions.len() && (mentions[m0].sentence as usize) < s {
                m0 += 1;
            }
            let discard = discards.iter().find(|d| d.sentence as usize == s);
            let mut sc = SentenceCoder::new(self, doc, s, sent_mentions, &mut buf);
            let first = events.len();
            sc.code(discard, &mut events, trace.as_deref_mut());
            number_events(doc, s, &mut events[first..]);
        }
        events
    }
}

fn number_events(doc: &Doc, s: usize, events: &mut [Event]) {
    for (n, e) in events.iter_mut().enumerate() {
        e.event_id = format!("{}:{}:{}", doc.id, s + 1, n + 1);
    }
}

/// Reusable per-sentence buffers.
#[derive(Default)]
struct Buffers {
    /// The sentence's parse, sentence-local (`u32::MAX`: the root), after
    /// [`repair_verbal_root`].
    heads: Vec<u32>,
    rels: Vec<DepRel>,
    kid_off: Vec<u32>,
    kids: Vec<u32>,
    /// Sentence-local token → index+1 into the sentence's mentions (0 = none).
    mention_at: Vec<u32>,
    lower: String,
    /// A verb stem tried when neither lemma nor form is in the dictionary.
    stem: String,
}

/// Words whose complement is an intent to act ("agreed to help").
const INTENT: &[&str] = &[
    "agree",
    "swear",
    "promise",
    "pledge",
    "vow",
    "offer",
    "commit",
    "undertake",
    "willingness",
    "readiness",
    "willing",
    "ready",
    "prepared",
    "intention",
    "intent",
    "resolve",
    "decide",
];
/// Words whose complement is a threat ("threatened to attack").
const THREAT: &[&str] = &["threaten", "threat", "warn", "ultimatum"];
/// Words whose complement did not (yet) happen ("plans to", "may").
const HYPOTHETICAL: &[&str] = &[
    "plan",
    "intend",
    "want",
    "hope",
    "seek",
    "aim",
    "consider",
    "expect",
    "wish",
    "try",
    "attempt",
    "propose",
    "mull",
    "weigh",
    "contemplate",
    "aspire",
    "desire",
    "need",
    "call",
    "urge",
    "ask",
    "demand",
    "request",
    "possibility",
    "prospect",
    "likely",
    "unlikely",
    "able",
    "could",
    "goal",
    "effort",
];
/// Words whose complement is refused or denied ("refused to meet", "denied attacking").
const REFUSAL: &[&str] = &[
    "refuse", "decline", "reject", "deny", "fail", "avoid", "stop", "cease", "halt",
];
/// Words that ask another side to act ("demanded that they withdraw",
/// "urged Congress to change"): the act is the other side's, not yet done.
const DIRECTIVE: &[&str] = &[
    "demand", "urge", "ask", "request", "appeal", "call", "press", "insist",
];
/// Words of acceptance: negated, they state a rejection ("will not accept",
/// "did not agree to").
const ACCEPTANCE: &[&str] = &[
    "accept",
    "agree",
    "allow",
    "approve",
    "recognize",
    "recognise",
    "permit",
    "endorse",
];
const MODAL_AUX: &[&str] = &["may", "might", "could", "should", "must"];
/// Future auxiliaries: a stated future act is an intent (CAMEO 03x) or a threat.
const FUTURE_AUX: &[&str] = &["will", "would", "shall", "'ll", "wo"];
const NEGATION: &[&str] = &["not", "n't", "never", "no"];

/// What a governor chain says about the trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mood {
    Factual,
    Threat,
    Intent,
    Hypothetical,
    Negated,
}

struct Match {
    trigger_text: String,
    code: CodeSpec,
    /// Pattern as written, with its code.
    pattern: String,
    loc: Loc,
    /// Matched by a specific pattern (not just the trigger's default).
    specific: bool,
    /// Tokens (sentence-local) the pattern's words matched.
    consumed: Vec<u32>,
    source_at: Option<u32>,
    target_at: Option<u32>,
    /// The pattern has PETRARCH's compound-actor marker `%` before the verb.
    compound: bool,
}

/// One trigger's result: token, is-noun, events, its candidate record, and the
/// tokens its pattern matched.
type Coded = (usize, bool, Vec<Event>, Candidate, Vec<u32>);

struct Found {
    /// Index into the sentence's mentions.
    mention: usize,
}

struct SentenceCoder<'a> {
    coder: &'a Coder,
    doc: &'a Doc,
    s: usize,
    base: usize,
    n: usize,
    mentions: &'a [Mention],
    buf: &'a mut Buffers,
}

impl<'a> SentenceCoder<'a> {
    fn new(
        coder: &'a Coder,
        doc: &'a Doc,
        s: usize,
        mentions: &'a [Mention],
        buf: &'a mut Buffers,
    ) -> Self {
        let sp = doc.sentences[s];
        let (base, n) = (sp.first_token as usize, sp.len());
        buf.heads.clear();
        buf.rels.clear();
        for i in 0..n {
            buf.heads
                .push(local_head(doc, base, n, i).map_or(u32::MAX, |h| h as u32));
            buf.rels.push(doc.deprel[base + i]);
        }
        repair_verbal_root(doc, base, &mut buf.heads, &mut buf.rels);
        repair_lexical_auxiliary(doc, base, &mut buf.heads, &mut buf.rels);
        repair_subject_root(doc, base, &mut buf.heads, &mut buf.rels);
        let local = |heads: &[u32], i: usize| Some(heads[i] as usize).filter(|&h| h < n);
        // Children lists (CSR) of the sentence's parse.
        buf.kid_off.clear();
        buf.kid_off.resize(n + 1, 0);
        for i in 0..n {
            if let Some(h) = local(&buf.heads, i) {
                buf.kid_off[h + 1] += 1;
            }
        }
        for i in 0..n {
            buf.kid_off[i + 1] += buf.kid_off[i];
        }
        buf.kids.clear();
        buf.kids.resize(buf.kid_off[n] as usize, 0);
        let mut fill: Vec<u32> = buf.kid_off[..n].to_vec();
        for i in 0..n {
            if let Some(h) = local(&buf.heads, i) {
                buf.kids[fill[h] as usize] = i as u32;
                fill[h] += 1;
            }
        }
        buf.mention_at.clear();
        buf.mention_at.resize(n, 0);
        for (k, m) in mentions.iter().enumerate() {
            for t in m.tokens.clone() {
                let t = t as usize;
                if (base..base + n).contains(&t) && buf.mention_at[t - base] == 0 {
                    buf.mention_at[t - base] = k as u32 + 1;
                }
            }
        }
        SentenceCoder {
            coder,
            doc,
            s,
            base,
            n,
            mentions,
            buf,
        }
    }

    fn kids(&self, i: usize) -> &[u32] {
        &self.buf.kids[self.buf.kid_off[i] as usize..self.buf.kid_off[i + 1] as usize]
    }
    fn head(&self, i: usize) -> Option<usize> {
        Some(self.buf.heads[i] as usize).filter(|&h| h < self.n)
    }
    fn rel(&self, i: usize) -> DepRel {
        self.buf.rels[i]
    }
    fn upos(&self, i: usize) -> Upos {
        self.doc
            .upos
            .get(self.base + i)
            .copied()
            .unwrap_or_default()
    }
    /// The PTB tag of token `i` ("" past the document's end).
    fn xpos(&self, i: usize) -> &'static str {
        self.doc.xpos.get(self.base + i).map_or("", |x| x.as_str())
    }
    fn lemma(&self, i: usize) -> &str {
        self.doc.lemma(self.base + i)
    }
    fn form(&self, i: usize) -> &str {
        self.doc.form(self.base + i)
    }
    /// Whether token `i` is the word `w` (lower case), by lemma or form.
    fn is(&self, i: usize, w: &str) -> bool {
        self.lemma(i).eq_ignore_ascii_case(w) || self.form(i).eq_ignore_ascii_case(w)
    }
    fn is_any(&self, i: usize, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.is(i, w))
    }
    fn mention_of(&self, i: usize) -> Option<usize> {
        match self.buf.mention_at[i] {
            0 => None,
            k => Some(k as usize - 1),
        }
    }
    /// Whether `i` has a dependent in relation `rel` that is one of `words`
    /// ("to" as a marker, "must" as an auxiliary).
    fn has_child_word(&self, i: usize, rel: DepRel, words: &[&str]) -> bool {
        self.kids(i)
            .iter()
            .any(|&k| self.rel(k as usize) == rel && self.is_any(k as usize, words))
    }
    fn child_with(&self, i: usize, rels: &[DepRel]) -> Option<usize> {
        self.kids(i)
            .iter()
            .map(|&k| k as usize)
            .find(|&k| rels.contains(&self.rel(k)))
    }

    /// Whether `x` lies in the clause region of `v` (see module docs).
    fn in_region(&self, x: usize, v: usize) -> bool {
        self.in_region_with(x, v, false)
    }

    /// [`in_region`](Self::in_region), optionally taking in complement clauses
    /// (`ccomp`) too.
    fn in_region_with(&self, x: usize, v: usize, complements: bool) -> bool {
        let mut cur = x;
        for _ in 0..self.n {
            if cur == v {
                return true;
            }
            let r = self.rel(cur);
            let clause_break = matches!(
                r,
                DepRel::Nsubj
                    | DepRel::NsubjPass
                    | DepRel::Csubj
                    | DepRel::CsubjPass
                    | DepRel::Ccomp
                    | DepRel::Advcl
                    | DepRel::Parataxis
                    | DepRel::AclRelcl
                    | DepRel::Punct
                    | DepRel::Discourse
                    | DepRel::List
                    | DepRel::Dislocated
                    | DepRel::Reparandum
                    | DepRel::Vocative
            ) || (r == DepRel::Conj && self.upos(cur).is_verbal());
            // With complements, a complement clause and its own subject belong in.
            let nested = complements
                && (r == DepRel::Ccomp
                    || (matches!(r, DepRel::Nsubj | DepRel::NsubjPass)
                        && self.head(cur) != Some(v)));
            if clause_break && !nested {
                return false;
            }
            match self.head(cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    /// Whether `v` is the main predicate or reached from it through complements
    /// and coordination only (one-actor events are coded only there: elsewhere
    /// a missing target is more often a parse or dictionary gap).
    fn in_main_clause(&self, v: usize) -> bool {
        let mut cur = v;
        for _ in 0..self.n {
            match self.head(cur) {
                None => return true,
                Some(h) => {
                    if !matches!(self.rel(cur), DepRel::Xcomp | DepRel::Ccomp | DepRel::Conj) {
                        return false;
                    }
                    cur = h;
                }
            }
        }
        false
    }

    /// Whether `x` is below `v` through anything but subjects and coordination.
    fn governed_by(&self, x: usize, v: usize) -> bool {
        let mut cur = x;
        for _ in 0..self.n {
            if cur == v {
                return true;
            }
            if matches!(
                self.rel(cur),
                DepRel::Nsubj
                    | DepRel::NsubjPass
                    | DepRel::Csubj
                    | DepRel::Parataxis
                    | DepRel::Conj
            ) {
                return false;
            }
            match self.head(cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    /// Whether trigger `v` states the main clause's event: a verb of the main
    /// clause, or an event noun that is the subject or object of one ("the
    /// fundamentalists continued their hunger strike", "riots are continuing").
    fn main_clause_event(&self, v: usize, noun: bool) -> bool {
        if !noun {
            return self.in_main_clause(v);
        }
        matches!(self.rel(v), DepRel::Obj | DepRel::Nsubj)
            && self
                .head(v)
                .is_some_and(|g| self.upos(g).is_verbal() && self.in_main_clause(g))
    }

    /// Whether `x` is a bare participle adjunct of `v` ("Prisoners rioted at
    /// a jail, joining thousands of demonstrators"): it adds a circumstance
    /// to `v`, it is not what `v` introduces, so `v` does not yield to it.
    /// One with a marker ("to disperse", "by firing") is left to the
    /// framing rule.
    fn participle_adjunct(&self, x: usize, v: usize) -> bool {
        self.head(x) == Some(v)
            && self.rel(x) == DepRel::Advcl
            && self.xpos(x) == "VBG"
            && self.child_with(x, &[DepRel::Mark]).is_none()
    }

    /// Whether the path from `x` up to `v` passes through a relative clause,
    /// full or reduced: an event there describes a participant ("tortured
    /// refugees, whom the authorities blame for ...", "hand over two nationals
    /// suspected of ..."), it is not what `v` introduces. An infinitive
    /// modifier ("willingness to engage") is what its noun introduces.
    fn in_relative_clause_below(&self, x: usize, v: usize) -> bool {
        let mut cur = x;
        for _ in 0..self.n {
            if cur == v {
                return false;
            }
            let reduced = self.rel(cur) == DepRel::Acl
                && self.upos(cur) == Upos::Verb
                && !self.has_child_word(cur, DepRel::Mark, &["to"]);
            // A passive participle with its own agent ("nationals suspected by
            // the West of ...") describes a participant wherever the parser
            // attached it, an xcomp included.
            let passive_participle = self.rel(cur) == DepRel::Xcomp
                && self.xpos(cur) == "VBN"
                && self.child_with(cur, &[DepRel::OblAgent]).is_some();
            if reduced
                || passive_participle
                || matches!(self.rel(cur), DepRel::AclRelcl | DepRel::AdvclRelcl)
            {
                return true;
            }
            match self.head(cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    /// The words after `v` a pattern may match and a target is looked for in:
    /// its region, and its complement clauses too with
    /// [`CoderOptions::verb_phrase_patterns`].
    fn pattern_region_after(&self, v: usize) -> Vec<u32> {
        let phrase = self.coder.options.verb_phrase_patterns;
        (v + 1..self.n)
            .filter(|&x| self.in_region_with(x, v, phrase))
            .map(|x| x as u32)
            .collect()
    }

    fn region_after(&self, v: usize) -> Vec<u32> {
        (v + 1..self.n)
            .filter(|&x| self.in_region(x, v))
            .map(|x| x as u32)
            .collect()
    }

    fn region_before(&self, v: usize) -> Vec<u32> {
        // Words before the verb in its own subtree, subject included.
        (0..v)
            .filter(|&x| {
                let mut cur = x;
                for _ in 0..self.n {
                    if cur == v {
                        return true;
                    }
                    if matches!(
                        self.rel(cur),
                        DepRel::Ccomp | DepRel::Advcl | DepRel::Parataxis | DepRel::Punct
                    ) {
                        return false;
                    }
                    match self.head(cur) {
                        Some(h) => cur = h,
                        None => return false,
                    }
                }
                false
            })
            .map(|x| x as u32)
            .collect()
    }

    /// Matches pattern elements in order among `toks`; returns consumed tokens and
    /// the token positions following `$` / `+` markers.
    fn match_elems(
        &self,
        elems: &[Elem],
        toks: &[u32],
    ) -> Option<(Vec<u32>, Option<u32>, Option<u32>)> {
        let mut pos = 0usize;
        let mut consumed = Vec::new();
        let (mut src, mut tgt) = (None, None);
        let dict = &self.coder.verbs;
        let mut i = 0;
        while i < elems.len() {
            let e = &elems[i];
            i += 1;
            match e {
                Elem::Word(w) => {
                    // With the `Next` words that follow it: a run of adjacent tokens.
                    let run: Vec<&str> = elems[i..]
                        .iter()
                        .map_while(|e| match e {
                            Elem::Next(n) => Some(n.as_str()),
                            _ => None,
                        })
                        .collect();
                    // A "to" that ends the pattern's words ("welcome * (to)",
                    // "head * (to)") is the preposition of a destination: the
                    // infinitive marker of "praised efforts to improve" is not
                    // it. One followed by a word may be either ("+ to head").
                    let preposition_to = w == "to"
                        && !matches!(
                            elems.get(i + run.len()),
                            Some(Elem::Word(_) | Elem::Next(_) | Elem::Set(_) | Elem::NextSet(_))
                        );
                    let k = (pos..toks.len()).find(|&k| {
                        self.is(toks[k] as usize, w)
                            && !(preposition_to && self.upos(toks[k] as usize) == Upos::Part)
                            && run.iter().enumerate().all(|(j, n)| {
                                toks.get(k + j + 1).is_some_and(|&t| {
                                    t == toks[k] + j as u32 + 1 && self.is(t as usize, n)
                                })
                            })
                    })?;
                    consumed.extend_from_slice(&toks[k..=k + run.len()]);
                    pos = k + run.len() + 1;
                    i += run.len();
                }
                // Reached after a set (`&TIETYPES_MEMOS`): the token right after
                // it; at the start of a pattern, matched as a word.
                Elem::Next(w) => {
                    let k = if pos > 0 {
                        Some(pos).filter(|&k| {
                            toks.get(k)
                                .is_some_and(|&t| t == toks[k - 1] + 1 && self.is(t as usize, w))
                        })
                    } else {
                        (pos..toks.len()).find(|&k| self.is(toks[k] as usize, w))
                    }?;
                    consumed.push(toks[k]);
                    pos = k + 1;
                }
                Elem::Set(id) | Elem::NextSet(id) => {
                    // A joined set (`NEW_&TIETYPES`) starts right after the word before.
                    let starts = match e {
                        Elem::NextSet(_) if pos > 0 => {
                            let ok = toks.get(pos).is_some_and(|&t| t == toks[pos - 1] + 1);
                            pos..if ok { pos + 1 } else { pos }
                        }
                        _ => pos..toks.len(),
                    };
                    let mut best: Option<(usize, usize)> = None;
                    'start: for k in starts {
                        for m in dict.set_members(*id) {
                            if m.is_empty() || k + m.len() > toks.len() {
                                continue;
                            }
                            if m.iter()
                                .enumerate()
                                .all(|(j, w)| self.is(toks[k + j] as usize, w))
                            {
                                best = Some((k, m.len()));
                                break 'start;
                            }
                        }
                    }
                    let (k, len) = best?;
                    consumed.extend_from_slice(&toks[k..k + len]);
                    pos = k + len;
                }
                Elem::Source => src = Some(toks.get(pos).copied().unwrap_or(u32::MAX)),
                Elem::Target => tgt = Some(toks.get(pos).copied().unwrap_or(u32::MAX)),
                Elem::Marker | Elem::Compound => {}
            }
        }
        Some((consumed, src, tgt))
    }

    /// The best match among a token's triggers: the most specific pattern, else the
    /// first trigger's default code.
    fn best_match(&self, v: usize, triggers: &[&Trigger]) -> Option<Match> {
        let after = self.pattern_region_after(v);
        let before = self.region_before(v);
        let dict = &self.coder.verbs;
        let mut best: Option<(usize, Match)> = None;
        for t in triggers {
            let Some((mut pre_c, _, _)) = self.match_elems(&t.pre, &before) else {
                continue;
            };
            let Some((post_c, _, _)) = self.match_elems(&t.post, &after) else {
                continue;
            };
            pre_c.extend(post_c);
            let extra = t.pre.len() + t.post.len();
            let group = &dict.groups[t.group as usize];
            for p in &group.patterns {
                let Some((mut c1, s1, t1)) = self.match_elems(&p.pre, &before) else {
                    continue;
                };
                let Some((c2, s2, t2)) = self.match_elems(&p.post, &after) else {
                    continue;
                };
                if (p.joined_before && c1.last().is_none_or(|&t| t as usize + 1 != v))
                    || (p.joined_after && c2.first().is_none_or(|&t| t as usize != v + 1))
                {
                    continue;
                }
                // A matched pattern beats a bare default of equal length (+1);
                // among equals the first in dictionary order wins.
                let score = 2 * (p.specificity() + extra) + 1;
                if best.as_ref().is_some_and(|(b, _)| *b >= score) {
                    continue;
                }
                c1.extend(c2);
                c1.extend(pre_c.iter().copied());
                best = Some((
                    score,
                    Match {
                        trigger_text: t.text.clone(),
                        code: p.code.clone(),
                        pattern: format!("- {} {}", p.text, p.code),
                        loc: p.loc,
                        specific: true,
                        consumed: c1,
                        source_at: s1.or(s2),
                        target_at: t1.or(t2),
                        compound: p.pre.contains(&Elem::Compound),
                    },
                ));
            }
            let code = t.code.clone().unwrap_or_else(|| group.code.clone());
            if best.as_ref().is_none_or(|(b, _)| 2 * extra > *b) {
                let shown = if t.code.is_some() {
                    format!("{} {}", t.text, code)
                } else {
                    format!("{} (in == {} {})", t.text, group.name, code)
                };
                best = Some((
                    2 * extra,
                    Match {
                        trigger_text: t.text.clone(),
                        code,
                        pattern: shown,
                        loc: t.loc,
                        specific: extra > 0,
                        consumed: pre_c.clone(),
                        source_at: None,
                        target_at: None,
                        compound: false,
                    },
                ));
            }
        }
        best.map(|(_, m)| m)
    }

    /// The actor a nominal token stands for: its own mention, else the closest
    /// mention among its nominal dependents (breadth first, then text order).
    fn actor_at(&self, h: usize, exclude: Option<usize>) -> Option<Found> {
        let ok = |k: usize| Some(k) != exclude;
        if let Some(k) = self.mention_of(h).filter(|&k| ok(k)) {
            return Some(Found { mention: k });
        }
        let mut frontier = vec![h];
        for _depth in 0..3 {
            let mut next = Vec::new();
            for &x in &frontier {
                for &c in self.kids(x) {
                    let c = c as usize;
                    if !matches!(
                        self.rel(c),
                        DepRel::Nmod
                            | DepRel::NmodPoss
                            | DepRel::Compound
                            | DepRel::Amod
                            | DepRel::Appos
                            | DepRel::Flat
                            | DepRel::FlatName
                            | DepRel::Conj
                            | DepRel::Obl
                            | DepRel::NmodUnmarked
                            | DepRel::Det
                    ) {
                        continue;
                    }
                    if let Some(k) = self.mention_of(c).filter(|&k| ok(k)) {
                        return Some(Found { mention: k });
                    }
                    next.push(c);
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        None
    }

    /// When the actor at `t`, the closest before verb `v`, stands in a
    /// comma-delimited phrase without a verb ("Pakistan, a key U.S. ally in the
    /// war, has refused"), the actor right before that phrase: an appositive
    /// describes the subject, it does not act.
    fn before_parenthetical(&self, t: usize, v: usize, exclude: Option<usize>) -> Option<usize> {
        let close = (t + 1..v).find(|&c| self.form(c) == ",")?;
        let open = (0..t).rev().find(|&c| self.form(c) == ",")?;
        // Not an item of a list ("U.S., Japanese and European banks", "A, B,
        // and C").
        let list = (open + 1..=close + 1).any(|x| x < self.n && self.is_any(x, &["and", "or"]));
        let verbless = (open + 1..close).all(|x| !matches!(self.upos(x), Upos::Verb | Upos::Aux));
        let before = open.checked_sub(1).and_then(|b| self.mention_of(b));
        before.filter(|&k| {
            verbless && !list && Some(k) != exclude && (0..open).all(|x| self.form(x) != ",")
        })
    }

    /// An agent without a country or organisation ("troops", "police").
    fn is_bare_agent(&self, k: usize) -> bool {
        let m = &self.mentions[k];
        m.members.is_empty() && is_bare_agent(m)
    }

    /// The first mention in the region after `v` (shallowest first, named
    /// actors before bare agents), other than `exclude`.
    fn first_actor_in(&self, toks: &[u32], v: usize, exclude: Option<usize>) -> Option<Found> {
        let depth = |x: usize| self.steps_up(x, Some(v));
        toks.iter()
            .map(|&t| t as usize)
            .filter_map(|t| {
                self.mention_of(t)
                    .filter(|&k| Some(k) != exclude)
                    .map(|k| (depth(t), t, k))
            })
            .min_by_key(|&(d, t, k)| (self.is_bare_agent(k), d, t))
            .map(|(_, _, k)| Found { mention: k })
    }

    /// The source of verb `v`: its subject, the passive agent, or (without a
    /// subject) the subject of the verb or noun it depends on.
    fn source_of_verb(&self, v: usize, rules: &mut Vec<String>) -> Option<Found> {
        let mut cur = v;
        for step in 0..4 {
            if let Some(agent) = self.passive_agent(cur) {
                return self.actor_at(agent, None);
            }
            if let Some(subj) = self.child_with(cur, &[DepRel::Nsubj, DepRel::Csubj]) {
                if step > 0 {
                    rules.push("controller".into());
                }
                return self.actor_at(subj, None);
            }
            if self.child_with(cur, &[DepRel::NsubjPass]).is_some() {
                return None;
            }
            let h = self.head(cur)?;
            match self.rel(cur) {
                DepRel::Xcomp | DepRel::Conj | DepRel::Advcl | DepRel::Ccomp => cur = h,
                DepRel::Acl | DepRel::AclRelcl => {
                    // "forces attacking the city": the noun is the subject, unless it
                    // is itself an intent ("willingness to engage"): then its governor's.
                    if self.is_any(h, INTENT)
                        || self.is_any(h, HYPOTHETICAL)
                        || self.is_any(h, THREAT)
                    {
                        if let Some(f) = self.actor_at(h, None)
                            && self.kids(h).iter().any(|&k| {
                                matches!(self.rel(k as usize), DepRel::NmodPoss | DepRel::Amod)
                            })
                        {
                            return Some(f);
                        }
                        cur = self.head(h)?;
                        rules.push("controller".into());
                        if let Some(subj) = self.child_with(cur, &[DepRel::Nsubj]) {
                            return self.actor_at(subj, None);
                        }
                        return None;
                    }
                    rules.push("controller".into());
                    return self.actor_at(h, None);
                }
                _ => return None,
            }
        }
        None
    }

    /// The `by` phrase of a passive verb.
    fn passive_agent(&self, v: usize) -> Option<usize> {
        let passive = self
            .kids(v)
            .iter()
            .any(|&k| matches!(self.rel(k as usize), DepRel::AuxPass | DepRel::NsubjPass))
            || (self.rel(v) == DepRel::Acl && self.xpos(v) == "VBN");
        if !passive {
            return None;
        }
        self.kids(v).iter().map(|&k| k as usize).find(|&k| {
            self.rel(k) == DepRel::OblAgent
                || (self.rel(k) == DepRel::Obl
                    && self.kids(k).iter().any(|&c| self.is(c as usize, "by")))
        })
    }

    /// Negation, modals and the words governing the trigger.
    fn mood(&self, v: usize, rules: &mut Vec<String>) -> Mood {
        let mut cur = v;
        let mut result = Mood::Factual;
        for step in 0..4 {
            for &k in self.kids(cur) {
                let k = k as usize;
                match self.rel(k) {
                    DepRel::Advmod | DepRel::Det | DepRel::Dep if self.is_any(k, NEGATION) => {
                        rules.push(format!("negated:{}", self.form(k)));
                        return Mood::Negated;
                    }
                    DepRel::Aux if self.is_any(k, MODAL_AUX) => {
                        rules.push(format!("hypothetical:{}", self.form(k)));
                        return Mood::Hypothetical;
                    }
                    DepRel::Aux
                        if step == 0
                            && result == Mood::Factual
                            && !self.coder.options.literal_future
                            && self.is_any(k, FUTURE_AUX) =>
                    {
                        rules.push(format!("intent:{}", self.form(k)));
                        result = Mood::Intent;
                    }
                    DepRel::Mark if self.is_any(k, &["if", "unless", "whether"]) => {
                        rules.push(format!("hypothetical:{}", self.form(k)));
                        return Mood::Hypothetical;
                    }
                    _ => {}
                }
            }
            let Some(h) = self.head(cur) else { break };
            let r = self.rel(cur);
            // An infinitive attached as an adverbial clause to an intent, threat or
            // refusal word is its complement misattached ("agreed in principle on
            // Saturday to provide aid"): parsers do this when words intervene.
            let to_infinitive = r == DepRel::Advcl
                && self.has_child_word(cur, DepRel::Mark, &["to"])
                && (self.is_any(h, INTENT) || self.is_any(h, THREAT) || self.is_any(h, REFUSAL));
            let complement = matches!(r, DepRel::Xcomp | DepRel::Acl | DepRel::Obj | DepRel::Ccomp)
                || (step == 0 && r == DepRel::Obl)
                || to_infinitive;
            if !complement {
                break;
            }
            if result == Mood::Factual {
                if self.is_any(h, THREAT) {
                    rules.push(format!("threat:{}", self.form(h)));
                    result = Mood::Threat;
                } else if self.is_any(h, REFUSAL) && r != DepRel::Obl {
                    rules.push(format!("negated:{}", self.form(h)));
                    return Mood::Negated;
                } else if self.is_any(h, INTENT) && r != DepRel::Ccomp {
                    rules.push(format!("intent:{}", self.form(h)));
                    result = Mood::Intent;
                } else if self.is_any(h, HYPOTHETICAL) && r != DepRel::Ccomp && r != DepRel::Obj {
                    rules.push(format!("hypothetical:{}", self.form(h)));
                    return Mood::Hypothetical;
                }
            }
            // Reported speech stops here: what was said is coded as said.
            if r == DepRel::Ccomp {
                break;
            }
            cur = h;
        }
        // "will withdraw its force unless a ceasefire is arranged": a stated act
        // made conditional on the other side's conduct is an ultimatum (CAMEO 13).
        if result == Mood::Intent && self.has_unless_clause(v) {
            rules.push("threat:unless".into());
            result = Mood::Threat;
        }
        result
    }

    /// Whether clause `x` states an obligation ("Sudan must return", "should end").
    fn is_obligation(&self, x: usize) -> bool {
        self.has_child_word(x, DepRel::Aux, &["must", "should"])
    }

    /// Whether `v` has an adverbial clause introduced by "unless".
    fn has_unless_clause(&self, v: usize) -> bool {
        self.kids(v).iter().map(|&k| k as usize).any(|k| {
            self.rel(k) == DepRel::Advcl && self.has_child_word(k, DepRel::Mark, &["unless"])
        })
    }

    fn code(
        &mut self,
        discard: Option<&Discard>,
        events: &mut Vec<Event>,
        mut trace: Option<&mut Vec<Candidate>>,
    ) {
        let dict = &self.coder.verbs;
        // 1. Triggers.
        let mut found: Vec<(usize, bool, Vec<&Trigger>)> = Vec::new();
        for i in 0..self.n {
            let up = self.upos(i);
            let noun = match up {
                Upos::Verb => false,
                Upos::Noun => true,
                // A past participle tagged as an adjective that
                // `repair_verbal_root` made the main verb.
                Upos::Adj
                    if self.head(i).is_none() && self.doc.deprel[self.base + i] == DepRel::Amod =>
                {
                    false
                }
                _ => continue,
            };
            let mut ts: Vec<&Trigger> = Vec::new();
            let doc = self.doc;
            for key in [doc.lemma(self.base + i), doc.form(self.base + i)] {
                let lower = lower_into(&mut self.buf.lower, key);
                let list = if noun {
                    dict.noun(lower)
                } else {
                    dict.verb(lower)
                };
                for t in list {
                    if !ts.iter().any(|x| std::ptr::eq(*x, t)) {
                        ts.push(t);
                    }
                }
            }
            // The lemmatizer's suffix rules misread some inflected verbs
            // ("blamed" -> "blam", "rioted" -> "riote", "shelled" -> "shel"):
            // a verb found under neither its lemma nor its form is looked up
            // under the stems its inflection allows.
            if ts.is_empty() && !noun && !self.coder.options.exact_verb_forms {
                let Buffers { lower, stem, .. } = &mut *self.buf;
                let form = lower_into(lower, doc.form(self.base + i));
                for (base, ending) in inflection_stems(form) {
                    stem.clear();
                    stem.push_str(base);
                    stem.push_str(ending);
                    let list = dict.verb(stem);
                    if !list.is_empty() {
                        ts.extend(list);
                        break;
                    }
                }
            }
            if !ts.is_empty() {
                found.push((i, noun, ts));
            }
        }
        if found.is_empty() {
            return;
        }
        // 2. Code each trigger; verbs before nouns so verb patterns can claim nouns.
        found.sort_by_key(|(i, noun, _)| (*noun, *i));
        let mut consumed: Vec<u32> = Vec::new();
        let mut coded: Vec<Coded> = Vec::new();
        for (i, noun, ts) in &found {
            let (i, noun) = (*i, *noun);
            let span = self.span(i);
            let mut cand = Candidate {
                sentence: self.s as u32,
                trigger: span,
                pattern: String::new(),
                pattern_source: String::new(),
                code: String::new(),
                rules: Vec::new(),
                outcome: Outcome::Rejected(String::new()),
            };
            if noun && consumed.contains(&(i as u32)) {
                cand.outcome = Outcome::Rejected("part of a verb pattern that matched".into());
                coded.push((i, noun, Vec::new(), cand, Vec::new()));
                continue;
            }
            let Some(m) = self.best_match(i, ts) else {
                cand.outcome = Outcome::Rejected("its phrasal words are missing".into());
                coded.push((i, noun, Vec::new(), cand, Vec::new()));
                continue;
            };
            cand.pattern = m.pattern.clone();
            cand.pattern_source = dict.loc_label(m.loc);
            cand.code = m.code.to_string();
            if m.specific {
                consumed.extend(m.consumed.iter().copied());
            }
            if let Some(d) = discard {
                cand.outcome = Outcome::Rejected(format!("sentence discarded: {}", d.reason));
                coded.push((i, noun, Vec::new(), cand, Vec::new()));
                continue;
            }
            let evs = self.events_for(i, noun, &m, &mut cand);
            coded.push((i, noun, evs, cand, m.consumed));
        }
        // 3. Framing: a verb coded only by its default ("said", "continued") yields
        // to a coded trigger it governs, and so does a pattern whose matched words
        // govern it ("expressed willingness to engage": "willingness").
        // A plain statement (CAMEO 01) says less than any other code: only
        // another statement yields to it ("opened fire to disperse the
        // crowd", `disperse` being PETRARCH's "disperse a message" 010).
        let statement = |c: &Coded| c.2.iter().all(|e| e.cameo.starts_with("01"));
        let coded_at: Vec<(usize, bool)> = coded
            .iter()
            .filter(|c| !c.2.is_empty())
            .map(|c| (c.0, statement(c)))
            .collect();
        // Event nouns coded by a pattern of their own ("suspension * links").
        let specific_nouns: Vec<usize> = coded
            .iter()
            .filter(|c| c.1 && !c.2.is_empty() && c.3.pattern.starts_with("- "))
            .map(|c| c.0)
            .collect();
        for c in coded.iter_mut() {
            if c.2.is_empty() || c.1 {
                continue;
            }
            let own_statement = statement(c);
            let v = c.0;
            // A refusal or a demand does not yield: what it governs is what was
            // refused, or what the other side is asked to do.
            if self.is_any(v, REFUSAL) || self.is_any(v, DIRECTIVE) {
                continue;
            }
            let specific = c.3.pattern.starts_with("- ");
            // "announced a suspension of air links": the verb's pattern
            // matched its object only through a set word ("announce *
            // @ceasefire"), while the object's own pattern says more; the act
            // is the object's.
            let claimed_noun = specific_nouns
                .iter()
                .copied()
                .find(|&w| w != v && c.4.contains(&(w as u32)) && self.head(w) == Some(v));
            let framed = claimed_noun.or_else(|| {
                coded_at.iter().copied().find_map(|(w, weak)| {
                    (w != v
                        && (own_statement || !weak)
                        && self.governed_by(w, v)
                        && !self.in_relative_clause_below(w, v)
                        && !self.participle_adjunct(w, v)
                        && (!specific
                            || (self.head(w).is_some_and(|h| c.4.contains(&(h as u32)))
                                && self.has_child_word(w, DepRel::Mark, &["to"]))))
                    .then_some(w)
                })
            });
            if let Some(w) = framed {
                c.2.clear();
                c.3.rules.push("framing".into());
                c.3.outcome = Outcome::Rejected(format!(
                    "framing verb: the event it introduces (\"{}\") is coded instead",
                    self.form(w)
                ));
            }
        }
        // 4. The main event: the coded trigger highest in the parse (the first in
        // text order among equals) is the sentence's main predicate.
        let root_at = coded
            .iter()
            .filter(|c| !c.2.is_empty())
            .map(|c| (self.depth(c.0), c.0))
            .min()
            .map(|(_, i)| i);
        // 5. Collect, dropping duplicates within the sentence.
        coded.sort_by_key(|c| c.0);
        for (at, _, mut evs, mut cand, _) in coded {
            if Some(at) == root_at {
                for e in &mut evs {
                    e.main_event = true;
                }
            }
            let mut idx = Vec::new();
            for e in evs {
                let dup = events.iter().rposition(|x: &Event| {
                    x.sentence == e.sentence
                        && x.cameo == e.cameo
                        && x.source.as_ref().map(|a| &a.code) == e.source.as_ref().map(|a| &a.code)
                        && x.target.as_ref().map(|a| &a.code) == e.target.as_ref().map(|a| &a.code)
                });
                match dup {
                    Some(k) => {
                        events[k].main_event |= e.main_event;
                        idx.push(k);
                    }
                    None => {
                        events.push(e);
                        idx.push(events.len() - 1);
                    }
                }
            }
            if !idx.is_empty() {
                cand.outcome = Outcome::Coded(idx);
            }
            if let Some(t) = trace.as_deref_mut() {
                t.push(cand);
            }
        }
    }

    /// Steps from token `i` up to the root of its sentence.
    fn depth(&self, i: usize) -> usize {
        self.steps_up(i, None)
    }

    /// Steps from `from` up the tree until `to` (or the root when `to` is not
    /// above it); bounded by the sentence length in case of a malformed tree.
    fn steps_up(&self, from: usize, to: Option<usize>) -> usize {
        let (mut d, mut cur) = (0, from);
        while Some(cur) != to && d < self.n {
            match self.head(cur) {
                Some(h) => cur = h,
                None => break,
            }
            d += 1;
        }
        d
    }

    fn span(&self, i: usize) -> Span {
        let t = self.base + i;
        Span {
            text: self.doc.form(t).to_string(),
            start: self.doc.start[t],
            end: self.doc.end[t],
        }
    }

    /// Roles, modality and events for one matched trigger.
    fn events_for(&self, v: usize, noun: bool, m: &Match, cand: &mut Candidate) -> Vec<Event> {
        let mut rules: Vec<String> = Vec::new();
        if self.rel(v) == DepRel::Root && self.doc.deprel[self.base + v] == DepRel::Amod {
            rules.push("repaired_root".into());
        }
        // "X said / reiterated that Y must Z": a statement verb, or a verb the
        // dictionary leaves uncoded, whose complement clause states an
        // obligation is X demanding of Y (CAMEO 10), not a statement.
        let obligation = (!noun
            && (m.code.is_none()
                || m.code
                    .forward
                    .as_deref()
                    .is_some_and(|c| c.starts_with("01"))))
        .then(|| {
            self.kids(v)
                .iter()
                .map(|&k| k as usize)
                .find(|&x| self.rel(x) == DepRel::Ccomp && self.is_obligation(x))
        })
        .flatten();
        // "will not accept any more refugees", "did not agree to the plan": an
        // acceptance negated in its own clause is a rejection (CAMEO 12), which
        // PLOVER codes as REJECT; it is not a non-event.
        let refused = !noun
            && self.is_any(v, ACCEPTANCE)
            && self.kids(v).iter().any(|&k| {
                matches!(self.rel(k as usize), DepRel::Advmod | DepRel::Dep)
                    && self.is_any(k as usize, NEGATION)
            });
        if m.code.is_none() && obligation.is_none() && !refused {
            cand.outcome = Outcome::Rejected(format!("pattern codes nothing: {}", m.pattern));
            return Vec::new();
        }
        // "need to remain strong": "need" with an infinitive is a modal, not the
        // demand its dictionary default says ("needs aid").
        if !noun
            && !m.specific
            && self.is(v, "need")
            && self.child_with(v, &[DepRel::Xcomp]).is_some()
        {
            cand.outcome = Outcome::Rejected("modal \"need to\": states no act".into());
            return Vec::new();
        }
        // Mood.
        let mut mood = self.mood(v, &mut rules);
        // A pattern that spells the negation out ("- @negatvauxvrb * over efforts")
        // has already chosen the code for the negated act.
        if mood == Mood::Negated
            && m.consumed
                .iter()
                .any(|&t| self.is_any(t as usize, NEGATION))
        {
            rules.push("negation_in_pattern".into());
            mood = Mood::Factual;
        }
        if refused && mood == Mood::Negated {
            rules.push("negated_acceptance".into());
            mood = Mood::Factual;
        }
        // An attempted act of force is coded as the act ("attempted to
        // assassinate", "tried to hack into"): CAMEO codes attempts at 17-20.
        if mood == Mood::Hypothetical
            && rules.last().is_some_and(|r| {
                r.strip_prefix("hypothetical:").is_some_and(|w| {
                    let w = w.to_ascii_lowercase();
                    w.starts_with("tr") || w.starts_with("attempt")
                })
            })
            && m.code
                .forward
                .as_deref()
                .is_some_and(|c| matches!(c.get(..2), Some("17" | "18" | "19" | "20")))
        {
            rules.push("attempt".into());
            mood = Mood::Factual;
        }
        let modality = match mood {
            Mood::Negated => Modality::Negated,
            Mood::Hypothetical => Modality::Hypothetical,
            _ => Modality::Factual,
        };
        // Roles.
        let mut source: Option<Found> = None;
        let mut target: Option<Found> = None;
        let after = self.pattern_region_after(v);
        if let Some(at) = m.source_at.filter(|&t| t != u32::MAX) {
            source = self.first_actor_from(&after, at, None);
        }
        if noun {
            rules.push("event_noun".into());
            let (s, t) = self.noun_roles(v, &mut rules);
            source = source.or(s);
            target = t;
        } else {
            if source.is_none() {
                source = self.source_of_verb(v, &mut rules);
            }
            if let Some(sp) = self.child_with(v, &[DepRel::NsubjPass]) {
                rules.push("passive".into());
                target = self.actor_at(sp, source.as_ref().map(|f| f.mention));
            }
        }
        let src_k = source.as_ref().map(|f| f.mention);
        // Demands in reported speech: "Russia said Sudan must return the
        // helicopter" is Russia demanding of Sudan (CAMEO 10), not a statement.
        let demand = obligation.and_then(|x| {
            let subj = self.child_with(x, &[DepRel::Nsubj, DepRel::NsubjPass])?;
            self.actor_at(subj, src_k)
        });
        if demand.is_some() {
            rules.push("demand:must".into());
            target = demand;
        } else if !noun && target.is_none() && self.is_any(v, DIRECTIVE) {
            // "demanded that Hamas renounce ...": who is asked is the subject of
            // the clause saying what is asked.
            target = self
                .kids(v)
                .iter()
                .map(|&k| k as usize)
                .filter(|&x| self.rel(x) == DepRel::Ccomp)
                .find_map(|x| {
                    let subj = self.child_with(x, &[DepRel::Nsubj, DepRel::NsubjPass])?;
                    self.actor_at(subj, src_k)
                });
            if target.is_some() {
                rules.push("directive_target".into());
            }
        }
        if let Some(at) = m.target_at.filter(|&t| t != u32::MAX) {
            target = self.first_actor_from(&after, at, src_k).or(target);
        }
        if target.is_none() && !noun {
            for rel in [DepRel::Obj, DepRel::Iobj] {
                if let Some(o) = self.child_with(v, &[rel])
                    && let Some(f) = self.actor_at(o, src_k)
                {
                    target = Some(f);
                    break;
                }
            }
        }
        // A bare agent ("troops", "civilians") is a weak target: a named actor
        // elsewhere in the clause is preferred ("withdrew its troops from Lebanon").
        if let Some(t) = &target
            && self.is_bare_agent(t.mention)
            && m.target_at.is_none()
            && let Some(f) = self.first_actor_in(&after, v, src_k)
            && !self.is_bare_agent(f.mention)
        {
            target = Some(f);
        }
        // A target that is the source itself ("halted his march towards Cirith
        // Ungol": "his" is the source) gives way to the next other actor.
        if let (Some(s), Some(t)) = (&source, &target)
            && same_actor(&self.mentions[s.mention], &self.mentions[t.mention])
        {
            let own = &self.mentions[s.mention];
            if let Some(k) = after
                .iter()
                .filter_map(|&x| self.mention_of(x as usize))
                .find(|&k| !same_actor(own, &self.mentions[k]))
            {
                target = Some(Found { mention: k });
                rules.push("reflexive_target".into());
            }
        }
        if target.is_none() {
            target = self.first_actor_in(&after, v, src_k);
        }
        // Fallbacks when the parse gave no role (parsers fail on long or odd
        // sentences): the closest actor before a verb is its source, the first
        // actor below it (nested clauses included) its target.
        if source.is_none() && !noun && self.child_with(v, &[DepRel::NsubjPass]).is_none() {
            let exclude = target.as_ref().map(|f| f.mention);
            source = (0..v)
                .rev()
                .find_map(|t| {
                    self.mention_of(t)
                        .filter(|&k| Some(k) != exclude)
                        .map(|k| (t, k))
                })
                .map(|(t, k)| self.before_parenthetical(t, v, exclude).unwrap_or(k))
                .map(|k| Found { mention: k });
            if source.is_some() {
                rules.push("nearest_source".into());
            }
        }
        if target.is_none() && !noun {
            let exclude = source.as_ref().map(|f| f.mention);
            target = (v + 1..self.n)
                .filter(|&t| self.governed_by(t, v))
                .find_map(|t| self.mention_of(t).filter(|&k| Some(k) != exclude))
                .map(|k| Found { mention: k });
            if target.is_some() {
                rules.push("nearest_target".into());
            }
        }
        cand.rules = rules.clone();
        let Some(source) = source else {
            let agentless = self.agentless_force(v, noun, m, target.as_ref(), mood, &rules);
            if !agentless.is_empty() {
                return agentless;
            }
            cand.outcome = Outcome::Rejected("no source actor".into());
            return Vec::new();
        };
        // Code after mood.
        let demanded = rules.iter().any(|r| r == "demand:must");
        let rejected = rules.iter().any(|r| r == "negated_acceptance");
        let code = if demanded {
            Some("100".to_string())
        } else if rejected {
            Some("120".to_string())
        } else {
            m.code.forward.clone().or_else(|| m.code.reverse.clone())
        };
        let Some(code) = code else {
            cand.outcome = Outcome::Rejected("no code".into());
            return Vec::new();
        };
        let reverse_only = m.code.forward.is_none() && !demanded && !rejected;
        let code = match mood {
            Mood::Threat => threat_code(&code),
            Mood::Intent => intent_code(&code),
            _ => code,
        };
        if code != m.code.forward.clone().unwrap_or_default() {
            cand.code = format!("{code} (from {})", m.code);
        }
        if matches!(mood, Mood::Negated | Mood::Hypothetical) && !self.coder.options.keep_modal {
            cand.outcome = Outcome::Rejected(format!(
                "{} (use keep_modal to keep it flagged)",
                if mood == Mood::Negated {
                    "negated"
                } else {
                    "hypothetical, not stated as fact"
                }
            ));
            return Vec::new();
        }
        let src = &self.mentions[source.mention];
        let src_actors = self.composed(source.mention, &mut rules);
        let mut pairs: Vec<(&Mention, &Mention, String, Vec<String>)> = Vec::new();
        let tgt_actors = target
            .as_ref()
            .map(|t| self.composed(t.mention, &mut rules))
            .unwrap_or_default();
        // A pattern written for a compound source (`% HAVE *`): the members
        // act among themselves ("Gondor and Osgiliath have delayed their
        // meeting"), whatever else the clause names.
        let mutual = m.compound && src_actors.len() > 1;
        match &target {
            _ if mutual => {
                for a in &src_actors {
                    for b in &src_actors {
                        if a.code != b.code {
                            pairs.push((a, b, code.clone(), vec!["reciprocal".into()]));
                        }
                    }
                }
            }
            Some(_) => {
                let mut extra = Vec::new();
                if src_actors.len() > 1 || tgt_actors.len() > 1 {
                    extra.push("compound".to_string());
                }
                for a in &src_actors {
                    for b in &tgt_actors {
                        if reverse_only {
                            pairs.push((b, a, code.clone(), extra.clone()));
                            continue;
                        }
                        pairs.push((a, b, code.clone(), extra.clone()));
                        if let Some(r) = &m.code.reverse {
                            let mut x = extra.clone();
                            x.push("reverse".into());
                            pairs.push((b, a, r.clone(), x));
                        }
                    }
                }
            }
            None => {
                let members = &src_actors[..];
                let joint =
                    matches!(&code[..2], "03" | "04" | "05" | "06") || m.code.reverse.is_some();
                if members.len() > 1 && joint {
                    for a in members {
                        for b in members {
                            if a.code != b.code {
                                pairs.push((a, b, code.clone(), vec!["reciprocal".into()]));
                            }
                        }
                    }
                } else if self.coder.options.monadic && self.main_clause_event(v, noun) {
                    let mut out = Vec::new();
                    for a in members {
                        let mut r = rules.clone();
                        r.push("no_target".into());
                        if m.specific {
                            r.push("pattern".into());
                        }
                        out.push(self.event(v, Some(a), None, &code, modality, m, r));
                    }
                    return out;
                } else {
                    cand.outcome = Outcome::Rejected(format!(
                        "no target actor (source {} \"{}\")",
                        src.code, src.text
                    ));
                    return Vec::new();
                }
            }
        }
        let mut out = Vec::new();
        for (a, b, code, extra) in pairs {
            if same_actor(a, b) {
                continue;
            }
            let mut r = rules.clone();
            r.extend(extra);
            if m.specific {
                r.push("pattern".into());
            }
            out.push(self.event(v, Some(a), Some(b), &code, modality, m, r));
        }
        // A target that is only the source's own country ("the government
        // imposed a curfew in Turkey") names no other side: with one-actor events
        // allowed, the event is coded without a target.
        if out.is_empty() && self.coder.options.monadic && self.main_clause_event(v, noun) {
            for a in &src_actors {
                let mut r = rules.clone();
                r.push("no_target".into());
                if m.specific {
                    r.push("pattern".into());
                }
                out.push(self.event(v, Some(a), None, &code, modality, m, r));
            }
        }
        if out.is_empty() {
            cand.outcome = Outcome::Rejected("source and target are the same actor".into());
        }
        out
    }

    /// The actors a mention stands for (its members for a compound), each bare
    /// agent composed with the country of a prepositional modifier: "soldiers
    /// from Gondor" (`MIL` + `GON` = `GONMIL`), "lawmakers in Fornost and
    /// Gondor" (one actor per country).
    fn composed(&self, k: usize, rules: &mut Vec<String>) -> Vec<Mention> {
        let m = &self.mentions[k];
        let mut out = Vec::new();
        let shared = self.shared_agent(m.actors());
        for a in m.actors() {
            // "the ambassadors of Arnor, Osgiliath and Gondor": each coordinated
            // country has the agent of the first.
            if let Some((agent, t0)) = &shared
                && a.agent.is_none()
                && a.code.len() == 3
                && a.country.is_some()
                && self.conj_of(a.head as usize, *t0)
            {
                let mut x = a.clone();
                x.code = format!("{}{}", a.code, agent);
                x.agent = Some(agent.clone());
                if !rules.iter().any(|r| r == "shared_agent") {
                    rules.push("shared_agent".into());
                }
                out.push(x);
                continue;
            }
            // Only single-sector agents: a multi-sector one is mostly a named
            // institution ("Agriculture Secretary" = `GOVAGR`, "Securities and
            // Exchange Commission" = `GOVBUS`) whose country, on a 3,000-document
            // news sample, was as often the other party's as its own.
            let bare_agent = a.country.is_none() && a.agent.is_some() && a.code.len() <= 3;
            let local = (a.head as usize)
                .checked_sub(self.base)
                .filter(|&h| h < self.n);
            let countries: Vec<&Mention> = match (bare_agent, local) {
                (true, Some(h)) => self
                    .kids(h)
                    .iter()
                    .map(|&c| c as usize)
                    .filter(|&c| match self.rel(c) {
                        DepRel::Nmod | DepRel::Acl => self
                            .kids(c)
                            .iter()
                            .any(|&x| self.is_any(x as usize, &["from", "in", "of"])),
                        // "Ithilen's awful and evil minister Calimehtar": the
                        // possessor, however far the adjectives set it apart.
                        DepRel::NmodPoss => true,
                        _ => false,
                    })
                    .filter_map(|c| self.mention_of(c))
                    .flat_map(|ck| self.mentions[ck].actors())
                    .filter(|c| c.country.is_some() && c.agent.is_none())
                    .collect(),
                _ => Vec::new(),
            };
            if countries.is_empty() {
                // Without a country of its own, an agent ("the government",
                // "President Bouteflika", "police") belongs to the country the
                // sentence names closest to it ("... a curfew in Algiers").
                // So does a group PETRARCH's dictionaries file under `INT`
                // ("transnational", country unknown: `INTREB` for the Islamic
                // Salvation Front, Egyptian Islamic Jihad, the Free Aceh
                // Movement): it takes the place of `INT`.
                let transnational = a.country.is_none() && a.code.starts_with("INT");
                let near = ((bare_agent || transnational) && !self.coder.options.bare_agents)
                    .then(|| self.nearest_country(a.head as usize))
                    .flatten();
                let mut x = a.clone();
                if let Some(c) = near {
                    rules.push("agent_of_local_country".into());
                    let sectors = if transnational { &a.code[3..] } else { &a.code };
                    x.code = format!("{c}{sectors}");
                    x.agent = sectors.get(..3).map(str::to_string);
                    x.country = Some(c);
                }
                out.push(x);
                continue;
            }
            rules.push("agent_of_country".into());
            for c in countries {
                let mut x = a.clone();
                x.code = format!("{}{}", c.code, a.code);
                x.country = c.country.clone();
                out.push(x);
            }
        }
        out
    }

    /// For a compound whose first member is "AGENT of COUNTRY", its agent code and
    /// the (sentence-local) token of that country.
    fn shared_agent(&self, members: &[Mention]) -> Option<(String, usize)> {
        let a0 = members.first().filter(|_| members.len() > 1)?;
        let agent = a0.agent.clone().filter(|_| a0.country.is_some())?;
        let t0 = a0
            .tokens
            .clone()
            .filter_map(|t| (t as usize).checked_sub(self.base))
            .filter(|&t| t < self.n)
            .find(|&t| {
                self.rel(t) == DepRel::Nmod
                    && self.kids(t).iter().any(|&c| self.is(c as usize, "of"))
            })?;
        Some((agent, t0))
    }

    /// Whether document token `at` is coordinated (`conj`, possibly chained)
    /// with sentence-local token `t0`.
    fn conj_of(&self, at: usize, t0: usize) -> bool {
        let Some(mut cur) = at.checked_sub(self.base).filter(|&t| t < self.n) else {
            return false;
        };
        for _ in 0..self.n {
            if self.rel(cur) != DepRel::Conj {
                return false;
            }
            match self.head(cur) {
                Some(h) if h == t0 => return true,
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    /// The country (ISO3) of the plain country or place mention of this sentence
    /// closest to document token `at`; without one, the country of the closest
    /// actor that has one ("workers ... the Serbian labour minister": the
    /// sentence is about Serbia even when it names no country on its own).
    fn nearest_country(&self, at: usize) -> Option<String> {
        let closest = |plain_only: bool| {
            self.mentions
                .iter()
                .flat_map(|m| m.actors())
                .filter(|c| !plain_only || (c.agent.is_none() && c.code.len() == 3))
                .filter_map(|c| Some((c.country.clone()?, (c.head as usize).abs_diff(at))))
                .min_by_key(|(_, d)| *d)
                .map(|(c, _)| c)
        };
        closest(true).or_else(|| closest(false))
    }

    /// The first mention at or after token `at` in `toks`.
    fn first_actor_from(&self, toks: &[u32], at: u32, exclude: Option<usize>) -> Option<Found> {
        toks.iter()
            .filter(|&&t| t >= at)
            .find_map(|&t| self.mention_of(t as usize).filter(|&k| Some(k) != exclude))
            .map(|k| Found { mention: k })
    }

    /// Source and target of an event noun.
    fn noun_roles(&self, v: usize, rules: &mut Vec<String>) -> (Option<Found>, Option<Found>) {
        let mut source = None;
        let mut target = None;
        for &k in self.kids(v) {
            let k = k as usize;
            match self.rel(k) {
                DepRel::NmodPoss | DepRel::Amod | DepRel::Compound if source.is_none() => {
                    source = self.actor_at(k, None);
                }
                DepRel::Nmod | DepRel::Acl => {
                    let by = self.kids(k).iter().any(|&c| self.is(c as usize, "by"));
                    let of = self.kids(k).iter().any(|&c| self.is(c as usize, "of"));
                    let agentive = by || (of && self.is_any(v, &["visit", "trip", "talks"]));
                    if agentive && source.is_none() {
                        source = self.actor_at(k, None);
                    } else if target.is_none() && !by {
                        target = self.actor_at(k, source.as_ref().map(|f: &Found| f.mention));
                    }
                }
                _ => {}
            }
        }
        // The verb the noun depends on: its subject is the actor, its other
        // arguments may hold the target ("continued their offensive in Ukraine").
        if let Some(g) = self.head(v)
            && matches!(
                self.rel(v),
                DepRel::Obj | DepRel::Nsubj | DepRel::NsubjPass | DepRel::Obl | DepRel::Xcomp
            )
            && self.upos(g).is_verbal()
        {
            if source.is_none() && self.rel(v) != DepRel::Nsubj {
                let mut r = Vec::new();
                source = self.source_of_verb(g, &mut r);
                if source.is_some() {
                    rules.push("light_verb".into());
                }
            }
            if target.is_none() && self.rel(v) == DepRel::Obj {
                let exclude = source.as_ref().map(|f| f.mention);
                let after: Vec<u32> = self
                    .region_after(g)
                    .into_iter()
                    .filter(|&t| t as usize > v)
                    .collect();
                target = self.first_actor_in(&after, g, exclude);
            }
        }
        if let Some(s) = &source
            && target.as_ref().is_some_and(|t| t.mention == s.mention)
        {
            target = None;
        }
        (source, target)
    }

    /// "At least three civilians have been killed in a suicide bombing": an
    /// act of force (CAMEO 18-20) stated in the passive with no agent in the
    /// sentence is coded, with one-actor events allowed, against its victim
    /// alone; PLOVER records the event with its source left empty rather than
    /// dropping it. Only factual main-clause verbs: "were feared killed" and
    /// a killing in a relative clause describe, they do not report.
    fn agentless_force(
        &self,
        v: usize,
        noun: bool,
        m: &Match,
        target: Option<&Found>,
        mood: Mood,
        rules: &[String],
    ) -> Vec<Event> {
        let force = m
            .code
            .forward
            .as_deref()
            .is_some_and(|c| matches!(c.get(..2), Some("18" | "19" | "20")));
        let Some(t) = target else {
            return Vec::new();
        };
        if noun
            || !force
            || mood != Mood::Factual
            || !self.coder.options.monadic
            || !rules.iter().any(|r| r == "passive")
            || !self.main_clause_event(v, noun)
        {
            return Vec::new();
        }
        let code = m.code.forward.clone().unwrap_or_default();
        let mut scratch = Vec::new();
        self.composed(t.mention, &mut scratch)
            .iter()
            .map(|b| {
                let mut r = rules.to_vec();
                r.extend(scratch.iter().cloned());
                r.push("agentless".into());
                if m.specific {
                    r.push("pattern".into());
                }
                self.event(v, None, Some(b), &code, Modality::Factual, m, r)
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        v: usize,
        a: Option<&Mention>,
        b: Option<&Mention>,
        code: &str,
        modality: Modality,
        m: &Match,
        rules: Vec<String>,
    ) -> Event {
        let info = self.coder.cameo.get(code);
        let (quad, gold, plover) = match info {
            Some(c) => (
                c.quad_class,
                c.goldstein,
                Plover {
                    category: c.plover_category.clone(),
                    mode: c.plover_mode.clone(),
                },
            ),
            None => (0, 0.0, Plover::default()),
        };
        Event {
            event_id: String::new(),
            doc_id: self.doc.id.clone(),
            sentence: self.s as u32 + 1,
            date: self.doc.date.clone(),
            source: a.map(|a| self.actor_ref(a)),
            target: b.map(|b| self.actor_ref(b)),
            cameo: code.to_string(),
            root: code.get(..2).unwrap_or(code).to_string(),
            quad_class: quad,
            goldstein: gold,
            plover,
            text: self.doc.sentence_text(self.s).to_string(),
            modality,
            location: None,
            when: None,
            counts: Default::default(),
            main_event: false,
            provenance: Provenance {
                trigger: self.span(v),
                pattern: format!("{}: {}", m.trigger_text, m.pattern),
                pattern_source: self.coder.verbs.loc_label(m.loc),
                source_entry: a.map(|a| a.entry.clone()),
                target_entry: b.map(|b| b.entry.clone()),
                rules,
            },
        }
    }

    fn actor_ref(&self, m: &Mention) -> ActorRef {
        let span = if m.tokens.is_empty() {
            None
        } else {
            Some((
                self.doc.start[m.tokens.start as usize],
                self.doc.end[m.tokens.end as usize - 1],
            ))
        };
        ActorRef {
            code: m.code.clone(),
            country: m.country.clone(),
            text: m.text.clone(),
            agent: m.agent.clone(),
            span,
        }
    }
}

/// Whether an event between `a` and `b` would be an actor acting on itself:
/// the same code, the same mention, or a country and its own government or
/// people ("Lavrov emphasized Russia's interest": RUSGOV and RUS).
fn same_actor(a: &Mention, b: &Mention) -> bool {
    if a.code == b.code || (a.entry == b.entry && a.tokens == b.tokens) {
        return true;
    }
    let bare = |m: &Mention| m.agent.is_none() && m.code.len() == 3;
    a.country.is_some() && a.country == b.country && (bare(a) || bare(b))
}

fn local_head(doc: &Doc, base: usize, n: usize, i: usize) -> Option<usize> {
    doc.head_of(base + i)
        .filter(|&h| h >= base && h < base + n)
        .map(|h| h - base)
}

/// Repairs the commonest misparse of a news lead: a past-tense main verb read
/// as an adjective before its object ("Egyptian police opened fire ...", "A
/// top U.S. official today praised Haiti's efforts ...": `opened` and
/// `praised` as `amod` of the noun after them, a noun as the sentence's root).
/// A greedy parser commits to the noun phrase early and never sees a verb
/// head. When the root is a noun and a past-tense verb modifies a noun after
/// it, the verb becomes the root, that noun its object, the nominal before it
/// its subject, and the root's other dependents after the verb move to the
/// verb. Heads are sentence-local, `u32::MAX` for the root.
fn repair_verbal_root(doc: &Doc, base: usize, heads: &mut [u32], rels: &mut [DepRel]) {
    let n = heads.len();
    let Some(r) = local_root(heads) else {
        return;
    };
    let nominal = |i: usize| matches!(doc.upos[base + i], Upos::Noun | Upos::Propn);
    if !nominal(r) || (0..n).any(|i| heads[i] == u32::MAX && i != r) {
        return;
    }
    // A subject the parser gave the noun root before the word at `i`: a noun
    // phrase has none, so the clause's verb is missing.
    let root_subject_before =
        |i: usize| (0..i).any(|j| heads[j] as usize == r && rels[j] == DepRel::Nsubj);
    let past_form = |i: usize| match doc.upos[base + i] {
        Upos::Verb => matches!(doc.xpos[base + i].as_str(), "VBD" | "VBN"),
        // A past participle the tagger read as an adjective ("guerrillas
        // wounded two soldiers"), only where the parse itself shows the verb is
        // missing ("the wounded soldiers" has no subject).
        Upos::Adj => {
            doc.form(base + i).to_ascii_lowercase().ends_with("ed") && root_subject_before(i)
        }
        _ => false,
    };
    // The verb: a past form modifying a noun after it, that noun being the
    // root or hanging from it.
    let Some(v) = (0..n).find(|&i| {
        let h = heads[i] as usize;
        rels[i] == DepRel::Amod
            && past_form(i)
            && h < n
            && h > i
            && nominal(h)
            && (h == r || heads[h] as usize == r)
            && (0..i).any(nominal)
    }) else {
        return;
    };
    let h = heads[v] as usize;
    let v32 = v as u32;
    if h != r && r > v {
        return;
    }
    heads[v] = u32::MAX;
    rels[v] = DepRel::Root;
    heads[h] = v32;
    rels[h] = DepRel::Obj;
    let own_subject = (0..v)
        .rev()
        .find(|&i| heads[i] == v32 && rels[i] == DepRel::Nsubj && nominal(i));
    let subject = if let Some(subj) = own_subject {
        // The parser had already given the verb its subject ("tanks" in
        // "Israeli tanks shelled positions"), only not made it the root.
        subj
    } else if h == r {
        // The subject is the last nominal before the verb hanging from the
        // old root; what precedes it in that phrase stays with it.
        let Some(subj) = (0..v).rev().find(|&i| {
            heads[i] as usize == h
                && (nominal(i) || doc.upos[base + i] == Upos::Adj)
                && !matches!(
                    rels[i],
                    DepRel::OblUnmarked | DepRel::OblTmod | DepRel::NmodTmod | DepRel::Obl
                )
        }) else {
            // No subject to give the verb: leave the parse as it was.
            heads[v] = h as u32;
            rels[v] = DepRel::Amod;
            heads[h] = u32::MAX;
            rels[h] = DepRel::Root;
            return;
        };
        for (i, head) in heads.iter_mut().enumerate().take(v) {
            if *head as usize == h && i != subj {
                *head = if i < subj { subj as u32 } else { v32 };
            }
        }
        subj
    } else {
        // The old root, before the verb, is its subject; its dependents after
        // the verb are the verb's.
        for i in v + 1..n {
            if heads[i] as usize == r && i != h {
                heads[i] = v32;
                if rels[i] == DepRel::Nmod {
                    rels[i] = DepRel::Obl;
                }
            }
        }
        r
    };
    heads[subject] = v32;
    rels[subject] = DepRel::Nsubj;
}

/// The root of a sentence in the repairs' sentence-local head buffer (the
/// root's head is `u32::MAX`).
fn local_root(heads: &[u32]) -> Option<usize> {
    heads.iter().position(|&h| h == u32::MAX)
}

/// Repairs a subject the parser made the root, its verb hanging from it as
/// parataxis ("Washington along with its allies demanded that ...": the
/// root `Washington`, `demanded` parataxis). When the nominal root's first
/// verb after it is a finite past or present form with no subject of its
/// own, the verb becomes the root and the nominal its subject; the nominal's
/// dependents after the verb move to the verb.
fn repair_subject_root(doc: &Doc, base: usize, heads: &mut [u32], rels: &mut [DepRel]) {
    let n = heads.len();
    let Some(r) = local_root(heads) else {
        return;
    };
    // Not a nominal with a preposition ("in the war") or a subject of its
    // own: that is a phrase or a predicate, not the clause's subject.
    let phrase =
        (0..n).any(|i| heads[i] as usize == r && matches!(rels[i], DepRel::Case | DepRel::Nsubj));
    if !matches!(doc.upos[base + r], Upos::Noun | Upos::Propn) || phrase {
        return;
    }
    let Some(v) = (r + 1..n).find(|&i| doc.upos[base + i].is_verbal()) else {
        return;
    };
    let finite = matches!(doc.xpos[base + v].as_str(), "VBD" | "VBZ" | "VBP");
    let own_subject = (0..n)
        .any(|i| heads[i] as usize == v && matches!(rels[i], DepRel::Nsubj | DepRel::NsubjPass));
    if heads[v] as usize != r
        || !matches!(rels[v], DepRel::Parataxis | DepRel::Dep)
        || doc.upos[base + v] != Upos::Verb
        || !finite
        || own_subject
    {
        return;
    }
    let v32 = v as u32;
    for h in heads.iter_mut().skip(v + 1) {
        if *h as usize == r {
            *h = v32;
        }
    }
    heads[v] = u32::MAX;
    rels[v] = DepRel::Root;
    heads[r] = v32;
    rels[r] = DepRel::Nsubj;
}

/// Repairs a finite lexical verb the parser read as the auxiliary of a
/// participle after it ("The Palestinians reject proposed Israeli changes":
/// `reject` as `aux:pass` of the root `proposed`). Only the tagger's AUX words
/// (be, have, do, modals) are auxiliaries; a present or past tense verb
/// (VBP/VBZ/VBD tagged VERB) is the clause's predicate. When the participle
/// has an object after it, the verb becomes the root, the participle a
/// modifier of that object, the object the verb's, and the participle's other
/// dependents the verb's (its passive subject the verb's subject).
fn repair_lexical_auxiliary(doc: &Doc, base: usize, heads: &mut [u32], rels: &mut [DepRel]) {
    let n = heads.len();
    let Some(r) = local_root(heads) else {
        return;
    };
    if doc.upos[base + r] != Upos::Verb || doc.xpos[base + r].as_str() != "VBN" {
        return;
    }
    let Some(a) = (0..r).find(|&i| {
        heads[i] as usize == r
            && matches!(rels[i], DepRel::Aux | DepRel::AuxPass)
            && doc.upos[base + i] == Upos::Verb
            && matches!(doc.xpos[base + i].as_str(), "VBP" | "VBZ" | "VBD")
    }) else {
        return;
    };
    let Some(o) = (r + 1..n).find(|&i| heads[i] as usize == r && rels[i] == DepRel::Obj) else {
        return;
    };
    let a32 = a as u32;
    for i in 0..n {
        if heads[i] as usize == r && i != o && i != a {
            heads[i] = a32;
            if rels[i] == DepRel::NsubjPass {
                rels[i] = DepRel::Nsubj;
            }
        }
    }
    heads[a] = u32::MAX;
    rels[a] = DepRel::Root;
    heads[o] = a32;
    rels[o] = DepRel::Obj;
    heads[r] = o as u32;
    rels[r] = DepRel::Amod;
}

/// The stems an inflected English verb form may come from, likeliest first:
/// "blamed" -> "blame", "blam"; "shelled" -> "shell"; "rioting" -> "riot".
fn inflection_stems(form: &str) -> impl Iterator<Item = (&str, &'static str)> {
    // (stem, ending to add), most likely first; built without allocating, as
    // this runs for every verb the dictionary does not know.
    let candidates: [(&str, &'static str); 2] = if let Some(s) = form.strip_suffix("ed") {
        [(s, "e"), (s, "")]
    } else if let Some(s) = form.strip_suffix("ing") {
        [(s, ""), (s, "e")]
    } else if let Some(s) = form.strip_suffix("es") {
        [(s, "e"), (s, "")]
    } else if let Some(s) = form.strip_suffix('s') {
        [(s, ""), ("", "")]
    } else {
        [("", ""), ("", "")]
    };
    candidates
        .into_iter()
        .filter(|(stem, ending)| stem.len() + ending.len() >= 3)
}

fn lower_into<'b>(buf: &'b mut String, s: &str) -> &'b str {
    buf.clear();
    for c in s.chars() {
        buf.extend(c.to_lowercase());
    }
    buf
}

/// "threatened to X": CAMEO 13x by what is threatened.
pub fn threat_code(code: &str) -> String {
    match code.get(..2).unwrap_or("") {
        "18" | "19" | "20" => "138",
        "17" => "137",
        "16" => match code {
            "163" => "1312",
            "164" | "165" => "134",
            "166" => "136",
            _ => "131",
        },
        "14" => "133",
        "13" => code,
        _ => "130",
    }
    .to_string()
}

/// "agreed / promised / offered to X": CAMEO 03x by what is intended.
pub fn intent_code(code: &str) -> String {
    let root = code.get(..2).unwrap_or("");
    match root {
        "04" => "036".to_string(),
        "05" => "032".to_string(),
        "06" => match code {
            "061" => "0311",
            "062" => "0312",
            "063" => "0313",
            "064" => "0314",
            _ => "031",
        }
        .to_string(),
        "07" => match code {
            "071" => "0331",
            "072" => "0332",
            "073" => "0333",
            "074" => "0334",
            _ => "033",
        }
        .to_string(),
        "08" => match code {
            "0841" => "0353",
            "085" => "0354",
            "087" | "0871" => "0356",
            _ => "035",
        }
        .to_string(),
        // Intending force or coercion is a threat.
        "15" | "16" | "17" | "18" | "19" | "20" => threat_code(code),
        _ => code.to_string(),
    }
}

/// An agent without a country of its own, as a target weaker than a named
/// actor: `MIL`, or a multi-sector agent such as "military intelligence"
/// (`MILSPY`); not an organisation (`IGOUNO`) nor an agent composed with one
/// ("Bangladeshi peacekeeping troops" = `IGOBGD`).
fn is_bare_agent(m: &Mention) -> bool {
    let agent_alone = m.how == dyad_actors::How::Agent && m.agent_entry.is_none();
    m.country.is_none()
        && m.agent.is_some()
        && (m.agent.as_deref() == Some(m.code.as_str()) || agent_alone)
}
