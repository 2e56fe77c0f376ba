//! The texts of an input's parts, as they were sent: each batch item's, the batch envelope's
//! `context`, `integrations` and `sentAt`, the whole message's. The quarantine
//! (`astrolabe-segment`'s `quarantine` module) stores refused messages as these texts, spliced,
//! never re-serialized: numbers keep their digits, escapes stay escapes.
//!
//! The text is read by the engine's own scan, so it is JSON here exactly when the engine reads
//! it as JSON, and a batch's items are the ones the engine answers, in the same order: the items
//! of a root array, or of the envelope's last member whose key (decoded) is `batch`.

use std::borrow::Cow;

use super::scan::{Depth, Entry, Kind, Tape};

/// The members of a batch envelope that a quarantined item carries, in this order.
pub const ENVELOPE_KEYS: [&str; 3] = ["context", "integrations", "sentAt"];

/// Levels recorded: the root's members, a batch's items (root array items, or the items of the
/// envelope's `batch` member), and those items' members (to take a member out of an item).
const LEVELS: u32 = 3;

/// JSON text, scanned, to be cut into the texts of its parts.
#[derive(Debug)]
pub struct Split<'t> {
    text: &'t str,
    tape: Tape,
}

/// One value of the text: a message, an item, an envelope member.
#[derive(Debug, Clone, Copy)]
pub struct Part<'s, 't> {
    split: &'s Split<'t>,
    index: u32,
}

impl<'t> Split<'t> {
    /// The text scanned, or `None` when it is not JSON (as the engine reads it: the same scan).
    pub fn new(text: &'t str) -> Option<Split<'t>> {
        Tape::scan(text, Depth::fixed(LEVELS)).ok().map(|tape| Split { text, tape })
    }

    /// The whole value.
    pub fn whole(&self) -> Part<'_, 't> {
        Part { split: self, index: 0 }
    }

    /// A batch's items, in order: a root array's, or those of the envelope's last `batch` member
    /// when it is an array. Empty for anything else.
    pub fn items(&self) -> Vec<Part<'_, 't>> {
        let container = match self.tape.get(0).map(|root| root.kind) {
            Some(Kind::Array) => Some(0),
            Some(Kind::Object) => {
                self.last_member("batch").filter(|index| self.tape.get(*index).is_some_and(|e| e.kind == Kind::Array))
            }
            _ => None,
        };
        container.map_or_else(Vec::new, |container| {
            self.tape.children(container).map(|(index, _)| Part { split: self, index }).collect()
        })
    }

    /// The envelope's `context`, `integrations` and `sentAt` (each its last occurrence, whatever
    /// its value), when the root is an object: what a batch item was sent with.
    pub fn envelope(&self) -> Vec<(&'static str, Part<'_, 't>)> {
        if self.tape.get(0).is_none_or(|root| root.kind != Kind::Object) {
            return Vec::new();
        }
        ENVELOPE_KEYS
            .iter()
            .filter_map(|key| self.last_member(key).map(|index| (*key, Part { split: self, index })))
            .collect()
    }

    /// The whole text as sent, with every `key` member of the root object taken out, and of each
    /// batch item ([`items`](Split::items)); nothing else changes (whitespace and line breaks
    /// stay).
    pub fn whole_without(&self, key: &str) -> String {
        let mut cuts = Vec::new();
        self.cuts(0, key, &mut cuts);
        for item in self.items() {
            self.cuts(item.index, key, &mut cuts);
        }
        cuts.sort_unstable();
        let (start, end) = self.span(0);
        splice(self.text, start, end, &cuts, false)
    }

    /// The index of the root object's last member whose key is `key`.
    fn last_member(&self, key: &str) -> Option<u32> {
        self.tape.children(0).filter(|(_, entry)| self.key(entry) == key).map(|(index, _)| index).last()
    }

    /// A member's key, decoded when it holds escapes.
    fn key(&self, entry: &Entry) -> Cow<'t, str> {
        let (start, end) = (entry.key.0 as usize, entry.key.1 as usize);
        let raw = self.text.get(start..end).unwrap_or_default();
        if !entry.key_escaped {
            return Cow::Borrowed(raw);
        }
        crate::plain::decoded(self.text.get(start.saturating_sub(1)..end + 1).unwrap_or_default())
            .map_or(Cow::Borrowed(raw), Cow::Owned)
    }

    /// The byte span of the value at `index`.
    fn span(&self, index: u32) -> (usize, usize) {
        self.tape.get(index).map_or((0, 0), |entry| (entry.value.0 as usize, entry.value.1 as usize))
    }

    /// The spans to cut out of the object at `index` to take out its `key` members with their
    /// commas, in order. A member followed by another goes from its key's quote to the next
    /// one's; the members after the last one kept go from that one's end to their own; when none
    /// is kept, all of them go.
    fn cuts(&self, index: u32, key: &str, cuts: &mut Vec<(usize, usize)>) {
        if self.tape.get(index).is_none_or(|entry| entry.kind != Kind::Object) {
            return;
        }
        let members: Vec<(bool, usize, usize)> = self
            .tape
            .children(index)
            .map(|(_, entry)| {
                (self.key(entry) == key, (entry.key.0 as usize).saturating_sub(1), entry.value.1 as usize)
            })
            .collect();
        if !members.iter().any(|(cut, _, _)| *cut) {
            return;
        }
        let last_kept = members.iter().rposition(|(cut, _, _)| !*cut);
        for (at, pair) in members.windows(2).enumerate() {
            if let [(true, start, _), (_, next, _)] = pair {
                if last_kept.is_some_and(|kept| at < kept) {
                    cuts.push((*start, *next));
                }
            }
        }
        let first_cut_after = last_kept.map_or(0, |kept| kept + 1);
        let (Some(first), Some(last)) = (members.get(first_cut_after), members.last()) else { return };
        let from = match last_kept.and_then(|kept| members.get(kept)) {
            Some((_, _, kept_end)) => *kept_end,
            None => first.1,
        };
        cuts.push((from, last.2));
    }
}

impl<'t> Part<'_, 't> {
    /// The value's text as sent.
    pub fn text(&self) -> &'t str {
        let (start, end) = self.split.span(self.index);
        self.split.text.get(start..end).unwrap_or_default()
    }

    /// The value's text on one line, with its `key` members taken out when it is an object (with
    /// their commas): CR and LF, which JSON text holds only between tokens, become spaces; nothing
    /// else changes.
    pub fn one_line_without(&self, key: &str) -> String {
        let mut cuts = Vec::new();
        self.split.cuts(self.index, key, &mut cuts);
        let (start, end) = self.split.span(self.index);
        splice(self.split.text, start, end, &cuts, true)
    }
}

/// `text[start..end]` without the `cuts` (sorted, within it), CR and LF made spaces when
/// `one_line`.
fn splice(text: &str, start: usize, end: usize, cuts: &[(usize, usize)], one_line: bool) -> String {
    let mut out = String::with_capacity(end.saturating_sub(start));
    let mut at = start;
    for (from, to) in cuts.iter().copied().chain([(end, end)]) {
        if from < at {
            at = at.max(to);
            continue;
        }
        let piece = text.get(at..from).unwrap_or_default();
        if one_line {
            out.extend(piece.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }));
        } else {
            out.push_str(piece);
        }
        at = to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without(text: &str) -> String {
        Split::new(text).unwrap().whole().one_line_without("writeKey")
    }

    #[test]
    fn members_are_taken_out_with_their_commas() {
        assert_eq!(without(r#"{"writeKey":"k","a":1}"#), r#"{"a":1}"#);
        assert_eq!(without(r#"{"a":1,"writeKey":"k"}"#), r#"{"a":1}"#);
        assert_eq!(without(r#"{"a":1, "writeKey": "k", "b":2}"#), r#"{"a":1, "b":2}"#);
        assert_eq!(without(r#"{"writeKey":"k"}"#), r#"{}"#);
        assert_eq!(without(r#"{ "writeKey" : "k" , "writeKey":"j" }"#), r#"{  }"#);
        assert_eq!(without(r#"{"a":1,"writeKey":"k","b":2,"writeKey":"j"}"#), r#"{"a":1,"b":2}"#);
        assert_eq!(without(r#"{"writeKey":"k","writeKey":"j","a":[1]}"#), r#"{"a":[1]}"#);
        assert_eq!(without(r#"{"write\u004bey":"k","a":1}"#), r#"{"a":1}"#);
        assert_eq!(without(r#"{"a":{"writeKey":"inner"}}"#), r#"{"a":{"writeKey":"inner"}}"#);
        assert_eq!(without(r#"[1, 2]"#), "[1, 2]");
        for text in [r#"{"a":1,"writeKey":"k","b":2}"#, r#"{"writeKey":1,"writeKey":2,"c":3,"writeKey":4}"#] {
            let value: serde_json::Value = serde_json::from_str(&without(text)).unwrap();
            assert!(value.get("writeKey").is_none(), "{text}");
        }
    }

    #[test]
    fn line_breaks_between_tokens_become_spaces() {
        assert_eq!(
            without("{\r\n  \"a\": \"x\\ny\",\n  \"b\": 12345678901234567890123\n}"),
            "{    \"a\": \"x\\ny\",   \"b\": 12345678901234567890123 }"
        );
    }

    #[test]
    fn items_and_envelope_are_the_engines() {
        let text =
            r#"{"batch": 1, "context": {"a": 1}, "sentAt": null, "\u0062atch": [{"x": 1}, 2], "context": {"b": 2}}"#;
        let split = Split::new(text).unwrap();
        let items: Vec<&str> = split.items().iter().map(|item| item.text()).collect();
        assert_eq!(items, [r#"{"x": 1}"#, "2"]);
        let envelope: Vec<(&str, &str)> = split.envelope().iter().map(|(key, part)| (*key, part.text())).collect();
        assert_eq!(envelope, [("context", r#"{"b": 2}"#), ("sentAt", "null")]);
        let array = Split::new(r#" [{"a": 1}, {"b": [2]}] "#).unwrap();
        assert_eq!(array.items().len(), 2);
        assert!(array.envelope().is_empty());
        assert!(Split::new("{").is_none());
        assert!(Split::new(r#"{"batch": {}}"#).unwrap().items().is_empty());
    }

    #[test]
    fn the_whole_loses_every_write_key_and_nothing_else() {
        let text = "{\"writeKey\": \"k\",\n \"batch\": [{\"writeKey\": \"k\", \"type\": \"track\"}, {\"a\": 1, \"writeKey\": \"k\"}]}";
        assert_eq!(
            Split::new(text).unwrap().whole_without("writeKey"),
            "{\"batch\": [{\"type\": \"track\"}, {\"a\": 1}]}"
        );
        let text = "[{\"writeKey\": \"k\"}, {\"b\": 2}]";
        assert_eq!(Split::new(text).unwrap().whole_without("writeKey"), "[{}, {\"b\": 2}]");
    }
}
