//! Raw input: the limits of text checked before it is read, and the issues of text that is not
//! JSON (spec section 3).

use crate::engine::{Broken, Problem};
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;

// The package's JS `limits` are written from these four, as they are spelled here
// (`pub const NAME: usize = N;`), by scripts/write-entries.mjs.
/// One message, serialized as UTF-8 JSON, at most 32 KB.
pub const MAX_MESSAGE_BYTES: usize = 32_768;
/// One batch request, at most 500 KB.
pub const MAX_BATCH_BYTES: usize = 512_000;
/// Items in one batch.
pub const MAX_BATCH_ITEMS: usize = 2_500;
/// JSON nesting (the root object or array is level 1).
pub const MAX_DEPTH: usize = 64;

/// The text of input bytes, or the issue that refuses them without reading further: over the
/// batch limit (`batch_too_large` when it looks like a batch, else `too_large`), or not UTF-8
/// (`invalid_json`, with the line and column of the first bad byte). A UTF-8 byte-order mark is
/// allowed and dropped.
pub(crate) fn text(bytes: &[u8]) -> Result<&str, Issue> {
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
pub(crate) fn broken(text: &str, broken: Broken) -> Issue {
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

/// The issue of a batch over [`MAX_BATCH_BYTES`], whether it was measured as text or as a value.
pub(crate) fn batch_too_large() -> Issue {
    Issue::new(
        Code::BatchTooLarge,
        &Pointer::root(),
        format!("The batch is over {MAX_BATCH_BYTES} bytes; Segment refuses batches over 500 KB."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Shape;

    /// The first issue of text, as the engine answers it.
    fn refused(text: &[u8]) -> serde_json::Value {
        let outcome = crate::engine::map_text(false, text, None, Shape::Any);
        let outcome: serde_json::Value = serde_json::from_str(&outcome.unwrap()).unwrap();
        outcome["errors"][0].clone()
    }

    #[test]
    fn broken_json_gives_line_and_column() {
        let issue = refused(b"{\n  \"type\": \"track\"\n  \"event\": \"x\"\n}");
        assert_eq!(issue["code"], "invalid_json");
        assert!(issue["message"].as_str().unwrap().contains("line 3, column 3"), "{issue}");
        let issue = refused(b"{\"type\": ");
        assert!(issue["message"].as_str().unwrap().contains("ends too early"), "{issue}");
        assert_eq!(refused(b"")["code"], "invalid_json");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let issue = refused(b"{\n\"a\": \"\xff\"}");
        assert_eq!(issue["code"], "invalid_json");
        assert!(issue["message"].as_str().unwrap().contains("line 2, column 7"), "{issue}");
    }

    #[test]
    fn byte_order_mark_is_allowed() {
        assert_eq!(text(b"\xEF\xBB\xBF{}").ok(), Some("{}"));
    }

    #[test]
    fn oversize_text_is_refused_unread() {
        let mut text = b"{\"batch\": [".to_vec();
        text.resize(MAX_BATCH_BYTES + 1, b' ');
        let outcome = crate::engine::map_text(false, &text, None, Shape::Any).unwrap();
        assert!(outcome.starts_with(r#"{"outcomes":[],"errors":[{"code":"batch_too_large""#), "{outcome}");
        let mut text = b"{\"type\": \"track\", \"x\": \"".to_vec();
        text.resize(MAX_BATCH_BYTES + 1, b'x');
        assert_eq!(refused(&text)["code"], "too_large");
    }

    #[test]
    fn nesting_past_the_parser_limit_is_too_deep() {
        let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(refused(text.as_bytes())["code"], "too_deep");
    }
}
