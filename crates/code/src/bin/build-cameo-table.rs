//! Rebuilds `data/cameo/cameo.tsv`, Dyad's CAMEO table, from the facts in
//! `../shared/data/cameo/cameo_codes_merged.csv` (codes, names, QuadClass,
//! Goldstein values and the CAMEO→PLOVER 2021 mapping).
//!
//! ```text
//! cargo run -p dyad-code --bin build-cameo-table -- ../shared/data/cameo/cameo_codes_merged.csv data/cameo/cameo.tsv
//! ```
//!
//! Choices made here, so the table can be read on its own:
//! * names are the ICEWS spellings (the GDELT column has mojibake);
//! * Goldstein values are GDELT's, QuadClass follows the ICEWS convention
//!   (01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
//!   conflict, 14-20 material conflict);
//! * a two-digit root code takes the PLOVER category and mode of its `x0` code;
//! * CAMEO 01 (statements) has no PLOVER category (PLOVER does not code
//!   statements), so its category is empty; CAMEO 02 (appeals) has no row in
//!   CAMEO→PLOVER because PLOVER folded appeals into REQUEST ("all requests,
//!   demands, and orders"), so 02x codes get REQUEST here;
//! * where the PLOVER manual's own category text disagrees with the 2021
//!   CAMEO→PLOVER table, the manual wins for the whole code
//!   (`CODEBOOK_OVERRIDES`, each with the manual's words).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: build-cameo-table MERGED_CSV OUT_TSV");
        return ExitCode::from(2);
    }
    match run(&args[1], &args[2]) {
        Ok(n) => {
            eprintln!("wrote {n} codes to {}", args[2]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build-cameo-table: {e}");
            ExitCode::FAILURE
        }
    }
}

/// CAMEO codes whose PLOVER category follows the PLOVER manual
/// (`../shared/data/plover/PLOVER_MANUAL.tex`) rather than the 2021 table:
/// code, category, mode, and the manual's reason.
const CODEBOOK_OVERRIDES: &[(&str, &str, &str, &str)] = &[
    (
        "163",
        "SANCTION",
        "discontinue",
        "SANCTION: 'International (political or economic) sanctions are coded as discontinue'",
    ),
    (
        "0831",
        "RETREAT",
        "resign",
        "RETREAT: 'also covers resignations of government officials' (mode resign); \
         acceding to a demand for a change of leader is the leader stepping down",
    ),
    (
        "0813",
        "CONCEDE",
        "",
        "CONCEDE: 'removing curfews ... We're treating such concessions as verbal rather than material'",
    ),
    (
        "0814",
        "CONCEDE",
        "",
        "CONCEDE: easing 'administrative or legal restrictions', as for curfews",
    ),
];

struct Row {
    code: String,
    name: String,
    goldstein: String,
    quad: String,
    category: String,
    mode: String,
}

fn run(input: &str, output: &str) -> Result<usize, String> {
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let mut lines = text.lines().enumerate();
    let header = split_csv(lines.next().ok_or(format!("{input}: empty file"))?.1);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("{input}: no column {name:?}"))
    };
    let (c_code, c_name, c_gold, c_gold2, c_gold3, c_quad, c_cat, c_mode) = (
        col("code")?,
        col("name_icews")?,
        col("goldstein_gdelt")?,
        col("goldstein_icews")?,
        col("goldstein_phoenix")?,
        col("quad_icews_convention")?,
        col("plover_category")?,
        col("plover_mode")?,
    );
    let mut rows = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f = split_csv(line);
        let get = |c: usize| {
            f.get(c)
                .map(|s| s.trim().to_string())
                .ok_or(format!("{input}:{}: missing column {c}", i + 1))
        };
        let code = get(c_code)?;
        if code.len() < 2 || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{input}:{}: bad code {code:?}", i + 1));
        }
        rows.push(Row {
            code,
            name: get(c_name)?.replace('\t', " "),
            // GDELT's value, else ICEWS's, else Phoenix's (else the parent's, below).
            goldstein: [get(c_gold)?, get(c_gold2)?, get(c_gold3)?]
                .into_iter()
                .find(|g| g.parse::<f32>().is_ok())
                .unwrap_or_default(),
            quad: get(c_quad)?,
            category: get(c_cat)?,
            mode: get(c_mode)?,
        });
    }
    for k in 0..rows.len() {
        if rows[k].goldstein.is_empty() {
            let parent = &rows[k].code[..rows[k].code.len() - 1];
            if let Some(p) = rows.iter().find(|r| r.code == parent) {
                rows[k].goldstein = p.goldstein.clone();
            }
        }
    }
    for &(code, category, mode, _why) in CODEBOOK_OVERRIDES {
        let r = rows
            .iter_mut()
            .find(|r| r.code == code)
            .ok_or(format!("{input}: no code {code} to override"))?;
        r.category = category.to_string();
        r.mode = mode.to_string();
    }
    for r in rows.iter_mut() {
        if r.code.starts_with("02") && r.category.is_empty() {
            r.category = "REQUEST".to_string();
        }
    }
    // Root codes inherit the PLOVER category of their "x0" code.
    for k in 0..rows.len() {
        if rows[k].code.len() == 2 && rows[k].category.is_empty() {
            let child = format!("{}0", rows[k].code);
            if let Some(c) = rows.iter().find(|r| r.code == child) {
                let (cat, mode) = (c.category.clone(), c.mode.clone());
                rows[k].category = cat;
                rows[k].mode = mode;
            }
        }
    }
    let mut out = String::from(
        "# Dyad CAMEO table: code, QuadClass, Goldstein, PLOVER category, PLOVER mode, name.\n\
         # Built by `cargo run -p dyad-code --bin build-cameo-table` from ../shared/data/cameo/cameo_codes_merged.csv;\n\
         # see that tool for the choices made. Edit the tool, not this file.\n",
    );
    for r in &rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            r.code, r.quad, r.goldstein, r.category, r.mode, r.name
        ));
    }
    std::fs::write(output, out).map_err(|e| format!("{output}: {e}"))?;
    Ok(rows.len())
}

/// Splits one CSV line with `"` quoting (no embedded newlines in this file).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}
