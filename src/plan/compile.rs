//! Building a [`TrackingPlan`]: reading the rules in any format, refusing bad ones, compiling
//! every schema once.

use std::collections::{BTreeMap, BTreeSet};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ReferencingError, Retrieve, Uri, ValidationError, ValidationOptions, Validator};
use serde_json::Value;

use super::formats::{self, Source, SourceRule};
use super::rules::RuleType;
use super::{schema, TrackingPlan};
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

/// Builds the plan from its JSON, in any format ([`formats`](super::formats)). See
/// [`TrackingPlan::compile`].
pub(crate) fn compile(plan: &Value) -> Result<TrackingPlan, ConfigError> {
    // The format's problems name their keys and places (`violations must be one of ...`,
    // `rules/events/3 ("Signed Up"): ...`); a Destination prefixes `trackingPlan`.
    build_plan(formats::read(plan).map_err(ConfigError::new)?)
}

/// A slot for one rule of a call type: where it is in the file, and the rule.
type Slot = Option<(String, CompiledRule)>;

/// The options every rule's schema is compiled with: formats checked, no reference outside the
/// schema, patterns' programs bounded. Whatever else checks values as a plan would (the formats
/// `infer` writes) compiles with these too, so that both give the same answers.
pub(crate) fn schema_options() -> ValidationOptions<'static> {
    // A pattern whose compiled program would pass 1 MB is refused: without the limit, one repeated
    // class (`\d{358635}`) took 4 GB to refuse at regex's default of 10 MB (found by fuzzing).
    let patterns = jsonschema::PatternOptions::fancy_regex().size_limit(1 << 20).dfa_size_limit(1 << 21);
    jsonschema::options().should_validate_formats(true).with_retriever(NoExternalRefs).with_pattern_options(patterns)
}

/// Compiles the rules of a plan read from its file.
pub(crate) fn build_plan(source: Source<'_>) -> Result<TrackingPlan, ConfigError> {
    let options = schema_options();
    let (mut common, mut identify, mut group): (Slot, Slot, Slot) = (None, None, None);
    // Every version of each event, oldest first: (version, rule's place, rule).
    let mut track: BTreeMap<String, Vec<(u64, String, CompiledRule)>> = BTreeMap::new();
    // The traits and the properties COMMON plans.
    let mut common_names: (BTreeSet<String>, BTreeSet<String>) = Default::default();
    let mut warnings = source.warnings;
    let mut email_fields = Vec::new();

    for rule in &source.rules {
        schema::email_fields(&rule.schema, &mut Vec::new(), &mut email_fields);
        let place = place(&rule.place, rule.kind, &rule.key);
        let slot = match rule.kind {
            RuleType::Page | RuleType::Screen => continue,
            RuleType::Track if rule.key.is_empty() => {
                return Err(ConfigError::new(format!("{place}: a TRACK rule needs the event name in \"key\"")))
            }
            RuleType::Track => {
                let version = event_version(rule, &place)?;
                let versions = track.entry(rule.key.clone()).or_default();
                if let Some((_, first, _)) = versions.iter().find(|(known, _, _)| *known == version) {
                    return Err(duplicate(&place, first, "event version"));
                }
                let compiled = build(&options, rule, &place, "properties", &mut warnings)?;
                let at = versions.partition_point(|(known, _, _)| *known < version);
                versions.insert(at, (version, place, compiled));
                continue;
            }
            RuleType::Identify => &mut identify,
            RuleType::Group => &mut group,
            RuleType::Common => &mut common,
        };
        if let Some((first, _)) = slot {
            return Err(duplicate(&place, first, "call type"));
        }
        let field = if rule.kind == RuleType::Common { "" } else { "traits" };
        let compiled = build(&options, rule, &place, field, &mut warnings)?;
        if rule.kind == RuleType::Common {
            common_names =
                (schema::planned_names(&rule.schema, "traits"), schema::planned_names(&rule.schema, "properties"));
        }
        *slot = Some((place, compiled));
    }

    // A name COMMON plans is planned for every message.
    let with_common = |slot: Slot, names: &BTreeSet<String>| {
        slot.map(|(_, mut rule)| {
            rule.planned.extend(names.iter().cloned());
            rule
        })
    };
    let track = track
        .into_iter()
        .map(|(key, versions)| {
            let versions = versions
                .into_iter()
                .filter_map(|(version, place, rule)| {
                    Some((version, with_common(Some((place, rule)), &common_names.1)?))
                })
                .collect();
            (key, versions)
        })
        .collect();
    Ok(TrackingPlan {
        identify: with_common(identify, &common_names.0),
        group: with_common(group, &common_names.0),
        track,
        common: common.map(|(_, rule)| rule),
        unplanned_events: source.settings.unplanned_events,
        unplanned_properties: source.settings.unplanned_properties,
        violations: source.settings.violations,
        format: source.format,
        warnings,
        email_fields,
    })
}

/// Compiles one rule's schema; `field` is where its planned names live (`properties`, `traits`).
/// What [`schema::prepare`] reads with a warning goes to `warnings`, after the rule's place.
fn build(
    options: &ValidationOptions<'_>,
    rule: &SourceRule<'_>,
    place: &str,
    field: &str,
    warnings: &mut Vec<String>,
) -> Result<CompiledRule, ConfigError> {
    let mut noted = Vec::new();
    let schema =
        schema::prepare(&rule.schema, &mut noted).map_err(|problem| ConfigError::new(format!("{place}: {problem}")))?;
    warnings.extend(noted.into_iter().map(|warning| format!("{place}: {warning}")));
    let validator =
        options.build(&schema).map_err(|error| ConfigError::new(format!("{place}: {}", schema_problem(&error))))?;
    let mut label = rule.kind.as_str().to_owned();
    if rule.kind == RuleType::Track {
        label.push(' ');
        label.push_str(&quoted(&rule.key));
    }
    if let Some(version) = &rule.version {
        label.push_str(&format!(" v{version}"));
    }
    let planned = if field.is_empty() { BTreeSet::new() } else { schema::planned_names(&schema, field) };
    Ok(CompiledRule { label, validator, planned })
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

/// `rules/3 (TRACK "Order Completed")`, `rules/identify (IDENTIFY)`: where the rule is in the
/// file, and what it is.
fn place(at: &str, kind: RuleType, key: &str) -> String {
    if kind == RuleType::Track {
        format!("{at} ({} {})", kind.as_str(), quoted(key))
    } else {
        format!("{at} ({})", kind.as_str())
    }
}

fn duplicate(place: &str, first: &str, what: &str) -> ConfigError {
    ConfigError::new(format!("{place}: duplicate of {first}: one rule per {what}"))
}

/// A TRACK rule's version: a positive integer, 1 when absent (Protocols' event versioning).
fn event_version(rule: &SourceRule<'_>, place: &str) -> Result<u64, ConfigError> {
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
