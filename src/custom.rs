//! Custom mappings (`Config.mappings`): per Astrolabe operation, field name → mapping-kit
//! directive, compiled once when the `Destination` is built.
//!
//! A field not named keeps its default, itself a directive (see [`default_directives`]). A name
//! that is not a field of the operation adds a key to its `traits` (`upsertUser`,
//! `upsertAccount`) or `properties` (`trackEvent`). Directives read the message as Segment
//! delivers it to destinations (see [`normalized`](crate::payload::normalized)). The operation
//! they give is checked like any other: ids must be strings (numbers are turned into strings),
//! `timestamp` an ISO-8601 date-time, `traits`/`properties` objects, and the operation must keep
//! what it cannot do without (a user for `upsertUser`, `groupId`, `event`); otherwise the
//! message is `invalid` with `mapping_failed` naming the operation and field.

use serde_json::{json, Map, Value};

use crate::config::ConfigError;
use crate::issue::Code;
use crate::mapping::Mapping;
use crate::operation::{AssociateUser, Operation, OperationKind, TrackEvent, UpsertAccount, UpsertUser};
use crate::pointer::Pointer;
use crate::quote::quote;
use crate::spec::{ids, timestamp, Report};

/// The default of every field, as mapping-kit directives. Running these through the engine
/// gives exactly what the built-in mapping gives (a test shows it over the fixture corpus).
///
/// ```
/// use astrolabe_segment::custom::default_directives;
/// let defaults = default_directives();
/// assert_eq!(defaults["upsertUser"]["traits"], serde_json::json!({"@path": "$.traits"}));
/// assert_eq!(defaults["trackEvent"]["groupId"], serde_json::json!({"@path": "$.context.groupId"}));
/// ```
pub fn default_directives() -> Value {
    let mut all = Map::new();
    for kind in OperationKind::ALL {
        let fields: Map<String, Value> =
            fields_of(kind).iter().map(|(field, path)| ((*field).to_owned(), json!({ "@path": path }))).collect();
        all.insert(kind.name().to_owned(), Value::Object(fields));
    }
    Value::Object(all)
}

/// Each operation's fields and the path of their default value.
fn fields_of(kind: OperationKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        OperationKind::UpsertUser => &[
            ("userId", "$.userId"),
            ("anonymousId", "$.anonymousId"),
            ("traits", "$.traits"),
            ("timestamp", "$.timestamp"),
            ("messageId", "$.messageId"),
        ],
        OperationKind::UpsertAccount => &[
            ("groupId", "$.groupId"),
            ("traits", "$.traits"),
            ("timestamp", "$.timestamp"),
            ("messageId", "$.messageId"),
        ],
        OperationKind::AssociateUser => {
            &[("groupId", "$.groupId"), ("userId", "$.userId"), ("anonymousId", "$.anonymousId")]
        }
        OperationKind::TrackEvent => &[
            ("event", "$.event"),
            ("userId", "$.userId"),
            ("anonymousId", "$.anonymousId"),
            ("groupId", "$.context.groupId"),
            ("properties", "$.properties"),
            ("timestamp", "$.timestamp"),
            ("messageId", "$.messageId"),
        ],
    }
}

/// Where extra fields go: the operation's object of free-form keys.
fn bag_of(kind: OperationKind) -> Option<&'static str> {
    match kind {
        OperationKind::UpsertUser | OperationKind::UpsertAccount => Some("traits"),
        OperationKind::TrackEvent => Some("properties"),
        OperationKind::AssociateUser => None,
    }
}

/// The compiled mappings of the operations that have custom ones.
#[derive(Debug, Default)]
pub struct CustomMappings {
    operations: Vec<(OperationKind, OperationMapping)>,
}

#[derive(Debug)]
struct OperationMapping {
    /// Every field of the operation: the custom directive, or the default one.
    fields: Vec<(&'static str, Mapping)>,
    /// Keys added to `traits`/`properties`.
    extras: Vec<(String, Mapping)>,
}

impl CustomMappings {
    /// Compiles `Config.mappings`. Errors name the operation and field, with mapping-kit's
    /// messages: `mappings.trackEvent.event: /@path should be a string or a mapping directive but it is a boolean.`
    pub fn compile(mappings: &Value) -> Result<CustomMappings, ConfigError> {
        let Value::Object(by_operation) = mappings else {
            return Err(ConfigError::new("mappings must be an object of operation name to field mappings"));
        };
        let mut problems = Vec::new();
        let mut operations = Vec::new();
        for (name, fields) in by_operation {
            let Some(kind) = OperationKind::from_name(name) else {
                problems.push(format!(
                    "mappings.{name}: unknown operation (the operations are upsertUser, upsertAccount, associateUser, trackEvent)"
                ));
                continue;
            };
            let Value::Object(fields) = fields else {
                problems.push(format!("mappings.{name} must be an object of field name to directive"));
                continue;
            };
            let mut compiled = OperationMapping { fields: Vec::new(), extras: Vec::new() };
            for (field, default_path) in fields_of(kind) {
                let default = json!({ "@path": default_path });
                if let Some(mapping) = compile_field(name, field, fields.get(*field).unwrap_or(&default), &mut problems)
                {
                    compiled.fields.push((field, mapping));
                }
            }
            for (field, directive) in fields {
                if fields_of(kind).iter().any(|(known, _)| known == field) {
                    continue;
                }
                if bag_of(kind).is_none() {
                    let known: Vec<&str> = fields_of(kind).iter().map(|(known, _)| *known).collect();
                    problems.push(format!(
                        "mappings.{name}.{field}: {name} has no field \"{field}\" (its fields are {}) and no traits to put it in",
                        known.join(", ")
                    ));
                } else if let Some(mapping) = compile_field(name, field, directive, &mut problems) {
                    compiled.extras.push((field.clone(), mapping));
                }
            }
            operations.push((kind, compiled));
        }
        if problems.is_empty() {
            Ok(CustomMappings { operations })
        } else {
            Err(ConfigError::new(problems.join("; ")))
        }
    }

    /// Whether this operation has a custom mapping.
    pub fn has(&self, kind: OperationKind) -> bool {
        self.operations.iter().any(|(has, _)| *has == kind)
    }

    /// Builds one operation from the normalized payload, checking what the directives gave.
    /// `None` when the operation is not made (an `associateUser` without a user) or fails (then
    /// the report has a `mapping_failed` error at `base`).
    pub fn build(
        &self,
        kind: OperationKind,
        payload: &Value,
        base: &Pointer,
        report: &mut Report,
    ) -> Option<Operation> {
        let (_, mapping) = self.operations.iter().find(|(has, _)| *has == kind)?;
        let mut built = Built { kind, base, report, failed: false, values: Map::new() };
        for (field, compiled) in &mapping.fields {
            match compiled.resolve(payload) {
                Ok(Some(value)) => {
                    built.values.insert((*field).to_owned(), value);
                }
                Ok(None) => {}
                Err(error) => built.fail(field, &error.to_string()),
            }
        }
        let mut extras = Map::new();
        for (field, compiled) in &mapping.extras {
            match compiled.resolve(payload) {
                Ok(Some(value)) => {
                    extras.insert(field.clone(), value);
                }
                Ok(None) => {}
                Err(error) => built.fail(field, &error.to_string()),
            }
        }
        built.operation(extras)
    }
}

/// Compiles one field's directive; problems are named `mappings.<operation>.<field>: <problem>`.
fn compile_field(operation: &str, field: &str, directive: &Value, problems: &mut Vec<String>) -> Option<Mapping> {
    Mapping::compile(directive)
        .map_err(|messages| {
            problems.extend(messages.iter().map(|message| format!("mappings.{operation}.{field}: {message}")));
        })
        .ok()
}

/// The values the directives gave for one operation, turned into a checked operation.
struct Built<'a> {
    kind: OperationKind,
    base: &'a Pointer,
    report: &'a mut Report,
    failed: bool,
    values: Map<String, Value>,
}

impl Built<'_> {
    fn fail(&mut self, field: &str, problem: &str) {
        self.failed = true;
        let name = self.kind.name();
        self.report.error(
            Code::MappingFailed,
            self.base,
            format!("The custom mapping of {name}.{field} failed: {problem}"),
        );
    }

    /// A string field: a non-blank string, or a number as its string; `null` or nothing is absent.
    fn text(&mut self, field: &str) -> Option<String> {
        match ids::read(self.values.get(field)) {
            ids::Id::Absent => None,
            ids::Id::Text(text) => Some(text.to_owned()),
            ids::Id::Coerced(text) => Some(text),
            ids::Id::WrongType(kind) => {
                self.fail(field, &format!("it gave {kind}, but {field} must be a string"));
                None
            }
        }
    }

    fn timestamp(&mut self) -> Option<String> {
        match self.values.get("timestamp") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => match timestamp::parse(text).ok().and_then(timestamp::format) {
                Some(formatted) => Some(formatted),
                None => {
                    self.fail("timestamp", &format!("it gave {}, which is not an ISO-8601 date-time", quote(text)));
                    None
                }
            },
            Some(other) => {
                let kind = ids::json_type_name(other);
                self.fail("timestamp", &format!("it gave {kind}, but timestamp must be an ISO-8601 string"));
                None
            }
        }
    }

    /// `traits` or `properties`, with the extra fields added over it.
    fn bag(&mut self, field: &str, extras: Map<String, Value>) -> Map<String, Value> {
        let mut bag = match self.values.shift_remove(field) {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(bag)) => bag,
            Some(other) => {
                let kind = ids::json_type_name(&other);
                self.fail(field, &format!("it gave {kind}, but {field} must be an object"));
                Map::new()
            }
        };
        bag.extend(extras);
        bag
    }

    fn require(&mut self, value: Option<String>, field: &str) -> Option<String> {
        if value.is_none() && !self.failed {
            self.fail(field, &format!("{} needs a {field}, and the mapping gave none", self.kind.name()));
        }
        value
    }

    fn operation(mut self, extras: Map<String, Value>) -> Option<Operation> {
        let operation = match self.kind {
            OperationKind::UpsertUser => {
                let user_id = self.text("userId");
                let anonymous_id = self.text("anonymousId");
                if user_id.is_none() && anonymous_id.is_none() && !self.failed {
                    self.fail("userId", "upsertUser needs a userId or an anonymousId, and the mapping gave neither");
                }
                Operation::UpsertUser(UpsertUser {
                    user_id,
                    anonymous_id,
                    traits: self.bag("traits", extras),
                    timestamp: self.timestamp(),
                    message_id: self.text("messageId"),
                })
            }
            OperationKind::UpsertAccount => {
                let group_id = self.text("groupId");
                let group_id = self.require(group_id, "groupId")?;
                Operation::UpsertAccount(UpsertAccount {
                    group_id,
                    traits: self.bag("traits", extras),
                    timestamp: self.timestamp(),
                    message_id: self.text("messageId"),
                })
            }
            OperationKind::AssociateUser => {
                let user_id = self.text("userId");
                let anonymous_id = self.text("anonymousId");
                if user_id.is_none() && anonymous_id.is_none() {
                    // As without a custom mapping: no user, no association.
                    return None;
                }
                let group_id = self.text("groupId");
                let group_id = self.require(group_id, "groupId")?;
                Operation::AssociateUser(AssociateUser { group_id, user_id, anonymous_id })
            }
            OperationKind::TrackEvent => {
                let event = self.text("event");
                let event = self.require(event, "event")?;
                Operation::TrackEvent(TrackEvent {
                    event,
                    user_id: self.text("userId"),
                    anonymous_id: self.text("anonymousId"),
                    group_id: self.text("groupId"),
                    properties: self.bag("properties", extras),
                    timestamp: self.timestamp(),
                    message_id: self.text("messageId"),
                })
            }
        };
        (!self.failed).then_some(operation)
    }
}
