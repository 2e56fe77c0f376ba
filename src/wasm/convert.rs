//! JS values in, `serde_json::Value` out; outcomes out as plain JS objects.
//!
//! The walk accepts exactly what JSON can carry: strings, finite numbers, booleans, `null`, arrays
//! and objects (their own enumerable string keys). Everything else is reported as a `not_json`
//! issue at its JSON Pointer, never rewritten: `NaN`, `±Infinity`, `BigInt`, functions, symbols,
//! `undefined` at the root or in an array, strings with lone surrogates, `Map`, `Set`, typed arrays.
//! `undefined` as an object property value is an absent key, as in `JSON.stringify`. An object with
//! a `toJSON` method (a `Date`) is converted through it.
//!
//! Depth is counted as the core counts it ([`crate::input::too_deep`]): the root is level 1 (a batch
//! item is level 1 again), and the first value past [`MAX_DEPTH`] is reported as `too_deep`, once.
//! A cycle is `too_deep` too, found as soon as an object contains itself. A value with more than
//! [`MAX_VALUES`] values (shared sub-objects count each time they are reached) is `too_large`, so a
//! hostile object graph cannot make the walk run for ever.

use js_sys::{Array, ArrayBuffer, JsString, Object, Reflect, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::input::MAX_DEPTH;
use crate::{Code, Issue, Pointer};

/// Most values one conversion visits. A JSON text holds at most one value per two bytes, so
/// anything past this is far over the 500 KB batch limit and would be refused anyway.
pub const MAX_VALUES: usize = 600_000;

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
    let items = if Array::is_array(input) { "" } else { "/batch" };
    Walk::new(Code::BatchTooLarge, Some(items)).run(input)
}

struct Walk {
    issues: Vec<Issue>,
    /// The objects and arrays being walked, root first: a cycle shows up as one of them again.
    ancestors: Vec<JsValue>,
    /// How many of `ancestors` are above the current level 1 (the batch array, inside a batch item).
    origin: usize,
    /// The path of the array whose items are batch items, when converting a batch.
    items: Option<&'static str>,
    too_deep_reported: bool,
    values: usize,
    over_budget: bool,
    too_large: Code,
}

impl Walk {
    fn new(too_large: Code, items: Option<&'static str>) -> Walk {
        Walk {
            issues: Vec::new(),
            ancestors: Vec::new(),
            origin: 0,
            items,
            too_deep_reported: false,
            values: 0,
            over_budget: false,
            too_large,
        }
    }

    fn run(mut self, input: &JsValue) -> Converted {
        let value = self.value(input, &Pointer::root(), None).unwrap_or(Value::Null);
        Converted { value, issues: self.issues }
    }

    /// Reports the first value past the depth limit (or the first cycle); the core reports one too.
    fn too_deep(&mut self, path: &Pointer, message: &str) {
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.issues.push(Issue::new(Code::TooDeep, path, message));
        }
    }

    fn not_json(&mut self, path: &Pointer, message: String) {
        self.issues.push(Issue::new(Code::NotJson, path, message));
    }

    /// Converts one value. `None` means "leave the key out" (`undefined` or a function-valued
    /// `toJSON` result as a property value) and is only possible where `key` is `Some`.
    fn value(&mut self, input: &JsValue, path: &Pointer, key: Option<&str>) -> Option<Value> {
        self.values += 1;
        if self.values > MAX_VALUES {
            if !self.over_budget {
                self.over_budget = true;
                self.issues.push(Issue::new(
                    self.too_large,
                    &Pointer::root(),
                    format!("the value has more than {MAX_VALUES} values to convert (shared objects count each time)"),
                ));
            }
            return Some(Value::Null);
        }
        if input.is_object() && !input.is_function() {
            let to_json = Reflect::get(input, &JsValue::from_str("toJSON")).ok();
            if let Some(function) = to_json.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
                let argument = JsValue::from_str(key.unwrap_or(""));
                return match function.call1(input, &argument) {
                    Ok(replaced) => self.primitive_or_container(&replaced, path, key),
                    Err(error) => {
                        self.not_json(path, format!("its toJSON method threw: {}", describe_error(&error)));
                        Some(Value::Null)
                    }
                };
            }
        }
        self.primitive_or_container(input, path, key)
    }

    fn primitive_or_container(&mut self, input: &JsValue, path: &Pointer, key: Option<&str>) -> Option<Value> {
        if key.is_some() && input.is_undefined() {
            return None;
        }
        if self.ancestors.len() - self.origin + 1 > MAX_DEPTH {
            self.too_deep(path, &format!("The JSON is nested deeper than {MAX_DEPTH} levels here."));
            return Some(Value::Null);
        }
        if input.is_null() {
            return Some(Value::Null);
        }
        if let Some(flag) = input.as_bool() {
            return Some(Value::Bool(flag));
        }
        if let Some(number) = input.as_f64() {
            return Some(self.number(number, path));
        }
        if input.is_string() {
            return Some(self.string(input, path).map_or(Value::Null, Value::String));
        }
        if input.is_undefined() {
            self.not_json(path, "undefined is not JSON (only an object property may be undefined, meaning absent)".into());
            return Some(Value::Null);
        }
        if input.is_bigint() {
            self.not_json(path, "a BigInt is not JSON; pass a number or a string".into());
            return Some(Value::Null);
        }
        if input.is_symbol() {
            self.not_json(path, "a symbol is not JSON".into());
            return Some(Value::Null);
        }
        if input.is_function() {
            self.not_json(path, "a function is not JSON".into());
            return Some(Value::Null);
        }
        if !input.is_object() {
            self.not_json(path, "this value is not JSON".into());
            return Some(Value::Null);
        }
        if let Some(kind) = refused_object_kind(input) {
            self.not_json(path, format!("a {kind} is not JSON; convert it to a plain object or array first"));
            return Some(Value::Null);
        }
        if self.ancestors.iter().any(|ancestor| Object::is(ancestor, input)) {
            self.too_deep(path, "A cyclic reference: this object contains itself, so its JSON would be infinitely deep.");
            return Some(Value::Null);
        }
        self.ancestors.push(input.clone());
        let value = if Array::is_array(input) { self.array(input.unchecked_ref(), path) } else { self.object(input, path) };
        self.ancestors.pop();
        Some(value)
    }

    fn number(&mut self, number: f64, path: &Pointer) -> Value {
        if !number.is_finite() {
            let name = if number.is_nan() { "NaN" } else if number > 0.0 { "Infinity" } else { "-Infinity" };
            self.not_json(path, format!("{name} is not JSON; pass a finite number or null"));
            return Value::Null;
        }
        // Integral values become integers, as JSON text would give them: `1` stays `1`, not `1.0`.
        // Every integral f64 below 2^63 in magnitude is exactly an i64.
        const I64_BOUND: f64 = 9_223_372_036_854_775_808.0; // 2^63
        if number.fract() == 0.0 && number.abs() < I64_BOUND {
            #[allow(clippy::cast_possible_truncation)]
            let integer = number as i64;
            return Value::Number(Number::from(integer));
        }
        Number::from_f64(number).map_or(Value::Null, Value::Number)
    }

    fn string(&mut self, input: &JsValue, path: &Pointer) -> Option<String> {
        let text: &JsString = input.unchecked_ref();
        if !text.is_valid_utf16() {
            self.not_json(path, "a string with a lone surrogate cannot be encoded as UTF-8".into());
            return None;
        }
        input.as_string()
    }

    fn array(&mut self, array: &Array, path: &Pointer) -> Value {
        let length = array.length();
        let batch_items = self.items == Some(path.as_str());
        let mut items = Vec::with_capacity(usize::try_from(length).unwrap_or(0).min(4096));
        for index in 0..length {
            let item_path = path.index(usize::try_from(index).unwrap_or(usize::MAX));
            let item = array.get(index);
            // `undefined` in an array (a hole too) is an issue, reported by `value` without a key.
            let origin = self.origin;
            if batch_items {
                self.origin = self.ancestors.len();
            }
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
        let object: &Object = input.unchecked_ref();
        let keys = Object::keys(object);
        let mut map = Map::new();
        for key in keys.iter() {
            let Some(name) = self.key(&key, path) else { continue };
            let key_path = path.key(&name);
            // Reflect.get reads `__proto__` as the own property it is (Object.keys listed it).
            let item = match Reflect::get(input, &key) {
                Ok(item) => item,
                Err(error) => {
                    self.not_json(&key_path, format!("reading it threw: {}", describe_error(&error)));
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

    fn key(&mut self, key: &JsValue, path: &Pointer) -> Option<String> {
        let text: &JsString = key.unchecked_ref();
        if !text.is_valid_utf16() {
            let shown = key.as_string().unwrap_or_default();
            self.not_json(&path.key(&shown), "a key with a lone surrogate cannot be encoded as UTF-8".into());
            return None;
        }
        key.as_string()
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
