//! Importing PETRARCH and TABARI dictionaries as they are: the validation suites'
//! own dictionaries load, dated codes and agents work, and malformed lines are
//! reported with file and line while the rest loads.

use dyad_actors::{ActorDict, DiscardScope, How};
use dyad_doc::{Doc, Document};
use std::path::{Path, PathBuf};

fn shared(p: &str) -> Option<PathBuf> {
    let path = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared")
    .join(p);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("{} not present: skipping", path.display());
        None
    }
}

fn doc(text: &str, date: &str) -> Doc {
    let mut d = Doc::from_document(Document {
        id: "t".into(),
        date: Some(date.into()),
        text: text.into(),
        ..Document::default()
    });
    dyad_text::segment(&mut d);
    d
}

fn codes(dict: &ActorDict, text: &str, date: &str) -> Vec<(String, String)> {
    dict.mentions(&doc(text, date))
        .iter()
        .flat_map(|m| {
            m.actors()
                .iter()
                .map(|a| (a.text.clone(), a.code.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn petrarch_validation_dictionaries() {
    let Some(dir) = shared("data/gold/petrarch_unittest") else {
        return;
    };
    let d = ActorDict::load_petrarch(&dir).unwrap();
    assert!(d.warnings().is_empty(), "{:?}", d.warnings());
    assert!(d.actors().len() > 120, "{}", d.actors().len());
    assert!(d.agents().len() > 80, "{}", d.agents().len());
    assert_eq!(d.discard_entries().len(), 9);

    // Dated roles, in PETRARCH's order of precedence: the first covering range wins.
    let sam = |date| codes(&d, "Sam Gamgee spoke.", date)[0].1.clone();
    assert_eq!(sam("2007-01-01"), "HOBCIV");
    assert_eq!(sam("2009-01-01"), "HOBMIL");
    assert_eq!(sam("2010-01-10"), "ORCHOB");
    assert_eq!(sam("2013-01-01"), "HOBGOV");
    assert_eq!(sam("2014-01-01"), "HOBELI");

    // Actor phrases, country + agent (with `!MINST!` substitution sets and plurals),
    // lower-case codes.
    assert_eq!(
        codes(
            &d,
            "Israeli troops fired on Hamas gunmen in Gaza City as the Palestinian foreign minister protested.",
            "2014-01-01"
        ),
        pairs(&[
            ("Israeli troops", "ISRMIL"),
            ("Hamas gunmen", "PSEHMSMIL"),
            ("Gaza City", "PSEGZA"),
            ("Palestinian foreign minister", "PSEGOVFRM")
        ])
    );
    assert_eq!(
        codes(
            &d,
            "The Egyptian ministry of silly walks objected.",
            "2014-01-01"
        ),
        pairs(&[("Egyptian ministry of silly walks", "EGYGOV")])
    );
    assert_eq!(
        codes(&d, "Australian soldiers arrived.", "2014-01-01"),
        pairs(&[("Australian soldiers", "AUSMIL")])
    );

    // Discards, story and sentence level.
    let hits = d.discards(&doc(
        "Manchester United beat Arsenal. Baseball is popular in Gondor.",
        "2014-01-01",
    ));
    let got: Vec<(&str, DiscardScope, u32)> = hits
        .iter()
        .map(|h| (h.text.as_str(), h.scope, h.sentence))
        .collect();
    assert_eq!(
        got,
        [
            ("Manchester United", DiscardScope::Story, 0),
            ("Baseball", DiscardScope::Sentence, 1)
        ]
    );
    assert!(
        hits[0]
            .entry
            .source
            .ends_with("PETR.Validate.discards.txt:6"),
        "{}",
        hits[0].entry.source
    );
}

#[test]
fn tabari_validation_dictionaries() {
    let Some(dir) = shared("data/gold/tabari_validation") else {
        return;
    };
    let d = ActorDict::load_tabari(&dir).unwrap();
    assert!(d.warnings().is_empty(), "{:?}", d.warnings());
    assert!(d.actors().len() > 100, "{}", d.actors().len());
    assert!(d.agents().len() > 80, "{}", d.agents().len());

    // `GOLLUM`, `+SMEAGOL` with `<`, ranged and `>` codes.
    let gollum = |date| codes(&d, "Smeagol spoke.", date)[0].1.clone();
    assert_eq!(gollum("1990-01-01"), "HOB");
    assert_eq!(gollum("1997-01-01"), "HOBGOV");
    assert_eq!(gollum("2000-01-01"), "HOBREB");
    // Stems: "ARGENTIN" (no final `_`) matches "Argentine"; "NORW" matches "Norwegian".
    assert_eq!(
        codes(&d, "Argentine and Norwegian envoys met.", "1995-01-01"),
        pairs(&[("Argentine", "ARG"), ("Norwegian", "NOR")])
    );
    // Agents: country + `[~GOVFRM]`.
    assert_eq!(
        codes(
            &d,
            "The Arnor foreign minister visited Gondor.",
            "1995-01-01"
        ),
        pairs(&[("Arnor foreign minister", "ARNGOVFRM"), ("Gondor", "GON")])
    );
    // Compound code `[FRO/BIL/SAM]`.
    let ms = d.mentions(&doc("The Shire protested.", "1995-01-01"));
    assert_eq!(ms[0].how, How::Compound);
    let members: Vec<&str> = ms[0].actors().iter().map(|m| m.code.as_str()).collect();
    assert_eq!(members, ["FRO", "BIL", "SAM"]);
    // `[---]` is a null actor: Boromir names nobody, and his name hides nothing.
    assert!(codes(&d, "Boromir fell.", "1995-01-01").is_empty());
    // The `<NOUN>` section is not read as actors.
    assert!(codes(&d, "Goats and sheep grazed.", "1995-01-01").is_empty());
}

#[test]
fn malformed_lines_are_reported_and_the_rest_loads() {
    let dir = std::env::temp_dir().join(format!("dyad-actors-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Bad.actors.txt"),
        "GONDOR [GON]\nMORDOR [MOR 1999013-20000101]\nROHAN [ROH\nARNOR [ARN]\n+ARNORIAN\nELROND [ELF <19990101] [NOPE 20001301-20010101]\n\t[950601-990815]\nFANGORN\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("Bad.agents.txt"),
        "SOLDIER [~MIL]\nWIZARD [WIZ]\nKING {KINGS} [~GOV]\n",
    )
    .unwrap();
    let d = ActorDict::load_petrarch(&dir).unwrap();
    let got: Vec<String> = d
        .warnings()
        .iter()
        .map(|w| {
            format!(
                "{}:{}: {}",
                Path::new(&w.file).file_name().unwrap().to_string_lossy(),
                w.line,
                w.message
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "Bad.actors.txt:2: bad date \"1999013\" (expected YYMMDD or YYYYMMDD)",
            "Bad.actors.txt:3: unclosed `[`",
            "Bad.actors.txt:6: bad date \"20001301\": month or day out of range",
            "Bad.actors.txt:7: code block [950601-990815] has no code",
            "Bad.actors.txt:8: actor \"FANGORN\" has no code",
            "Bad.agents.txt:2: agent code [WIZ] has no `~` (expected [~CODE] or [CODE~])",
        ]
    );
    // Everything else loaded.
    assert_eq!(
        codes(
            &d,
            "Arnorian soldiers met Elrond and the kings of Gondor.",
            "1998-01-01"
        ),
        pairs(&[
            ("Arnorian soldiers", "ARNMIL"),
            ("Elrond", "ELF"),
            ("kings of Gondor", "GONGOV")
        ])
    );
    std::fs::remove_dir_all(&dir).ok();
    let err = ActorDict::load_petrarch(Path::new("/nonexistent/dyad")).unwrap_err();
    assert!(err.to_string().starts_with("/nonexistent/dyad: "), "{err}");
}

#[test]
fn builtin_dictionary_loads_cleanly() {
    let d = ActorDict::builtin();
    let w: Vec<String> = d.warnings().iter().map(|w| w.to_string()).collect();
    assert!(w.is_empty(), "{w:#?}");
    assert!(d.name_count() > 40_000, "{}", d.name_count());
    // Every ISO country of PLOVER's table is there, with its adjective.
    for (name, code) in [
        ("Russian", "RUS"),
        ("Ukrainian", "UKR"),
        ("Chinese", "CHN"),
        ("Burkinabe", "BFA"),
        ("Emirati", "ARE"),
        ("Palestinians", "PSE"),
    ] {
        assert_eq!(
            d.lookup(name).map(|e| e.roles[0].code.as_str()),
            Some(code),
            "{name}"
        );
    }
}

#[test]
fn dyad_format_files_in_order_first_wins() {
    let dir = std::env::temp_dir().join(format!("dyad-actors-dyad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.actors"),
        "@kind person\nJane Roe | Roe\n    XYZGOV 2020-01-01..\n    XYZELI\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.actors"),
        "@kind country\nRoe = ABC\nXyzland | Xyzish = XYZ\n@kind agent\nguards = MIL\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a dictionary").unwrap();
    let d = ActorDict::load_dyad(&dir).unwrap();
    assert!(d.warnings().is_empty(), "{:?}", d.warnings());
    assert_eq!(
        codes(&d, "Roe met Xyzish guards.", "2021-01-01"),
        pairs(&[("Roe", "XYZGOV"), ("Xyzish guards", "XYZMIL")])
    );
    assert_eq!(
        codes(&d, "Roe met Xyzish guards.", "2019-01-01")[0].1,
        "XYZELI"
    );
    std::fs::remove_dir_all(&dir).ok();
}
