//! A `Destination`: settings compiled once, then the whole path (limits → checks → mapping →
//! outcome) run for each message.

use serde_json::Value;

use crate::call::CallType;
use crate::config::{Config, ConfigError};
use crate::custom::CustomMappings;
use crate::engine::{self, Settings, Shape, Whole};
use crate::issue::{Code, Issue};
use crate::map;
use crate::operation::Operation;
use crate::operation::OperationKind;
use crate::outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};
use crate::payload;
#[cfg(feature = "tracking-plan")]
use crate::plan::TrackingPlan;
use crate::pointer::Pointer;
use crate::read;
use crate::rules::Levels;
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
    levels: Levels,
    mappings: Option<CustomMappings>,
    plan: Option<TrackingPlan>,
}

impl Destination {
    /// Compiles the settings. Fails on a setting that cannot be used, naming it.
    pub fn new(config: Config) -> Result<Destination, ConfigError> {
        let mappings = config.mappings.as_ref().map(CustomMappings::compile).transpose()?;
        Ok(Destination {
            strict: config.strict,
            levels: config.rules,
            mappings,
            plan: compile_plan(config.tracking_plan.as_ref())?,
        })
    }

    /// Checks one message: `{valid, errors, warnings}`.
    pub fn validate(&self, message: &Value, options: &MapOptions) -> Validation {
        read::validation(&self.answer_value(message, options, Shape::Validation)).unwrap_or_else(internal_validation)
    }

    /// Checks one message and maps it to Astrolabe operations.
    pub fn map(&self, message: &Value, options: &MapOptions) -> Outcome {
        read::outcome(&self.answer_value(message, options, Shape::Message)).unwrap_or_else(internal_outcome)
    }

    /// Maps a batch: an envelope `{"batch": [...], "context"?, "integrations"?, "sentAt"?}` or a
    /// JSON array of messages. One outcome per item, in order.
    pub fn map_batch(&self, batch: &Value) -> BatchOutcome {
        read::batch(&self.answer_value(batch, &MapOptions::default(), Shape::Batch))
            .unwrap_or_else(|| BatchOutcome { outcomes: Vec::new(), errors: internal_outcome().errors })
    }

    /// Maps whatever the input is: a batch (an envelope or an array) or one message.
    pub fn map_input(&self, input: &Value, options: &MapOptions) -> Mapped {
        read::mapped(&self.answer_value(input, options, Shape::Any))
            .unwrap_or_else(|| Mapped::Message(internal_outcome()))
    }

    /// Maps JSON text (UTF-8 bytes): a message, a batch envelope or an array. Never fails: text
    /// that is not JSON, not UTF-8 or too large gives an `invalid` outcome.
    pub fn map_json(&self, bytes: &[u8], options: &MapOptions) -> Mapped {
        read::mapped(&self.map_json_text(bytes, options)).unwrap_or_else(|| Mapped::Message(internal_outcome()))
    }

    /// `map_json(bytes, options).to_json()`, without building the outcome: the engine reads the
    /// text once and writes the outcome text, traits and properties copied through as they were
    /// written (numbers keep their digits). This is what the WebAssembly `mapJson` runs.
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
        let mut out = String::new();
        self.map_json_text_into(bytes, options, &mut out);
        out
    }

    /// [`map_json_text`](Destination::map_json_text) written into `out`, which is cleared first:
    /// a caller that answers input after input (the WebAssembly `mapJson`) keeps one buffer's
    /// room instead of allocating an answer each time.
    ///
    /// ```
    /// use astrolabe_segment::{Config, Destination, MapOptions};
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let mut out = String::new();
    /// for text in [&br#"{"type": "identify", "userId": "u1"}"#[..], b"[1"] {
    ///     destination.map_json_text_into(text, &MapOptions::default(), &mut out);
    ///     assert_eq!(out, destination.map_json_text(text, &MapOptions::default()));
    /// }
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn map_json_text_into(&self, bytes: &[u8], options: &MapOptions, out: &mut String) {
        if !engine::answer_into(self.settings(false), bytes, options.call_type, Shape::Any, out) {
            *out = internal_error();
        }
    }

    /// The engine's answer for `bytes` read as `shape`. With `walks`, the text is what a host's
    /// serializer wrote of a value the host can walk itself, and `None` asks it to (see
    /// [`engine::Settings::walks`]).
    pub(crate) fn engine(&self, bytes: &[u8], hint: Option<CallType>, shape: Shape, walks: bool) -> Option<String> {
        engine::answer(self.settings(walks), bytes, hint, shape)
    }

    /// The engine's settings for this Destination.
    fn settings(&self, walks: bool) -> Settings<'_> {
        let whole: Option<&dyn Whole> = (self.mappings.is_some() || self.plan.is_some()).then_some(self);
        Settings { strict: self.strict, levels: &self.levels, whole, walks }
    }

    /// The answer of `map` (`Shape::Message`), `validate` (`Shape::Validation`), `map_batch`
    /// (`Shape::Batch`) or `map_input` (`Shape::Any`) for a value, as JSON text.
    /// A value goes through the engine as its JSON text.
    pub fn answer_value(&self, value: &Value, options: &MapOptions, shape: Shape) -> String {
        let text = serde_json::to_vec(value).unwrap_or_default();
        self.engine(&text, options.call_type, shape, false).unwrap_or_else(internal_error)
    }

    /// One message within its limits, read whole, for settings that read whole messages: checked,
    /// held to the tracking plan, mapped by the custom mappings.
    fn message(&self, value: &Value, base: &Pointer, hint: Option<CallType>, envelope: &Envelope<'_>) -> Outcome {
        let mut report = Report::new(self.strict, &self.levels);
        let view = spec::view_of(value, base, &mut report);
        match view.as_ref().and_then(|view| spec::check(view, base, hint, envelope, &mut report)) {
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
        for issue in check.warnings {
            // What happens to an unplanned property is said only when it happens (not in strict mode).
            if issue.code == Code::UnplannedProperty {
                report.warn_with_effect(issue, "It is omitted from the operation.");
            } else {
                report.add_warning(issue);
            }
        }
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
        let (status, reason) = report.settle(skip);
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

impl Whole for Destination {
    fn message(&self, value: &Value, base: &Pointer, hint: Option<CallType>, envelope: &Envelope<'_>) -> Outcome {
        Destination::message(self, value, base, hint, envelope)
    }
}

/// The outcome of an input the engine could not answer, or whose answer could not be read
/// back: neither happens, but neither may panic.
fn internal_outcome() -> Outcome {
    let issue = Issue::new(Code::InvalidJson, &Pointer::root(), "internal error: the input could not be answered");
    Outcome::invalid(vec![issue])
}

fn internal_validation() -> Validation {
    Validation::from(internal_outcome())
}

/// The engine answers every text it is asked to answer; should it ever not, callers still get an
/// outcome they can read rather than a panic.
fn internal_error() -> String {
    internal_outcome().to_json()
}

#[cfg(test)]
mod engine_shapes {
    use crate::call::CallType;
    use crate::engine::Shape;
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
                if let Some(message) = destination.engine(text.as_bytes(), hint, Shape::Message, true) {
                    assert_eq!(message, destination.map(input, &options).to_json(), "{text}");
                    compared += 1;
                }
                let validation = destination.engine(text.as_bytes(), hint, Shape::Validation, true);
                if let Some(validation) = validation {
                    assert_eq!(
                        validation,
                        serde_json::to_string(&destination.validate(input, &options)).unwrap(),
                        "{text}"
                    );
                }
                if let Some(batch) = destination.engine(text.as_bytes(), None, Shape::Batch, true) {
                    assert_eq!(batch, destination.map_batch(input).to_json(), "{text}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 300, "only {compared} texts compared");
    }
}
