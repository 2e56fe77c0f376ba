//! The call type and track event name of each message of a text, which the reports count
//! messages by. An outcome names its event only when it maps one (a `trackEvent` operation); for
//! the others the text is read again for `type` and `event` alone, every other value skipped
//! without being built.

use std::fmt;

use std::borrow::Cow;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::call::CallType;

/// The visits of a value that is not the container a visitor looks for: `$value`, nothing read.
macro_rules! scalars_give {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}
pub(crate) use scalars_give;

/// The event names a text holds: its own as a message, and its items' as a batch (the items of
/// a `batch` array in an object, or of the array it is).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Names {
    /// The text read as one message: its track event name.
    pub message: Option<String>,
    /// The text read as one message: its call type.
    pub call: Option<CallType>,
    /// The text read as a batch: each item's call type and track event name.
    pub items: Option<Vec<Probed>>,
}

/// What one message says of its call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Probed {
    /// Its call type, when `type` names one.
    pub call: Option<CallType>,
    /// Its event name, when it is a track call with one.
    pub event: Option<String>,
}

/// The names in `text`, one message's read with `hint` as its call type when it has no `type`
/// (a batch's items carry their own). Text that is not JSON has none.
pub(crate) fn names(text: &[u8], hint: Option<CallType>) -> Names {
    let mut reader = serde_json::Deserializer::from_slice(text);
    (&mut reader).deserialize_any(Top { hint }).unwrap_or_default()
}

/// What a message says of its call: `type` (when it is a string) and `event` (when it is one).
#[derive(Default)]
struct Fields {
    /// `type` was sent: `Some(name)` for a string, `None` for anything else.
    kind: Option<Option<String>>,
    event: Option<String>,
}

impl Fields {
    fn probed(self, hint: Option<CallType>) -> Probed {
        let call = match self.kind {
            Some(kind) => kind.as_deref().and_then(CallType::from_name),
            None => hint,
        };
        Probed { call, event: self.event.filter(|event| call == Some(CallType::Track) && !event.is_empty()) }
    }

    /// One member of a message; `false` when the key is not one of its fields.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "type" => self.kind = Some(map.next_value::<Text>()?.0),
            "event" => self.event = map.next_value::<Text>()?.0,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

struct Top {
    hint: Option<CallType>,
}

impl<'de> Visitor<'de> for Top {
    type Value = Names;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message or a batch")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
        let (mut fields, mut items) = (Fields::default(), None);
        while let Some(key) = map.next_key::<Key>()? {
            if !fields.read(&key.0, &mut map)? {
                if key.0 == "batch" {
                    items = map.next_value::<Items>()?.0;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let probed = fields.probed(self.hint);
        Ok(Names { message: probed.event, call: probed.call, items })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Names, A::Error> {
        Ok(Names { message: None, call: None, items: Items::visit(seq)?.0 })
    }

    scalars_give!(Names::default());
}

impl<'de> DeserializeSeed<'de> for Top {
    type Value = Names;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Names, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// An object key, decoded (borrowed from the text when it has no escapes).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A value that is kept when it is a string and skipped otherwise.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, value: &str) -> Result<Text, E> {
        Ok(Text(Some(value.to_owned())))
    }
    fn visit_string<E>(self, value: String) -> Result<Text, E> {
        Ok(Text(Some(value)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
        Ok(Text(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Text, E> {
        Ok(Text(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Text, E> {
        Ok(Text(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Text, E> {
        Ok(Text(None))
    }
    fn visit_unit<E>(self) -> Result<Text, E> {
        Ok(Text(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Text(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Text(None))
    }
}

/// A batch's items' calls (`None` for a `batch` that is not an array).
struct Items(Option<Vec<Probed>>);

impl Items {
    fn visit<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Items, A::Error> {
        let mut names = Vec::new();
        while let Some(item) = seq.next_element::<Item>()? {
            names.push(item.0);
        }
        Ok(Items(Some(names)))
    }
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Items, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Items, A::Error> {
                Items::visit(seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
                IgnoredAny.visit_map(map).map(|_| Items(None))
            }
            scalars_give!(Items(None));
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

/// One batch item's call (items carry their own `type`).
struct Item(Probed);

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let mut fields = Fields::default();
                while let Some(key) = map.next_key::<Key>()? {
                    if !fields.read(&key.0, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Item(fields.probed(None)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| Item(Probed::default()))
            }
            scalars_give!(Item(Probed::default()));
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str, hint: Option<CallType>) -> Option<String> {
        names(text.as_bytes(), hint).message
    }

    #[test]
    fn a_track_message_names_its_event() {
        assert_eq!(
            message(r#"{"type":"track","event":"Paid","properties":{"event":"x"}}"#, None).as_deref(),
            Some("Paid")
        );
        assert_eq!(message(r#"{"event":"Paid"}"#, Some(CallType::Track)).as_deref(), Some("Paid"));
        // A key sent twice counts with its last value, as the engine reads it.
        assert_eq!(message(r#"{"type":"track","event":"a","event":"b"}"#, None).as_deref(), Some("b"));
        for other in [
            r#"{"type":"identify","event":"Paid"}"#,
            r#"{"type":"track","event":""}"#,
            r#"{"type":"track","event":42}"#,
            r#"{"type":7,"event":"Paid"}"#,
            r#"{"event":"Paid"}"#,
            r#"{"type":"track","event":"Paid""#,
            "[1]",
            "42",
        ] {
            assert_eq!(message(other, None), None, "{other}");
        }
        assert_eq!(message(r#"{"type":"page","event":"Paid"}"#, Some(CallType::Track)), None);
        assert_eq!(names(br#"{"type":"group","groupId":"g"}"#, None).call, Some(CallType::Group));
        assert_eq!(names(br#"{"groupId":"g"}"#, Some(CallType::Identify)).call, Some(CallType::Identify));
        assert_eq!(names(br#"{"type":"x"}"#, Some(CallType::Identify)).call, None);
    }

    #[test]
    fn batch_items_name_their_own_events() {
        let text = r#"{"type":"x","batch":[{"type":"track","event":"A"},{"event":"B"},3,{"type":"track","event":"C"}],"context":{}}"#;
        let events =
            |found: Names| found.items.map(|items| items.into_iter().map(|item| item.event).collect::<Vec<_>>());
        let found = names(text.as_bytes(), Some(CallType::Track));
        assert_eq!(found.items.as_ref().map(|items| items[0].call), Some(Some(CallType::Track)));
        assert_eq!(events(found), Some(vec![Some("A".to_owned()), None, None, Some("C".to_owned())]));
        let found = names(br#"[{"type":"track","event":"A"},[]]"#, None);
        assert_eq!(events(found), Some(vec![Some("A".to_owned()), None]));
        assert_eq!(names(br#"{"batch":{}}"#, None).items, None);
    }
}
