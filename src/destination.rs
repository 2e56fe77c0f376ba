//! A `Destination`: settings compiled once, then the whole path (limits → checks → mapping →
//! outcome) run for each message.

use serde_json::{Map, Value};

use crate::call::CallType;
use crate::config::{Config, ConfigError};
use crate::custom::CustomMappings;
use crate::fast;
use crate::input::{self, Parsed, MAX_BATCH_BYTES, MAX_BATCH_ITEMS};
use crate::issue::{Code, Issue};
use crate::map;
use crate::operation::Operation;
use crate::operation::OperationKind;
use crate::outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};
use crate::payload;
#[cfg(feature = "tracking-plan")]
use crate::plan::TrackingPlan;
use crate::pointer::Pointer;
use crate::spec::{self, Checked, Envelope, Fields, Report};

/// Per-call options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapOptions {
    /// The call type of an HTTP single-call body, which carries none (`/v1/track` → `Track`).
    /// A message whose own `type` disagrees is invalid (`type_mismatch`).
    pub call_type: Option<CallType>,
}

impl MapOptions {
    /// Options for a body of this call type.
    pub fn with_type(call_type: CallType) -> MapOptions {
        MapOptions { call_type: Some(call_type) }
    }
}

/// Validates messages and maps them to Astrolabe operations. Build it once and reuse it: all
/// settings are compiled in [`Destination::new`], nothing is set up per message.
///
/// ```
/// use astrolabe_segment::{Config, Destination, MapOptions, CallType, Status};
///
/// let destination = Destination::new(Config { strict: true, ..Config::default() })?;
/// // An HTTP API body for POST /v1/track: no `type`, the endpoint gives it.
/// let outcome = destination.map_json(
///     br#"{"userId": 42, "event": "Signed Up"}"#,
///     &MapOptions::with_type(CallType::Track),
/// );
/// let text = outcome.to_json();
/// // In strict mode the numeric userId (a warning otherwise) is an error.
/// assert!(text.contains(r#""status":"invalid""#));
/// assert!(text.contains(r#""code":"id_coerced","path":"/userId""#));
/// # Ok::<(), astrolabe_segment::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct Destination {
    strict: bool,
    mappings: Option<CustomMappings>,
    plan: Option<TrackingPlan>,
}

impl Destination {
    /// Compiles the settings. Fails on a setting that cannot be used, naming it.
    pub fn new(config: Config) -> Result<Destination, ConfigError> {
        let mappings = config.mappings.as_ref().map(CustomMappings::compile).transpose()?;
        Ok(Destination { strict: config.strict, mappings, plan: compile_plan(config.tracking_plan.as_ref())? })
    }

    /// Checks one message: `{valid, errors, warnings}`.
    pub fn validate(&self, message: &Value, options: &MapOptions) -> Validation {
        self.map(message, options).into()
    }

    /// Checks one message and maps it to Astrolabe operations.
    pub fn map(&self, message: &Value, options: &MapOptions) -> Outcome {
        self.message(message, &Pointer::root(), options.call_type, &Envelope::default())
    }

    /// Maps a batch: an envelope `{"batch": [...], "context"?, "integrations"?, "sentAt"?}` or a
    /// JSON array of messages. One outcome per item, in order.
    pub fn map_batch(&self, batch: &Value) -> BatchOutcome {
        self.batch(batch, None)
    }

    /// Maps whatever the input is: a batch (an envelope or an array) or one message.
    pub fn map_input(&self, input: &Value, options: &MapOptions) -> Mapped {
        if is_batch(input) {
            Mapped::Batch(self.batch(input, None))
        } else {
            Mapped::Message(self.map(input, options))
        }
    }

    /// Maps JSON text (UTF-8 bytes), parsed once: a message, a batch envelope or an array. Never
    /// fails: text that is not JSON, not UTF-8 or too large gives an `invalid` outcome.
    pub fn map_json(&self, bytes: &[u8], options: &MapOptions) -> Mapped {
        match input::parse(bytes) {
            Parsed::Refused(issue) if issue.code == Code::BatchTooLarge => {
                Mapped::Batch(BatchOutcome { outcomes: Vec::new(), errors: vec![issue] })
            }
            Parsed::Refused(issue) => Mapped::Message(Outcome::invalid(vec![issue])),
            Parsed::Value(value) if is_batch(&value) => Mapped::Batch(self.batch(&value, Some(bytes.len()))),
            Parsed::Value(value) => Mapped::Message(self.map(&value, options)),
        }
    }

    /// `map_json(bytes, options).to_json()`, the same text, sooner: with the built-in mapping, the
    /// text goes through a lane that parses only the fields the rules read and copies traits and
    /// properties through as they were written (numbers keep their digits). This is what the
    /// WebAssembly `mapJson` runs.
    ///
    /// ```
    /// use astrolabe_segment::{Config, Destination, MapOptions};
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let text = br#"{"type": "track", "userId": "u1", "event": "Paid", "properties": {"cents": 12345678901234567890123}}"#;
    /// let outcome = destination.map_json_text(text, &MapOptions::default());
    /// assert!(outcome.starts_with(r#"{"status":"mapped","operations":[{"op":"trackEvent","event":"Paid","userId":"u1","properties":{"cents":12345678901234567890123}}]"#));
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn map_json_text(&self, bytes: &[u8], options: &MapOptions) -> String {
        self.fast(bytes, options.call_type, fast::Shape::Any).unwrap_or_else(|| self.map_json(bytes, options).to_json())
    }

    /// The fast lane's answer, when the settings allow it and it can give one.
    pub(crate) fn fast(&self, bytes: &[u8], hint: Option<CallType>, shape: fast::Shape) -> Option<String> {
        if self.mappings.is_some() || self.plan.is_some() {
            return None;
        }
        fast::map_text(self.strict, bytes, hint, shape)
    }

    /// `size` is the length of the text the batch was parsed from, when it was.
    fn batch(&self, batch: &Value, size: Option<usize>) -> BatchOutcome {
        let refuse = |issue: Issue| BatchOutcome { outcomes: Vec::new(), errors: vec![issue] };
        let (items, items_path, envelope) = match read_envelope(batch) {
            Ok(parts) => parts,
            Err(errors) => return BatchOutcome { outcomes: Vec::new(), errors },
        };
        if items.len() > MAX_BATCH_ITEMS {
            return refuse(Issue::new(
                Code::BatchTooMany,
                &items_path,
                format!("The batch has {} items; the limit is {MAX_BATCH_ITEMS}.", items.len()),
            ));
        }
        let size = size.unwrap_or_else(|| input::serialized_len(batch, MAX_BATCH_BYTES));
        if size > MAX_BATCH_BYTES {
            return refuse(input::batch_too_large());
        }
        let outcomes = items
            .iter()
            .enumerate()
            .map(|(at, item)| self.message(item, &items_path.index(at), None, &envelope))
            .collect();
        BatchOutcome { outcomes, errors: Vec::new() }
    }

    /// The whole path for one message at `base` in the caller's input.
    fn message(&self, value: &Value, base: &Pointer, hint: Option<CallType>, envelope: &Envelope<'_>) -> Outcome {
        if let Some(issue) = input::message_limits(value, base) {
            return Outcome::invalid(vec![issue]);
        }
        let mut report = Report::default();
        match spec::check(value, base, hint, envelope, &mut report) {
            None => self.finish(report, Vec::new(), None),
            Some(Checked::Unsupported(reason)) => self.finish(report, Vec::new(), Some(reason)),
            Some(Checked::Message(fields)) => {
                let omit = self.enforce_plan(value, base, envelope, &fields, &mut report);
                let operations = if report.errors.is_empty() && fields.disabled.is_none() {
                    let mut operations = self.operations(value, base, envelope, &fields, &mut report);
                    omit_keys(&mut operations, &omit);
                    operations
                } else {
                    Vec::new()
                };
                self.finish(report, operations, fields.disabled)
            }
        }
    }

    /// The operations of a valid message: the built-in mapping, or for the operations that have
    /// one, the custom mapping run on the normalized message.
    fn operations(
        &self,
        value: &Value,
        base: &Pointer,
        envelope: &Envelope<'_>,
        fields: &Fields<'_>,
        report: &mut Report,
    ) -> Vec<Operation> {
        let kinds = OperationKind::for_call(fields.call);
        let Some(custom) = self.mappings.as_ref().filter(|custom| kinds.iter().any(|kind| custom.has(*kind))) else {
            return map::operations(fields);
        };
        let payload = payload::normalized(value, envelope, fields);
        kinds
            .iter()
            .filter_map(|kind| {
                if custom.has(*kind) {
                    custom.build(*kind, &payload, base, report)
                } else {
                    map::operation(*kind, fields)
                }
            })
            .collect()
    }

    /// Checks the message against the tracking plan, if there is one; gives the trait or property
    /// keys the plan wants dropped from the operations.
    #[cfg(feature = "tracking-plan")]
    fn enforce_plan(
        &self,
        value: &Value,
        base: &Pointer,
        envelope: &Envelope<'_>,
        fields: &Fields<'_>,
        report: &mut Report,
    ) -> Vec<String> {
        let Some(plan) = &self.plan else { return Vec::new() };
        if fields.call == CallType::Track && fields.event.is_none() {
            // Without an event name no rule can be chosen; missing_event already says why.
            return Vec::new();
        }
        let message = payload::merged(value, envelope);
        let check = plan.check(&message, fields.call, fields.event.as_deref(), base);
        report.errors.extend(check.errors);
        report.warnings.extend(check.warnings);
        check.omit
    }

    #[cfg(not(feature = "tracking-plan"))]
    fn enforce_plan(&self, _: &Value, _: &Pointer, _: &Envelope<'_>, _: &Fields<'_>, _: &mut Report) -> Vec<String> {
        match &self.plan {
            Some(never) => match *never {},
            None => Vec::new(),
        }
    }

    /// The outcome of a checked message (see `Report::settle`).
    fn finish(&self, mut report: Report, operations: Vec<Operation>, skip: Option<Issue>) -> Outcome {
        let (status, reason) = report.settle(self.strict, skip);
        let operations = if status == Status::Mapped { operations } else { Vec::new() };
        Outcome { status, operations, errors: report.errors, warnings: report.warnings, reason }
    }
}

#[cfg(feature = "tracking-plan")]
fn compile_plan(plan: Option<&Value>) -> Result<Option<TrackingPlan>, ConfigError> {
    plan.map(|plan| {
        TrackingPlan::compile(plan).map_err(|error| ConfigError::new(format!("trackingPlan {}", error.message())))
    })
    .transpose()
}

/// The lite build has no JSON Schema validator: a plan is refused rather than ignored.
#[cfg(not(feature = "tracking-plan"))]
fn compile_plan(plan: Option<&Value>) -> Result<Option<TrackingPlan>, ConfigError> {
    match plan {
        Some(_) => Err(ConfigError::new(
            "trackingPlan is not available in this build (the lite build has no tracking plans): use the full build",
        )),
        None => Ok(None),
    }
}

/// The lite build's stand-in: no plan can exist.
#[cfg(not(feature = "tracking-plan"))]
#[derive(Debug)]
enum TrackingPlan {}

/// Drops the keys a tracking plan refused from the traits or properties of the operations.
fn omit_keys(operations: &mut [Operation], keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    for operation in operations {
        let fields = match operation {
            Operation::UpsertUser(op) => &mut op.traits,
            Operation::UpsertAccount(op) => &mut op.traits,
            Operation::TrackEvent(op) => &mut op.properties,
            Operation::AssociateUser(_) => continue,
        };
        for key in keys {
            fields.shift_remove(key);
        }
    }
}

/// A JSON array, or an object with `batch` and no `type`.
fn is_batch(value: &Value) -> bool {
    match value {
        Value::Array(_) => true,
        Value::Object(map) => spec::is_envelope(map.keys().map(String::as_str)),
        _ => false,
    }
}

type EnvelopeParts<'a> = (&'a [Value], Pointer, Envelope<'a>);

/// The items, their path, and the envelope fields that apply to each.
fn read_envelope(batch: &Value) -> Result<EnvelopeParts<'_>, Vec<Issue>> {
    let root = Pointer::root();
    let map = match batch {
        Value::Array(items) => return Ok((items, root, Envelope::default())),
        Value::Object(map) => map,
        _ => {
            return Err(vec![Issue::new(
                Code::InvalidBatch,
                &root,
                "A batch must be an object {\"batch\": [...]} or a JSON array of messages.",
            )])
        }
    };
    let mut errors = Vec::new();
    let items = match map.get("batch") {
        Some(Value::Array(items)) => items.as_slice(),
        _ => {
            errors.push(Issue::new(Code::InvalidBatch, &root.key("batch"), "\"batch\" must be an array of messages."));
            &[]
        }
    };
    let object = |key: &str, errors: &mut Vec<Issue>| -> Option<&Map<String, Value>> {
        let path = root.key(key);
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(value @ Value::Object(object)) => match input::too_deep(value, &path, 2) {
                Some(issue) => {
                    errors.push(issue);
                    None
                }
                None => Some(object),
            },
            Some(_) => {
                errors.push(Issue::new(Code::InvalidBatch, &path, format!("The batch's \"{key}\" must be an object.")));
                None
            }
        }
    };
    let context = object("context", &mut errors);
    let integrations = object("integrations", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let envelope = Envelope { context, integrations, sent_at: map.get("sentAt").filter(|value| !value.is_null()) };
    Ok((items, root.key("batch"), envelope))
}

#[cfg(test)]
mod fast_lane_shapes {
    use crate::call::CallType;
    use crate::fast::Shape;
    use crate::{Config, Destination};
    use serde_json::Value;
    use std::path::Path;

    /// The message and batch shapes (what the wasm `map` and `mapBatch` run on `JSON.stringify`
    /// text) give `map(value)` and `map_batch(value)` byte for byte, over the fixture corpus.
    #[test]
    fn message_and_batch_shapes_agree_with_the_value_api() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let destinations = [Config::default(), Config { strict: true, ..Config::default() }]
            .map(|config| Destination::new(config).unwrap());
        let mut compared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| ext != "json") {
                continue;
            }
            let body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let Some(input) = body.get("input") else { continue };
            let text = input.to_string();
            let hint = body.pointer("/options/type").and_then(Value::as_str).and_then(CallType::from_name);
            for destination in &destinations {
                let options = crate::MapOptions { call_type: hint };
                if let Some(message) = destination.fast(text.as_bytes(), hint, Shape::Message) {
                    assert_eq!(message, destination.map(input, &options).to_json(), "{text}");
                    compared += 1;
                }
                let validation = destination.fast(text.as_bytes(), hint, Shape::Validation);
                if let Some(validation) = validation {
                    assert_eq!(
                        validation,
                        serde_json::to_string(&destination.validate(input, &options)).unwrap(),
                        "{text}"
                    );
                }
                if let Some(batch) = destination.fast(text.as_bytes(), None, Shape::Batch) {
                    assert_eq!(batch, destination.map_batch(input).to_json(), "{text}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 300, "only {compared} texts compared");
    }
}
