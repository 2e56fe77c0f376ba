//! docs/rules.md lists every rule as the rules say they are, in order; the README points to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::rules::Tuning;
use astrolabe_segment::Code;
use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn the_rules_table_is_the_rules() {
    let doc = read("docs/rules.md");
    let table = doc.split("## The rules").nth(1).unwrap();
    let listed: Vec<&str> = table.lines().filter(|line| line.starts_with("| `")).collect();
    let expected: Vec<String> = Code::ALL
        .iter()
        .map(|code| {
            let rule = code.rule();
            let settable = if rule.tuning == Tuning::Open { "yes" } else { "" };
            format!("| `{}` | {} | {settable} | {} | {} |", rule.name, rule.kind, rule.meaning, rule.hint)
        })
        .collect();
    assert_eq!(listed, expected, "docs/rules.md's table must be the rules, in Code::ALL's order");
}

#[test]
fn the_readme_points_to_the_rules() {
    assert!(read("README.md").contains("(docs/rules.md)"));
}
