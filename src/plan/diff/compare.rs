//! Two schemas compared keyword by keyword.
//!
//! The promise: when nothing here is breaking, every value the old schema accepts, the new one
//! accepts too. A schema accepts a value when every keyword does; most keywords judge the value on
//! their own, so a new keyword at least as loose as the old one at every place is enough. The
//! keywords that judge together are compared together: `properties`, `patternProperties` and
//! `additionalProperties` (a key leaves one for another), `items` with `additionalItems` or
//! `prefixItems`, `contains` with `minContains` and `maxContains`, `minimum` with
//! `exclusiveMinimum` (and the same for the maximum), `enum` with `const`, `if` with `then` and
//! `else`. A rule that uses `$ref` is compared place by place too: a reference that is the same on
//! both sides finds the schema at the same place, which is compared there; references that change,
//! and identifiers that move, are breaking. What cannot be told is breaking, and says so.

use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::keywords::{
    bound, bound_direction, changed, changes, count, count_direction, multiple_direction, shown, types, types_lost,
    Direction, Draft, ANNOTATIONS, IDENTIFIERS, REFERENCES,
};
use super::Kind;
use crate::plan::schema::{ONE_SCHEMA, SCHEMA_LISTS, SCHEMA_MAPS};
use crate::pointer::Pointer;

/// One change found in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Note {
    pub kind: Kind,
    pub path: String,
    pub change: String,
    pub reason: String,
}

/// What ends the reason of a change that cannot be told for certain.
const UNCERTAIN: &str = "this cannot be told for certain, so it counts as breaking";

/// The schema that accepts everything: what an absent `additionalProperties`, `items`, ... means.
static TRUE: Value = Value::Bool(true);

/// The changes between two rules' whole-message schemas.
pub(super) fn rule(old: &Value, new: &Value) -> Vec<Note> {
    let mut notes = Vec::new();
    if old == new {
        return notes;
    }
    let (old_draft, new_draft) = (Draft::of(old), Draft::of(new));
    let refs = uses_references(old) || uses_references(new);
    let mut schemas = Schemas { draft: new_draft, refs, notes: &mut notes };
    let root = Pointer::root();
    if old.get("$schema") != new.get("$schema") {
        schemas.note(
            Kind::Breaking,
            &root,
            changed("$schema", old.get("$schema"), new.get("$schema")),
            format!("the draft the schema is read as changes, and some keywords mean other things in another draft; {UNCERTAIN}"),
        );
        if old_draft != new_draft {
            return notes;
        }
    }
    if refs && identifiers(old) != identifiers(new) {
        schemas.note(
            Kind::Breaking,
            &root,
            "identifiers ($id, $anchor) added, removed or moved".to_owned(),
            format!("the rule uses $ref, and which schema a reference finds may change; {UNCERTAIN}"),
        );
    }
    schemas.schema(old, new, &root);
    notes
}

/// Whether `schema` accepts every value (a rule that can refuse nothing).
pub(super) fn accepts_all(schema: &Value) -> bool {
    let mut notes = Vec::new();
    let mut schemas = Schemas { draft: Draft::of(schema), refs: uses_references(schema), notes: &mut notes };
    schemas.schema(&TRUE, schema, &Pointer::root());
    !notes.iter().any(|note| note.kind == Kind::Breaking)
}

struct Schemas<'n> {
    /// The draft both schemas are read as.
    draft: Draft,
    /// Whether either rule uses `$ref` (or `$dynamicRef`, `$recursiveRef`).
    refs: bool,
    notes: &'n mut Vec<Note>,
}

/// The keywords that are compared together, each group under the name of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Annotation,
    Identifier,
    Reference,
    Draft,
    Type,
    Values,
    Lower,
    Upper,
    MultipleOf,
    MinCount,
    MaxCount,
    UniqueItems,
    Text,
    Covariant,
    Required,
    Object,
    Items,
    Contains,
    Dependencies,
    AllOf,
    AnyOf,
    OneOf,
    Not,
    Conditional,
    Definitions,
    Unevaluated,
    Unknown,
}

impl Group {
    fn of(key: &str, draft: Draft) -> Group {
        match key {
            _ if ANNOTATIONS.contains(&key) => Group::Annotation,
            _ if IDENTIFIERS.contains(&key) => Group::Identifier,
            _ if REFERENCES.contains(&key) => Group::Reference,
            "$schema" => Group::Draft,
            "type" => Group::Type,
            "enum" | "const" => Group::Values,
            "minimum" | "exclusiveMinimum" => Group::Lower,
            "maximum" | "exclusiveMaximum" => Group::Upper,
            "multipleOf" => Group::MultipleOf,
            "minLength" | "minItems" | "minProperties" => Group::MinCount,
            "maxLength" | "maxItems" | "maxProperties" => Group::MaxCount,
            "uniqueItems" => Group::UniqueItems,
            "pattern" | "format" | "contentEncoding" | "contentMediaType" => Group::Text,
            "propertyNames" | "contentSchema" => Group::Covariant,
            "required" => Group::Required,
            "properties" | "patternProperties" | "additionalProperties" => Group::Object,
            "items" => Group::Items,
            "additionalItems" if draft < Draft::Y2020 => Group::Items,
            "prefixItems" if draft == Draft::Y2020 => Group::Items,
            "contains" | "minContains" | "maxContains" => Group::Contains,
            "dependencies" | "dependentRequired" | "dependentSchemas" => Group::Dependencies,
            "allOf" => Group::AllOf,
            "anyOf" => Group::AnyOf,
            "oneOf" => Group::OneOf,
            "not" => Group::Not,
            "if" | "then" | "else" => Group::Conditional,
            "definitions" | "$defs" => Group::Definitions,
            "unevaluatedProperties" | "unevaluatedItems" => Group::Unevaluated,
            _ => Group::Unknown,
        }
    }

    /// Whether the group's keywords are compared as one (each key of the others on its own).
    const fn joint(self) -> bool {
        matches!(
            self,
            Group::Values
                | Group::Lower
                | Group::Upper
                | Group::Object
                | Group::Items
                | Group::Contains
                | Group::Conditional
                | Group::Unevaluated
        )
    }
}

impl Schemas<'_> {
    fn note(&mut self, kind: Kind, at: &Pointer, change: String, reason: impl Into<String>) {
        self.notes.push(Note { kind, path: at.as_str().to_owned(), change, reason: reason.into() });
    }

    /// A change in the direction found: breaking when tighter or unknown.
    fn direction(&mut self, direction: Direction, at: &Pointer, change: String, tighter: &str) {
        let (kind, reason) = match direction {
            Direction::Same => (Kind::Neutral, "it accepts the same values as before".to_owned()),
            Direction::Looser => (Kind::Additive, "every value accepted before still is, and more are".to_owned()),
            Direction::Tighter => (Kind::Breaking, tighter.to_owned()),
            Direction::Unknown => {
                (Kind::Breaking, format!("whether it accepts every value it accepted before is not known; {UNCERTAIN}"))
            }
        };
        self.note(kind, at, change, reason);
    }

    /// The notes of comparing `old` and `new` on the side, and whether none is breaking (the
    /// first breaking reason otherwise).
    fn covers(&self, old: &Value, new: &Value, at: &Pointer) -> Result<(), String> {
        let mut notes = Vec::new();
        let mut schemas = Schemas { draft: self.draft, refs: self.refs, notes: &mut notes };
        schemas.schema(old, new, at);
        match notes.into_iter().find(|note| note.kind == Kind::Breaking) {
            None => Ok(()),
            Some(note) => Err(format!("{} ({})", note.reason, note.change)),
        }
    }

    /// Compares two schemas at `at`.
    fn schema(&mut self, old: &Value, new: &Value, at: &Pointer) {
        if old == new {
            return;
        }
        match (old, new) {
            (Value::Bool(false), _) => {
                let change = format!("schema: false → {}", shown(new));
                self.note(Kind::Additive, at, change, "the old schema refused every value");
                return;
            }
            (_, Value::Bool(false)) => {
                let change = format!("schema: {} → false", shown(old));
                self.note(Kind::Breaking, at, change, "the new schema refuses every value");
                return;
            }
            _ => {}
        }
        match (members(old), members(new)) {
            (Some(old), Some(new)) => self.keywords(old, new, at),
            _ => {
                let change = format!("schema: {} → {}", shown(old), shown(new));
                self.note(Kind::Breaking, at, change, format!("a schema is an object or a boolean; {UNCERTAIN}"));
            }
        }
    }

    /// Compares two schemas' keywords, each group once.
    fn keywords(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        let mut done: Vec<Group> = Vec::new();
        let keys: Vec<&String> = old.keys().chain(new.keys().filter(|key| !old.contains_key(*key))).collect();
        for key in keys {
            let group = Group::of(key, self.draft);
            if group.joint() {
                if done.contains(&group) {
                    continue;
                }
                done.push(group);
            } else if old.get(key) == new.get(key) {
                continue;
            }
            let (before, after) = (old.get(key), new.get(key));
            match group {
                Group::Annotation => self.note(
                    Kind::Neutral,
                    at,
                    changed(key, before, after),
                    "an annotation, which the validator does not read",
                ),
                Group::Identifier => self.note(
                    Kind::Neutral,
                    at,
                    changed(key, before, after),
                    "an identifier, which only $ref reads (the rule's references are compared on their own)",
                ),
                Group::Reference => self.note(
                    Kind::Breaking,
                    at,
                    changed(key, before, after),
                    format!("a reference that changes finds another schema, which is not compared to the old one; {UNCERTAIN}"),
                ),
                Group::Draft if at.as_str().is_empty() => {}
                Group::Draft => self.note(
                    Kind::Breaking,
                    at,
                    changed(key, before, after),
                    format!("the draft this part of the schema is read as changes; {UNCERTAIN}"),
                ),
                Group::Type => self.types(before, after, at),
                Group::Values => self.values(old, new, at),
                Group::Lower | Group::Upper => self.bounds(old, new, group == Group::Upper, at),
                Group::MultipleOf => self.direction(
                    multiple_direction(before, after),
                    at,
                    changed(key, before, after),
                    "a number that is a multiple of the old value but not of the new one was accepted and is now refused",
                ),
                Group::MinCount | Group::MaxCount => {
                    let upper = group == Group::MaxCount;
                    let direction = match (count(before), count(after)) {
                        (Ok(before), Ok(after)) => count_direction(before.as_ref(), after.as_ref(), upper),
                        _ => Direction::Unknown,
                    };
                    let what = if key.ends_with("Length") {
                        "strings"
                    } else if key.ends_with("Items") {
                        "arrays"
                    } else {
                        "objects"
                    };
                    let tighter = format!("{what} of a size between the old and the new limit were accepted and are now refused");
                    self.direction(direction, at, changed(key, before, after), &tighter);
                }
                Group::UniqueItems => {
                    let direction = match (before.unwrap_or(&Value::Bool(false)), after.unwrap_or(&Value::Bool(false))) {
                        (Value::Bool(before), Value::Bool(after)) if before == after => Direction::Same,
                        (Value::Bool(false), Value::Bool(true)) => Direction::Tighter,
                        (Value::Bool(true), Value::Bool(false)) => Direction::Looser,
                        _ => Direction::Unknown,
                    };
                    let tighter = "an array with an item twice was accepted and is now refused";
                    self.direction(direction, at, changed(key, before, after), tighter);
                }
                Group::Text => self.text(key, before, after, at),
                Group::Covariant => self.schema(before.unwrap_or(&TRUE), after.unwrap_or(&TRUE), &at.key(key)),
                Group::Required => self.required(before, after, at),
                Group::Object => self.object(old, new, at),
                Group::Items => self.items(old, new, at),
                Group::Contains => self.contains(old, new, at),
                Group::Dependencies => self.dependencies(key, before, after, at),
                Group::AllOf => self.all_of(before, after, at),
                Group::AnyOf => self.any_of(before, after, at),
                Group::OneOf => {
                    let direction = match (before, after) {
                        (Some(_), None) => Direction::Looser,
                        (None, Some(_)) => Direction::Tighter,
                        _ => Direction::Unknown,
                    };
                    self.direction(
                        direction,
                        at,
                        changed(key, before, after),
                        "a value must now match exactly one of its schemas",
                    );
                    if direction == Direction::Unknown {
                        if let Some(last) = self.notes.last_mut() {
                            last.reason = format!("a value may now match none of its schemas, or more than one; {UNCERTAIN}");
                        }
                    }
                }
                Group::Not => self.not(before, after, at),
                Group::Conditional => self.conditional(old, new, at),
                Group::Definitions => self.definitions(key, before, after, at),
                Group::Unevaluated => {
                    if old != new {
                        let change = format!(
                            "{} beside other changes",
                            ["unevaluatedProperties", "unevaluatedItems"]
                                .into_iter()
                                .filter(|key| old.contains_key(*key) || new.contains_key(*key))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        );
                        let reason = format!("what is left unevaluated depends on every keyword beside it and in its subschemas; {UNCERTAIN}");
                        self.note(Kind::Breaking, at, change, reason);
                    }
                }
                Group::Unknown => self.note(
                    Kind::Breaking,
                    at,
                    changed(key, before, after),
                    format!("a keyword this comparison does not know: what the validator makes of it is not known; {UNCERTAIN}"),
                ),
            }
        }
    }

    fn types(&mut self, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let change = changed("type", before, after);
        match (types(before), types(after)) {
            (Ok(old), Ok(new)) => {
                let lost = types_lost(&old, &new);
                if !lost.is_empty() {
                    let reason = format!("a value of type {} was accepted and is now refused", lost.join(" or "));
                    self.note(Kind::Breaking, at, change, reason);
                } else {
                    let gained = types_lost(&new, &old);
                    let direction = if gained.is_empty() { Direction::Same } else { Direction::Looser };
                    self.direction(direction, at, change, "");
                }
            }
            _ => self.direction(Direction::Unknown, at, change, ""),
        }
    }

    /// `enum` and `const`: the values both allow (`None`: any).
    fn values(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        fn allowed(schema: &Map<String, Value>) -> Result<Option<Vec<&Value>>, ()> {
            let listed = match schema.get("enum") {
                None => None,
                Some(Value::Array(values)) => Some(values.iter().collect::<Vec<_>>()),
                Some(_) => return Err(()),
            };
            Ok(match (listed, schema.get("const")) {
                (listed, None) => listed,
                (None, Some(one)) => Some(vec![one]),
                (Some(listed), Some(one)) => Some(listed.into_iter().filter(|value| *value == one).collect()),
            })
        }
        let texts = changes(&["enum", "const"], old, new);
        if texts.is_empty() {
            return;
        }
        let (before, after) = match (allowed(old), allowed(new)) {
            (Ok(before), Ok(after)) => (before, after),
            _ => return self.direction(Direction::Unknown, at, texts.join("; "), ""),
        };
        match (before, after) {
            (None, None) => self.direction(Direction::Same, at, texts.join("; "), ""),
            (Some(_), None) => self.direction(Direction::Looser, at, texts.join("; "), ""),
            (None, Some(_)) => self.direction(
                Direction::Tighter,
                at,
                texts.join("; "),
                "a value outside the list was accepted and is now refused",
            ),
            (Some(before), Some(after)) => {
                let list = |values: Vec<&Value>| values.iter().map(|value| shown(value)).collect::<Vec<_>>().join(", ");
                let removed: Vec<&Value> = before.iter().copied().filter(|value| !after.contains(value)).collect();
                let added: Vec<&Value> = after.iter().copied().filter(|value| !before.contains(value)).collect();
                // A list that only changes its values is said value by value.
                let by_value = old.get("const") == new.get("const");
                if !removed.is_empty() {
                    let change =
                        if by_value { format!("enum: {} removed", list(removed.clone())) } else { texts.join("; ") };
                    let reason = "a message with that value here was accepted and is now refused";
                    self.note(Kind::Breaking, at, change, reason);
                    if !by_value {
                        return;
                    }
                }
                if !added.is_empty() {
                    let change = if by_value { format!("enum: {} added", list(added)) } else { texts.join("; ") };
                    self.direction(Direction::Looser, at, change, "");
                } else if removed.is_empty() {
                    self.direction(Direction::Same, at, texts.join("; "), "");
                }
            }
        }
    }

    fn bounds(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, upper: bool, at: &Pointer) {
        let keys = if upper { ["maximum", "exclusiveMaximum"] } else { ["minimum", "exclusiveMinimum"] };
        let texts = changes(&keys, old, new);
        if texts.is_empty() {
            return;
        }
        let direction = match (bound(old, upper, self.draft), bound(new, upper, self.draft)) {
            (Ok(before), Ok(after)) => bound_direction(&before, &after, upper),
            _ => Direction::Unknown,
        };
        let tighter = if upper {
            "a number above the new maximum and within the old one was accepted and is now refused"
        } else {
            "a number below the new minimum and within the old one was accepted and is now refused"
        };
        self.direction(direction, at, texts.join("; "), tighter);
    }

    /// `pattern`, `format`, `contentEncoding`, `contentMediaType`: added, removed or changed.
    fn text(&mut self, key: &str, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let change = changed(key, before, after);
        match (before, after) {
            (Some(_), None) => self.direction(Direction::Looser, at, change, ""),
            (None, Some(value)) => {
                let reason = if key == "pattern" {
                    "a string that does not match it was accepted and is now refused".to_owned()
                } else {
                    format!("a string that is not {} was accepted and is now refused", shown(value))
                };
                self.note(Kind::Breaking, at, change, reason);
            }
            _ => {
                let reason = format!(
                    "two different {}s: whether every string the old one accepts passes the new one is not known; {UNCERTAIN}",
                    if key == "pattern" { "pattern" } else { key }
                );
                self.note(Kind::Breaking, at, change, reason);
            }
        }
    }

    fn required(&mut self, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        fn names(value: Option<&Value>) -> Option<Vec<&Value>> {
            match value {
                None => Some(Vec::new()),
                Some(Value::Array(names)) if names.iter().all(Value::is_string) => Some(names.iter().collect()),
                _ => None,
            }
        }
        let (Some(old), Some(new)) = (names(before), names(after)) else {
            return self.direction(Direction::Unknown, at, changed("required", before, after), "");
        };
        let list = |names: &[&Value]| names.iter().map(|name| shown(name)).collect::<Vec<_>>().join(", ");
        let added: Vec<&Value> = new.iter().copied().filter(|name| !old.contains(name)).collect();
        let removed: Vec<&Value> = old.iter().copied().filter(|name| !new.contains(name)).collect();
        if !added.is_empty() {
            let reason = "a message without it was accepted and is now refused";
            self.note(Kind::Breaking, at, format!("required: {} added", list(&added)), reason);
        }
        if !removed.is_empty() {
            self.direction(Direction::Looser, at, format!("required: {} removed", list(&removed)), "");
        }
        if added.is_empty() && removed.is_empty() {
            self.direction(Direction::Same, at, changed("required", before, after), "");
        }
    }

    /// `properties`, `patternProperties` and `additionalProperties`: each key is judged by its
    /// `properties` schema and the patterns it matches, or by `additionalProperties` when neither.
    fn object(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        let (Some(old_props), Some(new_props), Some(old_patterns), Some(new_patterns)) = (
            object_at(old, "properties"),
            object_at(new, "properties"),
            object_at(old, "patternProperties"),
            object_at(new, "patternProperties"),
        ) else {
            let change = changes(&["properties", "patternProperties"], old, new).join("; ");
            return self.direction(Direction::Unknown, at, change, "");
        };
        let old_rest = old.get("additionalProperties").unwrap_or(&TRUE);
        let new_rest = new.get("additionalProperties").unwrap_or(&TRUE);

        for pattern in old_patterns.keys().chain(new_patterns.keys().filter(|key| !old_patterns.contains_key(*key))) {
            let place = at.key("patternProperties").key(pattern);
            let change =
                |verb: &str| format!("patternProperties {} {verb}", shown(&Value::String(pattern.to_string())));
            match (old_patterns.get(pattern), new_patterns.get(pattern)) {
                (Some(before), Some(after)) => self.schema(before, after, &place),
                (None, Some(after)) => {
                    if accepts_all(after) {
                        let direction = if accepts_all(old_rest) { Direction::Same } else { Direction::Looser };
                        self.direction(direction, &place, change("added"), "");
                    } else {
                        let reason = "keys that match it were judged by other schemas and must now match this one too";
                        self.note(Kind::Breaking, &place, change("added"), reason);
                    }
                }
                (Some(before), None) => {
                    match self.covers(before, new_rest, &place) {
                        Ok(()) => self.direction(Direction::Looser, &place, change("removed"), ""),
                        Err(why) => {
                            let reason = format!("keys that match it are now judged by additionalProperties, which may refuse them: {why}");
                            self.note(Kind::Breaking, &place, change("removed"), reason);
                        }
                    }
                }
                (None, None) => {}
            }
        }

        for name in old_props.keys().chain(new_props.keys().filter(|key| !old_props.contains_key(*key))) {
            let place = at.key("properties").key(name);
            let change = |verb: &str| format!("property {} {verb}", shown(&Value::String(name.to_string())));
            match (old_props.get(name), new_props.get(name)) {
                (Some(before), Some(after)) => self.schema(before, after, &place),
                (Some(before), None) => match self.covers(before, new_rest, &place) {
                    Ok(()) => {
                        let reason = "any value the old schema accepted for it is still accepted";
                        self.note(Kind::Additive, &place, change("removed"), reason);
                    }
                    Err(why) => {
                        let reason = format!("it is now judged by additionalProperties, which may refuse it: {why}");
                        self.note(Kind::Breaking, &place, change("removed"), reason);
                    }
                },
                (None, Some(after)) => {
                    // What the old schema accepted for this key: additionalProperties', or, if
                    // the key matches one of its patterns, that pattern's.
                    let judged = std::iter::once(old_rest).chain(old_patterns.values());
                    let mut refused = None;
                    for before in judged {
                        if let Err(why) = self.covers(before, after, &place) {
                            refused = Some(why);
                            break;
                        }
                    }
                    match refused {
                        None => {
                            let reason = "every value the old schema accepted for it still is";
                            self.note(Kind::Additive, &place, change("added"), reason);
                        }
                        Some(why) => {
                            let reason = format!(
                                "the old schema did not name it and accepted {} for it; now it must match its schema: {why}",
                                if old_rest == &TRUE && old_patterns.is_empty() { "any value" } else { "other values" }
                            );
                            self.note(Kind::Breaking, &place, change("added"), reason);
                        }
                    }
                }
                (None, None) => {}
            }
        }

        if old_rest != new_rest {
            let place = at.key("additionalProperties");
            let change =
                changed("additionalProperties", old.get("additionalProperties"), new.get("additionalProperties"));
            if old_rest.is_object() && new_rest.is_object() {
                self.schema(old_rest, new_rest, &place);
            } else {
                match self.covers(old_rest, new_rest, &place) {
                    Ok(()) if self.covers(new_rest, old_rest, &place).is_ok() => {
                        self.direction(Direction::Same, at, change, "")
                    }
                    Ok(()) => self.direction(Direction::Looser, at, change, ""),
                    Err(_) if new_rest == &Value::Bool(false) => self.note(
                        Kind::Breaking,
                        at,
                        change,
                        "a key the schema does not name was accepted and is now refused",
                    ),
                    Err(why) => {
                        let reason = format!("a key the schema does not name may now be refused: {why}");
                        self.note(Kind::Breaking, at, change, reason);
                    }
                }
            }
        }
    }

    /// `items` and the list before it (`prefixItems` in 2020-12; `items` as a list, then
    /// `additionalItems`, before), compared item place by item place.
    fn items(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        let modern = self.draft == Draft::Y2020;
        let keys = if modern { ["prefixItems", "items"] } else { ["items", "additionalItems"] };
        if keys.iter().all(|key| old.get(*key) == new.get(*key)) {
            return;
        }
        let (Some((old_tuple, old_rest, _, _)), Some((new_tuple, new_rest, tuple_key, rest_key))) =
            (split(old, modern), split(new, modern))
        else {
            let change = changes(&keys, old, new).join("; ");
            return self.direction(Direction::Unknown, at, change, "");
        };
        for place in 0..old_tuple.len().max(new_tuple.len()) {
            let before = old_tuple.get(place).copied().unwrap_or(old_rest);
            let after = new_tuple.get(place).copied().unwrap_or(new_rest);
            let path = if place < new_tuple.len() { at.key(tuple_key).index(place) } else { at.key(rest_key) };
            self.schema(before, after, &path);
        }
        // Where the old list ended before the new one, the places past it were compared above.
        self.schema(old_rest, new_rest, &at.key(rest_key));
    }

    /// `contains` with `minContains` (1 when absent) and `maxContains`.
    fn contains(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        let keys = ["contains", "minContains", "maxContains"];
        let texts = changes(&keys, old, new);
        if texts.is_empty() {
            return;
        }
        let change = texts.join("; ");
        let one = serde_json::Number::from(1u8);
        let limits =
            |schema: &Map<String, Value>| match (count(schema.get("minContains")), count(schema.get("maxContains"))) {
                (Ok(min), Ok(max)) => Some((min.unwrap_or_else(|| one.clone()), max)),
                _ => None,
            };
        let (Some((old_min, old_max)), Some((new_min, new_max))) = (limits(old), limits(new)) else {
            return self.direction(Direction::Unknown, at, change, "");
        };
        let counts = combine(
            count_direction(Some(&old_min), Some(&new_min), false),
            count_direction(old_max.as_ref(), new_max.as_ref(), true),
        );
        let tighter = "an array with too few (or too many) items that match was accepted and is now refused";
        let direction = match (old.get("contains"), new.get("contains")) {
            // minContains and maxContains without contains do nothing.
            (None, None) => Direction::Same,
            (Some(_), None) => Direction::Looser,
            (None, Some(_)) => Direction::Tighter,
            (Some(before), Some(after)) if before == after => counts,
            (Some(before), Some(after)) => {
                // A looser `contains` counts more items: enough for a minimum, not for a maximum.
                if old_max.is_none() && new_max.is_none() && self.covers(before, after, &at.key("contains")).is_ok() {
                    combine(Direction::Looser, counts)
                } else {
                    Direction::Unknown
                }
            }
        };
        self.direction(direction, at, change, tighter);
    }

    /// `dependentRequired` (lists of keys), `dependentSchemas` (schemas) and draft 7's
    /// `dependencies` (either), key by key.
    fn dependencies(&mut self, key: &str, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let empty = Map::new();
        let (old, new) = match (before.unwrap_or(&Value::Null), after.unwrap_or(&Value::Null)) {
            (Value::Object(old), Value::Object(new)) => (old, new),
            (Value::Object(old), Value::Null) => (old, &empty),
            (Value::Null, Value::Object(new)) => (&empty, new),
            _ => return self.direction(Direction::Unknown, at, changed(key, before, after), ""),
        };
        for name in old.keys().chain(new.keys().filter(|name| !old.contains_key(*name))) {
            let (was, now) = (old.get(name), new.get(name));
            if was == now {
                continue;
            }
            // What each side holds: a list of keys (`dependentRequired`), a schema
            // (`dependentSchemas`), or either (`dependencies`).
            let schema_like = |value: Option<&Value>| match value {
                None => key != "dependentRequired",
                Some(value) => key != "dependentRequired" && (value.is_object() || value.is_boolean()),
            };
            let list_like = |value: Option<&Value>| match value {
                None => key != "dependentSchemas",
                Some(value) => key != "dependentSchemas" && value.is_array(),
            };
            if schema_like(was) && schema_like(now) {
                self.schema(was.unwrap_or(&TRUE), now.unwrap_or(&TRUE), &at.key(key).key(name));
                continue;
            }
            let change = changed(&format!("{key} {}", shown(&Value::String(name.to_string()))), was, now);
            let direction = match (list(was), list(now)) {
                (Some(was), Some(now)) => {
                    let added = now.iter().any(|name| !was.contains(name));
                    let removed = was.iter().any(|name| !now.contains(name));
                    match (added, removed) {
                        (true, _) => Direction::Tighter,
                        (false, true) => Direction::Looser,
                        (false, false) => Direction::Same,
                    }
                }
                _ => Direction::Unknown,
            };
            let direction = if list_like(was) && list_like(now) { direction } else { Direction::Unknown };
            let reason = "a message with the key and without a key it now needs was accepted and is now refused";
            self.direction(direction, &at.key(key), change, reason);
        }
    }

    /// `allOf`: every schema must match. Compared place by place when as long; schemas removed
    /// loosen, schemas added tighten.
    fn all_of(&mut self, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let change = changed("allOf", before, after);
        let (old, new) = match (list(before), list(after)) {
            (Some(old), Some(new)) => (old, new),
            _ => return self.direction(Direction::Unknown, at, change, ""),
        };
        if old.len() == new.len() {
            for (place, (before, after)) in old.iter().zip(&new).enumerate() {
                self.schema(before, after, &at.key("allOf").index(place));
            }
            return;
        }
        // Places shift: a reference into the list would find another schema.
        let direction = if self.refs {
            Direction::Unknown
        } else if subsequence(&new, &old) {
            Direction::Looser
        } else if subsequence(&old, &new) {
            let added = new.iter().filter(|schema| !old.contains(schema));
            if added.into_iter().all(|schema| accepts_all(schema)) {
                Direction::Same
            } else {
                Direction::Tighter
            }
        } else {
            Direction::Unknown
        };
        self.direction(direction, at, change, "a value must now match the schemas added too");
    }

    /// `anyOf`: one schema must match. Compared place by place when as long; schemas added
    /// loosen, schemas removed tighten.
    fn any_of(&mut self, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let change = changed("anyOf", before, after);
        let direction = match (before, after) {
            (Some(_), None) => Direction::Looser,
            (None, Some(_)) => Direction::Tighter,
            _ => match (list(before), list(after)) {
                (Some(old), Some(new)) if old.len() == new.len() => {
                    for (place, (before, after)) in old.iter().zip(&new).enumerate() {
                        self.schema(before, after, &at.key("anyOf").index(place));
                    }
                    return;
                }
                (Some(old), Some(new)) if !self.refs && subsequence(&old, &new) => Direction::Looser,
                (Some(old), Some(new)) if !self.refs && subsequence(&new, &old) => Direction::Tighter,
                _ => Direction::Unknown,
            },
        };
        self.direction(
            direction,
            at,
            change,
            "a value that matched only the schemas removed was accepted and is now refused",
        );
    }

    /// `not`: looser when what it excludes shrinks (the old excluded schema accepts all the new
    /// one does).
    fn not(&mut self, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let change = changed("not", before, after);
        let direction = match (before, after) {
            (Some(_), None) => Direction::Looser,
            (None, Some(Value::Bool(false))) => Direction::Same,
            (None, Some(_)) => Direction::Tighter,
            // Compared the other way round: a reference into it would be compared backwards.
            (Some(before), Some(after)) if !self.refs && self.covers(after, before, &at.key("not")).is_ok() => {
                Direction::Looser
            }
            _ => Direction::Unknown,
        };
        self.direction(
            direction,
            at,
            change,
            "a value that matches the schema added under not was accepted and is now refused",
        );
    }

    /// `if`, `then`, `else`: with the same `if`, `then` and `else` compared; without any `if`,
    /// they do nothing.
    fn conditional(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, at: &Pointer) {
        let keys = ["if", "then", "else"];
        if keys.iter().all(|key| old.get(*key) == new.get(*key)) {
            return;
        }
        let change = changes(&keys, old, new).join("; ");
        let branches = |schema: &Map<String, Value>| schema.contains_key("then") || schema.contains_key("else");
        match (old.get("if"), new.get("if")) {
            (None, None) => self.note(Kind::Neutral, at, change, "then and else without if do nothing"),
            (Some(before), Some(after)) if before == after => {
                for key in ["then", "else"] {
                    let (was, now) = (old.get(key).unwrap_or(&TRUE), new.get(key).unwrap_or(&TRUE));
                    self.schema(was, now, &at.key(key));
                }
            }
            _ if !branches(old) && !branches(new) => {
                self.note(Kind::Neutral, at, change, "if without then or else does nothing")
            }
            _ => self.direction(Direction::Unknown, at, change, ""),
        }
    }

    /// `$defs` and `definitions`: schemas read only through `$ref`, compared name by name.
    fn definitions(&mut self, key: &str, before: Option<&Value>, after: Option<&Value>, at: &Pointer) {
        let (Some(old), Some(new)) = (members(before.unwrap_or(&TRUE)), members(after.unwrap_or(&TRUE))) else {
            return self.direction(Direction::Unknown, at, changed(key, before, after), "");
        };
        for name in old.keys().chain(new.keys().filter(|name| !old.contains_key(*name))) {
            let place = at.key(key).key(name);
            match (old.get(name), new.get(name)) {
                (Some(was), Some(now)) => self.schema(was, now, &place),
                (was, _) => self.note(
                    Kind::Neutral,
                    &place,
                    format!(
                        "definition {} {}",
                        shown(&Value::String(name.to_string())),
                        if was.is_some() { "removed" } else { "added" }
                    ),
                    "a definition is read only through $ref, whose changes are compared where they are",
                ),
            }
        }
    }
}

/// An empty schema, as a map.
static EMPTY_MAP: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// A schema's keywords (none for `true`), or `None` for `false` and what is not a schema.
fn members(schema: &Value) -> Option<&Map<String, Value>> {
    match schema {
        Value::Object(members) => Some(members),
        Value::Bool(true) => Some(&EMPTY_MAP),
        _ => None,
    }
}

/// The map under `key` (`properties`, `patternProperties`): empty when absent, `None` when not a map.
fn object_at<'s>(schema: &'s Map<String, Value>, key: &str) -> Option<&'s Map<String, Value>> {
    match schema.get(key) {
        None => Some(&EMPTY_MAP),
        Some(Value::Object(map)) => Some(map),
        Some(_) => None,
    }
}

/// The list before `items` and the schema after it: `(list, rest, the list's keyword, the rest's
/// keyword)`; `None` for a shape that cannot be read so.
fn split(schema: &Map<String, Value>, modern: bool) -> Option<(Vec<&Value>, &Value, &'static str, &'static str)> {
    if modern {
        let tuple = match schema.get("prefixItems") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(_) => return None,
        };
        match schema.get("items") {
            Some(Value::Array(_)) => None,
            rest => Some((tuple, rest.unwrap_or(&TRUE), "prefixItems", "items")),
        }
    } else {
        match schema.get("items") {
            Some(Value::Array(items)) => Some((
                items.iter().collect(),
                schema.get("additionalItems").unwrap_or(&TRUE),
                "items",
                "additionalItems",
            )),
            rest => Some((Vec::new(), rest.unwrap_or(&TRUE), "items", "items")),
        }
    }
}

/// Both directions at once: tighter or unknown wins.
fn combine(a: Direction, b: Direction) -> Direction {
    match (a, b) {
        (Direction::Unknown, _) | (_, Direction::Unknown) => Direction::Unknown,
        (Direction::Tighter, _) | (_, Direction::Tighter) => Direction::Tighter,
        (Direction::Looser, _) | (_, Direction::Looser) => Direction::Looser,
        _ => Direction::Same,
    }
}

/// A list of schemas (`allOf`, `anyOf`): empty when absent, `None` when not a list.
fn list(value: Option<&Value>) -> Option<Vec<&Value>> {
    match value {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => Some(items.iter().collect()),
        Some(_) => None,
    }
}

/// Whether every item of `short` is in `long`, in order.
fn subsequence(short: &[&Value], long: &[&Value]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|item| rest.any(|other| other == item))
}

/// Calls `visit` with each keyword of `schema` and of every schema inside it, and where it is.
fn each_keyword<'v>(schema: &'v Value, at: &Pointer, visit: &mut dyn FnMut(&Pointer, &str, &'v Value)) {
    let Value::Object(members) = schema else { return };
    for (key, value) in members {
        visit(at, key, value);
        let here = at.key(key);
        if SCHEMA_MAPS.contains(&key.as_str()) {
            if let Value::Object(map) = value {
                for (name, child) in map {
                    each_keyword(child, &here.key(name), visit);
                }
            }
        } else if SCHEMA_LISTS.contains(&key.as_str()) && value.is_array() {
            if let Value::Array(items) = value {
                for (index, child) in items.iter().enumerate() {
                    each_keyword(child, &here.index(index), visit);
                }
            }
        } else if ONE_SCHEMA.contains(&key.as_str()) {
            each_keyword(value, &here, visit);
        }
    }
}

/// Whether a schema has a `$ref`, `$dynamicRef` or `$recursiveRef`.
fn uses_references(schema: &Value) -> bool {
    let mut found = false;
    each_keyword(schema, &Pointer::root(), &mut |_, key, _| found |= REFERENCES.contains(&key));
    found
}

/// Every identifier of a schema, with where it is.
fn identifiers(schema: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    each_keyword(schema, &Pointer::root(), &mut |at, key, value| {
        if IDENTIFIERS.contains(&key) {
            found.push((at.as_str().to_owned(), key.to_owned(), value.clone()));
        }
    });
    found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The kinds and changes between two schemas, as `(kind, path, change)`.
    fn notes(old: Value, new: Value) -> Vec<(Kind, String, String)> {
        rule(&old, &new).into_iter().map(|note| (note.kind, note.path, note.change)).collect()
    }

    fn kinds(old: Value, new: Value) -> Vec<Kind> {
        rule(&old, &new).into_iter().map(|note| note.kind).collect()
    }

    #[test]
    fn equal_schemas_have_no_changes() {
        assert!(notes(json!({"type": "string"}), json!({"type": "string"})).is_empty());
        assert!(notes(json!(true), json!({})).is_empty());
        assert!(notes(json!({"properties": {"a": {}}}), json!({"properties": {"a": true}})).is_empty());
    }

    #[test]
    fn booleans() {
        assert_eq!(kinds(json!(false), json!({"type": "string"})), [Kind::Additive]);
        assert_eq!(kinds(json!({"type": "string"}), json!(false)), [Kind::Breaking]);
        assert_eq!(kinds(json!({"type": "string"}), json!(true)), [Kind::Additive]);
        assert_eq!(kinds(json!(true), json!({"type": "string"})), [Kind::Breaking]);
        assert_eq!(kinds(json!({"type": "string"}), json!(3)), [Kind::Breaking]);
    }

    #[test]
    fn accepting_everything() {
        assert!(accepts_all(&json!({})));
        assert!(accepts_all(&json!({"description": "x", "$schema": "http://json-schema.org/draft-07/schema#"})));
        assert!(accepts_all(&json!({"properties": {"a": {"title": "A"}}})));
        assert!(!accepts_all(&json!({"properties": {"a": {"type": "string"}}})));
        assert!(!accepts_all(&json!({"x-unknown": 1})));
        assert!(!accepts_all(&json!({"$ref": "#"})));
    }

    #[test]
    fn draft_changes_are_breaking_and_stop_the_walk() {
        let old = json!({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 1, "exclusiveMinimum": true});
        let new =
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "minimum": 1, "exclusiveMinimum": true});
        assert_eq!(kinds(old, new), [Kind::Breaking]);
    }

    #[test]
    fn identifiers_are_neutral_without_references() {
        assert_eq!(kinds(json!({"$id": "a"}), json!({"$id": "b"})), [Kind::Neutral]);
        let old = json!({"$defs": {"x": {"$anchor": "a", "type": "string"}}, "properties": {"p": {"$ref": "#a"}}});
        let new = json!({"$defs": {"x": {"$anchor": "b", "type": "string"}}, "properties": {"p": {"$ref": "#a"}}});
        assert!(kinds(old, new).contains(&Kind::Breaking));
    }

    #[test]
    fn references_are_compared_where_they_point() {
        let old = json!({"$defs": {"x": {"type": "string"}}, "properties": {"p": {"$ref": "#/$defs/x"}}});
        let tight =
            json!({"$defs": {"x": {"type": "string", "maxLength": 3}}, "properties": {"p": {"$ref": "#/$defs/x"}}});
        assert_eq!(
            notes(old.clone(), tight),
            [(Kind::Breaking, "/$defs/x".to_owned(), "maxLength added: 3".to_owned())]
        );
        let moved = json!({"$defs": {"x": {"type": "string"}, "y": {}}, "properties": {"p": {"$ref": "#/$defs/y"}}});
        let found = notes(old, moved);
        assert!(found.contains(&(
            Kind::Breaking,
            "/properties/p".to_owned(),
            r##"$ref: "#/$defs/x" → "#/$defs/y""##.to_owned()
        )));
        assert!(found.contains(&(Kind::Neutral, "/$defs/y".to_owned(), r#"definition "y" added"#.to_owned())));
    }

    #[test]
    fn properties_that_come_and_go() {
        let base = json!({"properties": {"a": {"type": "string"}}});
        // Removed: judged by additionalProperties (absent: anything) from now on.
        assert_eq!(kinds(base.clone(), json!({})), [Kind::Additive]);
        // Removed while additionalProperties is false: refused now.
        let closed = json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false});
        assert_eq!(kinds(closed.clone(), json!({"properties": {}, "additionalProperties": false})), [Kind::Breaking]);
        // Added where anything was accepted: constrained now.
        assert_eq!(kinds(json!({}), base.clone()), [Kind::Breaking]);
        // Added where nothing was: only looser.
        let open = json!({"properties": {"a": {"type": "string"}, "b": {}}, "additionalProperties": false});
        assert_eq!(kinds(closed.clone(), open), [Kind::Additive]);
        // Added where old patterns judged keys: each pattern's schema must be covered.
        let patterned = json!({"patternProperties": {"^x": {"type": "number"}}, "additionalProperties": false});
        let named = json!({"properties": {"xa": {"type": "string"}}, "patternProperties": {"^x": {"type": "number"}}, "additionalProperties": false});
        assert_eq!(kinds(patterned, named), [Kind::Breaking]);
        // additionalProperties: false added, and removed.
        assert_eq!(kinds(base.clone(), closed.clone()), [Kind::Breaking]);
        assert_eq!(kinds(closed, base), [Kind::Additive]);
    }

    #[test]
    fn patterns() {
        let old = json!({"patternProperties": {"^a": {"type": "string"}}, "additionalProperties": false});
        let removed = json!({"additionalProperties": false});
        assert_eq!(kinds(old.clone(), removed), [Kind::Breaking]);
        let open = json!({"additionalProperties": {}});
        assert_eq!(kinds(old.clone(), open), [Kind::Additive, Kind::Additive]);
        let added = json!({"patternProperties": {"^a": {"type": "string"}, "^b": {"type": "string"}}, "additionalProperties": false});
        assert_eq!(kinds(old.clone(), added), [Kind::Breaking]);
        let free = json!({"patternProperties": {"^a": {"type": "string"}, "^b": {}}, "additionalProperties": false});
        assert_eq!(kinds(old, free), [Kind::Additive]);
        assert_eq!(kinds(json!({"pattern": "^a"}), json!({"pattern": "^a|b"})), [Kind::Breaking]);
    }

    #[test]
    fn items_place_by_place() {
        let draft7 = |items: Value| {
            let mut schema = json!({"$schema": "http://json-schema.org/draft-07/schema#"});
            for (key, value) in items.as_object().unwrap() {
                schema[key] = value.clone();
            }
            schema
        };
        let old = draft7(json!({"items": [{"type": "string"}], "additionalItems": false}));
        let longer = draft7(json!({"items": [{"type": "string"}, {"type": "number"}], "additionalItems": false}));
        assert_eq!(kinds(old.clone(), longer.clone()), [Kind::Additive]);
        assert_eq!(kinds(longer, old), [Kind::Breaking]);
        let modern = json!({"prefixItems": [{"type": "string"}], "items": {"type": "number"}});
        let looser = json!({"prefixItems": [{"type": ["string", "null"]}], "items": true});
        assert_eq!(kinds(modern.clone(), looser), [Kind::Additive, Kind::Additive]);
        assert_eq!(
            kinds(json!({"items": {"type": "string"}}), json!({"items": {"type": "integer"}})),
            [Kind::Breaking]
        );
        assert_eq!(kinds(json!({"items": [{}]}), json!({"items": [{}, {}]})), [Kind::Breaking]);
    }

    #[test]
    fn applicators() {
        let a = json!({"type": "string"});
        let b = json!({"type": "number"});
        assert_eq!(kinds(json!({"anyOf": [a, b]}), json!({"anyOf": [a, b, {"type": "null"}]})), [Kind::Additive]);
        assert_eq!(kinds(json!({"anyOf": [a, b]}), json!({"anyOf": [a]})), [Kind::Breaking]);
        assert_eq!(kinds(json!({"allOf": [a, b]}), json!({"allOf": [a]})), [Kind::Additive]);
        assert_eq!(kinds(json!({"allOf": [a]}), json!({"allOf": [a, b]})), [Kind::Breaking]);
        assert_eq!(kinds(json!({"oneOf": [a]}), json!({"oneOf": [a, b]})), [Kind::Breaking]);
        assert_eq!(kinds(json!({"not": {"type": ["string", "number"]}}), json!({"not": a})), [Kind::Additive]);
        assert_eq!(kinds(json!({"not": a}), json!({"not": {"type": ["string", "number"]}})), [Kind::Breaking]);
        let cond = |then: Value| json!({"if": {"required": ["a"]}, "then": then});
        assert_eq!(kinds(cond(json!({"required": ["b"]})), cond(json!({}))), [Kind::Additive]);
        assert_eq!(kinds(cond(json!({})), cond(json!({"required": ["b"]}))), [Kind::Breaking]);
        assert_eq!(
            kinds(json!({"if": {"required": ["a"]}, "then": {}}), json!({"if": {"required": ["b"]}, "then": {}})),
            [Kind::Breaking]
        );
        assert_eq!(kinds(json!({"then": {"required": ["a"]}}), json!({})), [Kind::Neutral]);
        assert_eq!(
            kinds(
                json!({"unevaluatedProperties": false}),
                json!({"unevaluatedProperties": false, "properties": {"a": {}}})
            ),
            [Kind::Breaking, Kind::Additive]
        );
    }

    #[test]
    fn contains_and_dependencies() {
        assert_eq!(
            kinds(json!({"contains": {"type": "string"}}), json!({"contains": {"type": "string"}, "minContains": 2})),
            [Kind::Breaking]
        );
        assert_eq!(
            kinds(json!({"contains": {"type": "string"}, "minContains": 2}), json!({"contains": {}, "minContains": 1})),
            [Kind::Additive]
        );
        assert_eq!(
            kinds(json!({"contains": {}, "maxContains": 2}), json!({"contains": {"type": "string"}, "maxContains": 2})),
            [Kind::Breaking]
        );
        assert_eq!(
            kinds(json!({"dependentRequired": {"a": ["b"]}}), json!({"dependentRequired": {"a": ["b", "c"]}})),
            [Kind::Breaking]
        );
        assert_eq!(kinds(json!({"dependentRequired": {"a": ["b"]}}), json!({})), [Kind::Additive]);
        assert_eq!(
            kinds(json!({"dependencies": {"a": {"required": ["b"]}}}), json!({"dependencies": {"a": {}}})),
            [Kind::Additive]
        );
        assert_eq!(
            kinds(json!({"dependencies": {"a": ["b"]}}), json!({"dependencies": {"a": {"required": ["b"]}}})),
            [Kind::Breaking]
        );
        assert_eq!(
            kinds(json!({"dependentSchemas": {"a": {}}}), json!({"dependentSchemas": {"a": {"required": ["b"]}}})),
            [Kind::Breaking]
        );
    }
}
