//! Casualty, displacement, arrest and crowd counts.
//!
//! A count is a quantity (see [`crate::number`]) tied to a *category word*: a
//! verb or noun that says what happened to the people counted. News writes the
//! tie in three shapes, tried in this order:
//!
//! * the quantity's own noun says it: "12 dead", "8,000 refugees", "thousands of
//!   protesters", "a crowd of 5,000";
//! * a verb follows the noun phrase: "at least 12 people **were killed**",
//!   "nearly 8,000 people **to flee**", "thousands of Kurds **demonstrated**";
//! * a verb precedes the quantity: "**killing** at least 156 people", "**arrested**
//!   more than 100 Palestinians", "the death **toll** rose to 45".
//!
//! Qualifiers come from the words before the quantity ("at least", "more than" →
//! `at_least`; "nearly", "about", "some" → `approx`; "up to", "as many as" →
//! `at_most`); vague quantities ("dozens", "thousands") are `approx`. Figures that
//! cannot be read safely ("1e309") or exceed the world's population are never
//! coded: they are returned as [`Rejected`] so the event can carry a flag.

use crate::location::Tokens;
use crate::number::{MAX_COUNT, is_unreadable_number, read_quantity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Killed,
    Wounded,
    Displaced,
    Arrested,
    Crowd,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Killed => "killed",
            Kind::Wounded => "wounded",
            Kind::Displaced => "displaced",
            Kind::Arrested => "arrested",
            Kind::Crowd => "crowd",
        }
    }
}

/// A count found in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountMention {
    pub kind: Kind,
    pub value: u64,
    pub qualifier: &'static str,
    /// The counted noun ("people", "protesters"), when there is one.
    pub unit: Option<String>,
    /// Byte span of the words it was read from.
    pub start: usize,
    pub end: usize,
    /// The category word's token: what the count is attached by.
    pub anchor: usize,
}

/// A number in count position that was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub start: usize,
    pub end: usize,
    pub reason: &'static str,
}

/// Category of a word that says what happened to people, if any.
fn category(w: &str) -> Option<Kind> {
    Some(match w {
        "killed" | "kill" | "kills" | "killing" | "dead" | "died" | "die" | "dies" | "dying"
        | "deaths" | "death" | "slain" | "massacred" | "executed" | "perished" | "fatalities"
        | "bodies" | "murdered" | "lives" | "toll" | "beheaded" | "shot" => Kind::Killed,
        "wounded" | "wounding" | "wound" | "injured" | "injuring" | "injure" | "injuries"
        | "hurt" | "maimed" => Kind::Wounded,
        "displaced" | "displacing" | "fled" | "flee" | "fleeing" | "flees" | "evacuated"
        | "evacuate" | "evacuating" | "evacuees" | "refugees" | "homeless" | "uprooted"
        | "displacement" => Kind::Displaced,
        "arrested" | "arrest" | "arresting" | "arrests" | "detained" | "detaining" | "detain"
        | "detentions" | "jailed" | "imprisoned" | "apprehended" | "custody" | "rounded" => {
            Kind::Arrested
        }
        "protesters" | "protestors" | "demonstrators" | "marchers" | "rioters" | "strikers"
        | "crowd" | "crowds" | "protested" | "demonstrated" | "rallied" | "marched"
        | "gathered" | "protest" | "protesting" | "demonstrations" | "demonstration" | "rally"
        | "rallies" | "march" | "marching" => Kind::Crowd,
        _ => return None,
    })
}

/// Words that may sit between a noun phrase and its verb ("were reportedly killed").
const AUX: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "being",
    "are",
    "is",
    "reportedly",
    "also",
    "later",
    "reported",
    "feared",
    "believed",
    "confirmed",
    "to",
    "be",
    "all",
    "who",
    "that",
    "allegedly",
    "now",
    "already",
    "staged",
    "held",
    "joined",
    "took",
    "part",
    "in",
    "a",
    "mass",
    "street",
    "their",
    "homes",
    "from",
    "the",
    "streets",
    "of",
    "forced",
    "driven",
    "made",
    "presumed",
    "said",
    "thought",
];

/// Category words that are nouns (or adjectives used as nouns: "12 dead").
const CATEGORY_NOUNS: &[&str] = &[
    "dead",
    "wounded",
    "injured",
    "refugees",
    "evacuees",
    "homeless",
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "rioters",
    "strikers",
    "crowd",
    "crowds",
    "deaths",
    "fatalities",
    "bodies",
    "injuries",
    "lives",
    "displaced",
];

/// Words that end the counted noun phrase.
const NP_STOP: &[&str] = &[
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "the",
    "with",
    "for",
    "to",
    "by",
    "from",
    "as",
    "since",
    "during",
    "after",
    "before",
    "while",
    "when",
    "where",
    "who",
    "that",
    "which",
    "into",
    "near",
    "outside",
    "across",
    "including",
    "among",
    "of",
];

/// Words between a verb and the quantity it governs ("killing **at least**",
/// "toll **rose to**").
const LEFT_GAP: &[&str] = &[
    "at",
    "least",
    "more",
    "than",
    "over",
    "nearly",
    "almost",
    "about",
    "around",
    "some",
    "roughly",
    "approximately",
    "an",
    "estimated",
    "up",
    "to",
    "as",
    "many",
    "rose",
    "risen",
    "climbed",
    "reached",
    "stood",
    "stands",
    "is",
    "was",
    "of",
    "another",
    "a",
    "further",
    "total",
    "least",
    "had",
    "has",
    "have",
    "to",
];

/// Word beginnings that make a sentence about a protest.
const PROTEST_SIGNS: &[&str] = &[
    "protest", "demand", "blocked", "blockad", "chant", "sit-in", "boycott", "rall", "strike",
    "picket", "occup",
];

/// Nouns that count people without saying what happened to them.
const WEAK_CROWD: &[&str] = &[
    "people",
    "students",
    "workers",
    "supporters",
    "residents",
    "farmers",
    "women",
    "activists",
    "opponents",
    "members",
    "villagers",
    "teachers",
    "doctors",
    "civilians",
    "nurses",
    "miners",
    "citizens",
    "youths",
    "fans",
    "persons",
];

const NOT_PEOPLE: &[&str] = &[
    "years",
    "year",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "hours",
    "hour",
    "minutes",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "percent",
    "%",
    "per",
    "kg",
    "tonnes",
    "tons",
    "dollars",
    "euros",
    "pounds",
    "yuan",
    "rubles",
    "times",
    "points",
    "billion",
    "million",
    "barrels",
    "acres",
    "hectares",
    "feet",
    "degrees",
    "o'clock",
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "-year-old",
    "rounds",
    "shells",
    "missiles",
    "drones",
    "rockets",
    "tanks",
    "aircraft",
    "planes",
    "jets",
    "vehicles",
    "homes",
    "houses",
    "buildings",
    "villages",
    "towns",
    "cities",
    "seats",
    "votes",
];

fn qualifier_before(tok: &Tokens, i: usize, lo: usize) -> (&'static str, usize) {
    let w = |k: usize| if k >= lo { tok.w(k) } else { "" };
    let two = |a: &str, b: &str| i >= lo + 2 && w(i - 2) == a && w(i - 1) == b;
    let one = |a: &str| i > lo && w(i - 1) == a;
    if two("at", "least")
        || two("more", "than")
        || two("no", "fewer")
        || two("upwards", "of")
        || two("excess", "of")
        || two("no", "less")
    {
        return ("at_least", i - 2);
    }
    if two("up", "to")
        || two("as", "many")
        || two("at", "most")
        || two("fewer", "than")
        || two("less", "than")
        || two("close", "to")
    {
        let q = if two("close", "to") {
            "approx"
        } else {
            "at_most"
        };
        return (q, i - 2);
    }
    if two("an", "estimated") {
        return ("approx", i - 2);
    }
    if one("over") {
        return ("at_least", i - 1);
    }
    if one("nearly")
        || one("almost")
        || one("about")
        || one("around")
        || one("some")
        || one("roughly")
        || one("approximately")
        || one("estimated")
        || one("approx.")
        || one("circa")
        || one("perhaps")
    {
        return ("approx", i - 1);
    }
    if one("under") {
        return ("at_most", i - 1);
    }
    ("exact", i)
}

/// Finds the counts of one sentence (0-based index).
pub(crate) fn find_counts(tok: &Tokens, sentence: usize) -> (Vec<CountMention>, Vec<Rejected>) {
    let doc = tok.doc;
    let mut found = Vec::new();
    let mut rejected = Vec::new();
    let Some(sp) = doc.sentences.get(sentence) else {
        return (found, rejected);
    };
    let (lo, hi) = (sp.first_token as usize, sp.end_token as usize);
    let words: Vec<&str> = (lo..hi).map(|i| tok.w(i)).collect();
    // "March" the month is not a march
    let protest_in_sentence = (lo..hi).any(|i| {
        let w = tok.w(i);
        (category(w) == Some(Kind::Crowd) || PROTEST_SIGNS.iter().any(|p| w.starts_with(p)))
            && !(w == "march" && tok.capitalised(i) && !tok.caseless)
    });
    let mut i = lo;
    while i < hi {
        let rel = i - lo;
        let w = tok.w(i);
        let unreadable = is_unreadable_number(w);
        let q = if unreadable {
            None
        } else {
            read_quantity(&words[rel..])
        };
        // "a journalist was killed": one victim, accepted only with a passive or
        // intransitive verb below ("a bomb killed ..." counts nothing)
        let singular = q.is_none() && matches!(w, "a" | "an");
        let Some(q) = q
            .or(unreadable.then_some(crate::number::Quantity {
                value: u64::MAX,
                start: 0,
                end: 1,
                vague: false,
            }))
            .or(singular.then_some(crate::number::Quantity {
                value: 1,
                start: 0,
                end: 1,
                vague: false,
            }))
        else {
            i += 1;
            continue;
        };
        let q_end = i + q.end;
        // dates, money, measures, ages, "one of"
        let prev = if i > lo { tok.w(i - 1) } else { "" };
        let after = tok.w(q_end);
        let is_date = crate::when::is_month(prev) || crate::when::is_month(after);
        let is_money = matches!(prev, "$" | "€" | "£" | "us$") || w.starts_with('$');
        let is_year = q.value >= 1900 && q.value <= 2100 && w.len() == 4 && !q.vague;
        if is_date
            || is_money
            || NOT_PEOPLE.contains(&after)
            || after.ends_with("-year-old")
            || after == "-"
            || (w == "one" && after == "of")
            || (is_year && !matches!(after, "people" | "protesters" | "demonstrators"))
        {
            i = q_end;
            continue;
        }
        // noun phrase after the quantity: "of", modifiers, head noun
        let mut j = q_end;
        if tok.w(j) == "of" {
            j += 1;
        }
        let np_start = j;
        let mut unit: Option<usize> = None;
        while j < hi && j - np_start < 4 {
            let x = tok.w(j);
            if x.is_empty()
                || !x.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
                || AUX.contains(&x)
                || NP_STOP.contains(&x)
            {
                break;
            }
            if category(x).is_some() {
                // a casualty noun ends the phrase ("8,000 refugees"); a verb is
                // not part of it ("12 killed")
                if CATEGORY_NOUNS.contains(&x) {
                    unit = Some(j);
                    j += 1;
                }
                break;
            }
            unit = Some(j);
            j += 1;
        }
        // Candidates, strongest first: the noun itself when it names a casualty
        // ("12 dead", "8,000 refugees"); a verb right before the quantity
        // ("killing at least 156"); a verb after the noun phrase ("were killed");
        // a protest noun ("thousands of protesters": weakest, since protesters are
        // also arrested, wounded, ...); people counted in a protest sentence.
        let noun = unit
            .and_then(|u| category(tok.w(u)).map(|k| (k, u)))
            .or_else(|| (np_start..j).find_map(|t| category(tok.w(t)).map(|k| (k, t))));
        let (qualifier, q_start) = qualifier_before(tok, i, lo);
        let left = {
            let mut k = q_start;
            let mut hit = None;
            while k > lo && q_start - k < 5 {
                k -= 1;
                let x = tok.w(k);
                if let Some(c) = category(x) {
                    hit = Some((c, k));
                    break;
                }
                if !LEFT_GAP.contains(&x) {
                    break;
                }
            }
            hit
        };
        let mut passive = false;
        let right = {
            let mut k = j;
            let mut hit = None;
            while k < hi && k - j < 6 {
                let x = tok.w(k);
                if let Some(c) = category(x) {
                    // "two bombers killed 23 people": the quantity is the agent
                    let object_follows = read_quantity(&words[(k + 1 - lo).min(words.len())..])
                        .is_some()
                        || matches!(tok.w(k + 1), "at" | "more" | "nearly" | "about" | "some");
                    if !object_follows {
                        hit = Some((c, k));
                    }
                    break;
                }
                if !AUX.contains(&x) {
                    break;
                }
                passive |= matches!(x, "was" | "were" | "been" | "is" | "are");
                k += 1;
            }
            hit
        };
        if singular {
            let victim = right.filter(|&(c, at)| {
                c != Kind::Crowd
                    && (passive || matches!(tok.w(at), "died" | "dies" | "perished"))
                    && unit.is_some()
            });
            if let Some((kind, at)) = victim {
                found.push(CountMention {
                    kind,
                    value: 1,
                    qualifier: "exact",
                    unit: unit.map(|u| tok.w(u).to_string()),
                    start: doc.start[i] as usize,
                    end: doc.end[at] as usize,
                    anchor: at,
                });
            }
            i += 1;
            continue;
        }
        // people in a protest sentence: "supporters", "students", "Nigerians"
        let people = |u: usize| {
            WEAK_CROWD.contains(&tok.w(u))
                || (tok.capitalised(u) && !tok.caseless && tok.w(u).ends_with('s'))
        };
        let crowd_people = (protest_in_sentence && unit.is_some_and(people))
            .then(|| (Kind::Crowd, unit.unwrap_or(i)));
        let chosen = noun
            .filter(|(k, _)| *k != Kind::Crowd)
            .map(|n| (n, 'n'))
            .or(left.map(|l| (l, 'l')))
            .or(right.map(|r| (r, 'r')))
            .or(noun.map(|n| (n, 'n')))
            .or(crowd_people.map(|c| (c, 'n')));
        let mut start_tok = q_start;
        let mut end_tok = j;
        let kind = chosen.map(|((k, at), how)| {
            match how {
                'l' => start_tok = at,
                'r' => end_tok = at + 1,
                _ => {}
            }
            (k, at)
        });
        let anchor = kind.map_or(i, |(_, at)| at);
        let kind = kind.map(|(k, _)| k);
        let Some(kind) = kind else {
            i = q_end;
            continue;
        };
        let start = doc.start[start_tok] as usize;
        let end = doc.end[end_tok.max(q_end).min(hi) - 1] as usize;
        if q.value == u64::MAX || q.value > MAX_COUNT {
            rejected.push(Rejected {
                start,
                end,
                reason: if unreadable {
                    "not a number Dyad can read safely"
                } else {
                    "larger than the world's population"
                },
            });
        } else {
            let qualifier = if qualifier == "exact" && q.vague {
                "approx"
            } else {
                qualifier
            };
            found.push(CountMention {
                kind,
                value: q.value,
                qualifier,
                unit: unit.map(|u| tok.w(u).to_string()),
                start,
                end,
                anchor,
            });
        }
        i = q_end.max(i + 1);
    }
    (found, rejected)
}
