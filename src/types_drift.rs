//! The npm package's TypeScript types (`pkg/types/core.d.ts`, hand-written) against the Rust they
//! describe, so that `cargo test` fails when one moves without the other: the `Code` union against
//! `Code::ALL`, each operation's fields and mapping fields against the default mappings, the config
//! keys against `OPTIONS`, and the tracking plan's keys, rule types and setting values against what
//! the plan reader accepts.

use std::collections::BTreeSet;

use crate::config::OPTIONS;
use crate::custom::default_directives;
use crate::issue::Code;

const TYPES: &str = include_str!("../pkg/types/core.d.ts");

/// The text from `start` to the first `end` after it.
fn block<'a>(start: &str, end: &str) -> &'a str {
    let from = TYPES.find(start).unwrap_or_else(|| panic!("core.d.ts has no {start:?}"));
    let rest = &TYPES[from + start.len()..];
    &rest[..rest.find(end).unwrap_or_else(|| panic!("{start:?} has no end {end:?}"))]
}

/// Every `"string literal"` in `text`.
fn literals(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The property names an interface body declares (`name?:` or `name:` at the start of a line).
fn properties(body: &str) -> BTreeSet<String> {
    body.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let rest = &line[name.len()..];
            (!name.is_empty() && (rest.starts_with("?:") || rest.starts_with(':'))).then_some(name)
        })
        .collect()
}

/// The names of a `NAMES` list.
#[cfg(feature = "tracking-plan")]
fn names<T>(list: &[(&str, T)]) -> Vec<String> {
    list.iter().map(|(name, _)| (*name).to_owned()).collect()
}

fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(str::to_owned).collect()
}

#[test]
fn the_code_union_is_code_all_in_order() {
    let rust: Vec<String> = Code::ALL.iter().map(|code| code.as_str().to_owned()).collect();
    assert_eq!(literals(block("export type Code =", ";")), rust, "pkg/types/core.d.ts `Code` vs Code::ALL");
}

#[test]
fn operations_and_their_mappings_have_the_rust_fields() {
    let defaults = default_directives();
    let operations = defaults.as_object().unwrap();
    let interfaces = [
        ("upsertUser", "UpsertUser"),
        ("upsertAccount", "UpsertAccount"),
        ("associateUser", "AssociateUser"),
        ("trackEvent", "TrackEvent"),
    ];
    assert_eq!(set(operations.keys().map(String::as_str)), set(interfaces.iter().map(|(op, _)| *op)));
    assert_eq!(properties(block("export interface Mappings {", "}")), set(interfaces.iter().map(|(op, _)| *op)));
    for (op, name) in interfaces {
        let fields = set(operations[op].as_object().unwrap().keys().map(String::as_str));
        let mapping = properties(block(&format!("export interface {name}Mapping {{"), "}"));
        assert_eq!(mapping, fields, "{name}Mapping");
        let mut operation = properties(block(&format!("export interface {name} {{"), "}"));
        assert!(operation.remove("op"), "{name} has no `op`");
        assert_eq!(operation, fields, "{name}");
        assert!(block(&format!("export interface {name} {{"), "}").contains(&format!("op: \"{op}\";")));
    }
}

#[test]
fn the_tunable_codes_are_the_open_rules() {
    use crate::rules::Tuning;
    let open: Vec<String> = Code::ALL
        .iter()
        .filter(|code| code.rule().tuning == Tuning::Open)
        .map(|code| code.as_str().to_owned())
        .collect();
    assert_eq!(literals(block("export type TunableCode =", ";")), open, "pkg/types/core.d.ts `TunableCode`");
    let levels: Vec<String> = crate::rules::Level::NAMES.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(literals(block("export type RuleLevel =", ";")), levels);
}

#[test]
fn config_keys_are_the_options() {
    let mut keys = properties(block("export interface LiteConfig {", "}"));
    assert!(!keys.contains("trackingPlan"), "the lite Config has no tracking plan");
    keys.extend(properties(block("export interface FullConfig extends LiteConfig {", "}")));
    assert_eq!(keys, set(OPTIONS));
}

#[cfg(feature = "tracking-plan")]
#[test]
fn the_tracking_plan_is_what_the_reader_accepts() {
    use crate::plan::rules::{RuleType, UnplannedEvents, UnplannedProperties, Violations, RULE_KEYS, SETTINGS};

    let settings = block("export interface PlanSettings {", "\n}");
    assert_eq!(properties(settings), set(SETTINGS));
    // The Public API's own keys, but the list call's `data`, which is another shape.
    let mut keys = properties(block("export interface TrackingPlan extends PlanSettings {", "\n}"));
    keys.insert(String::from("data"));
    assert_eq!(keys, set(crate::plan::formats::public_api::KEYS));
    let plan = settings;
    let values = |key: &str| -> Vec<String> {
        let line = plan.lines().find(|line| line.trim_start().starts_with(&format!("{key}?:"))).unwrap();
        literals(line)
    };
    assert_eq!(values("violations"), names(Violations::NAMES));
    assert_eq!(values("unplannedEvents"), names(UnplannedEvents::NAMES));
    assert_eq!(values("unplannedProperties"), names(UnplannedProperties::NAMES));

    let mut rule = properties(block("interface RuleCommon {", "}"));
    rule.extend(properties(block("export interface TrackRule extends RuleCommon {", "}")));
    assert_eq!(rule, set(RULE_KEYS));
    let mut types = literals(block("export interface TrackRule extends RuleCommon {", "}"));
    types.extend(literals(block("export interface CallRule extends RuleCommon {", "}")));
    assert_eq!(types, names(RuleType::NAMES));
}

#[test]
fn the_quarantine_types_are_what_the_library_reads_and_writes() {
    use crate::quarantine::{Meta, Options, Takes};
    use crate::{Config, Destination};
    use serde_json::{json, Value};

    let meta = json!({"receivedAt": "2026-12-07T20:00:00.000Z", "route": "/v1/batch", "requestId": "r"});
    assert!(Meta::from_value(&meta).is_ok());
    let keys = |value: &Value| set(value.as_object().unwrap().keys().map(String::as_str));
    assert_eq!(properties(block("export interface QuarantineMeta {", "\n}")), keys(&meta));
    assert_eq!(properties(block("export interface QuarantineOptions {", "\n}")), set(["type", "takes"]));
    let takes = literals(block("takes?:", ";"));
    assert_eq!(takes, ["message", "batch", "any"]);
    for name in &takes {
        assert!(Options::from_value(&json!({"takes": name})).is_ok(), "{name}");
    }
    assert_eq!(Options::from_value(&json!({"takes": "batch"})).unwrap().takes, Takes::Batch);

    // Every key a record can have: a batch item with its envelope, a body, a body not UTF-8.
    let destination = Destination::new(Config::default()).unwrap();
    let meta = Meta::from_value(&meta).unwrap();
    let mut written = BTreeSet::new();
    for body in [&br#"{"context": {}, "batch": [{"type": "track"}]}"#[..], b"{", b"\xff"] {
        for line in destination.quarantine(body, &Options::default(), &meta).lines() {
            written.extend(keys(&serde_json::from_str(line).unwrap()));
        }
    }
    assert_eq!(properties(block("export interface QuarantineRecord {", "\n}")), written);
}
