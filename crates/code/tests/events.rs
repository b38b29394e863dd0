//! Data-driven coder tests on hand-checked parses (`tests/data/events.conllu`):
//! each sentence lists the events it must produce, so the hard cases (negation,
//! modality, threats and intents, reported speech, passive voice, compound
//! actors, event nouns, light verbs) are checked independently of the tagger
//! and parser. Actors come from a small table here, standing in for the actor
//! dictionary.

use dyad_actors::How;
use dyad_code::{Coder, Mention, Outcome};
use dyad_doc::conllu::{Reader, copy_gold, doc_from_sentence};
use dyad_doc::event::Entry;
use dyad_doc::{DepRel, Doc};

/// (words, code, country, agent)
const ACTORS: &[(&str, &str, &str, &str)] = &[
    ("Russian forces", "RUSMIL", "RUS", "MIL"),
    ("Russia", "RUS", "RUS", ""),
    ("Russian", "RUS", "RUS", ""),
    ("Ukraine", "UKR", "UKR", ""),
    ("Kyiv", "UKRGOV", "UKR", "GOV"),
    ("China", "CHN", "CHN", ""),
    ("Putin", "RUSGOV", "RUS", "GOV"),
    ("NATO", "IGONAT", "", "IGO"),
    ("Soldiers", "MIL", "", "MIL"),
    ("minister", "GOV", "", "GOV"),
    ("United States", "USA", "USA", ""),
    ("military intelligence", "MILSPY", "", "MIL"),
    // A group PETRARCH files as transnational (`INT`).
    ("Jihad", "INTREB", "", "INT"),
    // Stands in for pronoun resolution ("Putin ... his").
    ("his", "RUSGOV", "RUS", "GOV"),
];

fn mentions(doc: &Doc) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        let hit = ACTORS.iter().find_map(|(words, code, country, agent)| {
            let ws: Vec<&str> = words.split(' ').collect();
            (i + ws.len() <= doc.len() && ws.iter().enumerate().all(|(k, w)| doc.form(i + k) == *w))
                .then_some((ws.len(), code, country, agent))
        });
        match hit {
            Some((len, code, country, agent)) => {
                let s = doc.sentence_of(i) as u32;
                out.push(Mention {
                    sentence: s,
                    tokens: i as u32..(i + len) as u32,
                    head: (i + len - 1) as u32,
                    code: code.to_string(),
                    country: (!country.is_empty()).then(|| country.to_string()),
                    agent: (!agent.is_empty()).then(|| agent.to_string()),
                    text: doc.text[doc.start[i] as usize..doc.end[i + len - 1] as usize]
                        .to_string(),
                    entry: Entry {
                        name: words_of(code),
                        source: "test-table".into(),
                        role: None,
                    },
                    agent_entry: None,
                    // Agent words without a country are found as agents.
                    how: if country.is_empty()
                        && !code.starts_with("IGO")
                        && !code.starts_with("INT")
                    {
                        How::Agent
                    } else {
                        How::Name
                    },
                    members: Vec::new(),
                });
                i += len;
            }
            None => i += 1,
        }
    }
    // "A and B": one compound mention.
    let mut merged: Vec<Mention> = Vec::new();
    for m in out {
        if let Some(prev) = merged.last_mut()
            && doc.head_of(m.head as usize) == Some(prev.head as usize)
            && doc.deprel[m.head as usize] == DepRel::Conj
        {
            let first = if prev.members.is_empty() {
                vec![prev.clone()]
            } else {
                prev.members.clone()
            };
            let mut members = first;
            members.push(m.clone());
            prev.tokens = prev.tokens.start..m.tokens.end;
            prev.members = members;
            prev.how = How::Compound;
            continue;
        }
        merged.push(m);
    }
    merged
}

fn words_of(code: &str) -> String {
    ACTORS
        .iter()
        .find(|a| a.1 == code)
        .map_or(code.to_string(), |a| a.0.to_string())
}

struct Case {
    id: String,
    expect: Vec<String>,
    doc: Doc,
}

fn cases() -> Vec<Case> {
    let text = include_str!("data/events.conllu");
    let mut out = Vec::new();
    for block in text.split("\n\n").filter(|b| b.contains('\t')) {
        let expect_line = block
            .lines()
            .find_map(|l| l.strip_prefix("# expect = "))
            .expect("every case has `# expect`");
        let mut expect: Vec<String> = if expect_line.trim() == "none" {
            Vec::new()
        } else {
            expect_line
                .split(';')
                .map(|e| e.trim().to_string())
                .collect()
        };
        expect.sort();
        let sent = Reader::new(block.as_bytes()).next().unwrap().unwrap();
        let id = sent.sent_id.clone().unwrap();
        let mut doc = doc_from_sentence(&id, &sent);
        copy_gold(&mut doc, &sent);
        doc.date = Some("2024-05-17".into());
        doc.validate().unwrap();
        out.push(Case { id, expect, doc });
    }
    out
}

/// The events of the test case `id`, coded with the built-in dictionary and
/// `options`.
fn code_case(id: &str, options: dyad_code::CoderOptions) -> Vec<dyad_doc::Event> {
    let c = cases().into_iter().find(|c| c.id == id).unwrap();
    Coder::new(dyad_code::VerbDict::builtin(), options).code(&c.doc, &mentions(&c.doc), &[])
}

/// The options of one-actor coding (`--monadic`), otherwise the defaults.
fn monadic() -> dyad_code::CoderOptions {
    dyad_code::CoderOptions {
        monadic: true,
        ..Default::default()
    }
}

/// Source code, whether the target is missing, and CAMEO code of each event.
fn one_actor_summary(events: &[dyad_doc::Event]) -> Vec<(&str, bool, &str)> {
    events
        .iter()
        .map(|e| {
            (
                e.source.as_ref().unwrap().code.as_str(),
                e.target.is_none(),
                e.cameo.as_str(),
            )
        })
        .collect()
}

#[test]
fn hand_parsed_sentences_code_as_expected() {
    let coder = Coder::builtin();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 18);
    for c in &all {
        let ms = mentions(&c.doc);
        let (events, cands) = coder.explain(&c.doc, &ms, &[]);
        let mut got: Vec<String> = events
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.source.as_ref().unwrap().code,
                    e.target.as_ref().unwrap().code,
                    e.cameo
                )
            })
            .collect();
        got.sort();
        if got != c.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}\n{}",
                c.id,
                c.expect,
                got,
                dyad_code::explain::render(&c.doc, &events, &cands)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn events_carry_provenance_and_derived_fields() {
    let c = cases().into_iter().find(|c| c.id == "passive").unwrap();
    let ms = mentions(&c.doc);
    let events = Coder::builtin().code(&c.doc, &ms, &[]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.event_id, "passive:1:1");
    assert_eq!((e.sentence, e.root.as_str(), e.quad_class), (1, "19", 4));
    assert_eq!(e.goldstein, -10.0);
    assert_eq!(e.plover.category, "ASSAULT");
    assert_eq!(e.date.as_deref(), Some("2024-05-17"));
    assert_eq!(e.provenance.trigger.text, "attacked");
    assert_eq!(
        &c.doc.text[e.provenance.trigger.start as usize..e.provenance.trigger.end as usize],
        "attacked"
    );
    assert!(e.provenance.pattern_source.starts_with("dict/verbs/"));
    assert!(e.provenance.rules.iter().any(|r| r == "passive"));
    assert_eq!(e.source.as_ref().unwrap().text, "Russia");
    assert_eq!(e.source.as_ref().unwrap().span, Some((24, 30)));
}

#[test]
fn rejected_candidates_say_why() {
    let coder = Coder::builtin();
    let why = |id: &str| {
        let c = cases().into_iter().find(|c| c.id == id).unwrap();
        let ms = mentions(&c.doc);
        let (_, cands) = coder.explain(&c.doc, &ms, &[]);
        cands
            .iter()
            .filter_map(|x| match &x.outcome {
                Outcome::Rejected(r) => Some(r.clone()),
                Outcome::Coded(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(why("negated").contains("negated"), "{}", why("negated"));
    assert!(why("modal").contains("hypothetical"));
    assert!(why("plans").contains("hypothetical"));
    assert!(why("no-target").contains("no target actor"));
    assert!(
        why("reported-to").contains("framing"),
        "{}",
        why("reported-to")
    );
}

#[test]
fn event_noun_object_of_main_verb_is_coded_without_target_when_monadic() {
    let events = code_case("hunger-strike", monadic());
    let got = one_actor_summary(&events);
    assert_eq!(got, vec![("RUSGOV", true, "142")]);
    assert!(events[0].main_event);
    assert_eq!(events[0].plover.category, "PROTEST");
}

#[test]
fn agentless_passive_force_is_coded_against_its_victim_when_monadic() {
    let events = code_case("agentless-passive-force", monadic());
    let got: Vec<(bool, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e.source.is_none(),
                e.target.as_ref().unwrap().code.as_str(),
                e.cameo.as_str(),
            )
        })
        .collect();
    assert_eq!(got, vec![(true, "UKR", "190")]);
    assert!(events[0].main_event);
    assert_eq!(events[0].plover.category, "ASSAULT");
    // Only acts of force: a passive statement with no agent stays uncoded.
    assert!(code_case("agentless-passive-statement", monadic()).is_empty());
}

#[test]
fn verb_hanging_from_its_subject_is_the_main_clause() {
    // Without the repair the verb is parataxis of "Putin", not a main-clause
    // event, and with no target it would code nothing.
    let events = code_case("subject-parsed-as-root", monadic());
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].source.as_ref().unwrap().code, "RUSGOV");
    assert!(events[0].target.is_none());
    assert!(events[0].main_event);
    assert_eq!(events[0].plover.category, "PROTEST");
}

#[test]
fn repaired_main_verb_is_named_in_provenance() {
    let events = code_case("verb-parsed-as-adjective", Default::default());
    assert_eq!(events.len(), 1);
    assert!(events[0].main_event);
    assert!(
        events[0]
            .provenance
            .rules
            .iter()
            .any(|r| r == "repaired_root"),
        "{:?}",
        events[0].provenance.rules
    );
}

#[test]
fn misread_lemma_is_not_guessed_for_petrarch_style_dictionaries() {
    let events = code_case(
        "misread-lemma",
        dyad_code::CoderOptions {
            exact_verb_forms: true,
            ..Default::default()
        },
    );
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn negated_events_are_kept_flagged_on_request() {
    let events = code_case(
        "negated",
        dyad_code::CoderOptions {
            keep_modal: true,
            ..Default::default()
        },
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].modality, dyad_doc::event::Modality::Negated);
}

#[test]
fn discarded_sentences_code_nothing() {
    let c = cases().into_iter().find(|c| c.id == "active").unwrap();
    let d = [dyad_code::Discard {
        sentence: 0,
        reason: "test".into(),
    }];
    assert!(
        Coder::builtin()
            .code(&c.doc, &mentions(&c.doc), &d)
            .is_empty()
    );
}

#[test]
fn a_pattern_that_spells_out_the_negation_codes_it() {
    let c = cases().into_iter().find(|c| c.id == "negated").unwrap();
    let mut verbs = dyad_code::VerbDict::default();
    verbs.read_dyad(
        "neg.verbs",
        "== attack [190]\nverb attack\n- not * [0874]  # did not attack: held back\n",
    );
    let coder = Coder::new(verbs, Default::default());
    let events = coder.code(&c.doc, &mentions(&c.doc), &[]);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].cameo, "0874");
    assert!(
        events[0]
            .provenance
            .rules
            .iter()
            .any(|r| r == "negation_in_pattern")
    );
    assert_eq!(events[0].provenance.pattern_source, "neg.verbs:3");
}

#[test]
fn future_acts_are_coded_literally_for_petrarch_style_dictionaries() {
    let events = code_case(
        "promise-if",
        dyad_code::CoderOptions {
            literal_future: true,
            ..Default::default()
        },
    );
    let codes: Vec<&str> = events.iter().map(|e| e.cameo.as_str()).collect();
    // "will meet" is the meeting itself (04x), not the intent to meet (036).
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c.starts_with("04")),
        "{codes:?}"
    );
}

#[test]
fn petrarch_patterns_match_over_the_verb_phrase() {
    let c = cases()
        .into_iter()
        .find(|c| c.id == "verb-phrase-pattern")
        .unwrap();
    let mut verbs = dyad_code::VerbDict::default();
    verbs.read_petrarch(
        "test.verbs",
        // `A_PLEASANT` would win if `_`-joined words could have a gap between them.
        "--- ALLOW  [080] ---\nALLOW\n- * A_PLEASANT  [027]\n- * REALLY_PLEASANT  [024]\n",
    );
    let code = |verb_phrase_patterns: bool| {
        let coder = Coder::new(
            verbs.clone(),
            dyad_code::CoderOptions {
                verb_phrase_patterns,
                monadic: true,
                ..Default::default()
            },
        );
        let events = coder.code(&c.doc, &mentions(&c.doc), &[]);
        events
            .iter()
            .map(|e| {
                let t = e.target.as_ref().map_or("-", |a| a.code.as_str());
                format!("{} {} {}", e.source.as_ref().unwrap().code, t, e.cameo)
            })
            .collect::<Vec<_>>()
    };
    // The pattern's words and the target are in the complement clause, and
    // `_`-joined pattern words are adjacent in the sentence.
    assert_eq!(code(true), ["RUS UKR 024"]);
    assert_ne!(code(false), ["RUS UKR 024"]);
}

#[test]
fn own_country_target_is_a_one_actor_event_when_allowed() {
    let c = cases()
        .into_iter()
        .find(|c| c.id == "own-country-target")
        .unwrap();
    let coder = Coder::new(dyad_code::VerbDict::builtin(), monadic());
    let events = coder.code(&c.doc, &mentions(&c.doc), &[]);
    // "Soldiers" take the sentence's country; Ukraine is then their own country.
    let got = one_actor_summary(&events);
    assert_eq!(got, [("UKRMIL", true, "190")]);
    assert!(events[0].main_event);
}

#[test]
fn petrarch_words_joined_to_the_verb_must_touch_it() {
    let mut verbs = dyad_code::VerbDict::default();
    verbs.read_petrarch(
        "test.verbs",
        "--- ATTACK  [190] ---\nATTACK\n- RECENTLY_*  [025]\n",
    );
    let coder = Coder::new(
        verbs,
        dyad_code::CoderOptions {
            verb_phrase_patterns: true,
            ..Default::default()
        },
    );
    let code_of = |id: &str| {
        let c = cases().into_iter().find(|c| c.id == id).unwrap();
        coder
            .code(&c.doc, &mentions(&c.doc), &[])
            .iter()
            .map(|e| e.cameo.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(code_of("joined-before"), ["025"]);
    assert_eq!(code_of("not-joined-before"), ["190"]);
}

/// Events of case `id` as `SOURCE TARGET CODE` (sorted), coded with a PETRARCH
/// verb dictionary and PETRARCH's semantics.
fn petrarch_code(id: &str, verbs_text: &str) -> Vec<String> {
    let c = cases().into_iter().find(|c| c.id == id).unwrap();
    let mut verbs = dyad_code::VerbDict::default();
    verbs.read_petrarch("test.verbs", verbs_text);
    let coder = Coder::new(
        verbs,
        dyad_code::CoderOptions {
            verb_phrase_patterns: true,
            literal_future: true,
            bare_agents: true,
            exact_verb_forms: true,
            ..Default::default()
        },
    );
    let mut got: Vec<String> = coder
        .code(&c.doc, &mentions(&c.doc), &[])
        .iter()
        .map(|e| {
            let t = e.target.as_ref().map_or("-", |a| a.code.as_str());
            format!("{} {} {}", e.source.as_ref().unwrap().code, t, e.cameo)
        })
        .collect();
    got.sort();
    got
}

#[test]
fn a_bare_agent_takes_its_possessors_country() {
    // Even where agents stay bare (PETRARCH), "Russia's ... minister" is
    // Russia's, whatever adjectives stand between them.
    assert_eq!(
        petrarch_code("possessor-agent", "--- WARN  [160] ---\nWARN\n"),
        ["RUSGOV UKR 160"]
    );
}

#[test]
fn a_compound_marker_pattern_codes_the_members_towards_each_other() {
    let with_marker = "--- DELAY  [120] ---\nDELAY\nPOSTPONE\n- % HAVE *  [191]\n";
    assert_eq!(
        petrarch_code("compound-marker", with_marker),
        ["CHN RUS 191", "RUS CHN 191"]
    );
    // Without `%` the same pattern codes the target the clause names.
    let without = "--- DELAY  [120] ---\nDELAY\nPOSTPONE\n- HAVE *  [191]\n";
    assert_eq!(
        petrarch_code("compound-marker", without),
        ["CHN UKR 191", "RUS UKR 191"]
    );
}

#[test]
fn petrarch_sets_joined_by_underscore_are_adjacent_to_their_words() {
    let verbs = "&TIETYPES\n+ECONOMIC\n+MILITARY\n\n--- WELCOME  [041] ---\nWELCOME\n\
                 - * NEW_&TIETYPES_RELATIONS  [903]\n- * &TIETYPES_ASSURANCES  [914]\n";
    assert_eq!(petrarch_code("joined-set", verbs), ["RUS UKR 903"]);
    // "new global economic relations": the set member is not next to "new".
    assert_eq!(petrarch_code("joined-set-gap", verbs), ["RUS UKR 041"]);
    // `&TIETYPES_ASSURANCES` is one set followed by one word, not a set named
    // "tietypes_assurances" (which would be empty and never match either).
    let d = {
        let mut d = dyad_code::VerbDict::default();
        d.read_petrarch("t.verbs", verbs);
        d
    };
    let welcome = &d.groups.iter().find(|g| g.name == "WELCOME").unwrap();
    assert_eq!(
        welcome.patterns[1].post,
        [
            dyad_code::verbs::Elem::Set(0),
            dyad_code::verbs::Elem::Next("assurances".into())
        ]
    );
}
