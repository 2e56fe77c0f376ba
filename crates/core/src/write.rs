//! The one writer of outcomes: every outcome, batch outcome, validation and operation, from any
//! input, is written to JSON text here, and their `Serialize` impls go through it too, so no
//! second serializer can drift from it. Traits and properties copied from input text keep their
//! numbers digit for digit; the layout of each operation is [`operation`]'s.

use serde_json::{Map, Value};

use crate::issue::Issue;
use crate::operation::OperationKind;
use crate::outcome::Status;

/// The traits or properties of an operation: JSON text copied from the input (`clean`: it has
/// neither whitespace nor escapes, so it goes out as it is), a parsed object, or none (`{}`).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// Text from the input.
    Text {
        /// The object's text.
        text: &'a str,
        /// No whitespace and no escapes.
        clean: bool,
    },
    /// A parsed object.
    Map(&'a Map<String, Value>),
    /// None sent: `{}`.
    Empty,
}

/// What an operation holds, borrowed, whatever it was made from: a checked message's fields
/// and its input text (the engine), or an [`Operation`](crate::Operation).
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// Which operation.
    pub kind: OperationKind,
    /// `groupId` (upsertAccount, associateUser; trackEvent's from `context.groupId`).
    pub group_id: Option<&'a str>,
    /// `event` (trackEvent).
    pub event: Option<&'a str>,
    /// `userId`.
    pub user_id: Option<&'a str>,
    /// `anonymousId`.
    pub anonymous_id: Option<&'a str>,
    /// Traits (upsertUser, upsertAccount) or properties (trackEvent).
    pub body: Body<'a>,
    /// RFC 3339 UTC.
    pub timestamp: Option<&'a str>,
    /// For de-duplication.
    pub message_id: Option<&'a str>,
}

/// Appends one operation: `{"op": ..., members}` in the spec's order (section 8), absent members
/// left out. This is the one place that layout is written.
pub(crate) fn operation(out: &mut String, parts: &Parts<'_>) {
    let mut op = Object::open(out);
    op.string("op", parts.kind.name());
    match parts.kind {
        OperationKind::UpsertUser => {
            op.optional("userId", parts.user_id);
            op.optional("anonymousId", parts.anonymous_id);
            body(op.key("traits"), parts.body);
        }
        OperationKind::UpsertAccount => {
            op.optional("groupId", parts.group_id);
            body(op.key("traits"), parts.body);
        }
        OperationKind::AssociateUser => {
            op.optional("groupId", parts.group_id);
            op.optional("userId", parts.user_id);
            op.optional("anonymousId", parts.anonymous_id);
        }
        OperationKind::TrackEvent => {
            op.optional("event", parts.event);
            op.optional("userId", parts.user_id);
            op.optional("anonymousId", parts.anonymous_id);
            op.optional("groupId", parts.group_id);
            body(op.key("properties"), parts.body);
        }
    }
    if parts.kind != OperationKind::AssociateUser {
        op.optional("timestamp", parts.timestamp);
        op.optional("messageId", parts.message_id);
    }
    op.close();
}

fn body(out: &mut String, body: Body<'_>) {
    match body {
        Body::Text { text, clean } => compact(out, text, clean),
        Body::Map(map) => value(out, map),
        Body::Empty => out.push_str("{}"),
    }
}

/// Appends a parsed value as compact JSON.
fn value(out: &mut String, value: &impl serde::Serialize) {
    // Writing a Value with string keys to a String cannot fail.
    if let Ok(text) = serde_json::to_string(value) {
        out.push_str(&text);
    }
}

/// `Serialize` through the writer: the type's JSON text (its `to_json`), parsed and handed to the
/// serializer, so serde output cannot differ from the text.
macro_rules! serialize_as_written {
    ($($type:ty),+) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value: serde_json::Value =
                    serde_json::from_str(&self.to_json()).map_err(<S::Error as serde::ser::Error>::custom)?;
                value.serialize(serializer)
            }
        }
    )+};
}
pub(crate) use serialize_as_written;

/// Appends `{"status":...,"operations":[...],"errors":[...],"warnings":[...],"reason"?}`;
/// `operations` are written into the array, comma-separated.
pub(crate) fn outcome<'p>(
    out: &mut String,
    status: Status,
    operations: impl IntoIterator<Item = Parts<'p>>,
    errors: &[Issue],
    warnings: &[Issue],
    reason: Option<&Issue>,
) {
    out.push_str("{\"status\":");
    self::status(out, status);
    out.push_str(",\"operations\":[");
    for (at, parts) in operations.into_iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        operation(out, &parts);
    }
    out.push_str("],\"errors\":");
    issues(out, errors);
    out.push_str(",\"warnings\":");
    issues(out, warnings);
    if let Some(reason) = reason {
        out.push_str(",\"reason\":");
        issue(out, reason);
    }
    out.push('}');
}

/// Appends `{"valid":...,"errors":[...],"warnings":[...]}`.
pub(crate) fn validation(out: &mut String, valid: bool, errors: &[Issue], warnings: &[Issue]) {
    out.push_str(if valid { "{\"valid\":true" } else { "{\"valid\":false" });
    out.push_str(",\"errors\":");
    issues(out, errors);
    out.push_str(",\"warnings\":");
    issues(out, warnings);
    out.push('}');
}

/// Opens `{"outcomes":[`; the outcomes follow, comma-separated, then [`batch_close`].
pub(crate) fn batch_open(out: &mut String) {
    out.push_str("{\"outcomes\":[");
}

/// Closes what [`batch_open`] opened: `],"errors":[...]}`.
pub(crate) fn batch_close(out: &mut String, errors: &[Issue]) {
    out.push_str("],\"errors\":");
    issues(out, errors);
    out.push('}');
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
pub(crate) fn string(out: &mut String, text: &str) {
    out.push('"');
    // Most strings (ids, names, timestamps, sentences) need no escape: one pass to know it.
    let first_escape = crate::plain::run(text.as_bytes());
    if first_escape == text.len() {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate().skip(first_escape) {
        let escape: &str = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(text.get(plain..at).unwrap_or_default());
        plain = at + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(byte & 0xF)).copied().unwrap_or(b'0')));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(text.get(plain..).unwrap_or_default());
    out.push('"');
}

/// Appends a JSON value's text as serde writes it: without whitespace, strings with escapes
/// decoded and escaped again. Numbers stay as they were written, digit for digit. `clean` says
/// the text has neither whitespace nor escapes, so it is copied as it is.
pub(crate) fn compact(out: &mut String, text: &str, clean: bool) {
    if clean {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut copied = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            byte if crate::plain::is_whitespace(byte) => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                at += 1;
                while bytes.get(at).copied().is_some_and(crate::plain::is_whitespace) {
                    at += 1;
                }
                copied = at;
            }
            b'"' => {
                // Most strings hold no escape: they are kept as they are, read eight bytes at a
                // time (with `speed`: the lite build keeps its bytes, and reads them one by one).
                #[cfg(feature = "speed")]
                {
                    let plain = at + 1 + crate::plain::run(bytes.get(at + 1..).unwrap_or_default());
                    if bytes.get(plain) == Some(&b'"') {
                        at = plain + 1;
                        continue;
                    }
                }
                let end = string_end(bytes, at);
                let literal = text.get(at..end).unwrap_or_default();
                if literal.contains('\\') {
                    out.push_str(text.get(copied..at).unwrap_or_default());
                    match serde_json::from_slice::<String>(literal.as_bytes()) {
                        Ok(decoded) => string(out, &decoded),
                        // The scanner accepted it, so this does not happen; keep the text.
                        Err(_) => out.push_str(literal),
                    }
                    copied = end;
                }
                at = end;
            }
            _ => at += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
}

/// One past the closing quote of the string that opens at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return at + 1,
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Appends `[issue,...]`.
pub(crate) fn issues(out: &mut String, issues: &[Issue]) {
    out.push('[');
    for (at, issue) in issues.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        self::issue(out, issue);
    }
    out.push(']');
}

/// Appends `{"code":...,"path":...,"message":...}`, and `"hint"` when there is one.
pub(crate) fn issue(out: &mut String, issue: &Issue) {
    out.push_str("{\"code\":\"");
    out.push_str(issue.code.as_str());
    out.push_str("\",\"path\":");
    string(out, &issue.path);
    out.push_str(",\"message\":");
    string(out, &issue.message);
    if let Some(hint) = &issue.hint {
        out.push_str(",\"hint\":");
        string(out, hint);
    }
    out.push('}');
}

/// An object written member by member, commas placed.
struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    #[cfg_attr(feature = "speed", inline(always))]
    pub(crate) fn open(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, first: true }
    }

    /// Starts a member: its key, then the caller writes the value into the returned text.
    /// Inlined, as the rest: the keys are literals, copied as constants.
    #[cfg_attr(feature = "speed", inline(always))]
    pub(crate) fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    #[cfg_attr(feature = "speed", inline(always))]
    pub(crate) fn string(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    /// A member written only when there is a value (serde's `skip_serializing_if = "Option::is_none"`).
    #[cfg_attr(feature = "speed", inline(always))]
    pub(crate) fn optional(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    #[cfg_attr(feature = "speed", inline(always))]
    pub(crate) fn close(self) {
        self.out.push('}');
    }
}

/// The status as serde writes it.
pub(crate) fn status(out: &mut String, status: Status) {
    out.push('"');
    out.push_str(status.as_str());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        for text in ["plain", "a\"b\\c", "\n\r\t\u{8}\u{c}", "\u{1}\u{1f}\u{7f}", "é😀/"] {
            let mut out = String::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn compacts_as_serde_writes() {
        for text in [
            r#"{ "a" : [ 1 , "x y" ] , "b\n" : "\u0041\/\"" }"#,
            r#"[ "\ud83d\ude00" , { } ]"#,
            // As analytics-python writes them: a space after each `:` and `,`, ASCII escapes.
            r#"{"source": "api with spaces and more", "count": 18, "name": "Zo\u00eb \u00c9 long enough to span words", "nested": {"a":  [1,   2]}}"#,
            "{ \"\" : \"\" ,\n\t\"é 中\" :\r\n\"a plain string of some length\\\\ then an escape\" }",
            // What the scan's compact lengths were held to, before the 32 KB limit measured this.
            r#"{"a": 1, "b" : [true, false, null], "c": {"d": "e"}}"#,
            r#"["\u00e9\n\/\"\\", "\ud83d\ude00", "\u0001", "\u0041", "é"]"#,
            r#"  {"k":-0.5,"l":[],"m":{}}  "#,
            r#""plain""#,
            r#"{"long": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"bbbbbbbbbbbbbbbbbbb\\cccccccccccccccccc"}"#,
        ] {
            let mut out = String::new();
            compact(&mut out, text, false);
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(out, serde_json::to_string(&value).unwrap());
        }
    }
}
