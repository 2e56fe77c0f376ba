//! Outcomes written straight to JSON text, byte for byte as `serde_json::to_string` writes
//! [`Outcome`](crate::Outcome) (the tests compare the two), with traits and properties copied
//! from the input text rather than rebuilt.

use crate::issue::Issue;
use crate::outcome::Status;

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
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
pub fn compact(out: &mut String, text: &str, clean: bool) {
    if clean {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut copied = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                at += 1;
                copied = at;
            }
            b'"' => {
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
pub fn issues(out: &mut String, issues: &[Issue]) {
    out.push('[');
    for (at, issue) in issues.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        self::issue(out, issue);
    }
    out.push(']');
}

/// Appends `{"code":...,"path":...,"message":...}`.
pub fn issue(out: &mut String, issue: &Issue) {
    out.push_str("{\"code\":\"");
    out.push_str(issue.code.as_str());
    out.push_str("\",\"path\":");
    string(out, &issue.path);
    out.push_str(",\"message\":");
    string(out, &issue.message);
    out.push('}');
}

/// An object written member by member, commas placed.
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    pub fn open(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, first: true }
    }

    /// Starts a member: its key, then the caller writes the value into the returned text.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    pub fn string(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    /// A member written only when there is a value (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn optional(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    pub fn close(self) {
        self.out.push('}');
    }
}

/// The status as serde writes it.
pub fn status(out: &mut String, status: Status) {
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
        for text in [r#"{ "a" : [ 1 , "x y" ] , "b\n" : "\u0041\/\"" }"#, r#"[ "\ud83d\ude00" , { } ]"#] {
            let mut out = String::new();
            compact(&mut out, text, false);
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(out, serde_json::to_string(&value).unwrap());
        }
    }
}
