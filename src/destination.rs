//! A `Destination`: settings compiled once, then the whole path (limits → checks → mapping →
//! outcome) run for each message.

use serde_json::Value;

use crate::answer::{Answer, Outcomes, Sink};
use crate::call::CallType;
use crate::config::{Config, ConfigError};
use crate::custom::CustomMappings;
use crate::engine::{self, Settings, Shape, Whole};
use crate::issue::{Code, Issue};
use crate::map;
use crate::operation::{Operation, OperationKind};
use crate::outcome::{BatchOutcome, Mapped, Outcome, Validation};
use crate::payload;
#[cfg(feature = "tracking-plan")]
use crate::plan::TrackingPlan;
use crate::pointer::Pointer;
use crate::privacy::Privacy;
use crate::rules::Levels;
use crate::spec::{Envelope, Fields, Report};

/// Per-call options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapOptions {
    /// The call type of an HTTP single-call body, which carries none (`/v1/track` → `Track`).
    /// A message whose own `type` disagrees is invalid (`type_mismatch`).
    pub call_type: Option<CallType>,
}

impl MapOptions {
    /// The problem with options that are not an object (nor `null`), or not JSON.
    pub const NOT_AN_OBJECT: &'static str = "options must be an object such as { type: \"track\" }";

    /// Options for a body of this call type.
    pub fn with_type(call_type: CallType) -> MapOptions {
        MapOptions { call_type: Some(call_type) }
    }

    /// The options a JSON object gives (`{"type": "track"}`; `null` is none), or the problem
    /// with them, in the words JS callers read.
    ///
    /// ```
    /// use astrolabe_segment::{CallType, MapOptions};
    /// use serde_json::json;
    /// assert_eq!(MapOptions::from_value(&json!({"type": "track"})), Ok(MapOptions::with_type(CallType::Track)));
    /// assert_eq!(
    ///     MapOptions::from_value(&json!({"typ": "track"})).unwrap_err(),
    ///     "unknown option \"typ\": the only option is \"type\""
    /// );
    /// ```
    pub fn from_value(options: &Value) -> Result<MapOptions, String> {
        let fields = match options {
            Value::Null => return Ok(MapOptions::default()),
            Value::Object(fields) => fields,
            _ => return Err(String::from(MapOptions::NOT_AN_OBJECT)),
        };
        if let Some(unknown) = fields.keys().find(|key| *key != "type") {
            return Err(format!("unknown option {}: the only option is \"type\"", crate::quote::quote(unknown)));
        }
        match fields.get("type") {
            None | Some(Value::Null) => Ok(MapOptions::default()),
            Some(Value::String(name)) => CallType::from_name(name).map(MapOptions::with_type).ok_or_else(|| {
                format!(
                    "unknown call type {} in option \"type\": expected identify, group, track, page, screen, alias or delete",
                    crate::quote::quote(name)
                )
            }),
            Some(_) => Err(String::from("option \"type\" must be a string such as \"identify\", \"group\" or \"track\"")),
        }
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
    privacy: Option<Privacy>,
    warnings: Vec<String>,
}

impl Destination {
    /// Compiles the settings. Fails on a setting that cannot be used, naming it.
    pub fn new(config: Config) -> Result<Destination, ConfigError> {
        let mappings = config.mappings.as_ref().map(CustomMappings::compile).transpose()?;
        let plan = compile_plan(config.tracking_plan.as_ref())?;
        let warnings = plan_warnings(plan.as_ref());
        // The fields a plan says hold email addresses (`format: email`) are meant to.
        let privacy = config.privacy.map(|mut privacy| {
            privacy.allow_more(plan_email_fields(plan.as_ref()));
            privacy
        });
        Ok(Destination { strict: config.strict, levels: config.rules, mappings, plan, privacy, warnings })
    }

    /// What the settings were read with a warning, each a sentence naming its place: a tracking
    /// plan's `$schema` read as the draft it nearly names, or its rules that sit where their tool
    /// never reads them. Empty when everything was read as written.
    ///
    /// ```
    /// # #[cfg(feature = "tracking-plan")] {
    /// use astrolabe_segment::{Config, Destination};
    /// use serde_json::json;
    ///
    /// let plan = json!({"rules": [{"type": "IDENTIFY", "jsonSchema": {"$schema": "https://json-schema.org/2019-09/schema"}}]});
    /// let destination = Destination::new(Config { tracking_plan: Some(plan), ..Config::default() })?;
    /// assert_eq!(destination.warnings(), [
    ///     "trackingPlan rules/0 (IDENTIFY): \"$schema\" \"https://json-schema.org/2019-09/schema\" is not a JSON Schema draft's URI; it is read as \"https://json-schema.org/draft/2019-09/schema\""
    /// ]);
    /// # }
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Checks one message: `{valid, errors, warnings}`.
    pub fn validate(&self, message: &Value, options: &MapOptions) -> Validation {
        self.outcomes(&value_text(message), options, Shape::Validation).validation().unwrap_or_else(internal_validation)
    }

    /// Checks one message and maps it to Astrolabe operations.
    pub fn map(&self, message: &Value, options: &MapOptions) -> Outcome {
        self.outcomes(&value_text(message), options, Shape::Message).outcome().unwrap_or_else(internal_outcome)
    }

    /// Maps a batch: an envelope `{"batch": [...], "context"?, "integrations"?, "sentAt"?}` or a
    /// JSON array of messages. One outcome per item, in order.
    pub fn map_batch(&self, batch: &Value) -> BatchOutcome {
        self.outcomes(&value_text(batch), &MapOptions::default(), Shape::Batch)
            .batch()
            .unwrap_or_else(|| BatchOutcome { outcomes: Vec::new(), errors: internal_outcome().errors })
    }

    /// Maps whatever the input is: a batch (an envelope or an array) or one message.
    pub fn map_input(&self, input: &Value, options: &MapOptions) -> Mapped {
        self.map_json(&value_text(input), options)
    }

    /// Maps JSON text (UTF-8 bytes): a message, a batch envelope or an array. Never fails: text
    /// that is not JSON, not UTF-8 or too large gives an `invalid` outcome.
    pub fn map_json(&self, bytes: &[u8], options: &MapOptions) -> Mapped {
        self.outcomes(bytes, options, Shape::Any).mapped.unwrap_or_else(|| Mapped::Message(internal_outcome()))
    }

    /// Answers JSON text as [`map_json`](Destination::map_json) does, handing each message's
    /// typed answer to `sink` as it goes, without writing text or making owned outcomes: a
    /// reader that needs a few things of each answer (a status, codes, an event name) reads them
    /// off the engine's own answer. Always answers (text that is not JSON gets an `invalid` one).
    ///
    /// ```
    /// use astrolabe_segment::answer::{Answer, Sink};
    /// use astrolabe_segment::{Config, Destination, Issue, MapOptions, Status};
    ///
    /// #[derive(Default)]
    /// struct Count { mapped: usize, invalid: usize }
    /// impl Sink for Count {
    ///     fn message(&mut self, answer: &mut Answer<'_>) { self.item(answer) }
    ///     fn batch(&mut self, _: usize) {}
    ///     fn item(&mut self, answer: &mut Answer<'_>) {
    ///         match answer.status { Status::Mapped => self.mapped += 1, Status::Invalid => self.invalid += 1, _ => {} }
    ///     }
    ///     fn batch_end(&mut self, _: Vec<Issue>) {}
    /// }
    /// let destination = Destination::new(Config::default())?;
    /// let mut count = Count::default();
    /// destination.answer_json(br#"[{"type": "identify", "userId": "u1"}, {"type": "track"}]"#, &MapOptions::default(), &mut count);
    /// assert_eq!((count.mapped, count.invalid), (1, 1));
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn answer_json(&self, bytes: &[u8], options: &MapOptions, sink: &mut dyn Sink) {
        if !engine::run(self.settings(false), bytes, options.call_type, Shape::Any, sink) {
            sink.message(&mut Answer::invalid(internal_outcome().errors));
        }
    }

    /// The owned outcomes of `bytes` read as `shape`.
    fn outcomes(&self, bytes: &[u8], options: &MapOptions, shape: Shape) -> Outcomes {
        let mut outcomes = Outcomes::default();
        engine::run(self.settings(false), bytes, options.call_type, shape, &mut outcomes);
        outcomes
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
    pub(crate) fn settings(&self, walks: bool) -> Settings<'_> {
        let whole: Option<&dyn Whole> = (self.mappings.is_some() || self.plan.is_some()).then_some(self);
        Settings { strict: self.strict, levels: &self.levels, whole, privacy: self.privacy.as_ref(), walks }
    }

    /// The answer of `map` (`Shape::Message`), `validate` (`Shape::Validation`), `map_batch`
    /// (`Shape::Batch`) or `map_input` (`Shape::Any`) for a value, as JSON text.
    /// A value goes through the engine as its JSON text.
    pub fn answer_value(&self, value: &Value, options: &MapOptions, shape: Shape) -> String {
        self.engine(&value_text(value), options.call_type, shape, false).unwrap_or_else(internal_error)
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

/// The fields a plan gives `format: email`, as JSON Pointers' tokens into a message.
#[cfg(feature = "tracking-plan")]
fn plan_email_fields(plan: Option<&TrackingPlan>) -> Vec<Vec<String>> {
    plan.map(|plan| plan.email_fields().to_vec()).unwrap_or_default()
}

#[cfg(not(feature = "tracking-plan"))]
fn plan_email_fields(_: Option<&TrackingPlan>) -> Vec<Vec<String>> {
    Vec::new()
}

/// A plan's warnings, as the Destination's: each after `trackingPlan`, as its errors are.
#[cfg(feature = "tracking-plan")]
fn plan_warnings(plan: Option<&TrackingPlan>) -> Vec<String> {
    plan.map(|plan| plan.warnings().iter().map(|warning| format!("trackingPlan {warning}")).collect())
        .unwrap_or_default()
}

#[cfg(not(feature = "tracking-plan"))]
fn plan_warnings(_: Option<&TrackingPlan>) -> Vec<String> {
    Vec::new()
}

/// The lite build's stand-in: no plan can exist.
#[cfg(not(feature = "tracking-plan"))]
#[derive(Debug)]
enum TrackingPlan {}

/// What a Destination adds to the engine's path for messages it reads whole.
impl Whole for Destination {
    /// Checks the message against the tracking plan, if there is one; gives the trait or property
    /// keys the plan wants dropped from the operations.
    #[cfg(feature = "tracking-plan")]
    fn plan(
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
        for issue in check.errors {
            report.add_error(issue);
        }
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
    fn plan(&self, _: &Value, _: &Pointer, _: &Envelope<'_>, _: &Fields<'_>, _: &mut Report) -> Vec<String> {
        match &self.plan {
            Some(never) => match *never {},
            None => Vec::new(),
        }
    }

    /// The custom mappings' operations, each kind's where it has one, run on the normalized
    /// message; the built-in mapping's for the others.
    fn operations(
        &self,
        value: &Value,
        base: &Pointer,
        envelope: &Envelope<'_>,
        fields: &Fields<'_>,
        report: &mut Report,
    ) -> Option<Vec<Operation>> {
        let kinds = OperationKind::for_call(fields.call);
        let custom = self.mappings.as_ref().filter(|custom| kinds.iter().any(|kind| custom.has(*kind)))?;
        let payload = payload::normalized(value, envelope, fields);
        let operations = kinds
            .iter()
            .filter_map(|kind| {
                if custom.has(*kind) {
                    custom.build(*kind, &payload, base, report)
                } else {
                    map::operation(*kind, fields)
                }
            })
            .collect();
        Some(operations)
    }
}

/// A value's JSON text: every input, text or value, goes through the one engine as text.
fn value_text(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
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
