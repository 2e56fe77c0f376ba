//! Raw input: JSON text parsed once, and the limits checked before any deep work (spec section 3).

use serde_json::Value;
use std::io;

use crate::fast::{Broken, Problem};
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;

/// One message, serialized as UTF-8 JSON, at most 32 KB.
pub const MAX_MESSAGE_BYTES: usize = 32_768;
/// One batch request, at most 500 KB.
pub const MAX_BATCH_BYTES: usize = 512_000;
/// Items in one batch.
pub const MAX_BATCH_ITEMS: usize = 2_500;
/// JSON nesting (the root object or array is level 1).
pub const MAX_DEPTH: usize = 64;

/// What JSON text holds.
#[derive(Debug)]
pub enum Parsed {
    /// Parsed JSON.
    Value(Value),
    /// Text that cannot be used: not UTF-8, not JSON, too deep, too large.
    Refused(Issue),
}

/// The text of input bytes, or the issue that refuses them without reading further: over the
/// batch limit (`batch_too_large` when it looks like a batch, else `too_large`), or not UTF-8
/// (`invalid_json`, with the line and column of the first bad byte). A UTF-8 byte-order mark is
/// allowed and dropped.
pub fn text(bytes: &[u8]) -> Result<&str, Issue> {
    let root = Pointer::root();
    if bytes.len() > MAX_BATCH_BYTES {
        return Err(if looks_like_batch(bytes) {
            batch_too_large()
        } else {
            Issue::new(
                Code::TooLarge,
                &root,
                format!("The input is over {MAX_BATCH_BYTES} bytes, more than even a batch may have; a message may have 32 KB."),
            )
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = line_and_column(bytes, error.valid_up_to());
        Issue::new(
            Code::InvalidJson,
            &root,
            format!("The input is not UTF-8 text: invalid byte at line {line}, column {column}."),
        )
    })
}

/// The issue of text that is not JSON, with the line and column where it breaks.
pub fn broken(text: &str, broken: Broken) -> Issue {
    let (line, column) = line_and_column(text.as_bytes(), broken.at);
    let root = Pointer::root();
    match broken.problem {
        Problem::TooDeep => Issue::new(
            Code::TooDeep,
            &root,
            format!("The JSON is nested deeper than {MAX_DEPTH} levels (at line {line}, column {column})."),
        ),
        Problem::Syntax(what) if broken.at >= text.len() => Issue::new(
            Code::InvalidJson,
            &root,
            format!("The JSON text ends too early at line {line}, column {column}: {what}."),
        ),
        Problem::Syntax(what) => Issue::new(
            Code::InvalidJson,
            &root,
            format!("The input is not valid JSON: {what} at line {line}, column {column}."),
        ),
    }
}

/// Parses JSON text once. Refuses, without parsing, text over the batch limit; reports broken
/// text with its line and column. A UTF-8 byte-order mark is allowed.
pub fn parse(bytes: &[u8]) -> Parsed {
    let text = match text(bytes) {
        Ok(text) => text,
        Err(issue) => return Parsed::Refused(issue),
    };
    match serde_json::from_str(text) {
        Ok(value) => Parsed::Value(value),
        Err(error) => Parsed::Refused(syntax_issue(&error)),
    }
}

fn syntax_issue(error: &serde_json::Error) -> Issue {
    let text = error.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text);
    let (line, column) = (error.line(), error.column());
    if what.contains("recursion limit") {
        return Issue::new(
            Code::TooDeep,
            &Pointer::root(),
            format!("The JSON is nested deeper than {MAX_DEPTH} levels (at line {line}, column {column})."),
        );
    }
    let message = if error.is_eof() {
        format!("The JSON text ends too early at line {line}, column {column}: {what}.")
    } else {
        format!("The input is not valid JSON: {what} at line {line}, column {column}.")
    };
    Issue::new(Code::InvalidJson, &Pointer::root(), message)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
    (line, column)
}

/// Whether text too large to parse is a batch: a JSON array, or an object whose first key is
/// `batch` (how every Segment library writes it).
fn looks_like_batch(bytes: &[u8]) -> bool {
    let mut rest = bytes.iter().skip_while(|b| b.is_ascii_whitespace());
    match rest.next() {
        Some(b'[') => true,
        Some(b'{') => rest.skip_while(|b| b.is_ascii_whitespace()).take(7).copied().eq(b"\"batch\"".iter().copied()),
        _ => false,
    }
}

/// The path of the first object or array nested deeper than [`MAX_DEPTH`] levels below `path`
/// (where `value` stands at level `level`; only objects and arrays add a level). Recursion stops at the limit, so hostile input cannot
/// exhaust the stack.
pub fn too_deep(value: &Value, path: &Pointer, level: usize) -> Option<Issue> {
    let steps = deepest(value, level)?;
    // The steps come back innermost first; nothing was allocated on the way down.
    let at = steps.iter().rev().fold(path.clone(), |path, step| match step {
        Step::Key(key) => path.key(key),
        Step::Index(index) => path.index(*index),
    });
    Some(Issue::new(Code::TooDeep, &at, format!("The JSON is nested deeper than {MAX_DEPTH} levels here.")))
}

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps to the first object or array past the limit, innermost first.
fn deepest(value: &Value, level: usize) -> Option<Vec<Step<'_>>> {
    match value {
        Value::Array(_) | Value::Object(_) if level > MAX_DEPTH => Some(Vec::new()),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(at, item)| below(deepest(item, level + 1), Step::Index(at)))
        }
        Value::Object(map) => map.iter().find_map(|(key, item)| below(deepest(item, level + 1), Step::Key(key))),
        _ => None,
    }
}

/// `steps` (from below) with the step that led to them.
fn below<'a>(steps: Option<Vec<Step<'a>>>, step: Step<'a>) -> Option<Vec<Step<'a>>> {
    steps.map(|mut steps| {
        steps.push(step);
        steps
    })
}

/// The length of `value` serialized as compact UTF-8 JSON (exactly what `serde_json::to_vec`
/// writes), counted without writing it, and given up past `limit` (then more than `limit` is
/// returned).
pub fn serialized_len(value: &Value, limit: usize) -> usize {
    let mut total = 0;
    add_len(value, &mut total, limit);
    total
}

/// Adds the serialized length of `value` to `total`; stops early once past `limit`.
fn add_len(value: &Value, total: &mut usize, limit: usize) {
    if *total > limit {
        return;
    }
    match value {
        Value::Null | Value::Bool(true) => *total += 4,
        Value::Bool(false) => *total += 5,
        Value::Number(number) => {
            let mut counter = Counter { count: 0 };
            // Numbers are few; serde_json's own formatting gives their exact length.
            let _ = serde_json::to_writer(&mut counter, number);
            *total += counter.count;
        }
        Value::String(text) => *total += string_len(text),
        Value::Array(items) => {
            *total += 2 + items.len().saturating_sub(1);
            for item in items {
                add_len(item, total, limit);
            }
        }
        Value::Object(map) => {
            *total += 2 + map.len().saturating_sub(1);
            for (key, item) in map {
                *total += string_len(key) + 1;
                add_len(item, total, limit);
            }
        }
    }
}

/// A JSON string's serialized length, quotes included, with serde_json's escapes: `\"`, `\\`,
/// `\b \f \n \r \t`, and `\u00XX` for the other control characters.
fn string_len(text: &str) -> usize {
    let needs_escape = |byte: &u8| *byte < 0x20 || *byte == b'"' || *byte == b'\\';
    if !text.as_bytes().iter().any(needs_escape) {
        return text.len() + 2;
    }
    text.len()
        + 2
        + text
            .bytes()
            .map(|byte| match byte {
                b'"' | b'\\' | 0x08 | 0x0C | b'\n' | b'\r' | b'\t' => 1,
                0x00..=0x1F => 5,
                _ => 0,
            })
            .sum::<usize>()
}

struct Counter {
    count: usize,
}

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.count += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The issue of a batch over [`MAX_BATCH_BYTES`], whether it was measured as text or as a value.
pub fn batch_too_large() -> Issue {
    Issue::new(
        Code::BatchTooLarge,
        &Pointer::root(),
        format!("The batch is over {MAX_BATCH_BYTES} bytes; Segment refuses batches over 500 KB."),
    )
}

/// Refuses a message over [`MAX_MESSAGE_BYTES`] or [`MAX_DEPTH`]; `None` when it is within both.
pub fn message_limits(value: &Value, base: &Pointer) -> Option<Issue> {
    if let Some(issue) = too_deep(value, base, 1) {
        return Some(issue);
    }
    let size = serialized_len(value, MAX_MESSAGE_BYTES);
    (size > MAX_MESSAGE_BYTES).then(|| {
        Issue::new(
            Code::TooLarge,
            base,
            format!("The message is over {MAX_MESSAGE_BYTES} bytes serialized as JSON; Segment refuses messages over 32 KB."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(text: &[u8]) -> Issue {
        match parse(text) {
            Parsed::Refused(issue) => issue,
            Parsed::Value(value) => panic!("parsed {value}"),
        }
    }

    #[test]
    fn broken_json_gives_line_and_column() {
        let issue = refused(b"{\n  \"type\": \"track\"\n  \"event\": \"x\"\n}");
        assert_eq!(issue.code, Code::InvalidJson);
        assert!(issue.message.contains("line 3, column 3"), "{}", issue.message);
        let issue = refused(b"{\"type\": ");
        assert!(issue.message.contains("ends too early"), "{}", issue.message);
        assert_eq!(refused(b"").code, Code::InvalidJson);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let issue = refused(b"{\n\"a\": \"\xff\"}");
        assert_eq!(issue.code, Code::InvalidJson);
        assert!(issue.message.contains("line 2, column 7"), "{}", issue.message);
    }

    #[test]
    fn byte_order_mark_is_allowed() {
        assert!(matches!(parse(b"\xEF\xBB\xBF{}"), Parsed::Value(_)));
    }

    #[test]
    fn oversize_text_is_refused_unparsed() {
        let mut text = b"{\"batch\": [".to_vec();
        text.resize(MAX_BATCH_BYTES + 1, b' ');
        assert_eq!(refused(&text).code, Code::BatchTooLarge);
        let mut text = b"{\"type\": \"track\", \"x\": \"".to_vec();
        text.resize(MAX_BATCH_BYTES + 1, b'x');
        assert_eq!(refused(&text).code, Code::TooLarge);
    }

    #[test]
    fn parser_recursion_limit_is_too_deep() {
        let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(refused(text.as_bytes()).code, Code::TooDeep);
    }

    #[test]
    fn depth_is_counted_from_the_root() {
        let mut value = json!(1);
        for _ in 0..63 {
            value = json!({ "a": value });
        }
        // 64 nested objects around a number: the innermost object is at level 64.
        let value = json!({ "a": value });
        assert!(too_deep(&value, &Pointer::root(), 1).is_none());
        let value = json!([{ "a": value }]);
        let issue = too_deep(&value, &Pointer::root(), 1).unwrap();
        assert_eq!(issue.path, format!("/0{}", "/a".repeat(63)));
    }

    #[test]
    fn sizes_match_serde_json_exactly() {
        let values = [
            json!(null),
            json!([true, false, null, 0, -1, 1.5, 1e300, 25.0, 18446744073709551615u64, -9223372036854775808i64]),
            json!({"a\"b\\c": "line\nbreak\ttab\r\u{8}\u{c}\u{0}\u{1f}\u{7f}é😀", "": [], "o": {}}),
            json!({"nested": [[[{"x": [1, {"y": "z"}]}]]], "empty": ""}),
        ];
        for value in values {
            assert_eq!(serialized_len(&value, usize::MAX), serde_json::to_vec(&value).unwrap().len(), "{value}");
        }
    }

    #[test]
    fn sizes_are_compact_json() {
        assert_eq!(serialized_len(&json!({"a": [1, 2]}), 100), r#"{"a":[1,2]}"#.len());
        assert!(serialized_len(&json!({"a": "x".repeat(1000)}), 10) > 10);
    }
}
