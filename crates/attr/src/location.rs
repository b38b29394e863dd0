//! Place mentions in a document and the location of each event.
//!
//! Three steps, each kept separate so `--explain` can say which one decided:
//!
//! 1. **Find** every gazetteer name in the text with the automaton, at word
//!    boundaries, keeping the longest non-overlapping matches ("Kharkiv region"
//!    over "Kharkiv"), then **vet** each one: a place name must look like one
//!    (capitalised in cased text, a proper noun when tagged) and names that are also
//!    common words or people's names ("Split", "Mobile", "Jordan", "Chad") need
//!    evidence: a locative preposition, a container ("Split, Croatia"), or agreement
//!    with the document's other places and actors. Words next to a capitalised
//!    non-place ("Michael Jordan", "Paris Hilton", "Washington Post") are names of
//!    something else.
//! 2. **Resolve** each mention to one gazetteer entry. Candidates are scored by
//!    population (a prior), by a container written next to them ("Paris, Texas",
//!    "Ukraine's Kharkiv region"), by the countries the document talks about
//!    (places, adjectives like "Ukrainian", actor countries) and by the region
//!    words ("Kharkiv region" is the oblast, bare "Kharkiv" the city).
//! 3. **Locate** each event: among the mentions of its sentence, prefer one
//!    introduced by "in/at/near/outside…" and attached to the trigger in the parse
//!    (obl/nmod), near the trigger, not part of an actor's words; else the dateline
//!    ("KYIV, May 17 (Reuters) -"); else a locative mention in the previous few
//!    sentences.

use crate::gazetteer::{Ambiguity, Feature, Gazetteer};
use dyad_doc::{DepRel, Doc, Upos};

/// How many sentences back the `document` fallback looks for a locative mention.
pub const DOCUMENT_WINDOW: usize = 3;
/// How far (in tokens) from the trigger a place without a preposition may be.
const MAX_BARE_DISTANCE: usize = 12;

/// A vetted, resolved place mention.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMention {
    /// Byte offsets in the document text.
    pub start: usize,
    pub end: usize,
    /// Token range (doc-wide indices) and 0-based sentence.
    pub first_token: usize,
    pub end_token: usize,
    pub sentence: usize,
    /// Resolved gazetteer entry and its kind.
    pub place: u32,
    pub feature: Feature,
    /// Introduced by a locative preposition ("in", "near", "outside" ...).
    pub locative: bool,
    /// Introduced by "from": an origin, weak as an event location.
    pub origin: bool,
    /// Introduced by a preposition that makes it a topic or party, not a place
    /// ("a peace plan for Ukraine", "talks with Georgia").
    pub topic: bool,
    /// Modifies another mention ("Ukraine's" in "Ukraine's Kharkiv region", or
    /// "Croatia" in "Split, Croatia"): context, not a location of its own.
    pub container: bool,
    /// Part of a dateline at the start of the document.
    pub dateline: bool,
    /// Why it was accepted / how it was resolved, for `--explain`.
    pub note: &'static str,
}

/// Token-level view of the document used by all steps.
pub(crate) struct Tokens<'a> {
    pub doc: &'a Doc,
    /// The text ASCII-lower-cased (same byte offsets): token forms for keyword
    /// tests are slices of it, and the name automaton runs on it.
    pub lowered: String,
    /// Text is all caps or all lower case: capitalisation tells nothing.
    pub caseless: bool,
}

impl<'a> Tokens<'a> {
    pub fn new(doc: &'a Doc) -> Tokens<'a> {
        let mut lowered = String::new();
        crate::gazetteer::ascii_lower_into(&doc.text, &mut lowered);
        let (mut up, mut low) = (0usize, 0usize);
        for c in doc.text.chars().filter(|c| c.is_alphabetic()) {
            if c.is_uppercase() {
                up += 1;
            } else {
                low += 1;
            }
        }
        let caseless = up + low >= 20 && (up == 0 || up * 10 > (up + low) * 8);
        Tokens {
            doc,
            lowered,
            caseless,
        }
    }

    pub fn w(&self, i: usize) -> &str {
        if i < self.doc.len() {
            &self.lowered[self.doc.start[i] as usize..self.doc.end[i] as usize]
        } else {
            ""
        }
    }

    /// The token whose span contains byte `b` (or the next one).
    pub fn token_at(&self, b: usize) -> usize {
        self.doc.end.partition_point(|&e| (e as usize) <= b)
    }

    pub fn capitalised(&self, i: usize) -> bool {
        self.doc
            .form(i)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    pub fn upos(&self, i: usize) -> Option<Upos> {
        self.doc.upos.get(i).copied()
    }

    pub fn sentence_first(&self, i: usize) -> bool {
        let s = self.doc.sentence_of(i);
        self.doc
            .sentences
            .get(s)
            .is_some_and(|sp| sp.first_token as usize == i)
            || (i > 0 && matches!(self.w(i - 1), "\"" | "“" | "(" | "-" | "—" | ":"))
    }
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "around",
    "within",
    "into",
    "to",
    "towards",
    "toward",
    "on",
    "over",
    "off",
    "along",
    "between",
    "nearby",
    "via",
    "through",
    "beyond",
];
/// Prepositions that make a mention the event's place, strongly.
const STRONG_LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "around",
    "within",
    "nearby",
];
/// Prepositions after which a place name is a topic or a party, not a location.
const TOPICAL: &[&str] = &[
    "for",
    "against",
    "with",
    "about",
    "of",
    "by",
    "like",
    "than",
    "versus",
    "vs",
    "vs.",
    "regarding",
    "concerning",
];
const TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "president",
    "minister",
    "king",
    "queen",
    "prince",
    "general",
    "gen.",
    "coach",
    "senator",
    "sen.",
    "rep.",
    "judge",
    "pope",
    "sheikh",
    "saint",
    "st.",
    "st",
    "lord",
    "sir",
    "lady",
    "officer",
    "captain",
    "mayor",
];
/// Words that may stand between a preposition and the place: "in the northern
/// city of", "near the Ukrainian border town of".
const BRIDGE: &[&str] = &[
    "the",
    "a",
    "an",
    "city",
    "town",
    "village",
    "region",
    "province",
    "capital",
    "port",
    "of",
    "northern",
    "southern",
    "eastern",
    "western",
    "north",
    "south",
    "east",
    "west",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "central",
    "border",
    "besieged",
    "occupied",
    "frontline",
    "front-line",
    "district",
    "outskirts",
    "suburbs",
    "downtown",
    "centre",
    "center",
    "heart",
    "streets",
    "areas",
    "area",
    "parts",
    "part",
    "disputed",
    "breakaway",
    "embattled",
    "nearby",
    "neighbouring",
    "neighboring",
    "coastal",
    "eastern-most",
    "key",
    "strategic",
    "small",
    "large",
    "oblast",
    "state",
    "country",
    "governorate",
    "refugee",
    "camp",
    "camps",
    "parliament",
    "building",
    "embassy",
    "headquarters",
    "presidential",
    "palace",
    "square",
    "near",
    "outside",
    "’s",
    "'s",
    "city's",
    "capital's",
    "and",
    "enclave",
    "stronghold",
    "mostly",
    "predominantly",
    "largely",
    "sector",
    "residential",
    "restive",
    "troubled",
    "remote",
    "rural",
    "mountainous",
    "southeast",
    "northeast",
    "southwest",
    "northwest",
];
/// Capitalised words that may precede a place without being part of another name.
const DIRECTIONS: &[&str] = &[
    "western",
    "eastern",
    "northern",
    "southern",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "greater",
    "upper",
    "lower",
    "occupied",
    "rural",
];
/// After a place, these make it where something was said, not where it happened
/// ("sources in Pakistan said").
const REPORTING: &[&str] = &[
    "said", "says", "say", "reported", "told", "reports", "quoted",
];

/// Finds, vets and resolves every place mention of a document.
pub(crate) fn find_mentions(
    gaz: &Gazetteer,
    tok: &Tokens,
    actor_countries: &[u32],
) -> Vec<PlaceMention> {
    let doc = tok.doc;
    // tokens without sentences: the doc was not segmented by the contract
    if doc.is_empty() || doc.sentences.is_empty() {
        return Vec::new();
    }
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    // 1. raw matches at word boundaries, longest first, non-overlapping
    let mut raw: Vec<(usize, usize, u32)> = gaz
        .find_names(&tok.lowered)
        .filter(|m| {
            let before = text[..m.start].chars().next_back();
            let after = text[m.end..].chars().next();
            let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '-');
            // a trailing '.' of an abbreviation ("U.S.") is part of the name, so
            // only letters/digits/hyphens count as glued on
            boundary(before) && boundary(after) && bytes.get(m.start) != Some(&b' ')
        })
        .map(|m| (m.start, m.end, m.pattern))
        .collect();
    raw.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut picked: Vec<(usize, usize, u32)> = Vec::new();
    for m in raw {
        if picked.last().is_none_or(|p| m.0 >= p.1) {
            picked.push(m);
        }
    }

    // document context: countries named or implied (adjectives, actors)
    let mut context: Vec<u32> = actor_countries.to_vec();
    for i in 0..doc.len() {
        if (tok.capitalised(i) || tok.caseless)
            && let Some(c) = gaz.country_of_adjective(tok.w(i))
        {
            context.push(c);
        }
    }
    for &(_, _, pat) in &picked {
        let refs = gaz.candidates(pat);
        if refs.len() == 1 && gaz.place(refs[0].place).feature == Feature::Country {
            context.push(refs[0].place);
        }
    }

    let mut out: Vec<PlaceMention> = Vec::new();
    for (k, &(start, end, pat)) in picked.iter().enumerate() {
        let first = tok.token_at(start);
        let last = tok.token_at(end.saturating_sub(1));
        if first >= doc.len() || last >= doc.len() {
            continue;
        }
        let sentence = doc.sentence_of(first);
        if doc.sentence_of(last) != sentence {
            continue;
        }
        let surface = &text[start..end];
        let Some(vetted) = vet(gaz, tok, surface, first, last + 1, pat, &context) else {
            continue;
        };
        // container: "X, Y" where the next pick is right after a comma, or "Y's X"
        let next = picked.get(k + 1);
        let prep = preposition_before(tok, first);
        let mut m = PlaceMention {
            start,
            end,
            first_token: first,
            end_token: last + 1,
            sentence,
            place: u32::MAX,
            feature: Feature::Country,
            locative: prep.is_some_and(|p| LOCATIVE.contains(&p)),
            origin: prep == Some("from"),
            topic: prep.is_some_and(|p| TOPICAL.contains(&p)),
            container: false,
            dateline: is_dateline(tok, start, end),
            note: vetted,
        };
        // resolve, looking at the neighbours for containers
        let prev_place = out.last().filter(|p| {
            p.end_token + 1 == first && matches!(tok.w(p.end_token), "," | "’s" | "'s")
        });
        let next_container = next.and_then(|n| {
            let nf = tok.token_at(n.0);
            (nf == last + 2 && tok.w(last + 1) == ",").then_some(n.2)
        });
        m.place = resolve(
            gaz,
            pat,
            &context,
            prev_place.map(|p| p.place),
            next_container,
            kind_word_before(tok, first),
        );
        if m.place == u32::MAX {
            continue;
        }
        m.feature = gaz.place(m.place).feature;
        // "Ukraine's Kharkiv region": the earlier mention is context for this one
        if let Some(p) = out.last_mut()
            && p.end_token + 1 == first
            && matches!(tok.w(p.end_token), "’s" | "'s")
            && contains(gaz, p.place, m.place)
        {
            p.container = true;
            m.locative |= p.locative;
        }
        // "Split, Croatia": this one is the container of the previous
        if let Some(p) = out.last()
            && p.end_token + 1 == first
            && tok.w(p.end_token) == ","
            && contains(gaz, m.place, p.place)
        {
            m.container = true;
        }
        out.push(m);
    }
    out
}

/// Whether `outer` (country or admin1) contains `inner`.
fn contains(gaz: &Gazetteer, outer: u32, inner: u32) -> bool {
    let (o, i) = (gaz.place(outer), gaz.place(inner));
    match o.feature {
        Feature::Country => i.country == outer && inner != outer,
        Feature::Admin1 => i.admin1 == outer,
        Feature::City => false,
    }
}

/// The preposition governing a mention, skipping bridge words ("in the northern
/// city of"), or `None`.
fn preposition_before<'t>(tok: &'t Tokens, first: usize) -> Option<&'t str> {
    let sent = tok.doc.sentences[tok.doc.sentence_of(first)];
    let mut i = first;
    let mut steps = 0;
    while i > sent.first_token as usize && steps < 7 {
        i -= 1;
        steps += 1;
        let w = tok.w(i);
        // "of" after "city", "province", "outskirts" ... is part of the bridge
        let bridge_of = w == "of" && i > 0 && BRIDGE.contains(&tok.w(i - 1));
        if !bridge_of && (LOCATIVE.contains(&w) || w == "from" || TOPICAL.contains(&w)) {
            // "near" and "outside" are also bridges ("outside the parliament in")
            return Some(tok.w(i));
        }
        let is_adjective = tok.upos(i) == Some(Upos::Adj)
            || tok
                .doc
                .form(i)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
                && steps > 1;
        if !(BRIDGE.contains(&w) || is_adjective) {
            return None;
        }
    }
    None
}

/// "the province of Herat" names the region, "the city of Herat" the city.
fn kind_word_before(tok: &Tokens, first: usize) -> Option<Feature> {
    if first < 2 || tok.w(first - 1) != "of" {
        return None;
    }
    match tok.w(first - 2) {
        "province" | "region" | "state" | "governorate" | "oblast" | "department" => {
            Some(Feature::Admin1)
        }
        "city" | "town" | "village" | "capital" | "port" | "suburb" => Some(Feature::City),
        _ => None,
    }
}

/// "KYIV, May 17 (Reuters) -", "BEIRUT (AP) —", "Kharkiv, Ukraine -- ": a place
/// at the very start of the document followed by a date, an agency or a dash.
fn is_dateline(tok: &Tokens, start: usize, end: usize) -> bool {
    let text = tok.doc.text.as_str();
    if !text[..start].trim().is_empty() {
        return false;
    }
    let rest = text[end..].trim_start();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    rest.starts_with('(')
        || rest.starts_with('-')
        || rest.starts_with('—')
        || rest.starts_with('–')
        || rest
            .split(|c: char| !c.is_alphabetic())
            .next()
            .is_some_and(dyad_doc::calendar::is_date_word)
}

/// Decides whether a name match is a place mention; returns the reason, or `None`.
fn vet(
    gaz: &Gazetteer,
    tok: &Tokens,
    surface: &str,
    first: usize,
    end: usize,
    pattern: u32,
    context: &[u32],
) -> Option<&'static str> {
    let doc = tok.doc;
    let lower = surface.to_ascii_lowercase();
    let lower = lower.as_str();
    // "March", "May", "Sunday" are dates before they are towns
    if dyad_doc::calendar::is_date_word(lower) {
        return None;
    }
    // lower-case words in cased text are not names ("nice", "split", "mobile")
    if !tok.caseless && !surface.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    // a tagger that says this is not a proper noun (or a nominal) overrules
    if let Some(u) = tok.upos(end - 1)
        && !matches!(u, Upos::Propn | Upos::Noun | Upos::X | Upos::Adj)
    {
        return None;
    }
    let cands = gaz.candidates(pattern);
    let prev = first
        .checked_sub(1)
        .filter(|&p| doc.sentence_of(p) == doc.sentence_of(first));
    let next = Some(end).filter(|&n| n < doc.len() && doc.sentence_of(n) == doc.sentence_of(first));
    // glued to a capitalised non-place word: part of another name
    if !tok.caseless {
        let other_name = |i: usize| {
            tok.capitalised(i)
                && !dyad_doc::calendar::is_date_word(tok.w(i))
                && tok
                    .doc
                    .form(i)
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '.')
                && gaz.country_of_adjective(tok.w(i)).is_none()
        };
        if let Some(p) = prev
            && other_name(p)
            && !tok.sentence_first(p)
            && !DIRECTIONS.contains(&tok.w(p))
        {
            return None;
        }
        if let Some(n) = next
            && other_name(n)
            && !is_place_word(tok.w(n))
        {
            return None;
        }
    }
    if let Some(p) = prev
        && TITLES.contains(&tok.w(p))
    {
        return None;
    }
    let prep = preposition_before(tok, first);
    let locative = prep.is_some_and(|p| STRONG_LOCATIVE.contains(&p));
    match gaz.ambiguity(lower) {
        Some(Ambiguity::Word) => {
            // "Nice", "Split", "Mobile" as places need a preposition and a
            // capital that is not just the sentence's first letter
            if locative && !tok.sentence_first(first) || has_container_after(tok, end) {
                Some("common word, accepted: locative preposition / container")
            } else {
                None
            }
        }
        Some(Ambiguity::Person) => {
            let agrees = cands.iter().any(|r| {
                let p = gaz.place(r.place);
                context.contains(&r.place) || context.contains(&p.country)
            });
            if locative || has_container_after(tok, end) {
                Some("also a person's name, accepted: locative preposition / container")
            } else if agrees && next.is_none_or(|n| !tok.capitalised(n)) {
                Some(
                    "also a person's name, accepted: agrees with the document's countries or actors",
                )
            } else {
                None
            }
        }
        None => {
            // short all-caps strings in cased text are acronyms unless countries ("US", "UK")
            if !tok.caseless
                && surface.len() <= 3
                && surface.chars().all(|c| c.is_uppercase() || c == '.')
                && !cands
                    .iter()
                    .any(|r| gaz.place(r.place).feature == Feature::Country)
            {
                return None;
            }
            // foreign-language exonyms that happen to be 3-4 letter words
            if surface.len() <= 2 {
                return None;
            }
            Some(if locative {
                "place name after a locative preposition"
            } else {
                "place name"
            })
        }
    }
}

fn is_place_word(w: &str) -> bool {
    matches!(
        w,
        "region"
            | "province"
            | "oblast"
            | "city"
            | "state"
            | "governorate"
            | "county"
            | "district"
            | "strip"
            | "valley"
            | "border"
    )
}

fn has_container_after(tok: &Tokens, end: usize) -> bool {
    tok.w(end) == "," && tok.capitalised(end + 1)
}

/// Picks the gazetteer entry a mention denotes.
fn resolve(
    gaz: &Gazetteer,
    pattern: u32,
    context: &[u32],
    before: Option<u32>,
    after_pattern: Option<u32>,
    kind_word: Option<Feature>,
) -> u32 {
    let cands = gaz.candidates(pattern);
    let typed = cands.iter().any(|r| r.typed);
    let mut best = (f64::MIN, u32::MAX);
    for r in cands {
        if typed && !r.typed {
            continue;
        }
        let p = gaz.place(r.place);
        let pop = match p.feature {
            Feature::Country => p.population.max(1_000_000),
            Feature::Admin1 => 500_000,
            Feature::City => p.population,
        };
        let mut score = (pop as f64 + 1.0).ln() * 0.15;
        if r.primary {
            score += 0.5;
        }
        if p.curated {
            score += 0.5;
        }
        match p.feature {
            Feature::Country => score += 1.0,
            Feature::City => {
                if gaz
                    .country_info(p.country)
                    .is_some_and(|c| c.capital == p.name)
                {
                    score += 0.7;
                }
                score += 0.3;
            }
            Feature::Admin1 => {}
        }
        let n_ctx = context
            .iter()
            .filter(|&&c| c == p.country || c == r.place)
            .count();
        score += (n_ctx as f64).min(3.0) * 0.8;
        if kind_word == Some(p.feature) {
            score += 3.0;
        }
        if let Some(b) = before
            && contains(gaz, b, r.place)
        {
            score += 5.0;
        }
        if let Some(ap) = after_pattern
            && gaz
                .candidates(ap)
                .iter()
                .any(|c| contains(gaz, c.place, r.place))
        {
            score += 5.0;
        }
        if score > best.0 {
            best = (score, r.place);
        }
    }
    best.1
}

/// How the event's place was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Sentence,
    Dateline,
    Document,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Sentence => "sentence",
            Method::Dateline => "dateline",
            Method::Document => "document",
        }
    }
}

/// Picks the event location among the document's mentions. `sentence` is
/// 0-based; `trigger` the trigger token (if known); `actor_spans` byte spans of
/// the event's actors.
pub(crate) fn locate<'m>(
    tok: &Tokens,
    mentions: &'m [PlaceMention],
    sentence: usize,
    trigger: Option<usize>,
    actor_spans: &[(u32, u32)],
) -> Option<(&'m PlaceMention, Method)> {
    let doc = tok.doc;
    let in_actor = |m: &PlaceMention| {
        actor_spans
            .iter()
            .any(|&(s, e)| (s as usize) < m.end && m.start < e as usize)
    };
    let mut best: Option<(f64, &PlaceMention)> = None;
    for m in mentions
        .iter()
        .filter(|m| m.sentence == sentence && !m.container)
    {
        let mut score = 0.0;
        if m.locative {
            score += 3.0;
        }
        if m.origin {
            score -= 1.0;
        }
        if m.topic {
            continue;
        }
        if (m.end_token..(m.end_token + 3).min(doc.len())).any(|i| REPORTING.contains(&tok.w(i))) {
            score -= 2.5;
        }
        let actor = in_actor(m);
        if actor {
            score -= 2.5;
        }
        if let Some(t) = trigger {
            if attached(doc, m.end_token - 1, t) {
                score += 2.0;
            }
            score -= (token_distance(m, t) as f64) * 0.05;
        }
        score += match m.feature {
            Feature::City => 0.3,
            Feature::Admin1 => 0.2,
            Feature::Country => 0.0,
        };
        // an actor ("Russia attacked Ukraine") is a location only if nothing better
        // exists and it is introduced like a place
        if actor && !m.locative {
            continue;
        }
        // a bare mention far from the trigger is about something else
        if !m.locative
            && trigger.is_some_and(|t| {
                !attached(doc, m.end_token - 1, t) && token_distance(m, t) > MAX_BARE_DISTANCE
            })
        {
            continue;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, m));
        }
    }
    if let Some((_, m)) = best {
        return Some((m, Method::Sentence));
    }
    if let Some(m) = mentions.iter().find(|m| m.dateline) {
        return Some((m, Method::Dateline));
    }
    let lo = sentence.saturating_sub(DOCUMENT_WINDOW);
    mentions
        .iter()
        .rev()
        .filter(|m| m.sentence < sentence && m.sentence >= lo && m.locative && !m.container)
        .max_by_key(|m| m.sentence)
        .map(|m| (m, Method::Document))
}

fn token_distance(m: &PlaceMention, t: usize) -> usize {
    if m.first_token > t {
        m.first_token - t
    } else {
        t.saturating_sub(m.end_token - 1)
    }
}

/// Whether token `m` hangs off trigger `t` via obl/nmod (directly or through one
/// intermediate nominal), in a parsed document.
fn attached(doc: &Doc, m: usize, t: usize) -> bool {
    if doc.head.is_empty() {
        return false;
    }
    let mut i = m;
    for _ in 0..4 {
        let Some(h) = doc.head_of(i) else {
            return false;
        };
        let rel = doc.deprel.get(i).copied().unwrap_or_default();
        if h == t {
            return matches!(
                rel.universal(),
                "obl" | "nmod" | "advmod" | "obj" | "compound"
            ) || rel == DepRel::Flat;
        }
        i = h;
    }
    false
}
