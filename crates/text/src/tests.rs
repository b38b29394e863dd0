//! Sentence-level behaviour of the whole chain on the hard cases of news text.

use super::*;

/// Sentences of `text`, each as its tokens joined by spaces.
fn sents(text: &str) -> Vec<String> {
    let (toks, sentences) = segment_text(text);
    sentences
        .iter()
        .map(|s| {
            toks[s.tokens()]
                .iter()
                .map(|t| t.form(text))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn periods_end_sentences_but_not_abbreviations() {
    assert_eq!(
        sents("Gen. Smith met Mr. Jones in St. Louis at 9 a.m. on Jan. 5. They talked."),
        [
            "Gen. Smith met Mr. Jones in St. Louis at 9 a.m. on Jan. 5 .",
            "They talked ."
        ]
    );
    assert_eq!(
        sents("Troops left the U.S. The talks failed. The U.S. Senate voted."),
        [
            "Troops left the U.S.",
            "The talks failed .",
            "The U.S. Senate voted ."
        ]
    );
    assert_eq!(
        sents("Apple Inc. said profit rose. J. R. Smith agreed."),
        ["Apple Inc. said profit rose .", "J. R. Smith agreed ."]
    );
}

#[test]
fn quotes_stay_with_their_sentence() {
    assert_eq!(
        sents(
            "He called it an \"attack.\"\"It's not for me,\" said Macron. “We won.” Then he left."
        ),
        [
            "He called it an \" attack . \"",
            "\" It 's not for me , \" said Macron .",
            "“ We won . ”",
            "Then he left ."
        ]
    );
    assert_eq!(
        sents("\"Why?\" he asked. (It was late.) Nobody answered!"),
        [
            "\" Why ? \" he asked .",
            "( It was late . )",
            "Nobody answered !"
        ]
    );
}

#[test]
fn lower_case_after_a_period_does_not_split_mixed_text() {
    assert_eq!(
        sents("The Red Cross brought food, water etc. and left. The war lasted 8 yrs. and ended."),
        [
            "The Red Cross brought food , water etc. and left .",
            "The war lasted 8 yrs . and ended ."
        ]
    );
}

#[test]
fn datelines_are_sentences_of_their_own() {
    assert_eq!(
        sents("KYIV, May 17 (Reuters) - Russian forces attacked Kharkiv on Friday."),
        [
            "KYIV , May 17 ( Reuters ) -",
            "Russian forces attacked Kharkiv on Friday ."
        ]
    );
    assert_eq!(
        sents(
            "Two sheep thieves in court Molaole Montsho RUSTENBURG, October 24 (ANA) - Two men were held."
        ),
        [
            "Two sheep thieves in court Molaole Montsho",
            "RUSTENBURG , October 24 ( ANA ) -",
            "Two men were held ."
        ]
    );
    assert_eq!(
        sents(
            "NEW DELHI, March 7 (Xinhua) -- Two civilians died. TOKYO (AP) — Police arrested a man."
        ),
        [
            "NEW DELHI , March 7 ( Xinhua ) --",
            "Two civilians died .",
            "TOKYO ( AP ) —",
            "Police arrested a man ."
        ]
    );
    // A table header in brackets is not an agency.
    assert_eq!(
        sents("COTTON (cont.) - Exports rose."),
        ["COTTON ( cont . ) - Exports rose ."]
    );
    // Brackets after a capitalised name are not a dateline without an agency or date.
    assert_eq!(
        sents("Ministers from the Group of Five (G-5) - comprising France - met."),
        ["Ministers from the Group of Five ( G - 5 ) - comprising France - met ."]
    );
}

#[test]
fn dateline_parts_are_reported() {
    let mut doc = Doc {
        text: "KANDAHAR, Afghanistan, Oct. 3 (Xinhua) -- Seven militants were killed.".into(),
        ..Doc::default()
    };
    segment(&mut doc);
    assert_eq!(doc.sentences.len(), 2);
    let d = dateline(&doc, 0).expect("a dateline");
    let words = |r: std::ops::Range<usize>| r.map(|i| doc.form(i)).collect::<Vec<_>>().join(" ");
    assert_eq!(words(d.place), "KANDAHAR , Afghanistan");
    assert_eq!(words(d.date.unwrap()), "Oct. 3");
    assert_eq!(words(d.agency.unwrap()), "Xinhua");
    assert_eq!(dateline(&doc, 1), None);
}

#[test]
fn paragraphs_end_sentences_single_newlines_do_not() {
    let reuters = "Texas Commerce Bancshares Inc's Texas\nCommerce Bank-Houston said it filed an application with the\nComptroller of the Currency.\n The bank said the network would link 31 banks";
    assert_eq!(
        sents(reuters),
        [
            "Texas Commerce Bancshares Inc 's Texas Commerce Bank - Houston said it filed an application with the Comptroller of the Currency .",
            "The bank said the network would link 31 banks"
        ]
    );
    assert_eq!(
        sents("Putin visits China\n\nPutin arrived in Beijing"),
        ["Putin visits China", "Putin arrived in Beijing"]
    );
    // Reuters table rows are indented lines.
    assert_eq!(
        sents("Qtr net profit\n Shr 10 cts vs 5 cts\n Net 72,000 vs 16,000"),
        [
            "Qtr net profit",
            "Shr 10 cts vs 5 cts",
            "Net 72,000 vs 16,000"
        ]
    );
}

#[test]
fn all_caps_text() {
    let muc = "THE GOVERNMENT JUNTA YESTERDAY APPROVED A\nDRAFT BILL. THE BILL WILL RESTRICT THE LAW\n TO SERIOUS CASES. GEN. TORRES SAID SO. U.S. TROOPS LEFT THE U.S. THE END.";
    assert_eq!(Casing::detect(muc), Casing::Upper);
    assert_eq!(
        sents(muc),
        [
            "THE GOVERNMENT JUNTA YESTERDAY APPROVED A DRAFT BILL .",
            "THE BILL WILL RESTRICT THE LAW TO SERIOUS CASES .",
            "GEN. TORRES SAID SO .",
            "U.S. TROOPS LEFT THE U.S.",
            "THE END ."
        ]
    );
    assert_eq!(
        sents("SAN SALVADOR, 3 JAN 90 (RADIO CADENA NACIONAL) -- THE ARMY ATTACKED."),
        [
            "SAN SALVADOR , 3 JAN 90 ( RADIO CADENA NACIONAL ) --",
            "THE ARMY ATTACKED ."
        ]
    );
}

#[test]
fn lower_case_text() {
    let toi = "This story is from March 12, 2002\n\ngandhinagar: the assembly would meet again on wednesday. the house was adjourned on february 28. mr. modi spoke.";
    assert_eq!(Casing::detect(toi), Casing::Lower);
    assert_eq!(
        sents(toi),
        [
            "This story is from March 12 , 2002",
            "gandhinagar : the assembly would meet again on wednesday .",
            "the house was adjourned on february 28 .",
            "mr. modi spoke ."
        ]
    );
}

#[test]
fn ellipses_and_question_marks() {
    assert_eq!(
        sents("He paused... Then he spoke. Is it over? Yes! it is."),
        [
            "He paused ...",
            "Then he spoke .",
            "Is it over ?",
            "Yes !",
            "it is ."
        ]
    );
}

#[test]
fn runaway_sentences_are_cut() {
    let text = "word ".repeat(1000);
    let (toks, sentences) = segment_text(&text);
    assert_eq!(toks.len(), 1000);
    assert!(
        sentences
            .iter()
            .all(|s| s.len() <= sentence::MAX_SENTENCE_TOKENS)
    );
    assert_eq!(sentences.iter().map(|s| s.len()).sum::<usize>(), 1000);
}

#[test]
fn segment_fills_a_valid_doc() {
    let mut doc = Doc {
        id: "x".into(),
        text: "Putin’s visit underscores Russia’s reliance on China.\nIn a pre-visit interview, Putin spoke. ".into(),
        ..Doc::default()
    };
    segment(&mut doc);
    doc.validate().unwrap();
    assert_eq!(doc.sentences.len(), 2);
    assert_eq!(doc.form(0), "Putin");
    assert_eq!(doc.form(1), "’s");
    assert!(!doc.space_after[0] && doc.space_after[1]);
    assert_eq!(
        doc.sentence_text(1),
        "In a pre-visit interview, Putin spoke."
    );
    // The final period is followed by a space in the text.
    assert!(doc.space_after[doc.len() - 1]);
    // Segmenting again gives the same result.
    let before = (doc.start.clone(), doc.sentences.clone());
    segment(&mut doc);
    assert_eq!((doc.start.clone(), doc.sentences.clone()), before);
}

#[test]
fn empty_and_junk_text() {
    for text in [
        "",
        "   \n\n ",
        "\u{0}\u{0}",
        ".",
        "...",
        "\"",
        "-- --",
        "(((",
        "🙂🙂 🙂",
    ] {
        let mut doc = Doc {
            text: text.into(),
            ..Doc::default()
        };
        segment(&mut doc);
        doc.validate().unwrap();
        assert_eq!(doc.is_empty(), text.trim().is_empty(), "{text:?}");
    }
}

/// Pseudo-random text from a news-like alphabet (letters, digits, every kind of
/// punctuation the rules look at, Unicode spaces and quotes): segmentation must
/// always produce a valid doc whose tokens cover every non-space character once.
#[test]
fn random_text_is_always_segmented_consistently() {
    const PIECES: &[&str] = &[
        "a",
        "B",
        "z",
        "Q",
        "7",
        "0",
        ".",
        ",",
        "'",
        "\"",
        "’",
        "“",
        "”",
        "-",
        "--",
        "—",
        "(",
        ")",
        "?",
        "!",
        ":",
        ";",
        "/",
        "@",
        "$",
        "%",
        "…",
        "...",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\n ",
        "\u{a0}",
        "\u{2009}",
        "é",
        "日本",
        "U.S.",
        "Gen.",
        "n't",
        "'s",
        "KYIV",
        "May",
        "17",
        "(Reuters)",
        "http://",
        "www.",
        "\t",
        "\r\n",
        "\u{0}",
        "🙂",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let mut text = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 40) as usize;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
        }
        let mut doc = Doc {
            text: text.clone(),
            ..Doc::default()
        };
        segment(&mut doc);
        doc.validate().unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let covered: usize = (0..doc.len()).map(|i| doc.form(i).len()).sum();
        let visible: usize = scan::chunks(&text)
            .map(|c| (c.end - c.start) as usize)
            .sum();
        assert_eq!(covered, visible, "{text:?}");
        for sp in &doc.sentences {
            assert!(sp.len() <= sentence::MAX_SENTENCE_TOKENS);
        }
    }
}
