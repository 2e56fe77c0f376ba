//! `astrolabe-segment diff`: what a change of tracking plan does to the messages it is given, rule
//! by rule and keyword by keyword (the `tools` feature; only the command line's build has it).
//!
//! Both plans are read as the engine reads them, in any format ([`convert`](super::convert)
//! writes each in the Public API's rules form, with each rule's whole-message schema). Their rules
//! are matched by call type and event name (and, for events with versions, by the version a
//! message asks for), and every difference is sorted into one [`Kind`]:
//!
//! - **breaking**: some message may now get a worse answer than the old plan gave it. A message
//!   the old plan accepted without an issue may now get a `plan_violation` or `unplanned_event`
//!   issue or lose properties; one the old plan only warned about may now lose properties or be
//!   refused. Whether the plan blocks or only warns does not change this: a tighter schema is
//!   breaking under `violations: "allow"` too, because the messages it catches become violations.
//! - **additive**: no message gets a worse answer, and some may get a better one.
//! - **neutral**: no message's answer changes (descriptions, titles, `$comment`, examples, ids,
//!   labels, a tool's metadata).
//!
//! What cannot be told for certain (two different patterns, a changed `$ref`, a changed `oneOf`, a
//! keyword this module does not know) is breaking, and the reason says so: a change that could
//! refuse a message the old plan accepted is never called additive or neutral. The table of every
//! keyword and direction is in docs/cli.md; `tests/plan_diff_properties.rs` checks the promise against the
//! engine itself on random plans and messages.
//!
//! The files: `rules` matches the rules and compares settings, `compare` walks two schemas
//! keyword by keyword, `keywords` says which way each keyword's change goes.
//!
//! ```
//! use astrolabe_segment::plan::diff::PlanDiff;
//! use serde_json::json;
//!
//! let old = json!({"rules": [{"type": "TRACK", "key": "Order Completed", "jsonSchema": {
//!     "properties": {"properties": {"properties": {"revenue": {"type": "number"}}}}}}]});
//! let new = json!({"rules": [{"type": "TRACK", "key": "Order Completed", "jsonSchema": {
//!     "properties": {"properties": {"properties": {"revenue": {"type": "integer", "description": "cents"}}}}}}]});
//! let diff = PlanDiff::between(&old, &new).unwrap();
//! assert_eq!(diff.breaking[0].rule, "TRACK Order Completed");
//! assert_eq!(diff.breaking[0].path, "/properties/properties/properties/revenue");
//! assert_eq!(diff.breaking[0].change, r#"type: "number" → "integer""#);
//! assert_eq!(diff.neutral[0].change, r#"description added: "cents""#);
//! assert!(diff.additive.is_empty() && diff.is_breaking());
//! ```

mod compare;
mod keywords;
mod rules;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a change weighs on the messages a plan is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Some message may get a worse answer than under the old plan (or it cannot be told).
    Breaking,
    /// No message gets a worse answer; some may get a better one.
    Additive,
    /// No message's answer changes.
    Neutral,
}

impl Kind {
    /// `breaking`, `additive`, `neutral`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
            Kind::Neutral => "neutral",
        }
    }
}

/// One change between two plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The rule it is in, as messages name it: `TRACK Order Completed`, `TRACK Order Completed v2`,
    /// `IDENTIFY`, `GROUP`, `COMMON`, `PAGE`, `SCREEN`; `plan` for the settings and the plan's name.
    pub rule: String,
    /// A JSON Pointer into the rule's whole-message schema, to the schema whose keyword changed
    /// (`/properties/properties/properties/revenue`); `""` for the rule as a whole; the setting's
    /// key for a setting (`/unplannedEvents`).
    pub path: String,
    /// What changed: the keyword, and its old and new values (`maximum: 100 → 50`).
    pub change: String,
    /// Why it is of its kind.
    pub reason: String,
}

/// Every change between two plans, by kind, each list in a stable order: by rule (the settings,
/// COMMON, IDENTIFY, GROUP, the events by name and version, PAGE, SCREEN), then by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanDiff {
    /// The changes that may give some message a worse answer.
    pub breaking: Vec<Change>,
    /// The changes that only loosen.
    pub additive: Vec<Change>,
    /// The changes that change no answer.
    pub neutral: Vec<Change>,
}

/// Which of the two plans could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The plan compared from.
    Old,
    /// The plan compared to.
    New,
}

/// A plan that could not be read, and the plan reader's own reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    /// Which plan.
    pub side: Side,
    /// Why, as [`TrackingPlan::compile`](super::TrackingPlan::compile) says it.
    pub message: String,
}

impl PlanDiff {
    /// Compares two plans, each in any format the engine reads. Refuses a plan the engine would
    /// refuse, with its reason.
    pub fn between(old: &Value, new: &Value) -> Result<PlanDiff, DiffError> {
        let read = |plan: &Value, side: Side| {
            super::convert(plan)
                .map(|converted| converted.plan)
                .map_err(|error| DiffError { side, message: error.message().to_owned() })
        };
        let old = read(old, Side::Old)?;
        let new = read(new, Side::New)?;
        let mut found = rules::compare_plans(&old, &new);
        found.sort_by(|a, b| {
            a.order.cmp(&b.order).then_with(|| compare_paths(&a.path, &b.path)).then(a.seq.cmp(&b.seq))
        });
        let mut diff = PlanDiff::default();
        for found in found {
            let list = match found.kind {
                Kind::Breaking => &mut diff.breaking,
                Kind::Additive => &mut diff.additive,
                Kind::Neutral => &mut diff.neutral,
            };
            list.push(Change { rule: found.rule, path: found.path, change: found.change, reason: found.reason });
        }
        Ok(diff)
    }

    /// Whether anything is breaking (the command's exit status 1).
    pub fn is_breaking(&self) -> bool {
        !self.breaking.is_empty()
    }

    /// Each change with its kind, breaking first.
    pub fn changes(&self) -> impl Iterator<Item = (Kind, &Change)> {
        let tagged = |kind: Kind| move |change| (kind, change);
        self.breaking
            .iter()
            .map(tagged(Kind::Breaking))
            .chain(self.additive.iter().map(tagged(Kind::Additive)))
            .chain(self.neutral.iter().map(tagged(Kind::Neutral)))
    }
}

/// A change as it is found, before it is sorted.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub kind: Kind,
    /// The rule's place in the order of rules.
    pub order: (u8, String, u64, u64),
    pub rule: String,
    pub path: String,
    pub change: String,
    pub reason: String,
    /// The order it was found in, within its rule and path.
    pub seq: usize,
}

/// Two JSON Pointers segment by segment, so that `/a` comes before `/a/b` and `/a b`.
fn compare_paths(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}
