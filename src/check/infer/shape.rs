//! What the values at one place of a message were seen to be: their JSON types, and for objects
//! their members, for arrays their items, for strings the formats all of them matched and their
//! distinct values (up to `--enum-max`). Only counts, sets and flags: memory grows with the places
//! and the distinct values kept, never with the messages. Two shapes merge into the shape of both
//! inputs, whatever the order or the grouping (threads, files), so a run gives the same plan however
//! its work was split.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::formats::FormatSet;

/// A set of JSON types, one bit each.
pub(crate) type Types = u8;

/// `null`.
pub(crate) const NULL: Types = 1;
/// `true` or `false`.
pub(crate) const BOOLEAN: Types = 1 << 1;
/// A number without a fractional part (`3`, `3.0`), which JSON Schema's `integer` accepts.
pub(crate) const INTEGER: Types = 1 << 2;
/// A number with a fractional part.
pub(crate) const NUMBER: Types = 1 << 3;
/// A string.
pub(crate) const STRING: Types = 1 << 4;
/// An array.
pub(crate) const ARRAY: Types = 1 << 5;
/// An object.
pub(crate) const OBJECT: Types = 1 << 6;

/// The most distinct keys an object's place is described with. Past it the keys are data (ids,
/// dates, emails used as keys), not a schema: the place is then described as an object only,
/// and memory stays bounded on such input.
pub(crate) const MAX_MEMBERS: usize = 1000;

/// The deepest place described, counted from a message's `properties` or `traits` (1). Deeper
/// values count for their type only. It bounds the shapes' own nesting too, whose JSON must read
/// back within serde_json's 128 levels when workers hand them over.
pub(crate) const MAX_DEPTH: u32 = 32;

/// The values seen at one place. (Not `PartialEq`: `last_object` is bookkeeping; shapes are
/// compared by their JSON.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Shape {
    /// Values seen here: for a member, the objects that had it (once each, whatever duplicates);
    /// for an array's items, the elements; for a message's `properties` or `traits`, the messages
    /// that had one.
    pub seen: u64,
    /// The types seen.
    pub types: Types,
    /// Objects seen (each at most once per value).
    #[serde(skip_serializing_if = "is_zero")]
    pub objects: u64,
    /// The objects' members, by key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, Shape>,
    /// More than [`MAX_MEMBERS`] distinct keys were seen: `members` is left empty.
    #[serde(skip_serializing_if = "is_false")]
    pub open: bool,
    /// The arrays' elements, all in one shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Shape>>,
    /// Strings seen.
    #[serde(skip_serializing_if = "is_zero")]
    pub strings: u64,
    /// The formats some string did not match (so the formats every string matched are the others).
    #[serde(skip_serializing_if = "is_zero")]
    pub unmatched: FormatSet,
    /// The distinct strings, while there are at most `--enum-max` of them (empty without it).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub values: BTreeSet<String>,
    /// More distinct strings than `--enum-max`: `values` is left empty.
    #[serde(skip_serializing_if = "is_false")]
    pub too_many: bool,
    /// The object (by its number in `objects`) this member was last counted in, so that a key
    /// sent twice in one object counts once. Only meaningful while values are observed.
    #[serde(skip)]
    pub last_object: u64,
}

fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Shape {
    /// Adds `other` in: the shape of the values of both. `enum_max` is the run's `--enum-max`
    /// (`None`: distinct values are not kept).
    pub fn merge(&mut self, other: Shape, enum_max: Option<usize>) {
        self.seen += other.seen;
        self.types |= other.types;
        self.objects += other.objects;
        self.strings += other.strings;
        self.unmatched |= other.unmatched;
        self.open |= other.open;
        if !self.open {
            for (key, shape) in other.members {
                match self.members.get_mut(&key) {
                    Some(mine) => mine.merge(shape, enum_max),
                    None => {
                        self.members.insert(key, shape);
                    }
                }
            }
            self.open = self.members.len() > MAX_MEMBERS;
        }
        if self.open {
            self.members.clear();
        }
        self.items = match (self.items.take(), other.items) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(*theirs, enum_max);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        self.too_many |= other.too_many;
        match enum_max {
            Some(most) if !self.too_many => {
                self.values.extend(other.values);
                self.too_many = self.values.len() > most;
            }
            _ => {}
        }
        if self.too_many || enum_max.is_none() {
            self.values.clear();
        }
    }

    /// The member `key`, added when the place has room for it; `None` once it is open.
    pub fn member(&mut self, key: &str) -> Option<&mut Shape> {
        if self.open {
            return None;
        }
        if !self.members.contains_key(key) {
            if self.members.len() >= MAX_MEMBERS {
                self.open = true;
                self.members.clear();
                return None;
            }
            self.members.insert(key.to_owned(), Shape::default());
        }
        self.members.get_mut(key)
    }

    /// A string seen here that matched every format but `unmatched`, with `enum_max` as the run's.
    pub fn string(&mut self, text: &str, unmatched: FormatSet, enum_max: Option<usize>) {
        self.types |= STRING;
        self.strings += 1;
        self.unmatched |= unmatched;
        let Some(most) = enum_max else { return };
        if self.too_many || self.values.contains(text) {
            return;
        }
        if self.values.len() >= most {
            self.too_many = true;
            self.values.clear();
        } else {
            self.values.insert(text.to_owned());
        }
    }
}
