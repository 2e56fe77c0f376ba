//! Detection against Microsoft Presidio's recognizer tests (tests/privacy/presidio/, MIT, with
//! their source): each case's expected result — found or not found, where, and the kind — on at
//! least 95% of each kind's cases and 80% of the phone numbers', whose cases span many countries.
//! Presidio's weak matches (score at most 0.4, such as a bare run of nine digits for an SSN) are
//! not required either way; phone cases are those of Presidio's default leniency. Prints each
//! kind's figures and every case that differs (docs/privacy.md explains each).
#![cfg(feature = "privacy")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::privacy::{detect, Kind, Kinds};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// A span in code points, as Presidio gives them.
type Span = (usize, usize);

struct Figures {
    cases: usize,
    passed: usize,
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    differences: Vec<String>,
}

fn code_points(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

fn evaluate(file: &str, kind: Kind) -> Figures {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/privacy/presidio").join(file);
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut figures = Figures {
        cases: 0,
        passed: 0,
        true_positives: 0,
        false_positives: 0,
        false_negatives: 0,
        differences: Vec::new(),
    };
    for (index, case) in data["cases"].as_array().unwrap().iter().enumerate() {
        if let Some(leniency) = case.pointer("/recognizer/leniency") {
            if leniency != 1 {
                continue; // not Presidio's default
            }
        }
        let text = case["text"].as_str().unwrap();
        let mut required = BTreeSet::new();
        let mut optional = BTreeSet::new();
        let mut unplaced = 0;
        for expected in case["expected"].as_array().unwrap() {
            let weak = expected["score_max"].as_f64().is_some_and(|max| max <= 0.4);
            match (expected["start"].as_u64(), expected["end"].as_u64()) {
                (Some(start), Some(end)) => {
                    let span = (start as usize, end as usize);
                    if weak {
                        optional.insert(span);
                    } else {
                        required.insert(span);
                    }
                }
                _ => unplaced += 1,
            }
        }
        let found: Vec<(Kind, Span)> = detect(text, Kinds::default().with(kind))
            .into_iter()
            .map(|(kind, start, end)| (kind, (code_points(text, start), code_points(text, end))))
            .collect();
        let spans: BTreeSet<Span> = found.iter().map(|(_, span)| *span).collect();
        let kinds_right = found.iter().all(|(found_kind, _)| *found_kind == kind);
        let extra: BTreeSet<Span> =
            spans.difference(&required).filter(|span| !optional.contains(span)).copied().collect();
        let missed: BTreeSet<Span> = required.difference(&spans).copied().collect();
        let passed = if unplaced > 0 {
            // Presidio's test gives only how many: the whole text, once.
            found.len() == unplaced && kinds_right
        } else {
            extra.is_empty() && missed.is_empty() && kinds_right
        };
        figures.cases += 1;
        if passed {
            figures.passed += 1;
        } else {
            let shown = |set: &BTreeSet<Span>| {
                set.iter().map(|(s, e)| text.chars().skip(*s).take(e - s).collect::<String>()).collect::<Vec<_>>()
            };
            figures.differences.push(format!(
                "{file} case {index}: {text:?}: missed {:?}, extra {:?}",
                shown(&missed),
                shown(&extra)
            ));
        }
        if unplaced == 0 {
            figures.true_positives += required.intersection(&spans).count();
            figures.false_positives += extra.len();
            figures.false_negatives += missed.len();
        } else {
            figures.true_positives += found.len().min(unplaced);
            figures.false_negatives += unplaced.saturating_sub(found.len());
            figures.false_positives += found.len().saturating_sub(unplaced);
        }
    }
    figures
}

#[test]
fn presidio_recognizer_cases() {
    let sets = [
        ("card.json", Kind::Card, 0.95),
        ("email.json", Kind::Email, 0.95),
        ("iban.json", Kind::Iban, 0.95),
        ("ssn.json", Kind::Ssn, 0.95),
        ("ip.json", Kind::Ip, 0.95),
        ("phone.json", Kind::Phone, 0.80),
        ("phone-tr.json", Kind::Phone, 0.0),
        ("phone-ph.json", Kind::Phone, 0.0),
    ];
    let mut table =
        String::from("| cases | kind | expected result | precision | recall |\n| --- | --- | ---: | ---: | ---: |\n");
    let mut failures = Vec::new();
    for (file, kind, target) in sets {
        let figures = evaluate(file, kind);
        let share = figures.passed as f64 / figures.cases as f64;
        let precision =
            figures.true_positives as f64 / (figures.true_positives + figures.false_positives).max(1) as f64;
        let recall = figures.true_positives as f64 / (figures.true_positives + figures.false_negatives).max(1) as f64;
        table.push_str(&format!(
            "| {file} | {} | {}/{} ({:.1}%) | {:.3} | {:.3} |\n",
            kind.name(),
            figures.passed,
            figures.cases,
            share * 100.0,
            precision,
            recall
        ));
        for difference in &figures.differences {
            eprintln!("{difference}");
        }
        if share < target {
            failures.push(format!("{file}: {:.1}% of cases, under {:.0}%", share * 100.0, target * 100.0));
        }
    }
    eprintln!("{table}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    if out.is_dir() {
        let _ = std::fs::write(out.join("privacy-presidio.md"), &table);
    }
    assert!(failures.is_empty(), "{failures:?}");
}
