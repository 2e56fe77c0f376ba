//! Building a [`TrackingPlan`]: reading the rules, refusing bad ones, compiling every schema once.

use std::collections::{BTreeMap, BTreeSet};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ReferencingError, Retrieve, Uri, ValidationError, ValidationOptions, Validator};
use serde_json::Value;

use super::rules::{PlanConfig, RuleConfig, RuleType};
use super::TrackingPlan;
use crate::config::ConfigError;

/// One compiled rule.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    /// How messages name the rule: `TRACK "Order Completed" v1`, `IDENTIFY`, `COMMON v2`.
    pub label: String,
    /// The schema, compiled once.
    pub validator: Validator,
    /// Top-level keys of `properties` (TRACK) or `traits` (IDENTIFY, GROUP) the rule names, merged
    /// with the COMMON rule's once every rule is read. Empty for COMMON itself.
    pub planned: BTreeSet<String>,
}

/// Refuses every reference the schema does not contain itself: there is no network in the
/// sandbox this crate runs in, and the crate is built without an HTTP resolver.
struct NoExternalRefs;

impl Retrieve for NoExternalRefs {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("cannot fetch {uri}").into())
    }
}

/// Builds the plan from its JSON. See [`TrackingPlan::compile`].
pub(crate) fn compile(plan: &Value) -> Result<TrackingPlan, ConfigError> {
    // The settings' problems name their keys (`violations must be one of ...`); a Destination
    // prefixes `trackingPlan`.
    let settings = PlanConfig::from_value(plan).map_err(ConfigError::new)?;
    let rules = match plan.get("rules") {
        Some(Value::Array(rules)) => rules,
        _ => return Err(ConfigError::new("\"rules\" must be an array")),
    };

    // A pattern whose compiled program would pass 1 MB is refused: without the limit, one repeated
    // class (`\d{358635}`) took 4 GB to refuse at regex's default of 10 MB (found by fuzzing).
    let patterns = jsonschema::PatternOptions::fancy_regex().size_limit(1 << 20).dfa_size_limit(1 << 21);
    let options = jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(NoExternalRefs)
        .with_pattern_options(patterns);
    let mut common: Option<(usize, CompiledRule)> = None;
    let mut identify: Option<(usize, CompiledRule)> = None;
    let mut group: Option<(usize, CompiledRule)> = None;
    // Every version of each event, oldest first: (version, rule index, rule).
    let mut track: BTreeMap<String, Vec<(u64, usize, CompiledRule)>> = BTreeMap::new();
    let mut common_schema: Option<&Value> = None;

    for (index, raw) in rules.iter().enumerate() {
        let rule = RuleConfig::from_value(raw)
            .map_err(|error| ConfigError::new(format!("{}: {error}", raw_place(index, raw))))?;
        let key = rule.key.as_deref().unwrap_or_default();
        let place = place(index, rule.kind, key);
        let schema = raw.get("jsonSchema").unwrap_or(&Value::Null);
        let slot = match rule.kind {
            RuleType::Page | RuleType::Screen => continue,
            RuleType::Track if key.is_empty() => {
                return Err(ConfigError::new(format!("{place}: a TRACK rule needs the event name in \"key\"")))
            }
            RuleType::Track => {
                let version = event_version(&rule, &place)?;
                let versions = track.entry(key.to_owned()).or_default();
                if let Some((_, first, _)) = versions.iter().find(|(known, _, _)| *known == version) {
                    return Err(duplicate(&place, *first, rule.kind, key));
                }
                let compiled = build(&options, &rule, schema, &place, "properties")?;
                let at = versions.partition_point(|(known, _, _)| *known < version);
                versions.insert(at, (version, index, compiled));
                continue;
            }
            RuleType::Identify => &mut identify,
            RuleType::Group => &mut group,
            RuleType::Common => &mut common,
        };
        if let Some((first, _)) = slot {
            return Err(duplicate(&place, *first, rule.kind, key));
        }
        let field = if rule.kind == RuleType::Common { "" } else { "traits" };
        if rule.kind == RuleType::Common {
            common_schema = Some(schema);
        }
        *slot = Some((index, build(&options, &rule, schema, &place, field)?));
    }

    // A name COMMON plans is planned for every message.
    let with_common = |slot: Option<(usize, CompiledRule)>, field: &str| {
        slot.map(|(_, mut rule)| {
            rule.planned.extend(planned_names(common_schema, field));
            rule
        })
    };
    Ok(TrackingPlan {
        identify: with_common(identify, "traits"),
        group: with_common(group, "traits"),
        track: track
            .into_iter()
            .map(|(key, versions)| {
                let versions = versions
                    .into_iter()
                    .filter_map(|(version, index, rule)| {
                        Some((version, with_common(Some((index, rule)), "properties")?))
                    })
                    .collect();
                (key, versions)
            })
            .collect(),
        common: common.map(|(_, rule)| rule),
        unplanned_events: settings.unplanned_events,
        unplanned_properties: settings.unplanned_properties,
        violations: settings.violations,
    })
}

/// Compiles one rule's schema; `field` is where its planned names live (`properties`, `traits`).
fn build(
    options: &ValidationOptions<'_>,
    rule: &RuleConfig,
    schema: &Value,
    place: &str,
    field: &str,
) -> Result<CompiledRule, ConfigError> {
    check_patterns(schema).map_err(|problem| ConfigError::new(format!("{place}: {problem}")))?;
    let validator =
        options.build(schema).map_err(|error| ConfigError::new(format!("{place}: {}", schema_problem(&error))))?;
    let mut label = rule.kind.as_str().to_owned();
    if rule.kind == RuleType::Track {
        label.push(' ');
        label.push_str(&quoted(rule.key.as_deref().unwrap_or_default()));
    }
    if let Some(version) = &rule.version {
        label.push_str(&format!(" v{version}"));
    }
    let planned = if field.is_empty() { BTreeSet::new() } else { planned_names(Some(schema), field) };
    Ok(CompiledRule { label, validator, planned })
}

/// Refuses the patterns (`pattern`, `patternProperties`) that the regex engine would expand without
/// bound before any limit applies: a subroutine call (`\g0`, `\g<name>`) is not ECMA-262, and one
/// that calls the whole pattern from inside it took 7 GB to compile (found by fuzzing).
fn check_patterns(schema: &Value) -> Result<(), String> {
    match schema {
        Value::Object(members) => {
            for (key, value) in members {
                match (key.as_str(), value) {
                    ("pattern", Value::String(pattern)) => no_subroutine(pattern)?,
                    ("patternProperties", Value::Object(patterns)) => {
                        patterns.keys().try_for_each(|p| no_subroutine(p))?
                    }
                    _ => {}
                }
                check_patterns(value)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(check_patterns),
        _ => Ok(()),
    }
}

fn no_subroutine(pattern: &str) -> Result<(), String> {
    let mut escaped = false;
    for ch in pattern.chars() {
        if escaped && ch == 'g' {
            return Err(format!(
                "the pattern {} has \\g, a subroutine call, which JSON Schema's patterns (ECMA-262) do not have",
                crate::quote::quote(pattern)
            ));
        }
        escaped = !escaped && ch == '\\';
    }
    Ok(())
}

/// The keys a schema names under `properties.<field>.properties`.
fn planned_names(schema: Option<&Value>, field: &str) -> BTreeSet<String> {
    schema
        .and_then(|schema| schema.get("properties"))
        .and_then(|properties| properties.get(field))
        .and_then(|field| field.get("properties"))
        .and_then(Value::as_object)
        .map(|names| names.keys().cloned().collect())
        .unwrap_or_default()
}

/// Why a schema does not compile, in words that point at the fix.
fn schema_problem(error: &ValidationError<'_>) -> String {
    if let ValidationErrorKind::Referencing(ReferencingError::Unretrievable { uri, .. }) = error.kind() {
        let remote = uri.starts_with("http://") || uri.starts_with("https://");
        return format!(
            "{} $ref {} is not supported: schemas must be self-contained (no network access); \
             put the definition under \"$defs\" or \"definitions\" and refer to it with \"#/...\"",
            if remote { "remote" } else { "external" },
            quoted(uri),
        );
    }
    let at = error.instance_path().as_str();
    if at.is_empty() {
        error.to_string()
    } else {
        format!("{error} (at {at} in the schema)")
    }
}

/// `rules/3 (TRACK "Order Completed")`, `rules/1 (IDENTIFY)`.
fn place(index: usize, kind: RuleType, key: &str) -> String {
    if kind == RuleType::Track {
        format!("rules/{index} ({} {})", kind.as_str(), quoted(key))
    } else {
        format!("rules/{index} ({})", kind.as_str())
    }
}

/// The place of a rule that does not deserialize: named as well as its raw JSON allows.
fn raw_place(index: usize, raw: &Value) -> String {
    let kind = raw.get("type").and_then(Value::as_str);
    match (kind, raw.get("key").and_then(Value::as_str)) {
        (Some("TRACK"), Some(key)) => format!("rules/{index} (TRACK {})", quoted(key)),
        (Some(kind), _) => format!("rules/{index} ({kind})"),
        (None, _) => format!("rules/{index}"),
    }
}

fn duplicate(place: &str, first: usize, kind: RuleType, key: &str) -> ConfigError {
    let what = if kind == RuleType::Track { "event version" } else { "call type" };
    ConfigError::new(format!("{place}: duplicate of {}: one rule per {what}", self::place(first, kind, key)))
}

/// A TRACK rule's version: a positive integer, 1 when absent (Protocols' event versioning).
fn event_version(rule: &RuleConfig, place: &str) -> Result<u64, ConfigError> {
    match &rule.version {
        None => Ok(1),
        Some(number) => number
            .as_u64()
            .filter(|version| *version >= 1)
            .ok_or_else(|| ConfigError::new(format!("{place}: \"version\" must be a positive integer, not {number}"))),
    }
}

/// A string as a JSON string literal.
pub(crate) fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}
