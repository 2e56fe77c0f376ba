//! A message as the rules read it: its members in the order sent, keys borrowed where they can
//! be. The engine builds one from the text with only the members [`super::reads`] declares (no
//! hashing, no copy of a key); settings that read whole messages borrow a parsed object.
//!
//! Lookups are linear: the rules read about a dozen keys of a message, and comparing a dozen
//! short keys is cheaper than hashing them. A key sent twice keeps its first place and its last
//! value, as `serde_json`'s map does, so both views of a message read the same.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Whether two keys are the same, first by length and first byte: most keys a message holds
/// differ there, and comparing bytes costs a call to `memcmp`.
#[cfg_attr(feature = "speed", inline(always))]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// What kind of JSON value a member holds: what the scan settles of every value, and all that
/// some rules read of one (`context.library` must be an object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// Reading one key of an object: a message's own, a batch envelope's, a parsed map.
pub trait Lookup {
    /// The value of `key`, if the object has one.
    fn get(&self, key: &str) -> Option<&Value>;
    /// Calls `visit` with each member, in order.
    fn each(&self, visit: &mut dyn FnMut(&str, &Value));
}

impl Lookup for Map<String, Value> {
    fn get(&self, key: &str) -> Option<&Value> {
        Map::get(self, key)
    }

    fn each(&self, visit: &mut dyn FnMut(&str, &Value)) {
        for (key, value) in self {
            visit(key, value);
        }
    }
}

/// An object's members that the rules read: of `context`, `traits`, `properties` or
/// `integrations`, or all of them when borrowed from a parsed object.
#[derive(Debug, Clone, Default)]
pub struct Members<'a> {
    list: Vec<(Cow<'a, str>, Cow<'a, Value>)>,
    /// The parsed object these were borrowed from, when they were (settings that read whole
    /// messages map traits and properties from it).
    whole: Option<&'a Map<String, Value>>,
}

impl<'a> Members<'a> {
    /// Room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Members<'a> {
        Members { list: Vec::with_capacity(capacity), whole: None }
    }

    /// Every member of a parsed object, borrowed.
    pub fn borrow(map: &'a Map<String, Value>) -> Members<'a> {
        let list = map.iter().map(|(key, value)| (Cow::Borrowed(key.as_str()), Cow::Borrowed(value))).collect();
        Members { list, whole: Some(map) }
    }

    /// Adds a member; a key already present keeps its place and takes the new value.
    pub fn insert(&mut self, key: Cow<'a, str>, value: Cow<'a, Value>) {
        match self.list.iter_mut().find(|(known, _)| same_key(known, &key)) {
            Some((_, slot)) => *slot = value,
            None => self.list.push((key, value)),
        }
    }

    /// Removes the member `key`, if there is one.
    pub fn remove(&mut self, key: &str) {
        self.list.retain(|(known, _)| !same_key(known, key));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The members in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.list.iter().map(|(key, value)| (key.as_ref(), value.as_ref()))
    }

    /// The parsed object, when these were borrowed from one.
    pub fn whole(&self) -> Option<&'a Map<String, Value>> {
        self.whole
    }
}

impl Lookup for Members<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        self.list.iter().find(|(known, _)| same_key(known, key)).map(|(_, value)| value.as_ref())
    }

    fn each(&self, visit: &mut dyn FnMut(&str, &Value)) {
        for (key, value) in &self.list {
            visit(key, value);
        }
    }
}

/// What a member holds, as the rules tell values apart: `null`, a string, or anything else.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Read<'v> {
    /// `null`, which counts as absent.
    Null,
    /// A string.
    Text(&'v str),
    /// A number, a boolean, an array or an object.
    Other(&'v Value),
}

impl<'v> Read<'v> {
    /// A parsed value, told apart.
    pub fn of(value: &'v Value) -> Read<'v> {
        match value {
            Value::Null => Read::Null,
            Value::String(text) => Read::Text(text),
            other => Read::Other(other),
        }
    }

    /// The value itself, for the rare reader that needs one (a hint that reformats a timestamp).
    pub fn to_value(self) -> Value {
        match self {
            Read::Null => Value::Null,
            Read::Text(text) => Value::String(text.to_owned()),
            Read::Other(value) => value.clone(),
        }
    }

    /// The type's name with its article ("a string", "an object").
    pub fn type_name(self) -> &'static str {
        match self {
            Read::Null => "null",
            Read::Text(_) => "a string",
            Read::Other(value) => super::ids::json_type_name(value),
        }
    }
}

/// A member of a message: a value read whole, or an object read member by member.
#[derive(Debug, Clone)]
pub enum Member<'a> {
    /// A string without escapes, borrowed from the text (most of what the rules read: the type,
    /// ids, the event, timestamps), so that reading it copies nothing.
    Text(&'a str),
    /// A value the rules read whole (or an object the engine did not take apart).
    Value(Cow<'a, Value>),
    /// An object of which the rules read some members (`context`, `traits`, `properties`,
    /// `integrations`).
    Object(Members<'a>),
}

impl<'a> Member<'a> {
    /// `null` counts as absent, as everywhere in the Spec.
    pub fn is_null(&self) -> bool {
        matches!(self, Member::Value(value) if value.is_null())
    }

    /// What the member holds, as the rules tell values apart; `None` for an object read member
    /// by member (ask [`Member::object`]).
    pub fn read(&self) -> Option<Read<'_>> {
        match self {
            Member::Text(text) => Some(Read::Text(text)),
            Member::Value(value) => Some(Read::of(value)),
            Member::Object(_) => None,
        }
    }

    /// The members of an object, whichever way it was read; `None` for any other value.
    pub fn object(&self) -> Option<Cow<'_, Members<'a>>> {
        match self {
            Member::Object(members) => Some(Cow::Borrowed(members)),
            Member::Value(Cow::Borrowed(Value::Object(map))) => Some(Cow::Owned(Members::borrow(map))),
            Member::Value(Cow::Owned(Value::Object(map))) => {
                let list =
                    map.iter().map(|(key, value)| (Cow::Owned(key.clone()), Cow::Owned(value.clone()))).collect();
                Some(Cow::Owned(Members { list, whole: None }))
            }
            Member::Value(_) | Member::Text(_) => None,
        }
    }
}

/// A message object as the rules read it.
#[derive(Debug, Clone, Default)]
pub struct Message<'a> {
    list: Vec<(Cow<'a, str>, Member<'a>)>,
    /// A bit per key held, by [`key_bit`]: most lookups are of keys a message lacks
    /// (`originalTimestamp`, `receivedAt`, near misses), and most inserts are of new keys, so
    /// both are settled without comparing keys.
    bits: u64,
    /// Some key nearly is a Segment field (`userID`): most messages have none, and the rules
    /// that look for them then need not fold every key.
    misspelled: bool,
}

/// A key's bit in [`Message::bits`], from its length and last byte.
#[cfg_attr(feature = "speed", inline(always))]
fn key_bit(key: &str) -> u64 {
    let last = u64::from(key.as_bytes().last().copied().unwrap_or(0));
    1 << ((key.len() as u64).wrapping_mul(7).wrapping_add(last) % 64)
}

impl<'a> Message<'a> {
    /// Room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Message<'a> {
        Message { list: Vec::with_capacity(capacity), bits: 0, misspelled: false }
    }

    /// Every member of a parsed message, borrowed.
    pub fn borrow(map: &'a Map<String, Value>) -> Message<'a> {
        let list = map.iter().map(|(key, value)| (Cow::Borrowed(key.as_str()), Member::Value(Cow::Borrowed(value))));
        let bits = map.keys().fold(0, |bits, key| bits | key_bit(key));
        let misspelled = map.keys().any(|key| super::near_miss::message_field(key).is_some());
        Message { list: list.collect(), bits, misspelled }
    }

    /// Adds a member; a key already present keeps its place and takes the new value.
    pub fn insert(&mut self, key: Cow<'a, str>, member: Member<'a>) {
        let bit = key_bit(&key);
        let known =
            if self.bits & bit == 0 { None } else { self.list.iter_mut().find(|(known, _)| same_key(known, &key)) };
        match known {
            Some((_, slot)) => *slot = member,
            None => self.list.push((key, member)),
        }
        self.bits |= bit;
    }

    /// Adds a member whose key nearly is a Segment field (`Reads::Misspelled`).
    pub fn insert_misspelled(&mut self, key: Cow<'a, str>, member: Member<'a>) {
        self.misspelled = true;
        self.insert(key, member);
    }

    /// Whether some key nearly is a Segment field (`userID`).
    pub fn misspelled(&self) -> bool {
        self.misspelled
    }

    /// The member `key`. Inlined in the full build: the rules ask with literal keys, whose bit is
    /// then a constant.
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn member(&self, key: &str) -> Option<&Member<'a>> {
        if self.bits & key_bit(key) == 0 {
            return None;
        }
        self.list.iter().find(|(known, _)| same_key(known, key)).map(|(_, member)| member)
    }

    /// What `key` holds when the rules read it whole; `None` for absent (and for an object read
    /// member by member: ask [`Message::member`]).
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn get(&self, key: &str) -> Option<Read<'_>> {
        self.member(key).and_then(Member::read)
    }

    /// Whether `key` is present and not `null`.
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn has(&self, key: &str) -> bool {
        self.member(key).is_some_and(|member| !member.is_null())
    }

    /// Removes the member `key`, if there is one.
    pub fn remove(&mut self, key: &str) {
        self.list.retain(|(known, _)| !same_key(known, key));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The members in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Member<'a>)> {
        self.list.iter().map(|(key, member)| (key.as_ref(), member))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_key_sent_twice_keeps_its_place_and_its_last_value_as_serde_json_does() {
        let parsed: Value = serde_json::from_str(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap_or_default();
        let mut built = Members::with_capacity(2);
        built.insert(Cow::Borrowed("a"), Cow::Owned(json!(1)));
        built.insert(Cow::Borrowed("b"), Cow::Owned(json!(2)));
        built.insert(Cow::Borrowed("a"), Cow::Owned(json!(3)));
        let borrowed = parsed.as_object().map(Members::borrow).unwrap_or_default();
        let pairs = |members: &Members<'_>| members.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect::<Vec<_>>();
        assert_eq!(pairs(&built), pairs(&borrowed));
        assert_eq!(built.get("a"), Some(&json!(3)));
    }

    #[test]
    fn an_object_reads_the_same_whichever_way_it_was_read() {
        let context = json!({"groupId": "g1", "ip": "1.2.3.4"});
        let mut members = Members::with_capacity(1);
        members.insert(Cow::Borrowed("groupId"), Cow::Owned(json!("g1")));
        for member in [
            Member::Object(members),
            Member::Value(Cow::Borrowed(&context)),
            Member::Value(Cow::Owned(context.clone())),
        ] {
            let object = member.object();
            assert_eq!(object.as_ref().and_then(|object| object.get("groupId")), Some(&json!("g1")));
            assert!(!member.is_null());
        }
        assert!(Member::Value(Cow::Owned(Value::Null)).is_null());
        assert!(Member::Value(Cow::Owned(json!(1))).object().is_none());
    }
}
