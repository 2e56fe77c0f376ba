//! One value read into a [`Shape`] straight from its JSON text, nothing built on the way: keys and
//! strings are borrowed from the text where they have no escapes, and a member is looked up in the
//! shape by its text.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::formats::{Formats, ALL};
use super::shape::{Shape, ARRAY, BOOLEAN, INTEGER, MAX_DEPTH, NULL, NUMBER, OBJECT};
use crate::check::probe::Key;

/// What observing needs beside the shape: the format validators and the run's `--enum-max`.
#[derive(Debug)]
pub(crate) struct Tools {
    pub formats: Formats,
    pub enum_max: Option<usize>,
}

/// Reads `text` (one JSON value, the caller's to have checked) into `shape`, as a value at
/// depth 1. The shape's `seen` is the caller's to count.
pub(crate) fn observe(text: &str, shape: &mut Shape, tools: &mut Tools) -> Result<(), serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    Observer { shape, tools, depth: 1 }.deserialize(&mut reader)?;
    reader.end()
}

/// Reads one value into the shape of its place.
struct Observer<'a> {
    shape: &'a mut Shape,
    tools: &'a mut Tools,
    /// The place's depth: 1 for a message's `properties` or `traits`.
    depth: u32,
}

impl<'de> DeserializeSeed<'de> for Observer<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Observer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.shape.types |= NULL;
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.shape.types |= BOOLEAN;
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.shape.types |= INTEGER;
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.shape.types |= INTEGER;
        Ok(())
    }

    /// A number read as a float: an integer for JSON Schema when it has no fractional part, as
    /// the schema crate decides (`3.0` is an integer; so is `1e300`).
    fn visit_f64<E>(self, number: f64) -> Result<(), E> {
        self.shape.types |= if number.fract() == 0.0 { INTEGER } else { NUMBER };
        Ok(())
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        // Only the formats every earlier string matched are tried again.
        let candidates = if self.shape.strings == 0 { ALL } else { ALL & !self.shape.unmatched };
        let matched = self.tools.formats.matched(candidates, text);
        self.shape.string(text, ALL & !matched, self.tools.enum_max);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.shape.types |= ARRAY;
        if self.depth >= MAX_DEPTH {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let items = self.shape.items.get_or_insert_with(Box::default);
        while seq.next_element_seed(Observer { shape: items, tools: self.tools, depth: self.depth + 1 })?.is_some() {
            items.seen += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let shape = self.shape;
        shape.types |= OBJECT;
        if self.depth >= MAX_DEPTH {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        shape.objects += 1;
        let object = shape.objects;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let Some(member) = shape.member(&key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            // A key sent twice counts once (the plan sees its last value; both values' types are
            // kept, which only widens the description).
            if member.last_object != object {
                member.last_object = object;
                member.seen += 1;
            }
            map.next_value_seed(Observer { shape: member, tools: self.tools, depth: self.depth + 1 })?;
        }
        Ok(())
    }
}
