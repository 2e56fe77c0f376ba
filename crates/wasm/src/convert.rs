//! JS values in, `serde_json::Value` out; outcomes out as plain JS objects.
//!
//! The walk accepts exactly what JSON can carry: strings, finite numbers, booleans, `null`, arrays
//! and objects (their own enumerable string keys). Everything else is reported as a `not_json`
//! issue at its JSON Pointer, never rewritten: `NaN`, `±Infinity`, `BigInt`, functions, symbols,
//! `undefined` at the root or in an array, strings with lone surrogates, `Map`, `Set`, typed arrays.
//! `undefined` as an object property value is an absent key, as in `JSON.stringify`. An object with
//! a `toJSON` method (a `Date`) is converted through it.
//!
//! Depth is counted as the core counts it (`engine::scan`'s depth): the root is level 1 (a batch
//! item is level 1 again), and the first value past [`MAX_DEPTH`] is reported as `too_deep`, once.
//! A cycle is `too_deep` too, found as soon as an object contains itself. A value with more than
//! [`MAX_VALUES`] values (shared sub-objects count each time they are reached) is `too_large`, so a
//! hostile object graph cannot make the walk run for ever.

use js_sys::{Array, ArrayBuffer, JsString, Object, Reflect, JSON};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use astrolabe_segment::input::MAX_DEPTH;
use astrolabe_segment::{Code, Issue, Pointer};

// The walk's reads that a Proxy can make throw (a revoked one, or a trap that throws), imported
// with `catch`: an exception must never unwind through the module, and the value that threw is
// reported as `not_json` at its path, like a getter that throws.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn try_is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn try_prototype(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn try_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// Most values one conversion visits. A JSON text holds at most one value per two bytes, so
/// anything past this is far over the 500 KB batch limit and would be refused anyway. The
/// package's `limits.jsValues` is written from it by scripts/write-entries.mjs.
pub const MAX_VALUES: usize = 300_000;

/// A JS value converted to JSON, with every problem found on the way.
pub struct Converted {
    /// The value; a place that could not be converted holds `null`.
    pub value: Value,
    /// Every `not_json`, `too_deep` and `too_large` issue, in document order.
    pub issues: Vec<Issue>,
}

/// Converts `input`; issue paths are JSON Pointers from `input` down.
pub fn to_json(input: &JsValue) -> Converted {
    Walk::new(Code::TooLarge, None).run(input)
}

/// Converts a batch: `{"batch": [...]}` or an array, whose items count their depth from 1.
pub fn batch_to_json(input: &JsValue) -> Converted {
    let items = if try_is_array(input).unwrap_or(false) { "" } else { "/batch" };
    Walk::new(Code::BatchTooLarge, Some(items)).run(input)
}

/// The Rust text of a JS string, or `None` when it has a lone surrogate (which UTF-8 cannot
/// encode; the lossy conversion would have turned it into U+FFFD, so only then is it checked).
pub fn exact_string(input: &JsValue) -> Option<Result<String, ()>> {
    let text = input.as_string()?;
    if text.contains('\u{FFFD}') && !input.unchecked_ref::<JsString>().is_valid_utf16() {
        return Some(Err(()));
    }
    Some(Ok(text))
}

struct Walk {
    issues: Vec<Issue>,
    /// The objects and arrays being walked: a cycle shows up as one of them again.
    ancestors: js_sys::Set,
    /// How many objects and arrays are being walked (the level of their children, less one).
    depth: usize,
    /// The `depth` at which the current level 1 starts (a batch item starts again at 1).
    origin: usize,
    /// The path of the array whose items are batch items, when converting a batch.
    items: Option<&'static str>,
    too_deep_reported: bool,
    values: usize,
    over_budget: bool,
    too_large: Code,
    to_json_key: JsValue,
    object_prototype: JsValue,
}

impl Walk {
    fn new(too_large: Code, items: Option<&'static str>) -> Walk {
        Walk {
            issues: Vec::new(),
            ancestors: js_sys::Set::new(&JsValue::UNDEFINED),
            depth: 0,
            origin: 0,
            items,
            too_deep_reported: false,
            values: 0,
            over_budget: false,
            too_large,
            to_json_key: JsValue::from_str("toJSON"),
            object_prototype: Object::get_prototype_of(&Object::new()).into(),
        }
    }

    fn run(mut self, input: &JsValue) -> Converted {
        let value = self.value(input, &Pointer::root(), None).unwrap_or(Value::Null);
        Converted { value, issues: self.issues }
    }

    fn not_json(&mut self, path: &Pointer, message: String) {
        self.issues.push(Issue::new(Code::NotJson, path, message));
    }

    /// Reports the first value past the depth limit (or the first cycle); the core reports one too.
    fn too_deep(&mut self, path: &Pointer, message: &str) {
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.issues.push(Issue::new(Code::TooDeep, path, message));
        }
    }

    /// Converts one value. `None` means "leave the key out" (`undefined` as a property value, or a
    /// `toJSON` that returns `undefined`), and is only possible where `key` is `Some`.
    fn value(&mut self, input: &JsValue, path: &Pointer, key: Option<&str>) -> Option<Value> {
        self.values += 1;
        if self.values > MAX_VALUES {
            if !self.over_budget {
                self.over_budget = true;
                self.issues.push(Issue::new(
                    self.too_large,
                    &Pointer::root(),
                    format!("The value has more than {MAX_VALUES} values to convert (a shared object counts each time it is reached)."),
                ));
            }
            return Some(Value::Null);
        }
        if input.is_object() {
            let to_json = Reflect::get(input, &self.to_json_key).unwrap_or(JsValue::UNDEFINED);
            if let Some(function) = to_json.dyn_ref::<js_sys::Function>() {
                let argument = JsValue::from_str(key.unwrap_or(""));
                return match function.call1(input, &argument) {
                    Ok(replaced) => self.after_to_json(&replaced, path, key),
                    Err(error) => {
                        let thrown = describe_error(&error);
                        self.not_json(
                            path,
                            format!("Its toJSON method threw: {}", astrolabe_segment::quote::truncated(&thrown)),
                        );
                        Some(Value::Null)
                    }
                };
            }
        }
        self.after_to_json(input, path, key)
    }

    fn after_to_json(&mut self, input: &JsValue, path: &Pointer, key: Option<&str>) -> Option<Value> {
        if key.is_some() && input.is_undefined() {
            return None;
        }
        if let Some(text) = exact_string(input) {
            return Some(match text {
                Ok(text) => Value::String(text),
                Err(()) => {
                    self.not_json(path, "A string with a lone surrogate cannot be encoded as UTF-8.".into());
                    Value::Null
                }
            });
        }
        if let Some(number) = input.as_f64() {
            return Some(self.number(number, path));
        }
        if input.is_object() {
            return Some(self.container(input, path));
        }
        if input.is_null() {
            return Some(Value::Null);
        }
        if let Some(flag) = input.as_bool() {
            return Some(Value::Bool(flag));
        }
        let what = if input.is_undefined() {
            "undefined is not JSON (only an object property may be undefined, meaning absent)."
        } else if input.is_bigint() {
            "A BigInt is not JSON; pass a number or a string."
        } else if input.is_symbol() {
            "A symbol is not JSON."
        } else if input.is_function() {
            "A function is not JSON."
        } else {
            "This value is not JSON."
        };
        self.not_json(path, what.into());
        Some(Value::Null)
    }

    fn container(&mut self, input: &JsValue, path: &Pointer) -> Value {
        // Only objects and arrays add a level, as the core counts (the scanner's depth).
        if self.depth - self.origin + 1 > MAX_DEPTH {
            self.too_deep(path, &format!("The JSON is nested deeper than {MAX_DEPTH} levels here."));
            return Value::Null;
        }
        let read = try_is_array(input).and_then(|is_array| match is_array {
            true => Ok((true, JsValue::NULL)),
            false => try_prototype(input).map(|prototype| (false, prototype)),
        });
        let (is_array, prototype) = match read {
            Ok(read) => read,
            Err(error) => {
                self.threw(path, &error);
                return Value::Null;
            }
        };
        if !is_array && prototype != self.object_prototype && !prototype.is_null() {
            if let Some(kind) = refused_object_kind(input) {
                self.not_json(path, format!("A {kind} is not JSON; convert it to a plain object or array first."));
                return Value::Null;
            }
        }
        if self.ancestors.has(input) {
            self.too_deep(
                path,
                "A cyclic reference: this object contains itself, so its JSON would be infinitely deep.",
            );
            return Value::Null;
        }
        self.ancestors.add(input);
        self.depth += 1;
        let value = if is_array { self.array(input.unchecked_ref(), path) } else { self.object(input, path) };
        self.depth -= 1;
        self.ancestors.delete(input);
        value
    }

    fn number(&mut self, number: f64, path: &Pointer) -> Value {
        if !number.is_finite() {
            let name = if number.is_nan() {
                "NaN"
            } else if number > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            self.not_json(path, format!("{name} is not JSON; pass a finite number or null."));
            return Value::Null;
        }
        // As JSON.stringify writes it, so map(value) and mapJson(JSON.stringify(value)) agree.
        astrolabe_segment::js_number::json_number(number).map_or(Value::Null, Value::Number)
    }

    /// A read of the value at `path` threw (a getter, a Proxy's trap): `not_json` there.
    fn threw(&mut self, path: &Pointer, error: &JsValue) {
        let thrown = describe_error(error);
        self.not_json(path, format!("Reading it threw: {}", astrolabe_segment::quote::truncated(&thrown)));
    }

    fn array(&mut self, array: &Array, path: &Pointer) -> Value {
        let length = match Reflect::get(array, &JsValue::from_str("length")) {
            Ok(length) => length
                .as_f64()
                .filter(|length| *length >= 0.0)
                .map_or(0, |length| length.min(f64::from(u32::MAX)) as u32),
            Err(error) => {
                self.threw(path, &error);
                return Value::Null;
            }
        };
        let batch_items = self.items == Some(path.as_str());
        let mut items = Vec::with_capacity(usize::try_from(length).unwrap_or(0).min(4096));
        for index in 0..length {
            let item_path = path.index(usize::try_from(index).unwrap_or(usize::MAX));
            let item = match Reflect::get_u32(array, index) {
                Ok(item) => item,
                Err(error) => {
                    self.threw(&item_path, &error);
                    items.push(Value::Null);
                    continue;
                }
            };
            let origin = self.origin;
            if batch_items {
                self.origin = self.depth;
            }
            // `undefined` in an array (a hole too) is an issue, reported by `value` without a key.
            let converted = self.value(&item, &item_path, None).unwrap_or(Value::Null);
            self.origin = origin;
            items.push(converted);
            if self.over_budget {
                break;
            }
        }
        Value::Array(items)
    }

    fn object(&mut self, input: &JsValue, path: &Pointer) -> Value {
        let keys = match try_keys(input) {
            Ok(keys) => keys,
            Err(error) => {
                self.threw(path, &error);
                return Value::Null;
            }
        };
        let mut map = Map::new();
        for key in keys.iter() {
            let name = match exact_string(&key) {
                Some(Ok(name)) => name,
                _ => {
                    let shown = key.as_string().unwrap_or_default();
                    self.not_json(&path.key(&shown), "A key with a lone surrogate cannot be encoded as UTF-8.".into());
                    continue;
                }
            };
            let key_path = path.key(&name);
            // Reflect.get reads `__proto__` as the own property it is (Object.keys listed it).
            let item = match Reflect::get(input, &key) {
                Ok(item) => item,
                Err(error) => {
                    self.threw(&key_path, &error);
                    continue;
                }
            };
            if let Some(converted) = self.value(&item, &key_path, Some(&name)) {
                map.insert(name, converted);
            }
            if self.over_budget {
                break;
            }
        }
        Value::Object(map)
    }
}

/// Objects that `JSON.stringify` would silently turn into `{}` (or worse): refused by name.
fn refused_object_kind(input: &JsValue) -> Option<&'static str> {
    if input.is_instance_of::<js_sys::Map>() {
        Some("Map")
    } else if input.is_instance_of::<js_sys::Set>() {
        Some("Set")
    } else if input.is_instance_of::<js_sys::WeakMap>() {
        Some("WeakMap")
    } else if input.is_instance_of::<js_sys::WeakSet>() {
        Some("WeakSet")
    } else if input.is_instance_of::<ArrayBuffer>() || ArrayBuffer::is_view(input) {
        Some("binary buffer")
    } else if input.is_instance_of::<js_sys::Promise>() {
        Some("Promise")
    } else {
        None
    }
}

/// The message of a thrown value, for an issue's sentence.
pub fn describe_error(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error.as_string().unwrap_or_else(|| "a non-Error value".to_owned())
}

/// JSON text made by serde_json, as a plain JS value: `JSON.parse` makes own data properties, so a
/// `__proto__` key in a trait stays a trait and never reaches a prototype.
pub fn parse(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}
