//! The messages a value holds, as `infer` reads them: a message, a batch body's items, or a JSON
//! array's elements, told apart as the engine tells them (`spec::is_envelope`), each given the
//! call type and event name the engine would give it. Of each message only `type`, `event`,
//! `properties` and `traits` are read (the last two kept as their text, to be observed once the
//! message's rule is known); everything else is skipped unbuilt.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::call::CallType;
use crate::check::probe::{scalars_give, Key};
use crate::spec::ids::is_blank;

/// What a rule is inferred for: a call type, and a track call's event name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rule<'a> {
    Identify,
    Group,
    Track(Cow<'a, str>),
}

/// Why a value, or a message in it, gives no rule anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// A call of another type (page, screen, alias, delete), which plans do not describe here.
    Call(CallType),
    /// No usable `type` (and no route's type, for an inspector record).
    NoType,
    /// A `type` that is no Segment call type.
    UnknownType,
    /// A track call without an event name, which no rule can be chosen for.
    NoEvent,
    /// A value that is not an object where a message was expected.
    NotAnObject,
    /// A batch body whose `batch` is not an array.
    NotABatch,
}

impl Skip {
    /// Its key in an inference's `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Call(call) => call.as_str(),
            Skip::NoType => "no_type",
            Skip::UnknownType => "unknown_type",
            Skip::NoEvent => "no_event",
            Skip::NotAnObject => "not_an_object",
            Skip::NotABatch => "not_a_batch",
        }
    }
}

/// One message found in a value, or one thing skipped.
#[derive(Debug)]
pub(crate) enum Found<'a> {
    /// A message its rule is inferred from: `body` is its `properties` (track) or `traits`
    /// (identify, group), as it was sent, when it has one.
    Message {
        rule: Rule<'a>,
        body: Option<&'a RawValue>,
    },
    Skipped(Skip),
}

/// Everything `text` holds, in order; an error when it is not JSON (then nothing of it counts,
/// as nothing of it is checked). `hint` is the call type of a single message without a `type`
/// (an inspector record's route); a batch's items carry their own.
pub(crate) fn messages(text: &str, hint: Option<CallType>) -> Result<Vec<Found<'_>>, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let found = TopVisitor.deserialize(&mut reader)?;
    reader.end()?;
    let mut all = Vec::with_capacity(1);
    match found {
        Top::One(fields) => all.push(fields.found(hint)),
        Top::Envelope(batch) => match serde_json::from_str::<Items<'_>>(batch.get()) {
            Ok(Items(Some(items))) => all.extend(items),
            _ => all.push(Found::Skipped(Skip::NotABatch)),
        },
        Top::Many(items) => all.extend(items),
        Top::NotAnObject => all.push(Found::Skipped(Skip::NotAnObject)),
    }
    Ok(all)
}

/// What a message's `type` is.
#[derive(Debug, Default)]
enum Kind<'a> {
    /// Absent or `null`.
    #[default]
    Absent,
    Text(Cow<'a, str>),
    /// A number, a boolean, an object, an array.
    Other,
}

/// The members of a message (or of a batch body) `infer` reads; a key sent twice counts with its
/// last value, as the engine reads it.
#[derive(Debug, Default)]
struct Fields<'a> {
    kind: Kind<'a>,
    /// `type` is a key (whatever its value): a batch body has none.
    typed: bool,
    /// `event` when it is a string.
    event: Option<Cow<'a, str>>,
    properties: Option<&'a RawValue>,
    traits: Option<&'a RawValue>,
    batch: Option<&'a RawValue>,
}

impl<'a> Fields<'a> {
    fn read<A: MapAccess<'a>>(mut map: A) -> Result<Fields<'a>, A::Error> {
        let mut fields = Fields::default();
        while let Some(Key(key)) = map.next_key::<Key<'a>>()? {
            match &*key {
                "type" => {
                    fields.typed = true;
                    fields.kind = map.next_value::<TypeValue<'a>>()?.0;
                }
                "event" => fields.event = map.next_value::<TypeValue<'a>>()?.text(),
                "properties" => fields.properties = Some(map.next_value()?),
                "traits" => fields.traits = Some(map.next_value()?),
                "batch" => fields.batch = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }

    /// The call type as the engine reads it (`spec::call_type`): `type` when it names a call;
    /// the hint when it is absent, `null`, blank or not a string; none when it names no call.
    fn call(&self, hint: Option<CallType>) -> Result<CallType, Skip> {
        let call = match &self.kind {
            Kind::Text(name) if !is_blank(name) => Some(CallType::from_name(name).ok_or(Skip::UnknownType)?),
            _ => hint,
        };
        call.ok_or(Skip::NoType)
    }

    fn found(self, hint: Option<CallType>) -> Found<'a> {
        let call = match self.call(hint) {
            Ok(call) => call,
            Err(skip) => return Found::Skipped(skip),
        };
        match call {
            CallType::Identify => Found::Message { rule: Rule::Identify, body: self.traits },
            CallType::Group => Found::Message { rule: Rule::Group, body: self.traits },
            // The engine's event name: a string that is not blank, as sent (a plan's rule key).
            CallType::Track => match self.event {
                Some(event) if !is_blank(&event) => Found::Message { rule: Rule::Track(event), body: self.properties },
                _ => Found::Skipped(Skip::NoEvent),
            },
            other => Found::Skipped(Skip::Call(other)),
        }
    }
}

/// A `type` (or `event`) value: its text when it is a string.
struct TypeValue<'a>(Kind<'a>);

impl<'a> TypeValue<'a> {
    fn text(self) -> Option<Cow<'a, str>> {
        match self.0 {
            Kind::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for TypeValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TypeValue<'de>, D::Error> {
        struct TypeVisitor;
        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = TypeValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Text(Cow::Borrowed(text))))
            }
            fn visit_str<E>(self, text: &str) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Text(Cow::Owned(text.to_owned()))))
            }
            fn visit_unit<E>(self) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Absent))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Other))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Other))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Other))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TypeValue<'de>, E> {
                Ok(TypeValue(Kind::Other))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TypeValue<'de>, A::Error> {
                IgnoredAny.visit_map(map).map(|_| TypeValue(Kind::Other))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TypeValue<'de>, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| TypeValue(Kind::Other))
            }
        }
        deserializer.deserialize_any(TypeVisitor)
    }
}

/// A value at the top: a message or a batch body (an object), a list of messages (an array), or
/// anything else.
enum Top<'a> {
    One(Fields<'a>),
    Envelope(&'a RawValue),
    Many(Vec<Found<'a>>),
    NotAnObject,
}

/// Reads the value at the top.
struct TopVisitor;

impl<'de> DeserializeSeed<'de> for TopVisitor {
    type Value = Top<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Top<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message, a batch body or a list of messages")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top<'de>, A::Error> {
        let fields = Fields::read(map)?;
        Ok(match fields.batch {
            Some(batch) if !fields.typed => Top::Envelope(batch),
            _ => Top::One(fields),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top<'de>, A::Error> {
        Ok(Top::Many(Items::visit(seq)?))
    }

    scalars_give!(Top::NotAnObject);
}

/// A batch's items (`None` for a `batch` that is not an array).
struct Items<'a>(Option<Vec<Found<'a>>>);

impl<'a> Items<'a> {
    fn visit<A: SeqAccess<'a>>(mut seq: A) -> Result<Vec<Found<'a>>, A::Error> {
        let mut found = Vec::new();
        while let Some(Item(item)) = seq.next_element::<Item<'a>>()? {
            found.push(item);
        }
        Ok(found)
    }
}

impl<'de> serde::Deserialize<'de> for Items<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Items<'de>, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Items<'de>, A::Error> {
                Ok(Items(Some(Items::visit(seq)?)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items<'de>, A::Error> {
                IgnoredAny.visit_map(map).map(|_| Items(None))
            }
            scalars_give!(Items(None));
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

/// One item of a batch, or element of a list: a message with no hint, or not an object.
struct Item<'a>(Found<'a>);

impl<'de> serde::Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Item<'de>, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item<'de>, A::Error> {
                Ok(Item(Fields::read(map)?.found(None)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item<'de>, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| Item(Found::Skipped(Skip::NotAnObject)))
            }
            scalars_give!(Item(Found::Skipped(Skip::NotAnObject)));
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}
