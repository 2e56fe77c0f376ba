//! Custom mappings: the directive language of Segment's Actions destinations ("mapping-kit").
//!
//! A mapping is JSON mixing raw values with directives (`{"@path": "$.properties.plan"}`,
//! `{"@template": "Hi {{traits.name}}"}`, `@if`, `@case`, `@replace`, `@arrayPath`, `@json`,
//! `@flatten`, `@merge`, `@transform`, `@excludeWhenNull`, `@literal` and, with the `liquid`
//! feature, `@liquid`). [`Mapping::compile`] validates a mapping once, collecting every problem
//! with mapping-kit's messages, and compiles it into a tree (paths split, templates parsed);
//! [`Mapping::resolve`] then applies it to each payload. [`transform`] is mapping-kit's
//! `transform(mapping, payload)` in one call.
//!
//! ```
//! use astrolabe_segment::mapping::{transform, Mapping};
//! use serde_json::json;
//!
//! let mapping = Mapping::compile(&json!({
//!     "plan": {"@path": "$.properties.plan"},
//!     "greeting": {"@template": "Hi {{traits.name}}!"},
//!     "missing": {"@path": "$.nope"}
//! }))
//! .unwrap();
//! let out = mapping
//!     .resolve(&json!({"properties": {"plan": "pro"}, "traits": {"name": "Ada"}}))
//!     .unwrap();
//! assert_eq!(out, Some(json!({"plan": "pro", "greeting": "Hi Ada!"})));
//!
//! let problems = Mapping::compile(&json!({"@path": false})).unwrap_err();
//! assert_eq!(problems, ["/@path should be a string or a mapping directive but it is a boolean."]);
//!
//! let err = transform(&json!({"a": 1}), &json!(123)).unwrap_err();
//! assert_eq!(err.to_string(), "data must be an object, got number");
//! ```

use std::fmt;

use serde_json::Value;

mod compile;
#[cfg(feature = "liquid")]
mod liquid;
#[cfg(feature = "liquid")]
mod liquid_comment;
#[cfg(feature = "liquid")]
mod liquid_errors;
#[cfg(feature = "liquid")]
mod liquid_math;
mod ops;
mod path;
mod resolve;
mod template;
mod validate;
mod value;

pub use value::js_number_to_string;

/// Sets the clock that `@liquid`'s `'now'` and `'today'` read, in milliseconds since the Unix epoch
/// (JavaScript's `Date.now()`). Needed only where there is no system clock: on
/// wasm32-unknown-unknown, where the WebAssembly bindings set it; without one, `'now'` is not a
/// date there, and the `date` filter gives it back unchanged. The first clock set stays.
///
/// ```
/// astrolabe_segment::mapping::set_clock(|| 1_700_000_000_000.0);
/// # #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
/// let year = astrolabe_segment::mapping::transform(
///     &serde_json::json!({"year": {"@liquid": "{{ 'now' | date: '%Y' }}"}}),
///     &serde_json::json!({}),
/// )
/// .unwrap();
/// assert_eq!(year, Some(serde_json::json!({"year": "2023"})));
/// ```
#[cfg(feature = "liquid")]
pub fn set_clock(milliseconds_since_epoch: fn() -> f64) {
    liquid_core::model::set_clock(milliseconds_since_epoch);
}

use compile::{spread, Compiler, Node};
use value::Val;

/// The root key that applies its directive to all its sibling keys.
pub const ROOT_MAPPING_FIELD_KEY: &str = "__segment_internal_directive";
/// Longest `@replace` pattern (UTF-16 units, as mapping-kit counts).
pub const MAX_PATTERN_LENGTH: usize = 10;
/// Longest `@replace` replacement.
pub const MAX_REPLACEMENT_LENGTH: usize = 10;
/// Longest `@liquid` template (UTF-16 units).
pub const MAX_LIQUID_LENGTH: usize = 1000;
/// Deepest nesting of a mapping (path segments from the root) that compiles.
pub const MAX_MAPPING_DEPTH: usize = 64;
/// Deepest nesting of a value (payload or result) that resolution walks.
pub const MAX_VALUE_DEPTH: usize = 256;

/// A mapping compiled once into a tree of directives, objects, arrays and literals.
#[derive(Debug)]
pub struct Mapping {
    root: Node,
}

impl Mapping {
    /// Validates a mapping, collecting every problem (mapping-kit's messages, such as
    /// `/@path should be a string or a mapping directive but it is a boolean.`), and compiles it.
    ///
    /// A root `__segment_internal_directive` key is applied as mapping-kit does. Problems that
    /// mapping-kit only finds when resolving but that do not depend on the payload (a bad
    /// `@liquid` template, a disabled Liquid tag) are reported here too, as is nesting deeper
    /// than [`MAX_MAPPING_DEPTH`].
    pub fn compile(mapping: &Value) -> Result<Mapping, Vec<String>> {
        if nested_deeper_than(mapping, MAX_MAPPING_DEPTH) {
            // Refused before anything walks (or clones) the value recursively.
            return Err(vec![format!("mapping is nested more than {MAX_MAPPING_DEPTH} levels deep")]);
        }
        let mut compiler = Compiler::new();
        let (root, mut problems) = compiler.compile_root(mapping);
        for problem in compiler.problems {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        if problems.is_empty() {
            Ok(Mapping { root })
        } else {
            Err(problems)
        }
    }

    /// Resolves the mapping against a payload. `Ok(None)` is JS `undefined`; `undefined`
    /// members are removed from objects at every depth and `undefined` array elements become
    /// `null`, as mapping-kit's `removeUndefined` does. The payload may be any JSON value
    /// ([`transform`] requires an object).
    pub fn resolve(&self, payload: &Value) -> Result<Option<Value>, MappingError> {
        let payload = Val::from_json(payload)?;
        self.root.resolve(&payload)?.into_json()
    }
}

/// Whether a value nests arrays/objects deeper than `max` levels (checked without recursion).
fn nested_deeper_than(value: &Value, max: usize) -> bool {
    let mut pending: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth >= max {
            return true;
        }
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// Every validation problem of a mapping (empty when it is valid): what [`Mapping::compile`]
/// reports.
pub fn validate_mapping(mapping: &Value) -> Vec<String> {
    match Mapping::compile(mapping) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// mapping-kit's `transform(mapping, payload)`: the payload must be an object (`data must be
/// an object, got number`); the mapping (spread into an object like JS `{ ...mapping }`, the
/// root directive applied) is validated, then resolved; `undefined` members are removed at every
/// depth. `Ok(None)` is an `undefined` result.
pub fn transform(mapping: &Value, payload: &Value) -> Result<Option<Value>, MappingError> {
    let payload_type = validate::real_type(Some(payload));
    if payload_type != "object" {
        return Err(MappingError::new(format!("data must be an object, got {payload_type}")));
    }
    if nested_deeper_than(mapping, MAX_MAPPING_DEPTH) {
        return Err(MappingError::new(format!("mapping is nested more than {MAX_MAPPING_DEPTH} levels deep")));
    }
    let compiled = Mapping::compile(&spread(mapping)).map_err(MappingError::from_messages)?;
    compiled.resolve(payload)
}

/// An error from validating or resolving a mapping, with mapping-kit's message(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    messages: Vec<String>,
}

impl MappingError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        MappingError { messages: vec![message.into()] }
    }

    fn from_messages(messages: Vec<String>) -> Self {
        MappingError { messages }
    }

    /// Every message (validation can report several; resolution reports one).
    pub fn messages(&self) -> &[String] {
        &self.messages
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages.join("\n"))
    }
}

impl std::error::Error for MappingError {}
