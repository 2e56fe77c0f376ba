//! A stream's bytes cut into the JSON values to check, each with the line it begins on.
//!
//! Two framings, chosen once per stream from its first line ([`Framing::detect`]):
//! - [`Framing::Lines`]: every line stands alone (NDJSON, JSON Lines, a batch body or a JSON array
//!   on one line). A line that is broken breaks nothing after it, and a stream of lines can be cut
//!   at any newline and checked in pieces, in parallel.
//! - [`Framing::Document`]: JSON pretty-printed over many lines (`JSON.stringify(value, null, 2)`,
//!   `jq .`, a tracking-plan-like export), one document or several after one another.
//!
//! In both, a top-level array is a list of messages: each element is a value of its own (the
//! array is not a batch body, so no batch limit applies to it), found at its commas as the bytes
//! stream past, so an array of any size never has to be held whole. Anything else at the top is
//! one value. Only the value being read is held, and at most [`MAX_HELD`] bytes of it: the engine
//! refuses text that long unread (`too_large` or `batch_too_large`), so nothing it would read is lost.
//!
//! The framer only finds where values begin and end (brackets outside strings, commas between a
//! top-level array's elements); whether a value is JSON is the engine's to say.

use memchr::{memchr, memchr3};

use crate::plain::is_whitespace;

use crate::input::MAX_BATCH_BYTES;

/// The most bytes of one value that are held: one past what the engine reads at all.
pub const MAX_HELD: usize = MAX_BATCH_BYTES + 1;

/// How much of a stream's start [`Framing::detect`] may need before it decides.
pub const DETECT_BYTES: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a stream is cut into values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One value a line (NDJSON).
    Lines,
    /// JSON pretty-printed over many lines.
    Document,
}

impl Framing {
    /// The framing of a stream that starts with `head` (`complete` when that is the whole stream),
    /// or `None` while more of it is needed (never once `head` holds [`DETECT_BYTES`]).
    ///
    /// A stream whose first line that is not blank holds only `[` or `{` is pretty-printed; any
    /// other is lines. The test is that narrow on purpose: an NDJSON file whose first line was cut
    /// short must still be read line by line, or one broken line would swallow the rest.
    ///
    /// ```
    /// use astrolabe_segment::check::Framing;
    /// assert_eq!(Framing::detect(b"{\"type\":\"track\"}\n", false), Some(Framing::Lines));
    /// assert_eq!(Framing::detect(b"\n[\n  {\n", false), Some(Framing::Document));
    /// assert_eq!(Framing::detect(b"  [", false), None);
    /// assert_eq!(Framing::detect(b"  [", true), Some(Framing::Document));
    /// ```
    pub fn detect(head: &[u8], complete: bool) -> Option<Framing> {
        let text = head.strip_prefix(BOM).unwrap_or(head);
        let first = text.iter().position(|byte| !is_whitespace(*byte));
        let Some(start) = first else {
            return (complete || head.len() >= DETECT_BYTES).then_some(Framing::Lines);
        };
        let rest = text.get(start..).unwrap_or_default();
        let opener = matches!(rest.first(), Some(b'[' | b'{'));
        let line_end = memchr(b'\n', rest);
        let after = rest.get(1..line_end.unwrap_or(rest.len())).unwrap_or_default();
        if !opener || after.iter().any(|byte| !is_whitespace(*byte)) {
            return Some(Framing::Lines);
        }
        if line_end.is_some() || complete {
            return Some(Framing::Document);
        }
        (head.len() >= DETECT_BYTES).then_some(Framing::Lines)
    }

    /// `"lines"` or `"document"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Framing::Lines => "lines",
            Framing::Document => "document",
        }
    }

    /// The framing with this name.
    pub fn from_name(name: &str) -> Option<Framing> {
        match name {
            "lines" => Some(Framing::Lines),
            "document" => Some(Framing::Document),
            _ => None,
        }
    }
}

/// What the framer found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framed<'a> {
    /// A value.
    Value {
        /// The line it begins on.
        line: u64,
        /// Its index, when it is an element of a top-level array.
        index: Option<usize>,
        /// Its text (the first [`MAX_HELD`] bytes of a longer one), without the whitespace after it.
        text: &'a [u8],
    },
    /// A top-level array whose line (with [`Framing::Lines`]) or stream ended before it was closed.
    Unclosed {
        /// The line it begins on.
        line: u64,
        /// The elements it had (each already found as a value).
        elements: usize,
    },
}

/// How a stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// All of it was read: a value left open is what the stream holds.
    Complete,
    /// It was cut short (a broken gzip, a read error): a value left open is dropped, and whoever
    /// read the stream reports why it stopped.
    Truncated,
}

/// What a value being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// With [`Framing::Lines`], a line that does not open an array: all of it.
    Line,
    /// A top-level object, to its closing brace.
    Object,
    /// Anything else at the top level (a number, a word that is no JSON): to the end of its line.
    Scalar,
    /// An element of a top-level array, to the comma or bracket after it.
    Element,
}

#[derive(Debug)]
struct Value {
    line: u64,
    index: Option<usize>,
    kind: Kind,
}

/// A top-level array being read.
#[derive(Debug)]
struct List {
    line: u64,
    /// Elements found so far.
    elements: usize,
    /// A comma was the last thing read: an element must follow.
    after_comma: bool,
}

/// Cuts one stream into values, fed its bytes in pieces of any size.
///
/// ```
/// use astrolabe_segment::check::{End, Framed, Framer, Framing};
/// let mut found = Vec::new();
/// let mut framer = Framer::new(Framing::Lines, 1);
/// let mut note = |framed: Framed<'_>| {
///     if let Framed::Value { line, index, text } = framed {
///         found.push((line, index, String::from_utf8_lossy(text).into_owned()));
///     }
/// };
/// framer.feed(b"{\"type\":\"identify\"}\n[{\"a\":1}, {\"b\"", &mut note);
/// framer.feed(b":2}]\n\nnot json", &mut note);
/// framer.end(End::Complete, &mut note);
/// assert_eq!(found, [
///     (1, None, "{\"type\":\"identify\"}".to_owned()),
///     (2, Some(0), "{\"a\":1}".to_owned()),
///     (2, Some(1), "{\"b\":2}".to_owned()),
///     (4, None, "not json".to_owned()),
/// ]);
/// ```
#[derive(Debug)]
pub struct Framer {
    framing: Framing,
    /// The line of the next byte.
    line: u64,
    /// How many bytes of a byte-order mark the stream began with so far; `None` once past it.
    bom: Option<usize>,
    /// Open brackets, the top-level array's included.
    depth: u32,
    in_string: bool,
    escaped: bool,
    list: Option<List>,
    value: Option<Value>,
    /// The value's bytes, at most [`MAX_HELD`].
    held: Vec<u8>,
}

impl Framer {
    /// A framer for a stream (or a piece of one cut at a newline) whose first byte is on `first_line`.
    pub fn new(framing: Framing, first_line: u64) -> Framer {
        Framer {
            framing,
            line: first_line,
            bom: Some(0),
            depth: 0,
            in_string: false,
            escaped: false,
            list: None,
            value: None,
            held: Vec::new(),
        }
    }

    /// The line of the next byte.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Reads `bytes`, the stream's next piece; `emit` gets each value found.
    pub fn feed(&mut self, mut bytes: &[u8], emit: &mut impl FnMut(Framed<'_>)) {
        while let Some(seen) = self.bom {
            let Some(&byte) = bytes.first() else { return };
            if BOM.get(seen) == Some(&byte) {
                bytes = bytes.get(1..).unwrap_or_default();
                self.bom = Some(seen + 1).filter(|seen| *seen < BOM.len());
            } else {
                self.bom = None;
            }
        }
        while !bytes.is_empty() {
            let used = self.step(bytes, emit);
            bytes = bytes.get(used.max(1)..).unwrap_or_default();
        }
    }

    /// The stream is over: a value or an array left open is found as it stands (`Complete`) or
    /// dropped (`Truncated`).
    pub fn end(&mut self, end: End, emit: &mut impl FnMut(Framed<'_>)) {
        if end == End::Complete {
            self.close_open(emit);
        }
        self.reset();
        self.held = Vec::new();
    }

    /// Reads from the start of `bytes` (never empty) as far as one step goes; gives how many bytes it used.
    fn step(&mut self, bytes: &[u8], emit: &mut impl FnMut(Framed<'_>)) -> usize {
        match self.value.as_ref().map(|value| value.kind) {
            Some(Kind::Line | Kind::Scalar) => return self.rest_of_line(bytes, emit),
            Some(_) if self.in_string => return self.string(bytes, emit),
            Some(_) => {}
            None if self.list.is_none() => return self.top(bytes, emit),
            None => {}
        }
        let Some(&byte) = bytes.first() else { return 0 };
        match byte {
            b'\n' => self.newline(emit),
            b'"' => {
                self.begin_element();
                self.push(b"\"");
                self.in_string = true;
            }
            b'{' | b'[' => {
                self.begin_element();
                self.push(&[byte]);
                self.depth = self.depth.saturating_add(1);
            }
            b'}' | b']' if self.list.is_some() && self.depth <= 1 => self.close_list(emit),
            b'}' | b']' => {
                self.push(&[byte]);
                self.depth -= 1;
                if self.depth == 0 {
                    self.emit_value(emit);
                }
            }
            b',' if self.depth == 1 && self.list.is_some() => {
                self.end_element(emit);
                if let Some(list) = &mut self.list {
                    list.after_comma = true;
                }
            }
            b' ' | b'\t' | b'\r' if self.value.is_none() => {}
            _ => {
                self.begin_element();
                self.push(&[byte]);
            }
        }
        1
    }

    /// At the top level, between values.
    fn top(&mut self, bytes: &[u8], emit: &mut impl FnMut(Framed<'_>)) -> usize {
        let Some(&byte) = bytes.first() else { return 0 };
        match byte {
            b'\n' => self.line += 1,
            b' ' | b'\t' | b'\r' => {}
            b'[' => {
                self.list = Some(List { line: self.line, elements: 0, after_comma: false });
                self.depth = 1;
            }
            b'{' if self.framing == Framing::Document => {
                self.value = Some(Value { line: self.line, index: None, kind: Kind::Object });
                self.push(b"{");
                self.depth = 1;
            }
            _ => {
                let kind = if self.framing == Framing::Lines { Kind::Line } else { Kind::Scalar };
                self.value = Some(Value { line: self.line, index: None, kind });
                return self.rest_of_line(bytes, emit);
            }
        }
        1
    }

    /// The rest of a line that is one value: found straight from `bytes` when it ends there.
    fn rest_of_line(&mut self, bytes: &[u8], emit: &mut impl FnMut(Framed<'_>)) -> usize {
        let Some(end) = memchr(b'\n', bytes) else {
            self.push(bytes);
            return bytes.len();
        };
        let text = trimmed(bytes.get(..end).unwrap_or_default());
        match self.value.take() {
            Some(value) if self.held.is_empty() => {
                emit(Framed::Value { line: value.line, index: value.index, text });
            }
            Some(value) => {
                self.value = Some(value);
                self.push(text);
                self.emit_value(emit);
            }
            None => {}
        }
        self.line += 1;
        end + 1
    }

    /// Inside a string: to its end, an escape or a line feed.
    fn string(&mut self, bytes: &[u8], emit: &mut impl FnMut(Framed<'_>)) -> usize {
        if self.escaped {
            self.escaped = false;
            if bytes.first() != Some(&b'\n') {
                self.push(bytes.get(..1).unwrap_or_default());
                return 1;
            }
        }
        let Some(at) = memchr3(b'"', b'\\', b'\n', bytes) else {
            self.push(bytes);
            return bytes.len();
        };
        self.push(bytes.get(..at).unwrap_or_default());
        match bytes.get(at) {
            Some(b'"') => {
                self.push(b"\"");
                self.in_string = false;
            }
            Some(b'\\') => {
                self.push(b"\\");
                self.escaped = true;
            }
            _ => self.newline(emit),
        }
        at + 1
    }

    /// A line feed inside an array or a value: the end of the line's values with [`Framing::Lines`],
    /// whitespace (or a line feed in a string, which JSON refuses) in a document.
    fn newline(&mut self, emit: &mut impl FnMut(Framed<'_>)) {
        if self.framing == Framing::Lines {
            self.close_open(emit);
            self.reset();
        } else if self.value.is_some() {
            self.push(b"\n");
        }
        self.line += 1;
    }

    /// Starts an element of the top-level array, unless a value is being read.
    fn begin_element(&mut self) {
        if self.value.is_some() {
            return;
        }
        let index = self.list.as_ref().map(|list| list.elements);
        self.value = Some(Value { line: self.line, index, kind: Kind::Element });
        if let Some(list) = &mut self.list {
            list.after_comma = false;
        }
    }

    /// A comma or the closing bracket of the top-level array: the element before it ends (an
    /// empty one, `[1,,2]`, is found as empty text, which the engine says is not JSON).
    fn end_element(&mut self, emit: &mut impl FnMut(Framed<'_>)) {
        let Some(list) = &mut self.list else { return };
        if self.value.is_none() {
            self.value = Some(Value { line: self.line, index: Some(list.elements), kind: Kind::Element });
        }
        list.elements += 1;
        self.emit_value(emit);
    }

    /// The top-level array's closing bracket.
    fn close_list(&mut self, emit: &mut impl FnMut(Framed<'_>)) {
        let pending = self.value.is_some() || self.list.as_ref().is_some_and(|list| list.after_comma);
        if pending {
            self.end_element(emit);
        }
        self.list = None;
        self.depth = 0;
    }

    /// A value or an array left open at the end of a line (lines) or of the stream.
    fn close_open(&mut self, emit: &mut impl FnMut(Framed<'_>)) {
        let element = self.value.as_ref().is_some_and(|value| value.kind == Kind::Element);
        if element {
            self.end_element(emit);
        } else if self.value.is_some() {
            self.emit_value(emit);
        }
        if let Some(list) = self.list.take() {
            emit(Framed::Unclosed { line: list.line, elements: list.elements });
        }
    }

    fn emit_value(&mut self, emit: &mut impl FnMut(Framed<'_>)) {
        if let Some(value) = self.value.take() {
            emit(Framed::Value { line: value.line, index: value.index, text: trimmed(&self.held) });
        }
        self.held.clear();
        self.in_string = false;
        self.escaped = false;
        if self.list.is_none() {
            self.depth = 0;
        }
    }

    fn reset(&mut self) {
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        self.list = None;
        self.value = None;
        self.held.clear();
    }

    /// Holds `bytes` of the value being read, up to [`MAX_HELD`].
    fn push(&mut self, bytes: &[u8]) {
        let room = MAX_HELD.saturating_sub(self.held.len());
        self.held.extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or_default());
    }
}

/// `text` without the whitespace after its value (a line's `\r`, what stood before a comma).
fn trimmed(text: &[u8]) -> &[u8] {
    let end = text.iter().rposition(|byte| !is_whitespace(*byte)).map_or(0, |at| at + 1);
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, index, text) of every value, and (line, elements) of every unclosed array, with
    /// the stream fed in pieces of `piece` bytes.
    fn frame(framing: Framing, text: &str, piece: usize) -> Vec<String> {
        let mut found = Vec::new();
        let mut note = |framed: Framed<'_>| {
            found.push(match framed {
                Framed::Value { line, index, text } => {
                    let index = index.map_or(String::new(), |index| format!("[{index}]"));
                    format!("{line}{index} {}", String::from_utf8_lossy(text))
                }
                Framed::Unclosed { line, elements } => format!("{line} unclosed after {elements}"),
            })
        };
        let mut framer = Framer::new(framing, 1);
        for chunk in text.as_bytes().chunks(piece) {
            framer.feed(chunk, &mut note);
        }
        framer.end(End::Complete, &mut note);
        found
    }

    /// The same values whatever the pieces the stream comes in.
    fn frame_all(framing: Framing, text: &str) -> Vec<String> {
        let whole = frame(framing, text, text.len().max(1));
        for piece in [1, 2, 3, 7] {
            assert_eq!(frame(framing, text, piece), whole, "in pieces of {piece}: {text:?}");
        }
        whole
    }

    #[test]
    fn lines_stand_alone() {
        let text = "{\"a\":1}\r\n\n  {\"b\": \"x\\\"}\"}\nnot json\n{\"cut\": \"sh\n{\"c\":3}";
        assert_eq!(
            frame_all(Framing::Lines, text),
            ["1 {\"a\":1}", "3 {\"b\": \"x\\\"}\"}", "4 not json", "5 {\"cut\": \"sh", "6 {\"c\":3}"]
        );
    }

    #[test]
    fn an_array_on_a_line_is_a_list_of_messages() {
        let text = "[{\"a\":[1,2]}, {\"b\":\"],\"}]\n[]\n[1,,2,]\n[{\"open\":1},\n{\"d\":4}";
        assert_eq!(
            frame_all(Framing::Lines, text),
            [
                "1[0] {\"a\":[1,2]}",
                "1[1] {\"b\":\"],\"}",
                "3[0] 1",
                "3[1] ",
                "3[2] 2",
                "3[3] ",
                "4[0] {\"open\":1}",
                "4 unclosed after 1",
                "5 {\"d\":4}"
            ]
        );
        // An element whose array the line leaves open is found as it stands.
        assert_eq!(frame_all(Framing::Lines, "[{\"a\":1}\n"), ["1[0] {\"a\":1}", "1 unclosed after 1"]);
        assert_eq!(frame_all(Framing::Lines, "[{\"a\":\n"), ["1[0] {\"a\":", "1 unclosed after 1"]);
    }

    #[test]
    fn documents_span_lines() {
        let text = "[\n  {\n    \"type\": \"track\",\n    \"event\": \"a\\nb\"\n  },\n  {\"x\": [\n1]}\n]\n{\n  \"batch\": []\n}\n";
        assert_eq!(
            frame_all(Framing::Document, text),
            [
                "2[0] {\n    \"type\": \"track\",\n    \"event\": \"a\\nb\"\n  }",
                "6[1] {\"x\": [\n1]}",
                "9 {\n  \"batch\": []\n}"
            ]
        );
        assert_eq!(
            frame_all(Framing::Document, "[\n {\"a\": 1},\n {\"b\""),
            ["2[0] {\"a\": 1}", "3[1] {\"b\"", "1 unclosed after 2"]
        );
        assert_eq!(frame_all(Framing::Document, "{\n\"a\": 1\n"), ["1 {\n\"a\": 1"]);
        assert_eq!(frame_all(Framing::Document, "oops\n{}\n"), ["1 oops", "2 {}"]);
    }

    #[test]
    fn a_truncated_stream_drops_what_was_open() {
        let mut found = 0;
        let mut framer = Framer::new(Framing::Lines, 7);
        framer.feed(b"{\"a\":1}\n{\"b\":", &mut |_| found += 1);
        framer.end(End::Truncated, &mut |_| found += 1);
        assert_eq!((found, framer.line()), (1, 8));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(frame_all(Framing::Lines, "\u{feff}{}\n"), ["1 {}"]);
        assert_eq!(Framing::detect(b"\xEF\xBB\xBF{\n", false), Some(Framing::Document));
    }

    #[test]
    fn long_values_are_held_only_as_far_as_the_engine_reads() {
        let long = format!("[{{\"a\":\"{}\"}}]\n", "x".repeat(MAX_HELD * 2));
        let mut lengths = Vec::new();
        let mut framer = Framer::new(Framing::Lines, 1);
        for chunk in long.as_bytes().chunks(4096) {
            framer.feed(chunk, &mut |framed| {
                if let Framed::Value { text, .. } = framed {
                    lengths.push(text.len());
                }
            });
        }
        assert_eq!(lengths, [MAX_HELD]);
        assert!(framer.held.capacity() < MAX_HELD * 2);
    }

    #[test]
    fn detection_reads_the_first_line_that_is_not_blank() {
        assert_eq!(Framing::detect(b"", false), None);
        assert_eq!(Framing::detect(b"", true), Some(Framing::Lines));
        assert_eq!(Framing::detect(b"\n\n  {  \r\n  \"a\"", false), Some(Framing::Document));
        assert_eq!(Framing::detect(b"{\"type\":", false), Some(Framing::Lines));
        assert_eq!(Framing::detect(b"[{\"type\": \"track\"},\n", false), Some(Framing::Lines));
        assert_eq!(Framing::detect(b"garbage", false), Some(Framing::Lines));
        assert_eq!(Framing::detect(&vec![b' '; DETECT_BYTES], false), Some(Framing::Lines));
        assert_eq!(Framing::from_name(Framing::Document.as_str()), Some(Framing::Document));
    }
}
