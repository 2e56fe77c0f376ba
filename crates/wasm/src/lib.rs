//! The WebAssembly bindings of `astrolabe-segment`: a thin `#[wasm_bindgen]` layer over
//! [`astrolabe_segment::Destination`], and nothing decided here.
//!
//! Values cross the boundary ([`convert`]: the walk over a JS value, reporting what JSON cannot
//! carry), the library does the work, and its answer comes back as JSON text that `JSON.parse`
//! turns into plain JS objects. The package's public names (`Destination`, `map`, `mapJson`, ...)
//! are made in JS by the entries (`pkg/shared/fast.js`) from the internal `__…` functions here, and
//! `pkg/types/` (core.d.ts) describes them.
//!
//! Each way in is written once: [`answer_text`] answers text in the input buffer (`mapJson`'s, or
//! what the entries' fast path serialized with `JSON.stringify`, which is faster than the walk) and
//! [`answer_value`] answers a JS value through the walk, each for a shape the entries number as
//! [`shape_of`] does. A text answer is left in memory ([`output_address`]): a string returned the
//! wasm-bindgen way costs four calls across the boundary and a copy freed by a fifth, about
//! 0.2 µs, a twentieth of mapping a small message.
//!
//! A JS `Destination` is a handle into [`DESTINATIONS`], where identical settings share one
//! compiled Destination ([`astrolabe_segment::destination_cache`]): it owns nothing in the module,
//! so building one per request, and never freeing it, costs neither memory here nor garbage
//! collection work.
//!
//! On any target but wasm32 the crate is empty.
#![cfg(target_arch = "wasm32")]

/// The lite build's allocator: talc, which grows the module's memory as dlmalloc does, in less
/// code (its budget has no room for dlmalloc's); the builds with `speed` keep dlmalloc, which is a
/// few percent faster (docs/performance.md).
#[cfg(all(not(target_feature = "atomics"), not(feature = "speed")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "tools")]
mod check;
mod convert;
#[cfg(feature = "tools")]
mod infer;
#[cfg(feature = "tools")]
mod reader;

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use astrolabe_segment::destination_cache::{DestinationCache, IDLE_KEPT};
use astrolabe_segment::engine::Shape;
use astrolabe_segment::{Code, Config, ConfigError, MapOptions};
use convert::{batch_to_json, exact_string, parse, to_json, Converted};

thread_local! {
    /// The compiled Destinations of this instance, shared by identical settings (see
    /// [`astrolabe_segment::destination_cache`]). A JS `Destination` is a handle into it: it holds no memory of
    /// its own here, so none waits for garbage collection, however many are made and dropped.
    static DESTINATIONS: RefCell<DestinationCache> = RefCell::new(DestinationCache::new(IDLE_KEPT));
}

/// Internal: the handle of the Destination compiled from the settings whose JSON text (from
/// `JSON.stringify`, or [`config_text`]) fills the input buffer's first `length` bytes, compiled
/// now or shared with earlier ones. -1 when the text is not JSON the walk would read the same way
/// (then JS asks [`config_text`]); throws when the settings are refused.
#[wasm_bindgen(js_name = "__destinationFromText")]
pub fn destination_from_text(length: usize) -> Result<i32, JsValue> {
    let handle = with_text(length, |text| {
        DESTINATIONS.with(|cell| {
            let mut cache =
                cell.try_borrow_mut().map_err(|_| Some(js_sys::Error::new("the Destinations are in use").into()))?;
            // Read only when not compiled yet: the same text again is a lookup.
            cache.handle_for(text, || destination(serde_json::from_str(text).map_err(|_| None)?).map_err(Some))
        })
    });
    match handle? {
        Ok(handle) => i32::try_from(handle).map_err(|_| js_sys::Error::new("too many Destinations").into()),
        Err(None) => Ok(-1),
        Err(Some(error)) => Err(error),
    }
}

/// Internal: the settings as JSON text, read by the walk over the JS value (for settings that
/// `JSON.stringify` would rewrite): throws what `new Destination(config)` throws for a value that
/// is not an object or not JSON.
#[wasm_bindgen(js_name = "__configText")]
pub fn config_text(config: JsValue) -> Result<String, JsValue> {
    if config.is_undefined() || config.is_null() {
        return Ok("null".to_owned());
    }
    if !config.is_object() || config.is_function() || Array::is_array(&config) {
        return Err(not_an_object(&config));
    }
    let Converted { value, issues } = to_json(&config);
    if !issues.is_empty() {
        let listed: Vec<String> = issues.iter().map(ToString::to_string).collect();
        return Err(config_error(ConfigError::new(listed.join("; "))));
    }
    to_text(&value)
}

/// Internal: one more holder of a Destination (the JS token every `Destination` with its
/// settings shares); it is kept until released.
#[wasm_bindgen(js_name = "__holdDestination")]
pub fn hold_destination(handle: u32) {
    DESTINATIONS.with(|cell| cell.try_borrow_mut().map(|mut cache| cache.hold(handle)).ok());
}

/// Internal: the JS token of a Destination was collected.
#[wasm_bindgen(js_name = "__releaseDestination")]
pub fn release_destination(handle: u32) {
    DESTINATIONS.with(|cell| cell.try_borrow_mut().map(|mut cache| cache.release(handle)).ok());
}

/// Runs `f` on the Destination of `handle`. It is taken out of the cache first, so that a call
/// back into the module from JS (a getter during the walk) finds the cache free.
fn with_destination<T>(
    handle: u32,
    f: impl FnOnce(&astrolabe_segment::Destination) -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    let found = DESTINATIONS.with(|cell| cell.try_borrow().ok().and_then(|cache| cache.get(handle)));
    match found {
        Some(destination) => f(&destination),
        None => {
            Err(js_sys::Error::new("astrolabe-segment: internal error: this Destination is gone from the module")
                .into())
        }
    }
}

/// Internal: `destination.warnings`, what the settings of `handle` were read with a warning
/// (sentences). Only a tracking plan is, so the lite build, which has none, leaves it out.
#[cfg(feature = "tracking-plan")]
#[wasm_bindgen(js_name = "__destinationWarnings")]
pub fn destination_warnings(handle: u32) -> Result<Vec<String>, JsValue> {
    with_destination(handle, |destination| Ok(destination.warnings().to_vec()))
}

/// The shapes the entries ask for, as JS numbers them (`SHAPE` in `pkg/shared/fast.js`).
fn shape_of(code: u8) -> Result<Shape, JsValue> {
    Ok(match code {
        0 => Shape::Any,
        1 => Shape::Message,
        2 => Shape::Batch,
        3 => Shape::Validation,
        _ => return Err(js_sys::Error::new("astrolabe-segment: internal error: no such shape").into()),
    })
}

/// Internal: the answer to the input buffer's first `length` bytes read as `shape`, as JSON text
/// (see [`answered`]): `mapJson`'s text (`Shape::Any`: always an answer), or what the entries'
/// fast path serialized with `JSON.stringify` of a value given to `map`, `validate` or `mapBatch`
/// (-1 when only the walk, [`answer_value`], can answer exactly).
#[wasm_bindgen(js_name = "__answerText")]
pub fn answer_text(handle: u32, length: usize, shape: u8, options: JsValue) -> Result<i32, JsValue> {
    let answer = |dest: &astrolabe_segment::Destination| -> Result<Option<usize>, JsValue> {
        let options = map_options(&options)?;
        match shape_of(shape)? {
            Shape::Any => {
                with_input(length, |bytes| with_output(|out| dest.map_json_text_into(bytes, &options, out)))?.map(Some)
            }
            shape => {
                let answer = with_text(length, |text| dest.map_stringified(text, &options, shape))?;
                answer.map(|text| with_output(|out| *out = text)).transpose()
            }
        }
    };
    match with_destination(handle, answer)? {
        None => Ok(-1),
        Some(length) => i32::try_from(length).map_err(|_| js_sys::Error::new("the answer is over 2 GB").into()),
    }
}

/// Internal: the walk, the exact way in (its answer parsed into JS values, or `mapJson`'s text):
/// the JS `value` given to `map`, `validate` or `mapBatch` read as `shape` (each value JSON cannot
/// carry an issue at its path), or what `mapJson` was given that the input buffer cannot carry
/// (`Shape::Any`: bytes, or a string with a lone surrogate).
#[wasm_bindgen(js_name = "__answerValue")]
pub fn answer_value(handle: u32, value: JsValue, shape: u8, options: JsValue) -> Result<JsValue, JsValue> {
    with_destination(handle, |dest| {
        let options = map_options(&options)?;
        let shape = shape_of(shape)?;
        if shape == Shape::Any {
            return map_json_with(dest, &value, &options).map(JsValue::from);
        }
        let Converted { value, issues } = if shape == Shape::Batch { batch_to_json(&value) } else { to_json(&value) };
        let text = dest.answer_converted(value, issues, &options, shape);
        parse(&text)
    })
}

/// Internal: `destination.quarantine(input, meta, options)`, the quarantine records (JSONL) of a
/// request's body, a string or bytes (see `astrolabe_segment::quarantine`): `meta` is
/// `{receivedAt, route, requestId}`, `options` `{type?, takes?}`. Throws a `TypeError` on meta or
/// options it cannot read, or on input that is not text or bytes.
#[wasm_bindgen(js_name = "__quarantine")]
pub fn quarantine(handle: u32, input: JsValue, meta: JsValue, options: JsValue) -> Result<String, JsValue> {
    use astrolabe_segment::quarantine::{Meta, Options};
    let Converted { value: meta, issues } = to_json(&meta);
    let meta = match issues.first() {
        Some(issue) => return Err(type_error(&format!("quarantine meta is not JSON: {issue}"))),
        None => meta,
    };
    let meta = Meta::from_value(&meta).map_err(|problem| type_error(&problem))?;
    let options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        let Converted { value, issues } = to_json(&options);
        if !issues.is_empty() {
            return Err(type_error(Options::NOT_AN_OBJECT));
        }
        Options::from_value(&value).map_err(|problem| type_error(&problem))?
    };
    let bytes = if let Some(text) = input.as_string() {
        text.into_bytes()
    } else if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        bytes.to_vec()
    } else if let Some(buffer) = input.dyn_ref::<js_sys::ArrayBuffer>() {
        Uint8Array::new(buffer).to_vec()
    } else {
        return Err(type_error("quarantine expects the request's body: a string, a Uint8Array or an ArrayBuffer"));
    };
    with_destination(handle, |dest| Ok(dest.quarantine(&bytes, &options, &meta)))
}

thread_local! {
    /// Where JS writes input text (`TextEncoder.encodeInto`, native and fast) before a call that
    /// reads it: wasm-bindgen's own string passing copies ASCII one character at a time in JS,
    /// which cost more than mapping the message.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    /// The last answer of an internal entry, which JS reads from memory at [`output_address`]:
    /// the entry gives its length in bytes, -1 when the walk must answer instead, or throws.
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on the output buffer, where [`output_address`] finds what it writes.
fn with_output(f: impl FnOnce(&mut String)) -> Result<usize, JsValue> {
    OUTPUT.with(|cell| {
        let mut out = cell.try_borrow_mut().map_err(|_| js_sys::Error::new("the output buffer is in use"))?;
        f(&mut out);
        Ok(out.len())
    })
}

/// Internal: where the last answer of an internal entry is (its length is what the entry gave).
#[wasm_bindgen(js_name = "__outputAddress")]
pub fn output_address() -> usize {
    OUTPUT.with(|cell| cell.try_borrow().map_or(0, |text| text.as_ptr() as usize))
}

#[cfg(feature = "speed")]
thread_local! {
    /// [`output_spans`]' last answer, which JS reads from memory at [`spans_address`].
    static SPANS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Internal: how many spans of the last answer hold characters past ASCII (`0` for ASCII), kept
/// at [`spans_address`] as `[start, end, ...]`; -1 when JS decodes the answer whole
/// ([`astrolabe_segment::spans::non_ascii_spans`]). The lite build leaves it out, for its size.
#[cfg(feature = "speed")]
#[wasm_bindgen(js_name = "__outputSpans")]
pub fn output_spans() -> i32 {
    let found = OUTPUT.with(|output| {
        SPANS.with(|spans| {
            let (Ok(output), Ok(mut spans)) = (output.try_borrow(), spans.try_borrow_mut()) else { return None };
            astrolabe_segment::spans::non_ascii_spans(output.as_bytes(), &mut spans).then(|| spans.len() / 2)
        })
    });
    found.and_then(|count| i32::try_from(count).ok()).unwrap_or(-1)
}

/// Internal: where [`output_spans`] left the spans.
#[cfg(feature = "speed")]
#[wasm_bindgen(js_name = "__spansAddress")]
pub fn spans_address() -> usize {
    SPANS.with(|cell| cell.try_borrow().map_or(0, |spans| spans.as_ptr() as usize))
}

/// Internal: the address of the input buffer, made at least `capacity` bytes long. The buffer
/// only grows; JS views it through [`memory`] again after each call (growth moves it).
#[wasm_bindgen(js_name = "__inputBuffer")]
pub fn input_buffer(capacity: usize) -> Result<usize, JsValue> {
    INPUT.with(|cell| {
        let mut buffer = cell.try_borrow_mut().map_err(|_| js_sys::Error::new("the input buffer is in use"))?;
        if buffer.len() < capacity {
            buffer.resize(capacity, 0);
        }
        Ok(buffer.as_mut_ptr() as usize)
    })
}

/// Internal: this module's memory, for writing into the input buffer.
#[wasm_bindgen(js_name = "__memory")]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Runs `f` on the first `length` bytes of the input buffer.
fn with_input<T>(length: usize, f: impl FnOnce(&[u8]) -> T) -> Result<T, JsValue> {
    INPUT.with(|cell| {
        let buffer = cell.try_borrow().map_err(|_| js_sys::Error::new("the input buffer is in use"))?;
        let bytes = buffer.get(..length).ok_or_else(|| js_sys::Error::new("the input is longer than the buffer"))?;
        Ok(f(bytes))
    })
}

/// Runs `f` on the input buffer's first `length` bytes, which JS wrote from a string.
fn with_text<T>(length: usize, f: impl FnOnce(&str) -> T) -> Result<T, JsValue> {
    with_input(length, |bytes| std::str::from_utf8(bytes).map(f))?
        .map_err(|_| js_sys::Error::new("the input is not UTF-8").into())
}

/// `transform(mapping, payload?)`: mapping-kit's `transform` (`payload` defaults to `{}`). Returns
/// the mapped value (`undefined` when the mapping resolves to nothing); throws an `Error` with
/// mapping-kit's message when the mapping is invalid or cannot be applied.
#[wasm_bindgen]
pub fn transform(mapping: JsValue, payload: JsValue) -> Result<JsValue, JsValue> {
    let mapping = json_argument(&mapping, "mapping")?;
    let payload = if payload.is_undefined() {
        Value::Object(serde_json::Map::new())
    } else {
        json_argument(&payload, "payload")?
    };
    match astrolabe_segment::mapping::transform(&mapping, &payload) {
        Ok(Some(value)) => parse(&to_text(&value)?),
        Ok(None) => Ok(JsValue::UNDEFINED),
        Err(error) => Err(js_sys::Error::new(&error.to_string()).into()),
    }
}

/// `validateMapping(mapping)`: every problem of a mapping, as mapping-kit words it (`[]` when valid).
#[wasm_bindgen(js_name = validateMapping)]
pub fn validate_mapping(mapping: JsValue) -> Result<Vec<String>, JsValue> {
    Ok(astrolabe_segment::mapping::validate_mapping(&json_argument(&mapping, "mapping")?))
}

/// A JS value as JSON, or a `TypeError` listing what JSON cannot carry.
fn json_argument(value: &JsValue, name: &str) -> Result<Value, JsValue> {
    let Converted { value, issues } = to_json(value);
    if issues.is_empty() {
        return Ok(value);
    }
    let listed: Vec<String> = issues.iter().map(ToString::to_string).collect();
    Err(type_error(&format!("the {name} is not JSON: {}", listed.join("; "))))
}

/// The module's start function: gives `@liquid`'s `'now'` the host's clock, which
/// wasm32-unknown-unknown has no other way to read. Its export (`__wbindgen_start`) is also what
/// wasm-bindgen's `__wbg_reset_state` calls after re-instantiating the module, which the entries
/// do when a call traps (see `pkg/shared/fast.js`).
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "liquid")]
    astrolabe_segment::mapping::set_clock(js_sys::Date::now);
}

/// Test-only (`__forceTrap`: the entries put it on `Destination` under the registered symbol
/// `astrolabe-segment.test.forceTrap`, for their tests; it is no export, in neither the types nor
/// the README): converts `value` as a message would be, with heap references and allocations in flight,
/// then traps with `unreachable`, as a bug would under `panic = "abort"`. The JS tests use it to
/// check that the entries re-instantiate the module and that the next call works.
#[wasm_bindgen(js_name = "__forceTrap")]
pub fn force_trap(value: JsValue) {
    std::hint::black_box(to_json(&value));
    core::arch::wasm32::unreachable()
}

/// The crate's version (the entries export it as the string `version`).
#[wasm_bindgen(js_name = "__version")]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Every issue code (the entries export it as the frozen array `codes`).
#[wasm_bindgen(js_name = "__codes")]
pub fn codes() -> Vec<String> {
    Code::ALL.iter().map(|code| code.as_str().to_owned()).collect()
}

/// The Destination of settings read as JSON (`null` for the defaults).
fn destination(config: Value) -> Result<astrolabe_segment::Destination, JsValue> {
    let config = Config::from_value(config).map_err(config_error)?;
    astrolabe_segment::Destination::new(config).map_err(config_error)
}

/// A refused config as JS throws it: a `TypeError` when it is not an object at all.
fn config_error(error: ConfigError) -> JsValue {
    if error.is_not_an_object() {
        type_error(&error.to_string())
    } else {
        js_sys::Error::new(&error.to_string()).into()
    }
}

/// What a JS value that is not a plain object is, in the words of [`ConfigError::not_an_object`].
fn not_an_object(config: &JsValue) -> JsValue {
    let what = if config.is_function() {
        "a function"
    } else if Array::is_array(config) {
        "an array"
    } else if config.is_string() {
        "a string"
    } else if config.as_f64().is_some() || config.is_bigint() {
        "a number"
    } else if config.as_bool().is_some() {
        "a boolean"
    } else {
        "a symbol"
    };
    config_error(ConfigError::not_an_object(what))
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A call's options (`{ type }`), read by the crate ([`MapOptions::from_value`]); `undefined` and
/// `null` are none. A problem is a `TypeError`.
fn map_options(options: &JsValue) -> Result<MapOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(MapOptions::default());
    }
    let Converted { value, issues } = to_json(options);
    let problem = match issues.first() {
        Some(_) => String::from(MapOptions::NOT_AN_OBJECT),
        None => match MapOptions::from_value(&value) {
            Ok(options) => return Ok(options),
            Err(problem) => problem,
        },
    };
    Err(type_error(&problem))
}

fn to_text<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|error| js_sys::Error::new(&format!("internal error: {error}")).into())
}

fn map_json_with(
    dest: &astrolabe_segment::Destination,
    input: &JsValue,
    options: &MapOptions,
) -> Result<String, JsValue> {
    match exact_string(input) {
        Some(Ok(text)) => return Ok(dest.map_json_text(text.as_bytes(), options)),
        Some(Err(())) => return Ok(astrolabe_segment::Destination::unencodable_text_answer()),
        None => {}
    }
    if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        return Ok(dest.map_json_text(&bytes.to_vec(), options));
    }
    if let Some(buffer) = input.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(dest.map_json_text(&Uint8Array::new(buffer).to_vec(), options));
    }
    Err(type_error("mapJson expects JSON text: a string, a Uint8Array or an ArrayBuffer"))
}
