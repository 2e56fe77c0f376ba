//! Tracking plans: Segment Protocols rules, as JSON Schemas compiled once and enforced per message.
//!
//! A plan is `Config.trackingPlan`, in the shape Segment's Public API gives out:
//!
//! ```json
//! {
//!   "rules": [
//!     {"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {"...": "..."}},
//!     {"type": "IDENTIFY", "key": "", "jsonSchema": {}},
//!     {"type": "GROUP", "key": "", "jsonSchema": {}},
//!     {"type": "COMMON", "key": "", "jsonSchema": {}}
//!   ],
//!   "unplannedEvents": "allow",
//!   "unplannedProperties": "allow",
//!   "violations": "allow"
//! }
//! ```
//!
//! **Rules.** Each `jsonSchema` validates the whole message, as in Segment: track properties sit
//! under `properties.properties`, identify and group traits under `properties.traits`. `COMMON`
//! applies to every identify, group and track message, beside the type's own rule (`TRACK` by
//! event name, `IDENTIFY`, `GROUP`). `PAGE` and `SCREEN` rules are accepted and ignored (not even
//! compiled): Astrolabe does not consume those calls. A rule may carry the Public API's `version`
//! (shown in messages), `createdAt`, `updatedAt` and `deprecatedAt` (ignored); any other key is
//! refused. An event may have several versions (`TRACK` rules with the same `key` and different
//! `version`s, 1 when absent): a message is checked against the version its
//! `context.protocols.event_version` names, or against the oldest when it names none or one the
//! plan lacks, as Protocols does. Two rules for the same event version or call type are refused,
//! naming both.
//!
//! **Schemas.** The draft is the one the schema's `$schema` declares (4, 6, 7, 2019-09, 2020-12);
//! without `$schema`, 2020-12. Formats (`email`, `date-time`, `uri`, ...) are checked. A schema
//! must be self-contained: a `$ref` to anything outside it (`https://...`, another file) is
//! refused when the plan is built, as is any schema that does not compile, with an error naming
//! the rule: `rules/0 (TRACK "Order Completed"): <the problem>`.
//!
//! **Settings.** The defaults are Segment's: blocking is opt-in, so all three start at `"allow"`.
//!
//! | setting | value | effect |
//! |---|---|---|
//! | `unplannedEvents` | `"allow"` (default) | a track event without a TRACK rule passes silently |
//! | | `"warn"` | ... with an `unplanned_event` warning at `/event` |
//! | | `"block"` | ... is refused: an `unplanned_event` error at `/event` |
//! | `unplannedProperties` | `"allow"` (default) | nothing |
//! | | `"omit"` | top-level `properties` (track) or `traits` (identify, group) keys that neither the type's rule nor COMMON names under `properties.properties.properties` / `properties.traits.properties` go to [`PlanCheck::omit`], with an `unplanned_property` warning each; only when the type's own rule exists |
//! | `violations` | `"allow"` (default) | every violation is a `plan_violation` warning |
//! | | `"omitProperties"` | every violation is a warning; one inside `properties/<key>` (track) or `traits/<key>` (identify, group) puts `<key>` in [`PlanCheck::omit`]; one elsewhere (a missing top-level field, a bad `context`) is only a warning |
//! | | `"block"` | every violation is a `plan_violation` error |
//!
//! **Where violations point.** At the offending value (`/properties/revenue`), prefixed by the
//! caller's `base` (`/batch/3/properties/revenue`). A missing `required` key points where the key
//! would be (`/properties/order_id`); its parent object is what `"omitProperties"` drops when
//! the parent is itself a property (`/properties/address/city` missing drops `address`). Keys
//! refused by `additionalProperties: false` or `unevaluatedProperties: false` give one issue each,
//! at the key.
//!
//! ```
//! use astrolabe_segment::{plan::TrackingPlan, CallType, Pointer};
//! use serde_json::json;
//!
//! let plan = TrackingPlan::compile(&json!({
//!     "rules": [{"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {
//!         "properties": {"properties": {"properties": {"revenue": {"type": "number"}}}}
//!     }}],
//!     "violations": "block"
//! })).unwrap();
//! let message = json!({"type": "track", "event": "Order Completed", "properties": {"revenue": "12"}});
//! let check = plan.check(&message, CallType::Track, Some("Order Completed"), &Pointer::root());
//! assert_eq!(check.errors[0].path, "/properties/revenue");
//! assert_eq!(
//!     check.errors[0].message,
//!     r#""revenue" must be a number (rule TRACK "Order Completed" v1): "12" is a string"#
//! );
//! ```

mod check;
mod compile;
mod convert;
mod describe;
#[cfg(feature = "tools")]
pub mod diff;
pub(crate) mod formats;
pub(crate) mod rules;
mod schema;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::call::CallType;
use crate::config::ConfigError;
use crate::issue::Issue;
use crate::pointer::Pointer;
#[cfg(feature = "tools")]
pub(crate) use compile::schema_options;
use compile::CompiledRule;
pub use convert::{convert, Converted};
pub use formats::Format;
use rules::{UnplannedEvents, UnplannedProperties, Violations};

/// A compiled tracking plan. Build it once with [`TrackingPlan::compile`]; [`TrackingPlan::check`]
/// then neither compiles nor copies anything per message.
#[derive(Debug)]
pub struct TrackingPlan {
    common: Option<CompiledRule>,
    identify: Option<CompiledRule>,
    group: Option<CompiledRule>,
    /// Each event's versions, oldest first.
    track: BTreeMap<String, Vec<(u64, CompiledRule)>>,
    unplanned_events: UnplannedEvents,
    unplanned_properties: UnplannedProperties,
    violations: Violations,
    format: Format,
    warnings: Vec<String>,
    /// Where the rules' schemas give `format: email`: JSON Pointers' tokens into a message.
    email_fields: Vec<Vec<String>>,
}

/// What a tracking plan says about one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanCheck {
    /// Violations under `"block"`, unplanned events under `"block"`.
    pub errors: Vec<Issue>,
    /// Violations under `"allow"` and `"omitProperties"`, unplanned events under `"warn"`,
    /// omitted unplanned properties.
    pub warnings: Vec<Issue>,
    /// Keys to drop from the operation's `properties` (track) or `traits` (identify, group):
    /// top-level keys of those objects, from violations under `"omitProperties"` and unplanned
    /// properties under `"omit"`. Each key once, in the order found.
    pub omit: Vec<String>,
}

impl TrackingPlan {
    /// Reads the plan, in any format, and compiles every rule's schema. Refuses a shape no format
    /// fits (or two do), unknown keys, unknown rule types, TRACK rules without a `key`, duplicate
    /// rules, schemas that do not compile and schemas with a `$ref` outside themselves.
    pub fn compile(plan: &Value) -> Result<TrackingPlan, ConfigError> {
        compile::compile(plan)
    }

    /// The format the plan was read from.
    pub fn format(&self) -> Format {
        self.format
    }

    /// What was read with a warning, each sentence after the rule's place: a `$schema` read as
    /// the draft it nearly names, rules that sit where their tool never reads them.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The fields any rule gives `format: "email"` (followed through `properties` from the
    /// message's root), as JSON Pointers' tokens: personal data detection allows them.
    pub fn email_fields(&self) -> &[Vec<String>] {
        &self.email_fields
    }

    /// Checks one message.
    ///
    /// `message` is the whole message as the plan sees it (the caller has already merged a batch
    /// envelope's `context` and `integrations` into it); `event` is the track event name (`None`
    /// for identify and group); `base` is the pointer of the message in the caller's input
    /// (`/batch/3`, or the root), which prefixes every issue's path. Calls other than identify,
    /// group and track get an empty [`PlanCheck`].
    pub fn check(&self, message: &Value, call: CallType, event: Option<&str>, base: &Pointer) -> PlanCheck {
        check::check(self, message, call, event, base)
    }
}
