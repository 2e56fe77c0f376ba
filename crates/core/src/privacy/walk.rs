//! Every string of a message's `traits`, `properties` and `context`, keys included, read from
//! the message's JSON text (which the engine's scan has already found to be JSON): each with
//! where it is in the text and its path.

use crate::pointer::Pointer;

/// A string of the text.
pub(crate) struct Token {
    /// Its bytes in the text, quotes included.
    pub start: usize,
    pub end: usize,
    /// Whether it holds escapes (then it is decoded before it is read).
    pub escaped: bool,
    /// Whether it is a member's key rather than a value.
    pub key: bool,
}

/// One level of the walk: an object and the key of its member being read, or an array and the
/// index of its item.
struct Frame {
    array: bool,
    index: usize,
    key: (usize, usize, bool),
    expects_key: bool,
}

/// Which strings are read: those inside the root members named here (`None`: every string
/// inside the root, which is then the object read, as a batch's `context`).
pub(crate) type Scope = Option<&'static [&'static str]>;

/// The members of a message whose strings are read.
pub(crate) const MESSAGE: Scope = Some(&["traits", "properties", "context"]);

/// Calls `visit` with each string in scope and a way to make its path. Linear in the text.
pub(crate) fn strings(text: &str, scope: Scope, visit: &mut dyn FnMut(&Token, &dyn Fn() -> Pointer)) {
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::with_capacity(8);
    let mut index = 0;
    while let Some(byte) = bytes.get(index).copied() {
        match byte {
            b'{' | b'[' => {
                frames.push(Frame { array: byte == b'[', index: 0, key: (0, 0, false), expects_key: byte == b'{' });
                index += 1;
            }
            b'}' | b']' => {
                frames.pop();
                index += 1;
            }
            b',' => {
                if let Some(frame) = frames.last_mut() {
                    if frame.array {
                        frame.index += 1;
                    } else {
                        frame.expects_key = true;
                    }
                }
                index += 1;
            }
            b':' => {
                if let Some(frame) = frames.last_mut() {
                    frame.expects_key = false;
                }
                index += 1;
            }
            b'"' => {
                let (end, escaped) = string_end(bytes, index + 1);
                let key = frames.last().is_some_and(|frame| !frame.array && frame.expects_key);
                if key {
                    if let Some(frame) = frames.last_mut() {
                        frame.key = (index + 1, end.saturating_sub(1), escaped);
                    }
                }
                let token = Token { start: index, end, escaped, key };
                if in_scope(text, &frames, scope) {
                    visit(&token, &|| path(text, &frames));
                }
                index = end;
            }
            _ => index += 1,
        }
    }
}

/// Whether the strings at this depth are read: below a root member the scope names (keys of
/// that member's own object included), or anywhere inside the root without a scope.
fn in_scope(text: &str, frames: &[Frame], scope: Scope) -> bool {
    let Some(names) = scope else { return !frames.is_empty() };
    let (Some(root), true) = (frames.first(), frames.len() >= 2) else { return false };
    let (start, end, _) = root.key;
    text.get(start..end).is_some_and(|name| names.contains(&name))
}

/// The JSON Pointer of where the walk stands.
fn path(text: &str, frames: &[Frame]) -> Pointer {
    let mut pointer = Pointer::root();
    for frame in frames {
        pointer = if frame.array {
            pointer.index(frame.index)
        } else {
            let (start, end, escaped) = frame.key;
            let raw = text.get(start..end).unwrap_or_default();
            if escaped {
                pointer.key(&decode(text.get(start.saturating_sub(1)..end + 1).unwrap_or_default()))
            } else {
                pointer.key(raw)
            }
        };
    }
    pointer
}

/// Where the string whose content starts at `start` ends (past its closing quote), and whether
/// it holds escapes.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut index = start;
    let mut escaped = false;
    while let Some(byte) = bytes.get(index).copied() {
        match byte {
            b'"' => return (index + 1, escaped),
            b'\\' => {
                escaped = true;
                index += 2;
            }
            _ => index += 1,
        }
    }
    (bytes.len(), escaped)
}

/// A quoted JSON string's text, decoded.
pub(crate) fn decode(quoted: &str) -> String {
    match serde_json::from_str(quoted) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visited(text: &str, scope: Scope) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        strings(text, scope, &mut |token, path| {
            out.push((path().as_str().to_owned(), text[token.start..token.end].to_owned(), token.key))
        });
        out
    }

    #[test]
    fn strings_in_scope_with_their_paths() {
        let text = r#"{"userId": "u1", "traits": {"a": "x", "b": [1, "y", {"c/d": "z"}], "e\"f": "w"}, "context": {"ip": "1.2.3.4"}}"#;
        let found = visited(text, MESSAGE);
        let paths: Vec<(&str, &str, bool)> =
            found.iter().map(|(path, token, key)| (path.as_str(), token.as_str(), *key)).collect();
        assert_eq!(
            paths,
            [
                ("/traits/a", "\"a\"", true),
                ("/traits/a", "\"x\"", false),
                ("/traits/b", "\"b\"", true),
                ("/traits/b/1", "\"y\"", false),
                ("/traits/b/2/c~1d", "\"c/d\"", true),
                ("/traits/b/2/c~1d", "\"z\"", false),
                ("/traits/e\"f", "\"e\\\"f\"", true),
                ("/traits/e\"f", "\"w\"", false),
                ("/context/ip", "\"ip\"", true),
                ("/context/ip", "\"1.2.3.4\"", false),
            ]
        );
        assert_eq!(visited(r#"{"ip": "1.2.3.4"}"#, None).len(), 2);
    }
}
