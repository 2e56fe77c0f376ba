//! The configuration format: a tracking plan as Segment's Public API gives it out.
//!
//! Only the shape is read here; schemas are compiled in [`compile`](super::compile). The shape is
//! read by hand rather than by serde's derive so that every problem is said in this crate's words
//! (`violations must be one of allow, omitProperties, block; got "blok"`), all of them at once,
//! never as serde's `unknown variant` wording.

use serde_json::{Map, Number, Value};

use crate::quote::quote;
use crate::spec::ids::json_type_name;

/// The settings of a plan, beside its `rules` (which are read rule by rule, so that errors can
/// name the rule).
///
/// Defaults are Segment's Schema Configuration defaults: Segment never drops data until blocking
/// is switched on, so every setting starts at `"allow"`. Under `"allow"` a violation is still
/// reported, as a warning.
#[derive(Debug, Clone)]
pub(crate) struct PlanConfig {
    pub unplanned_events: UnplannedEvents,
    pub unplanned_properties: UnplannedProperties,
    pub violations: Violations,
}

/// The settings' keys, which may sit beside a plan in any format (`{...file, violations: "block"}`).
pub(crate) const SETTINGS: [&str; 3] = ["unplannedEvents", "unplannedProperties", "violations"];

impl PlanConfig {
    /// The settings among a plan's keys; each problem, naming its key, goes to `problems`.
    pub fn from_map(plan: &Map<String, Value>, problems: &mut Vec<String>) -> PlanConfig {
        PlanConfig {
            unplanned_events: choice(plan, "unplannedEvents", UnplannedEvents::NAMES, problems),
            unplanned_properties: choice(plan, "unplannedProperties", UnplannedProperties::NAMES, problems),
            violations: choice(plan, "violations", Violations::NAMES, problems),
        }
    }
}

/// What to do with a `track` event that no `TRACK` rule names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum UnplannedEvents {
    /// Let it through silently.
    #[default]
    Allow,
    /// Let it through with an `unplanned_event` warning.
    Warn,
    /// Refuse it with an `unplanned_event` error.
    Block,
}

impl UnplannedEvents {
    /// Each value's name in the plan, the default first.
    pub const NAMES: &'static [(&'static str, UnplannedEvents)] =
        &[("allow", UnplannedEvents::Allow), ("warn", UnplannedEvents::Warn), ("block", UnplannedEvents::Block)];
}

/// What to do with properties (track) or traits (identify, group) the applicable rules do not name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum UnplannedProperties {
    /// Keep them.
    #[default]
    Allow,
    /// Drop them from the operation, with an `unplanned_property` warning each.
    Omit,
}

impl UnplannedProperties {
    /// Each value's name in the plan, the default first.
    pub const NAMES: &'static [(&'static str, UnplannedProperties)] =
        &[("allow", UnplannedProperties::Allow), ("omit", UnplannedProperties::Omit)];
}

/// What to do with a message that breaks a rule's JSON Schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Violations {
    /// Let it through; each violation is a `plan_violation` warning.
    #[default]
    Allow,
    /// Drop the offending top-level properties or traits; each violation is a warning.
    OmitProperties,
    /// Refuse the message; each violation is a `plan_violation` error.
    Block,
}

impl Violations {
    /// Each value's name in the plan, the default first.
    pub const NAMES: &'static [(&'static str, Violations)] =
        &[("allow", Violations::Allow), ("omitProperties", Violations::OmitProperties), ("block", Violations::Block)];
}

/// One rule, as the Public API gives it out (`RuleV1`). `jsonSchema` is read separately, to
/// compile it without a copy; `createdAt`, `updatedAt` and `deprecatedAt` are accepted and ignored
/// (a deprecated rule still applies); `key`, the event name, is read with its place.
#[derive(Debug, Clone)]
pub(crate) struct RuleConfig {
    pub kind: RuleType,
    /// Shown in messages (`v2`); not used to choose between rules.
    pub version: Option<Number>,
}

/// The keys a rule may have.
pub(crate) const RULE_KEYS: [&str; 7] =
    ["type", "key", "jsonSchema", "version", "createdAt", "updatedAt", "deprecatedAt"];

impl RuleConfig {
    /// The rule with these members, or every problem with its keys, joined with `; `.
    pub fn from_members(rule: &Map<String, Value>) -> Result<RuleConfig, String> {
        let mut problems = Vec::new();
        super::formats::unknown_keys(rule, &RULE_KEYS, &mut problems);
        let kind = match rule.get("type") {
            None => {
                problems.push("\"type\" is required".to_owned());
                None
            }
            Some(value) => {
                let kind =
                    RuleType::NAMES.iter().find(|(name, _)| value.as_str() == Some(*name)).map(|(_, kind)| *kind);
                if kind.is_none() {
                    problems.push(not_one_of("type", RuleType::NAMES, value));
                }
                kind
            }
        };
        if !rule.contains_key("jsonSchema") {
            problems.push("\"jsonSchema\" is required".to_owned());
        }
        let version = match rule.get("version") {
            None | Some(Value::Null) => None,
            Some(Value::Number(version)) => Some(version.clone()),
            Some(other) => {
                problems.push(format!("\"version\" must be a number, not {}", json_type_name(other)));
                None
            }
        };
        match kind {
            Some(kind) if problems.is_empty() => Ok(RuleConfig { kind, version }),
            _ => Err(problems.join("; ")),
        }
    }
}

/// The value of `key` among `names` (the default when absent or null), or a problem naming them.
fn choice<T: Copy + Default>(
    object: &Map<String, Value>,
    key: &str,
    names: &[(&str, T)],
    problems: &mut Vec<String>,
) -> T {
    match object.get(key) {
        None | Some(Value::Null) => T::default(),
        Some(value) => match names.iter().find(|(name, _)| value.as_str() == Some(*name)) {
            Some((_, chosen)) => *chosen,
            None => {
                problems.push(not_one_of(key, names, value));
                T::default()
            }
        },
    }
}

/// `violations must be one of allow, omitProperties, block; got "blok"` (or `got a number`).
fn not_one_of<T>(key: &str, names: &[(&str, T)], value: &Value) -> String {
    let listed: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    let got = match value {
        Value::String(text) => quote(text),
        other => json_type_name(other).to_owned(),
    };
    format!("{key} must be one of {}; got {got}", listed.join(", "))
}

/// Segment's rule types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleType {
    /// A `track` event, by name (`key`).
    Track,
    /// Every `identify` call.
    Identify,
    /// Every `group` call.
    Group,
    /// Every message of a supported type.
    Common,
    /// Accepted and unused: Astrolabe does not consume `page` calls.
    Page,
    /// Accepted and unused: Astrolabe does not consume `screen` calls.
    Screen,
}

impl RuleType {
    /// Each type's name in a rule.
    pub const NAMES: &'static [(&'static str, RuleType)] = &[
        ("TRACK", RuleType::Track),
        ("IDENTIFY", RuleType::Identify),
        ("GROUP", RuleType::Group),
        ("COMMON", RuleType::Common),
        ("PAGE", RuleType::Page),
        ("SCREEN", RuleType::Screen),
    ];

    /// The name as Segment writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleType::Track => "TRACK",
            RuleType::Identify => "IDENTIFY",
            RuleType::Group => "GROUP",
            RuleType::Common => "COMMON",
            RuleType::Page => "PAGE",
            RuleType::Screen => "SCREEN",
        }
    }
}
