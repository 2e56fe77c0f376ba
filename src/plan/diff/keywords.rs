//! Which way one keyword's change goes: the keywords that only annotate, the ones that identify,
//! and, for the assertions whose values can be ordered (types, bounds, lengths, values), whether
//! the new value accepts everything the old one did.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

/// Keywords that change no answer: annotations, and what tools keep in a schema for themselves
/// (Segment's `labels`, Typewriter's `eventMetadata`, Avo's `nameMapping`, `index` and
/// `isSystemProperty`). The validator reads none of them.
pub(super) const ANNOTATIONS: [&str; 14] = [
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "labels",
    "eventMetadata",
    "nameMapping",
    "index",
    "isSystemProperty",
    "$vocabulary",
];

/// Keywords that name a schema for `$ref` to find: neutral, unless a rule that uses references
/// has them move (checked for the whole rule, in [`super::compare`]).
pub(super) const IDENTIFIERS: [&str; 5] = ["$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor"];

/// Keywords that point at another schema.
pub(super) const REFERENCES: [&str; 3] = ["$ref", "$dynamicRef", "$recursiveRef"];

/// The JSON Schema drafts, as far as they read keywords differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Draft {
    /// Draft 4: `exclusiveMinimum` and `exclusiveMaximum` are booleans beside `minimum` and
    /// `maximum`; `items` may be a list, with `additionalItems` after it.
    Four,
    /// Drafts 6 and 7: `exclusiveMinimum` and `exclusiveMaximum` are numbers.
    SixSeven,
    /// 2019-09: `items` may still be a list.
    Y2019,
    /// 2020-12, and a schema that names none: `prefixItems`, then `items`.
    Y2020,
}

impl Draft {
    /// The draft a rule's schema declares (prepared: its `$schema` is a draft's canonical URI).
    pub fn of(schema: &Value) -> Draft {
        let Some(uri) = schema.get("$schema").and_then(Value::as_str) else { return Draft::Y2020 };
        if uri.contains("draft-04") {
            Draft::Four
        } else if uri.contains("draft-06") || uri.contains("draft-07") {
            Draft::SixSeven
        } else if uri.contains("2019-09") {
            Draft::Y2019
        } else {
            Draft::Y2020
        }
    }
}

/// Two JSON numbers compared exactly (integers past 2^53 too); `None` for what is not a number.
pub(super) fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    enum Exact {
        Int(i128),
        Float(f64),
    }
    fn exact(number: &Number) -> Option<Exact> {
        if let Some(value) = number.as_u64() {
            Some(Exact::Int(i128::from(value)))
        } else if let Some(value) = number.as_i64() {
            Some(Exact::Int(i128::from(value)))
        } else {
            number.as_f64().filter(|value| value.is_finite()).map(Exact::Float)
        }
    }
    fn int_float(int: i128, float: f64) -> Ordering {
        let whole = float.trunc();
        if whole >= 1e38 {
            return Ordering::Less;
        }
        if whole <= -1e38 {
            return Ordering::Greater;
        }
        match int.cmp(&(whole as i128)) {
            Ordering::Equal => whole.partial_cmp(&float).unwrap_or(Ordering::Equal),
            other => other,
        }
    }
    Some(match (exact(a)?, exact(b)?) {
        (Exact::Int(a), Exact::Int(b)) => a.cmp(&b),
        (Exact::Float(a), Exact::Float(b)) => a.partial_cmp(&b)?,
        (Exact::Int(a), Exact::Float(b)) => int_float(a, b),
        (Exact::Float(a), Exact::Int(b)) => int_float(b, a).reverse(),
    })
}

/// Which way a change goes, for one keyword or group of keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// Accepts the same values.
    Same,
    /// Accepts every value it did, and maybe more.
    Looser,
    /// May refuse a value it accepted.
    Tighter,
    /// Cannot be told.
    Unknown,
}

/// One side of a range: a bound and whether it is exclusive; `None` is no bound.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bound {
    pub value: Number,
    pub exclusive: bool,
}

/// The lower (`upper` false: `minimum`, `exclusiveMinimum`) or upper bound a schema sets, the
/// tighter of the two keywords; `Err` when a keyword's value is not what `draft` reads.
pub(super) fn bound(schema: &serde_json::Map<String, Value>, upper: bool, draft: Draft) -> Result<Option<Bound>, ()> {
    let (inclusive, exclusive) = if upper { ("maximum", "exclusiveMaximum") } else { ("minimum", "exclusiveMinimum") };
    let number = |key: &str| match schema.get(key) {
        None => Ok(None),
        Some(Value::Number(number)) => Ok(Some(number.clone())),
        Some(_) => Err(()),
    };
    let plain = number(inclusive)?;
    if draft == Draft::Four {
        let exclusive = match schema.get(exclusive) {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err(()),
        };
        return Ok(plain.map(|value| Bound { value, exclusive }));
    }
    let strict = number(exclusive)?;
    Ok(match (plain, strict) {
        (None, None) => None,
        (Some(value), None) => Some(Bound { value, exclusive: false }),
        (None, Some(value)) => Some(Bound { value, exclusive: true }),
        (Some(plain), Some(strict)) => {
            // The tighter one: the larger lower bound, the smaller upper bound; exclusive on a tie.
            let order = compare_numbers(&strict, &plain).ok_or(())?;
            let strict_wins = order == Ordering::Equal || (order == Ordering::Greater) != upper;
            if strict_wins {
                Some(Bound { value: strict, exclusive: true })
            } else {
                Some(Bound { value: plain, exclusive: false })
            }
        }
    })
}

/// Whether the new bound accepts what the old one did.
pub(super) fn bound_direction(old: &Option<Bound>, new: &Option<Bound>, upper: bool) -> Direction {
    match (old, new) {
        (None, None) => Direction::Same,
        (Some(_), None) => Direction::Looser,
        (None, Some(_)) => Direction::Tighter,
        (Some(old), Some(new)) => {
            let Some(order) = compare_numbers(&new.value, &old.value) else { return Direction::Unknown };
            // For a lower bound a smaller value is looser; for an upper bound a larger one.
            let order = if upper { order.reverse() } else { order };
            match (order, old.exclusive, new.exclusive) {
                (Ordering::Less, _, _) => Direction::Looser,
                (Ordering::Greater, _, _) => Direction::Tighter,
                (Ordering::Equal, false, true) => Direction::Tighter,
                (Ordering::Equal, true, false) => Direction::Looser,
                (Ordering::Equal, _, _) => Direction::Same,
            }
        }
    }
}

/// A count keyword's value (`minLength`, `maxItems`, ...): a non-negative number; `Err` otherwise.
pub(super) fn count(value: Option<&Value>) -> Result<Option<Number>, ()> {
    match value {
        None => Ok(None),
        Some(Value::Number(number)) if number.as_f64().is_some_and(|value| value >= 0.0) => Ok(Some(number.clone())),
        Some(_) => Err(()),
    }
}

/// Whether a count's change accepts what it did: a lower count (`min...`, absent 0) going down,
/// an upper one (`max...`, absent: none) going up.
pub(super) fn count_direction(old: Option<&Number>, new: Option<&Number>, upper: bool) -> Direction {
    let zero = Number::from(0u8);
    let (old, new) = if upper { (old, new) } else { (Some(old.unwrap_or(&zero)), Some(new.unwrap_or(&zero))) };
    match (old, new) {
        (None, None) => Direction::Same,
        (Some(_), None) => Direction::Looser,
        (None, Some(_)) => Direction::Tighter,
        (Some(old), Some(new)) => match compare_numbers(new, old) {
            None => Direction::Unknown,
            Some(Ordering::Equal) => Direction::Same,
            Some(Ordering::Less) if upper => Direction::Tighter,
            Some(Ordering::Less) => Direction::Looser,
            Some(Ordering::Greater) if upper => Direction::Looser,
            Some(Ordering::Greater) => Direction::Tighter,
        },
    }
}

/// The JSON types a `type` keyword's value names; `None` for all (no keyword), `Err` for a value
/// that is not one.
pub(super) fn types(value: Option<&Value>) -> Result<Option<Vec<&str>>, ()> {
    const NAMES: [&str; 7] = ["null", "boolean", "object", "array", "number", "string", "integer"];
    fn name(value: &Value) -> Result<&str, ()> {
        value.as_str().filter(|name| NAMES.contains(name)).ok_or(())
    }
    match value {
        None => Ok(None),
        Some(Value::Array(names)) => names.iter().map(name).collect::<Result<Vec<_>, _>>().map(Some),
        Some(one) => Ok(Some(vec![name(one)?])),
    }
}

/// The types of `old` that `new` no longer accepts (an integer is a number).
pub(super) fn types_lost<'a>(old: &Option<Vec<&'a str>>, new: &Option<Vec<&str>>) -> Vec<&'a str> {
    const ALL: [&str; 6] = ["null", "boolean", "object", "array", "number", "string"];
    let Some(new) = new else { return Vec::new() };
    let old: Vec<&str> = match old {
        Some(old) => old.clone(),
        None => ALL.to_vec(),
    };
    old.into_iter().filter(|kind| !(new.contains(kind) || (*kind == "integer" && new.contains(&"number")))).collect()
}

/// `multipleOf`'s change: looser when every multiple of the old value is one of the new value,
/// which is told only for whole numbers.
pub(super) fn multiple_direction(old: Option<&Value>, new: Option<&Value>) -> Direction {
    match (old, new) {
        (None, None) => Direction::Same,
        (Some(_), None) => Direction::Looser,
        (None, Some(_)) => Direction::Tighter,
        (Some(old), Some(new)) if old == new => Direction::Same,
        (Some(old), Some(new)) => match (old.as_u64(), new.as_u64()) {
            (Some(old), Some(new)) if new > 0 && old % new == 0 => Direction::Looser,
            (Some(_), Some(_)) => Direction::Tighter,
            _ => Direction::Unknown,
        },
    }
}

/// A value in a sentence: its JSON, cut short.
pub(super) fn shown(value: &Value) -> String {
    crate::quote::cut(&value.to_string(), 60).into_owned()
}

/// `key: old → new`, `key added: new`, `key removed (was old)`.
pub(super) fn changed(key: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    match (old, new) {
        (Some(old), Some(new)) => format!("{key}: {} → {}", shown(old), shown(new)),
        (None, Some(new)) => format!("{key} added: {}", shown(new)),
        (Some(old), None) => format!("{key} removed (was {})", shown(old)),
        (None, None) => format!("{key} unchanged"),
    }
}

/// What changed among `keys` between two schemas, each as [`changed`] words it (none when equal).
pub(super) fn changes(keys: &[&str], old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<String> {
    keys.iter()
        .filter(|key| old.get(**key) != new.get(**key))
        .map(|key| changed(key, old.get(*key), new.get(*key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn number(value: Value) -> Number {
        match value {
            Value::Number(number) => number,
            _ => panic!("not a number"),
        }
    }

    #[test]
    fn numbers_compare_exactly() {
        let cases = [
            (json!(1), json!(1.0), Ordering::Equal),
            (json!(1), json!(1.5), Ordering::Less),
            (json!(-1), json!(-1.5), Ordering::Greater),
            (json!(9_007_199_254_740_993u64), json!(9_007_199_254_740_992u64), Ordering::Greater),
            (json!(9_007_199_254_740_993u64), json!(9_007_199_254_740_992.0), Ordering::Greater),
            (json!(-5), json!(u64::MAX), Ordering::Less),
            (json!(2.5), json!(2.25), Ordering::Greater),
            (json!(1e300), json!(u64::MAX), Ordering::Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare_numbers(&number(a.clone()), &number(b.clone())), Some(expected), "{a} {b}");
            assert_eq!(compare_numbers(&number(b.clone()), &number(a.clone())), Some(expected.reverse()), "{b} {a}");
        }
    }

    #[test]
    fn bounds_take_the_tighter_keyword_and_the_draft() {
        let map = |value: Value| value.as_object().cloned().unwrap();
        let lower = |value: Value, draft| bound(&map(value), false, draft).unwrap();
        assert_eq!(
            lower(json!({"minimum": 1, "exclusiveMinimum": 1}), Draft::Y2020),
            Some(Bound { value: number(json!(1)), exclusive: true })
        );
        assert_eq!(
            lower(json!({"minimum": 2, "exclusiveMinimum": 1}), Draft::Y2020),
            Some(Bound { value: number(json!(2)), exclusive: false })
        );
        assert_eq!(
            lower(json!({"minimum": 2, "exclusiveMinimum": true}), Draft::Four),
            Some(Bound { value: number(json!(2)), exclusive: true })
        );
        assert!(bound(&map(json!({"exclusiveMinimum": true})), false, Draft::Y2020).is_err());
        let upper = bound(&map(json!({"maximum": 5, "exclusiveMaximum": 3})), true, Draft::SixSeven).unwrap();
        assert_eq!(upper, Some(Bound { value: number(json!(3)), exclusive: true }));
        let at = |value: i64, exclusive| Some(Bound { value: Number::from(value), exclusive });
        assert_eq!(bound_direction(&at(1, false), &at(1, true), false), Direction::Tighter);
        assert_eq!(bound_direction(&at(1, true), &at(1, false), true), Direction::Looser);
        assert_eq!(bound_direction(&at(1, false), &at(0, false), false), Direction::Looser);
        assert_eq!(bound_direction(&at(1, false), &at(0, false), true), Direction::Tighter);
        assert_eq!(bound_direction(&None, &at(0, false), true), Direction::Tighter);
    }

    #[test]
    fn types_and_counts() {
        let listed = json!(["integer", "string"]);
        let old = types(Some(&listed)).unwrap();
        assert_eq!(types_lost(&old, &types(Some(&json!("number"))).unwrap()), ["string"]);
        assert!(types_lost(&old, &types(Some(&json!(["number", "string"]))).unwrap()).is_empty());
        assert_eq!(
            types_lost(&types(Some(&json!("number"))).unwrap(), &types(Some(&json!("integer"))).unwrap()),
            ["number"]
        );
        assert_eq!(
            types_lost(&None, &types(Some(&json!(["object", "array", "number", "string", "boolean"]))).unwrap()),
            ["null"]
        );
        assert!(types(Some(&json!("float"))).is_err());
        let n = |value: u64| Number::from(value);
        assert_eq!(count_direction(None, Some(&n(0)), false), Direction::Same);
        assert_eq!(count_direction(Some(&n(2)), None, false), Direction::Looser);
        assert_eq!(count_direction(Some(&n(2)), Some(&n(3)), true), Direction::Looser);
        assert_eq!(count_direction(None, Some(&n(3)), true), Direction::Tighter);
        assert_eq!(multiple_direction(Some(&json!(4)), Some(&json!(2))), Direction::Looser);
        assert_eq!(multiple_direction(Some(&json!(2)), Some(&json!(4))), Direction::Tighter);
        assert_eq!(multiple_direction(Some(&json!(0.5)), Some(&json!(0.25))), Direction::Unknown);
    }
}
