//! The promise of `astrolabe-segment diff`, on random plans: when it finds no breaking change, no
//! message gets a worse answer from the new plan than from the old one. In particular no message
//! the old plan accepted (no issue at all) gets an issue or loses a property under the new one.
//!
//! An old plan is drawn over the keywords diff sorts (type, required, enum, minimum, maximum and
//! their exclusive forms, multipleOf, minLength, maxLength, pattern, format, additionalProperties,
//! nested properties), with its settings; the new plan is the old one changed a few times (a
//! keyword tightened or loosened, a property or an event's rule added or removed, a setting
//! changed). Messages are drawn from the old plan's schemas, mostly valid, near the bounds, with
//! extra keys and wrong values now and then, and each is checked by the engine's `TrackingPlan`
//! under both plans. The test fails if the draw makes too few messages the old plan accepts, or
//! too few pairs without a breaking change: the property would then hold for want of cases.
#![cfg(feature = "tools")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::cell::RefCell;
use std::collections::BTreeMap;

use astrolabe_segment::plan::diff::PlanDiff;
use astrolabe_segment::plan::{PlanCheck, TrackingPlan};
use astrolabe_segment::{CallType, Pointer};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

const NAMES: [&str; 4] = ["a", "b", "c", "d"];
const NESTED: [&str; 2] = ["x", "y"];
const EVENTS: [&str; 3] = ["A", "B", "C"];
const STRINGS: [&str; 10] = ["", "a", "ab", "abc", "abcdef", "b@x.io", "2020-01-01T00:00:00Z", "zz", "cab", "a b"];
const NUMBERS: [f64; 16] = [-3.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 10.0, 100.0];
const PATTERNS: [&str; 3] = ["^a", "^[a-c]+$", "b"];
const FORMATS: [&str; 2] = ["email", "date-time"];
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "null", "array"];
const SETTINGS: [(&str, &[&str]); 3] = [
    ("unplannedEvents", &["allow", "warn", "block"]),
    ("violations", &["allow", "omitProperties", "block"]),
    ("unplannedProperties", &["allow", "omit"]),
];

// ---- Schemas ------------------------------------------------------------------------------------

fn string_leaf() -> impl Strategy<Value = Value> {
    (
        prop::option::of(0u8..3),
        prop::option::of(2u8..7),
        prop::option::of(prop::sample::select(PATTERNS.to_vec())),
        prop::option::of(prop::sample::select(FORMATS.to_vec())),
        prop::option::of(prop::sample::subsequence(vec!["a", "ab", "abc", "b@x.io", "zz"], 1..4)),
    )
        .prop_map(|(min, max, pattern, format, values)| {
            let mut schema = json!({"type": "string"});
            if let Some(min) = min {
                schema["minLength"] = json!(min);
            }
            if let Some(max) = max {
                schema["maxLength"] = json!(max);
            }
            if let Some(pattern) = pattern {
                schema["pattern"] = json!(pattern);
            }
            if let Some(format) = format {
                schema["format"] = json!(format);
            }
            if let Some(values) = values {
                schema["enum"] = json!(values);
            }
            schema
        })
}

fn number_leaf() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["number", "integer"]),
        prop::option::of(-2i8..5),
        prop::option::of(0i8..9),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![json!(1), json!(2), json!(0.5)])),
        prop::option::of(prop::sample::subsequence(vec![json!(0), json!(1), json!(2), json!(2.5), json!(5)], 1..4)),
    )
        .prop_map(|(kind, min, max, exclusive, multiple, values)| {
            let mut schema = json!({"type": kind});
            let (low, high) = if exclusive { ("exclusiveMinimum", "exclusiveMaximum") } else { ("minimum", "maximum") };
            if let Some(min) = min {
                schema[low] = json!(min);
            }
            if let Some(max) = max {
                schema[high] = json!(max);
            }
            if let Some(multiple) = multiple {
                schema["multipleOf"] = multiple;
            }
            if let Some(values) = values {
                schema["enum"] = json!(values);
            }
            schema
        })
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => string_leaf(),
        3 => number_leaf(),
        1 => prop::sample::select(vec![json!({"type": "boolean"}), json!({"type": ["boolean", "null"]}), json!({}), json!({"description": "anything"})]),
    ]
}

fn additional() -> impl Strategy<Value = Option<Value>> {
    prop::sample::select(vec![None, None, Some(json!(false)), Some(json!(true)), Some(json!({"type": "string"}))])
}

/// An object schema: some of `names`, each a leaf (or, on top, an object of its own), some of
/// them required, and maybe `additionalProperties`.
fn object(names: &'static [&'static str], nested: bool) -> BoxedStrategy<Value> {
    let property = if nested { prop_oneof![4 => leaf(), 1 => object(&NESTED, false)].boxed() } else { leaf().boxed() };
    (
        prop::collection::vec((prop::sample::select(names.to_vec()), property), 0..=names.len()),
        prop::sample::subsequence(names.to_vec(), 0..=2),
        additional(),
    )
        .prop_map(|(properties, required, rest)| {
            let mut map = Map::new();
            for (name, schema) in properties {
                map.insert(name.to_owned(), schema);
            }
            let mut schema = json!({"type": "object", "properties": map});
            if !required.is_empty() {
                schema["required"] = json!(required);
            }
            if let Some(rest) = rest {
                schema["additionalProperties"] = rest;
            }
            schema
        })
        .boxed()
}

// ---- Plans and their changes --------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Plan {
    /// Each event's properties schema.
    events: BTreeMap<&'static str, Value>,
    /// The index of each setting's value in SETTINGS.
    settings: [usize; 3],
}

impl Plan {
    fn json(&self) -> Value {
        let rules: Vec<Value> = self
            .events
            .iter()
            .map(|(event, properties)| {
                json!({"type": "TRACK", "key": event, "jsonSchema": {"properties": {"properties": properties}}})
            })
            .collect();
        let mut plan = json!({"rules": rules});
        for (at, (key, values)) in SETTINGS.iter().enumerate() {
            plan[*key] = json!(values[self.settings[at] % values.len()]);
        }
        plan
    }
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::btree_map(prop::sample::select(EVENTS[..2].to_vec()), object(&NAMES, true), 1..=2),
        [0usize..3, 0usize..3, 0usize..2],
    )
        .prop_map(|(events, settings)| Plan { events, settings })
}

#[derive(Debug, Clone)]
enum Mutation {
    Type(u8),
    Required(u8),
    EnumAdd(Value),
    EnumRemove(u8),
    EnumDrop,
    Bound(u8, Option<i8>),
    /// A bound made exclusive, or inclusive, at the same value.
    Exclusive,
    Pattern(Option<u8>),
    Format(Option<u8>),
    Additional(Option<Value>),
    AddProperty(u8, Value),
    RemoveProperty,
    Describe,
    AddEvent(u8, Value),
    RemoveEvent,
    Setting(u8, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<u8>().prop_map(Mutation::Type),
        1 => any::<u8>().prop_map(Mutation::Required),
        1 => prop::sample::select(vec![json!("a"), json!("zz"), json!("b@x.io"), json!(0), json!(2.5), json!(7)]).prop_map(Mutation::EnumAdd),
        1 => any::<u8>().prop_map(Mutation::EnumRemove),
        1 => Just(Mutation::EnumDrop),
        3 => (any::<u8>(), prop::option::of(-3i8..10)).prop_map(|(keyword, value)| Mutation::Bound(keyword, value)),
        1 => Just(Mutation::Exclusive),
        1 => prop::option::of(any::<u8>()).prop_map(Mutation::Pattern),
        1 => prop::option::of(any::<u8>()).prop_map(Mutation::Format),
        1 => additional().prop_map(Mutation::Additional),
        1 => (any::<u8>(), leaf()).prop_map(|(name, leaf)| Mutation::AddProperty(name, leaf)),
        1 => Just(Mutation::RemoveProperty),
        1 => Just(Mutation::Describe),
        1 => (any::<u8>(), object(&NAMES, false)).prop_map(|(name, schema)| Mutation::AddEvent(name, schema)),
        1 => Just(Mutation::RemoveEvent),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(which, to)| Mutation::Setting(which, to)),
    ]
}

/// The JSON Pointers of the schemas under an object schema: its properties' (and theirs).
fn places(schema: &Value, at: &str, leaves: &mut Vec<String>, objects: &mut Vec<String>) {
    objects.push(at.to_owned());
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, child) in properties {
            let here = format!("{at}/properties/{name}");
            if child.get("type") == Some(&json!("object")) {
                places(child, &here, leaves, objects);
            } else {
                leaves.push(here);
            }
        }
    }
}

/// Applies `mutation` to the event `target` picks (and the leaf or object `pick` picks in it).
fn apply(plan: &mut Plan, (target, pick, mutation): &(u8, u8, Mutation)) {
    let events: Vec<&'static str> = plan.events.keys().copied().collect();
    match mutation {
        Mutation::AddEvent(name, schema) => {
            plan.events.insert(EVENTS[usize::from(*name) % EVENTS.len()], schema.clone());
            return;
        }
        Mutation::RemoveEvent => {
            if let Some(event) = events.get(usize::from(*target) % events.len().max(1)) {
                plan.events.remove(event);
            }
            return;
        }
        Mutation::Setting(which, to) => {
            let which = usize::from(*which) % 3;
            plan.settings[which] = usize::from(*to) % SETTINGS[which].1.len();
            return;
        }
        _ => {}
    }
    let Some(event) = events.get(usize::from(*target) % events.len().max(1)) else { return };
    let Some(schema) = plan.events.get_mut(event) else { return };
    let (mut leaves, mut objects) = (Vec::new(), Vec::new());
    places(schema, "", &mut leaves, &mut objects);
    let object = objects[usize::from(*pick) % objects.len()].clone();
    // A keyword about numbers goes to a number's schema, one about strings to a string's, when
    // there is one: changes that cannot matter prove little.
    let wants = |kind: &str| match mutation {
        Mutation::Bound(keyword, _) if usize::from(*keyword) % 7 >= 4 && usize::from(*keyword) % 7 <= 5 => {
            kind == "string"
        }
        Mutation::Bound(..) | Mutation::Exclusive => kind == "number" || kind == "integer",
        Mutation::Pattern(_) | Mutation::Format(_) => kind == "string",
        _ => true,
    };
    let fitting: Vec<&String> = leaves
        .iter()
        .filter(|pointer| {
            schema.pointer(pointer).and_then(|leaf| leaf.get("type")).and_then(Value::as_str).is_some_and(wants)
        })
        .collect();
    let leaf = match (fitting.is_empty(), leaves.is_empty()) {
        (false, _) => Some(fitting[usize::from(*pick) % fitting.len()].clone()),
        (true, false) => Some(leaves[usize::from(*pick) % leaves.len()].clone()),
        (true, true) => None,
    };
    let on_leaf = |schema: &mut Value, edit: &mut dyn FnMut(&mut Map<String, Value>)| {
        if let Some(map) =
            leaf.as_deref().and_then(|pointer| schema.pointer_mut(pointer)).and_then(Value::as_object_mut)
        {
            edit(map);
        }
    };
    let on_object = |schema: &mut Value, edit: &mut dyn FnMut(&mut Map<String, Value>)| {
        if let Some(map) = schema.pointer_mut(&object).and_then(Value::as_object_mut) {
            edit(map);
        }
    };
    match mutation {
        Mutation::Type(to) => on_leaf(schema, &mut |map| {
            let to = usize::from(*to) % (TYPES.len() + 2);
            match TYPES.get(to) {
                Some(kind) => map.insert("type".into(), json!(kind)),
                None if to == TYPES.len() => map.insert("type".into(), json!(["number", "string"])),
                None => map.remove("type"),
            };
        }),
        Mutation::Required(name) => on_object(schema, &mut |map| {
            let names = if object.is_empty() { &NAMES[..] } else { &NESTED[..] };
            let name = json!(names[usize::from(*name) % names.len()]);
            let mut required: Vec<Value> = map.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            if let Some(at) = required.iter().position(|known| *known == name) {
                required.remove(at);
            } else {
                required.push(name);
            }
            if required.is_empty() {
                map.remove("required");
            } else {
                map.insert("required".into(), json!(required));
            }
        }),
        Mutation::EnumAdd(value) => on_leaf(schema, &mut |map| {
            let mut values = map.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
            if !values.contains(value) {
                values.push(value.clone());
            }
            map.insert("enum".into(), json!(values));
        }),
        Mutation::EnumRemove(at) => on_leaf(schema, &mut |map| {
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                if values.len() > 1 {
                    values.remove(usize::from(*at) % values.len());
                }
            }
        }),
        Mutation::EnumDrop => on_leaf(schema, &mut |map| {
            map.remove("enum");
        }),
        Mutation::Bound(keyword, value) => on_leaf(schema, &mut |map| {
            const KEYWORDS: [&str; 7] =
                ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "multipleOf"];
            // Half the time a keyword the schema has: plans change their bounds more than they add them.
            let present: Vec<&str> = KEYWORDS.iter().copied().filter(|known| map.contains_key(*known)).collect();
            let keyword = match present.get(usize::from(*keyword / 2) % present.len().max(1)) {
                Some(known) if keyword % 2 == 0 => known,
                _ => KEYWORDS[usize::from(*keyword) % KEYWORDS.len()],
            };
            match value {
                None => {
                    map.remove(keyword);
                }
                Some(value) if keyword == "multipleOf" => {
                    map.insert(
                        keyword.into(),
                        [json!(1), json!(2), json!(3), json!(0.5)][usize::from(value.unsigned_abs()) % 4].clone(),
                    );
                }
                Some(value) if keyword.ends_with("Length") => {
                    map.insert(keyword.into(), json!(value.unsigned_abs()));
                }
                Some(value) => {
                    map.insert(keyword.into(), json!(value));
                }
            }
        }),
        Mutation::Exclusive => on_leaf(schema, &mut |map| {
            for (plain, strict) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
                if let Some(value) = map.remove(plain) {
                    map.insert(strict.into(), value);
                } else if let Some(value) = map.remove(strict) {
                    map.insert(plain.into(), value);
                }
            }
        }),
        Mutation::Pattern(to) => on_leaf(schema, &mut |map| match to {
            Some(to) => {
                map.insert("pattern".into(), json!(PATTERNS[usize::from(*to) % PATTERNS.len()]));
            }
            None => {
                map.remove("pattern");
            }
        }),
        Mutation::Format(to) => on_leaf(schema, &mut |map| match to {
            Some(to) => {
                map.insert("format".into(), json!(FORMATS[usize::from(*to) % FORMATS.len()]));
            }
            None => {
                map.remove("format");
            }
        }),
        Mutation::Additional(rest) => on_object(schema, &mut |map| match rest {
            Some(rest) => {
                map.insert("additionalProperties".into(), rest.clone());
            }
            None => {
                map.remove("additionalProperties");
            }
        }),
        Mutation::AddProperty(name, leaf) => on_object(schema, &mut |map| {
            let names = if object.is_empty() { &NAMES[..] } else { &NESTED[..] };
            let name = names[usize::from(*name) % names.len()];
            if let Value::Object(properties) = map.entry("properties").or_insert_with(|| json!({})) {
                properties.insert(name.to_owned(), leaf.clone());
            }
        }),
        Mutation::RemoveProperty => on_object(schema, &mut |map| {
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                let names: Vec<String> = properties.keys().cloned().collect();
                if let Some(name) = names.get(usize::from(*pick) % names.len().max(1)) {
                    properties.remove(name);
                }
            }
        }),
        Mutation::Describe => on_leaf(schema, &mut |map| {
            map.insert("description".into(), json!(format!("changed {pick}")));
        }),
        Mutation::AddEvent(..) | Mutation::RemoveEvent | Mutation::Setting(..) => {}
    }
}

// ---- Messages -----------------------------------------------------------------------------------

/// SplitMix64: messages drawn from a schema need choices proptest's strategies cannot make
/// (they depend on the schema drawn).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len())).cloned()
        }
    }
}

/// A value of no particular kind.
fn anything(rng: &mut Rng) -> Value {
    match rng.below(5) {
        0 => json!(rng.pick(&STRINGS).unwrap_or_default()),
        1 => json!(rng.pick(&NUMBERS).unwrap_or_default()),
        2 => json!(rng.chance(50)),
        3 => Value::Null,
        _ => json!([1, "a"]),
    }
}

/// Whether `text` passes the pattern and format the test uses (so draws can aim at valid values).
fn passes_text(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
    let pattern = match schema.get("pattern").and_then(Value::as_str) {
        Some("^a") => text.starts_with('a'),
        Some("^[a-c]+$") => !text.is_empty() && text.chars().all(|ch| ('a'..='c').contains(&ch)),
        Some("b") => text.contains('b'),
        _ => true,
    };
    let format = match schema.get("format").and_then(Value::as_str) {
        Some("email") => text == "b@x.io",
        Some("date-time") => text == "2020-01-01T00:00:00Z",
        _ => true,
    };
    (min..=max).contains(&length) && pattern && format
}

fn passes_number(schema: &Value, number: f64) -> bool {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let integer = schema.get("type") != Some(&json!("integer")) || number.fract() == 0.0;
    let multiple = bound("multipleOf").is_none_or(|of| (number / of).fract() == 0.0);
    integer
        && multiple
        && bound("minimum").is_none_or(|min| number >= min)
        && bound("maximum").is_none_or(|max| number <= max)
        && bound("exclusiveMinimum").is_none_or(|min| number > min)
        && bound("exclusiveMaximum").is_none_or(|max| number < max)
}

/// Whether `value` passes a leaf schema of the test's kinds (a draw aims at such values; the
/// engine decides in the end).
fn fits(schema: &Value, value: &Value) -> bool {
    let kinds: Vec<&str> = match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => vec!["string", "number", "integer", "boolean", "null", "array", "object"],
    };
    let typed = match value {
        Value::String(text) => kinds.contains(&"string") && passes_text(schema, text),
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or(f64::NAN);
            (kinds.contains(&"number") || (kinds.contains(&"integer") && number.fract() == 0.0))
                && passes_number(schema, number)
        }
        Value::Bool(_) => kinds.contains(&"boolean"),
        Value::Null => kinds.contains(&"null"),
        Value::Array(_) => kinds.contains(&"array"),
        Value::Object(_) => kinds.contains(&"object"),
    };
    let listed = schema.get("enum").and_then(Value::as_array).is_none_or(|values| values.contains(value));
    typed && listed
}

/// A value drawn from `schema`: valid most of the time (at a bound as often as not), sometimes
/// not; `None` when no value the draw knows fits.
fn draw(schema: &Value, rng: &mut Rng) -> Option<Value> {
    if rng.chance(4) {
        return Some(anything(rng));
    }
    if schema.get("type") == Some(&json!("object")) {
        return Some(draw_object(schema, rng));
    }
    let candidates: Vec<Value> = match schema.get("enum") {
        Some(Value::Array(values)) => values.clone(),
        _ => STRINGS
            .iter()
            .map(|text| json!(text))
            .chain(
                NUMBERS.iter().map(|number| if number.fract() == 0.0 { json!(*number as i64) } else { json!(number) }),
            )
            .chain([json!(true), json!(false), Value::Null])
            .collect(),
    };
    let fitting: Vec<Value> = candidates.iter().filter(|value| fits(schema, value)).cloned().collect();
    if rng.chance(90) {
        return rng.pick(&fitting);
    }
    rng.pick(&candidates)
}

/// An object drawn from an object schema: each property most of the time (a required one
/// always), an extra key now and then.
fn draw_object(schema: &Value, rng: &mut Rng) -> Value {
    let mut out = Map::new();
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, child) in properties {
            if required.contains(&name.as_str()) || rng.chance(80) {
                if let Some(value) = draw(child, rng) {
                    out.insert(name.clone(), value);
                }
            }
        }
    }
    for name in required {
        if !out.contains_key(name) && rng.chance(95) {
            out.insert(name.to_owned(), anything(rng));
        }
    }
    if rng.chance(15) {
        out.insert(["z", "a", "d", "x"][rng.below(4)].to_owned(), anything(rng));
    }
    Value::Object(out)
}

/// A track message for one of the events (one the old plan may not have).
fn message(old: &Plan, rng: &mut Rng) -> Value {
    let planned: Vec<&str> = old.events.keys().copied().collect();
    let event =
        if rng.chance(90) { rng.pick(&planned) } else { None }.unwrap_or_else(|| EVENTS[rng.below(EVENTS.len())]);
    let schema = old.events.get(event).cloned().unwrap_or_else(|| json!({"type": "object", "properties": {"a": {}}}));
    json!({"type": "track", "event": event, "userId": "u1", "properties": draw_object(&schema, rng)})
}

// ---- The property -------------------------------------------------------------------------------

fn check(plan: &TrackingPlan, message: &Value) -> PlanCheck {
    plan.check(message, CallType::Track, message["event"].as_str(), &Pointer::root())
}

fn clean(check: &PlanCheck) -> bool {
    check.errors.is_empty() && check.warnings.is_empty() && check.omit.is_empty()
}

/// Whether `new` is no worse than `old`: not refused unless `old` was; no property dropped that
/// `old` kept; no warning where `old` had none.
fn no_worse(old: &PlanCheck, new: &PlanCheck) -> bool {
    if !old.errors.is_empty() {
        return true;
    }
    new.errors.is_empty()
        && new.omit.iter().all(|key| old.omit.contains(key))
        && (new.warnings.is_empty() || !old.warnings.is_empty())
}

#[derive(Debug, Default)]
struct Figures {
    pairs: u64,
    unbroken: u64,
    /// Of those, the pairs with an additive change (not only neutral ones, or none).
    loosened: u64,
    messages: u64,
    accepted: u64,
    unbroken_messages: u64,
    unbroken_accepted: u64,
    /// Pairs called breaking where some drawn message did get a worse answer.
    confirmed: u64,
}

#[test]
fn no_breaking_change_means_no_message_gets_a_worse_answer() {
    const MESSAGES: usize = 24;
    let cases = std::env::var("PLAN_DIFF_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(2048);
    let figures = RefCell::new(Figures::default());
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let strategy = (plan(), prop::collection::vec((any::<u8>(), any::<u8>(), mutation()), 0..=3), any::<u64>());
    let result = runner.run(&strategy, |(old, mutations, seed)| {
        let mut new = old.clone();
        for mutation in &mutations {
            apply(&mut new, mutation);
        }
        let (old_json, new_json) = (old.json(), new.json());
        let diff = PlanDiff::between(&old_json, &new_json).map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        let old_plan = TrackingPlan::compile(&old_json).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let new_plan = TrackingPlan::compile(&new_json).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let mut rng = Rng(seed);
        let mut figures = figures.borrow_mut();
        figures.pairs += 1;
        let unbroken = !diff.is_breaking();
        figures.unbroken += u64::from(unbroken);
        figures.loosened += u64::from(unbroken && !diff.additive.is_empty());
        let mut worse = false;
        for _ in 0..MESSAGES {
            let message = message(&old, &mut rng);
            let (before, after) = (check(&old_plan, &message), check(&new_plan, &message));
            figures.messages += 1;
            figures.accepted += u64::from(clean(&before));
            worse |= !no_worse(&before, &after);
            if unbroken {
                figures.unbroken_messages += 1;
                figures.unbroken_accepted += u64::from(clean(&before));
                prop_assert!(
                    no_worse(&before, &after),
                    "no breaking change, yet a worse answer\nold plan: {old_json}\nnew plan: {new_json}\ndiff: {diff:#?}\nmessage: {message}\nold: {before:?}\nnew: {after:?}"
                );
            }
        }
        figures.confirmed += u64::from(!unbroken && worse);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let figures = figures.into_inner();
    let share = |part: u64, whole: u64| part as f64 / whole.max(1) as f64;
    println!(
        "plan diff property: {} plan pairs, {} without a breaking change ({:.0}%; {} of them with an additive change); {} messages, {:.0}% accepted by the old plan; \
         {} messages under pairs without a breaking change, {:.0}% of them accepted by the old plan; \
         {} of {} pairs called breaking gave a drawn message a worse answer",
        figures.pairs,
        figures.unbroken,
        100.0 * share(figures.unbroken, figures.pairs),
        figures.loosened,
        figures.messages,
        100.0 * share(figures.accepted, figures.messages),
        figures.unbroken_messages,
        100.0 * share(figures.unbroken_accepted, figures.unbroken_messages),
        figures.confirmed,
        figures.pairs - figures.unbroken,
    );
    // The property proves something only if the draw gives it cases.
    assert!(share(figures.unbroken, figures.pairs) >= 0.2, "{figures:?}");
    assert!(share(figures.loosened, figures.pairs) >= 0.1, "{figures:?}");
    assert!(share(figures.unbroken_accepted, figures.unbroken_messages) >= 0.3, "{figures:?}");
}
