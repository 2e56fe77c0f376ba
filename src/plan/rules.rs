//! The configuration format: a tracking plan as Segment's Public API gives it out.
//!
//! Only the shape is read here; schemas are compiled in [`compile`](super::compile).

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Number;

/// The settings of a plan, beside its `rules`.
///
/// Defaults are Segment's Schema Configuration defaults: Segment never drops data until blocking
/// is switched on, so every setting starts at `"allow"`. Under `"allow"` a violation is still
/// reported, as a warning.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PlanConfig {
    /// Read separately, rule by rule, so that errors can name the rule.
    #[allow(dead_code)]
    pub rules: IgnoredAny,
    #[serde(default)]
    pub unplanned_events: UnplannedEvents,
    #[serde(default)]
    pub unplanned_properties: UnplannedProperties,
    #[serde(default)]
    pub violations: Violations,
}

/// What to do with a `track` event that no `TRACK` rule names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum UnplannedEvents {
    /// Let it through silently.
    #[default]
    Allow,
    /// Let it through with an `unplanned_event` warning.
    Warn,
    /// Refuse it with an `unplanned_event` error.
    Block,
}

/// What to do with properties (track) or traits (identify, group) the applicable rules do not name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum UnplannedProperties {
    /// Keep them.
    #[default]
    Allow,
    /// Drop them from the operation, with an `unplanned_property` warning each.
    Omit,
}

/// What to do with a message that breaks a rule's JSON Schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Violations {
    /// Let it through; each violation is a `plan_violation` warning.
    #[default]
    Allow,
    /// Drop the offending top-level properties or traits; each violation is a warning.
    OmitProperties,
    /// Refuse the message; each violation is a `plan_violation` error.
    Block,
}

/// One rule, as the Public API gives it out (`RuleV1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RuleConfig {
    #[serde(rename = "type")]
    pub kind: RuleType,
    /// The event name for `TRACK`; empty or absent for the other types.
    #[serde(default)]
    pub key: Option<String>,
    /// Read separately, to compile it without a copy.
    #[allow(dead_code)]
    pub json_schema: IgnoredAny,
    /// Shown in messages (`v2`); not used to choose between rules.
    #[serde(default)]
    pub version: Option<Number>,
    /// Given out by the Public API; ignored.
    #[allow(dead_code)]
    #[serde(default)]
    pub created_at: Option<IgnoredAny>,
    /// Given out by the Public API; ignored.
    #[allow(dead_code)]
    #[serde(default)]
    pub updated_at: Option<IgnoredAny>,
    /// Given out by the Public API; ignored (the rule still applies).
    #[allow(dead_code)]
    #[serde(default)]
    pub deprecated_at: Option<IgnoredAny>,
}

/// Segment's rule types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
