//! Every string of an object's JSON text (one the engine's scan found to be JSON: a message's
//! `traits`, `properties` or `context`), keys included, with where it is in the text, its path,
//! and a profile of its bytes that tells the detectors which of them could find anything. Strings
//! are read eight bytes at a time: most of a message is strings, and most strings hold nothing.

use crate::plain::{HIGHS, ONES};
use crate::pointer::Pointer;

/// The members of a message whose strings are read, and their paths.
pub(crate) const MEMBERS: [(&str, &str); 3] =
    [("traits", "/traits"), ("properties", "/properties"), ("context", "/context")];

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

/// What a string's bytes hold, as far as the detectors care (of an escaped string, its text as
/// written, escapes and all: enough to rule detectors out, never to rule them in).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Profile {
    /// Its length in bytes.
    pub len: usize,
    /// How many ASCII digits.
    pub digits: u32,
    /// How many colons.
    pub colons: u32,
    /// An `@`.
    pub at: bool,
    /// A digit right after a dot (`1.2`).
    pub dot_digit: bool,
    /// A dot.
    pub dot: bool,
    /// A digit right after an upper-case letter (`GB82`).
    pub upper_digit: bool,
    /// A run of 16 or more letters, digits, `_` and `-` (keys and tokens are).
    pub long_word: bool,
}

impl Profile {
    /// Whether no detector could find anything in the string (most strings: names, words,
    /// short numbers).
    #[inline(always)]
    pub(crate) fn quiet(&self) -> bool {
        self.len < SHORTEST
            || !(self.at
                || self.long_word
                || self.upper_digit
                || self.colons >= 2
                || self.dot_digit
                || self.digits >= 7)
    }
}

/// One level of the walk: an object and the key of its member being read, or an array and the
/// index of its item.
struct Frame {
    array: bool,
    index: usize,
    key: (usize, usize, bool),
    expects_key: bool,
}

/// Calls `visit` with each string inside the object `text` that may hold something a detector
/// finds (most do not), and a way to make its path (relative to the object). Linear in the text.
#[inline(always)]
pub(crate) fn strings(text: &str, mut visit: impl FnMut(&Token, &dyn Fn() -> Pointer)) {
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
                let (end, escaped, suspect) = string(bytes, index + 1);
                let key = frames.last().is_some_and(|frame| !frame.array && frame.expects_key);
                if key {
                    if let Some(frame) = frames.last_mut() {
                        frame.key = (index + 1, end.saturating_sub(1), escaped);
                    }
                }
                // The root object's own keys are kept for the paths; its strings start below it.
                // Escapes can hide what is looked for: such a string is read decoded.
                if !frames.is_empty() && (suspect || escaped) {
                    let token = Token { start: index, end, escaped, key };
                    visit(&token, &|| path(text, &frames));
                }
                index = end;
            }
            _ => index += 1,
        }
    }
}

/// The JSON Pointer of where the walk stands, below the root object.
fn path(text: &str, frames: &[Frame]) -> Pointer {
    let mut pointer = Pointer::root();
    for frame in frames {
        pointer = if frame.array {
            pointer.index(frame.index)
        } else {
            let (start, end, escaped) = frame.key;
            let raw = text.get(start..end).unwrap_or_default();
            if escaped {
                pointer.key(
                    &crate::plain::decoded(text.get(start.saturating_sub(1)..end + 1).unwrap_or_default())
                        .unwrap_or_default(),
                )
            } else {
                pointer.key(raw)
            }
        };
    }
    pointer
}

/// The shortest string a detector finds anything in (`a@b.io`, `1.2.3.4`); shorter strings, most
/// keys among them, are passed over once their end is found.
const SHORTEST: usize = 6;

const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each ASCII byte of `word` equal to `byte` (exact: no carries between bytes).
#[inline(always)]
fn equal(low: u64, ascii: u64, byte: u8) -> u64 {
    let diff = low ^ (ONES * u64::from(byte));
    !((diff + LOWS) | diff) & HIGHS & ascii
}

/// The high bit of each ASCII byte of `word` in `from..=to` (exact).
#[inline(always)]
fn within(low: u64, ascii: u64, from: u8, to: u8) -> u64 {
    (low + ONES * u64::from(0x80 - from)) & !(low + ONES * u64::from(0x7F - to)) & HIGHS & ascii
}

/// A word of eight bytes from `at` (past the end, `fill`), and its bytes in ASCII (`low`, each
/// byte's high bit clear) with the high bits of the ASCII ones (`ascii`).
#[inline(always)]
fn word_at(bytes: &[u8], at: usize, fill: u8) -> (u64, u64) {
    let word = match bytes.get(at..at + 8) {
        Some(chunk) => u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8])),
        None => {
            let mut padded = [fill; 8];
            let tail = bytes.get(at..).unwrap_or_default();
            if let Some(room) = padded.get_mut(..tail.len()) {
                room.copy_from_slice(tail);
            }
            u64::from_le_bytes(padded)
        }
    };
    (word & LOWS, !word & HIGHS)
}

/// Where the string whose content starts at `start` ends (past its closing quote), whether it
/// holds escapes, and whether it may hold anything a detector finds: every kind needs a digit, a
/// colon or an `@` and six bytes, which most strings (names, words, places, most keys) have not.
#[inline(always)]
fn string(bytes: &[u8], start: usize) -> (usize, bool, bool) {
    let mut index = start;
    let mut escaped = false;
    let mut suspect = 0u64;
    loop {
        // Past the text, a quote ends the string.
        let (low, ascii) = word_at(bytes, index, b'"');
        let ends = equal(low, ascii, b'"') | equal(low, ascii, b'\\');
        // The bytes before the first quote or backslash are the string's.
        let (taken, keep) = match ends {
            0 => (8, u64::MAX),
            _ => {
                let at = ends.trailing_zeros() / 8;
                (at as usize, (1u64 << (at * 8)).wrapping_sub(1))
            }
        };
        suspect |= (within(low, ascii, b'0', b':') | equal(low, ascii, b'@')) & keep;
        index += taken;
        if taken == 8 {
            continue;
        }
        if bytes.get(index) == Some(&b'\\') {
            escaped = true;
            index += 2;
            continue;
        }
        return (index + 1, escaped, suspect != 0 && index - start >= SHORTEST);
    }
}

impl Profile {
    /// The profile of a string's bytes (its text as written, or decoded), read eight at a time.
    pub(crate) fn read(bytes: &[u8]) -> Profile {
        let mut profile = Profile { len: bytes.len(), ..Profile::default() };
        // Carried from one word to the next: the last byte's classes, the run of word bytes.
        let (mut last_upper, mut last_dot, mut run) = (0u64, 0u64, 0u32);
        let mut index = 0;
        while index < bytes.len() {
            // Past the end, spaces: no class the profile counts.
            let (low, ascii) = word_at(bytes, index, b' ');
            let digit = within(low, ascii, b'0', b'9');
            let upper = within(low, ascii, b'A', b'Z');
            let dot = equal(low, ascii, b'.');
            profile.digits += digit.count_ones();
            profile.colons += equal(low, ascii, b':').count_ones();
            profile.at |= equal(low, ascii, b'@') != 0;
            profile.dot |= dot != 0;
            profile.upper_digit |= ((upper << 8) | last_upper) & digit != 0;
            profile.dot_digit |= ((dot << 8) | last_dot) & digit != 0;
            // Runs of word bytes: one of 16 or more crosses a word whole or spans two words' ends.
            // (Letters of either case: with the case bit set, upper-case letters are lower-case.)
            let letter = within(low | (ONES * 0x20), ascii, b'a', b'z');
            let wordy = letter | digit | equal(low, ascii, b'_') | equal(low, ascii, b'-');
            let gaps = !wordy & HIGHS;
            if gaps == 0 {
                run += 8;
            } else {
                run += gaps.trailing_zeros() / 8;
                profile.long_word |= run >= 16;
                run = gaps.leading_zeros() / 8;
            }
            profile.long_word |= run >= 16;
            last_upper = (upper >> 56) & 0x80;
            last_dot = (dot >> 56) & 0x80;
            index += 8;
        }
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The profile of a text read a byte at a time: the reference `Profile::read` is held to.
    fn reference(text: &str) -> Profile {
        let bytes = text.as_bytes();
        let wordy = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-';
        let mut profile = Profile { len: bytes.len(), ..Profile::default() };
        let (mut previous, mut run) = (0u8, 0usize);
        for &byte in bytes {
            profile.digits += u32::from(byte.is_ascii_digit());
            profile.colons += u32::from(byte == b':');
            profile.at |= byte == b'@';
            profile.dot |= byte == b'.';
            profile.upper_digit |= previous.is_ascii_uppercase() && byte.is_ascii_digit();
            profile.dot_digit |= previous == b'.' && byte.is_ascii_digit();
            run = if wordy(byte) { run + 1 } else { 0 };
            profile.long_word |= run >= 16;
            previous = byte;
        }
        profile
    }

    fn visited(text: &str) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        strings(text, |token, path| {
            out.push((path().as_str().to_owned(), text[token.start..token.end].to_owned(), token.key))
        });
        out
    }

    #[test]
    fn strings_that_may_hold_something_with_their_paths() {
        let text = r#"{"a": "x: 123", "name": "Ada", "b": [1, "y: 123", {"c/d:12": "z: 123"}], "e\"f": "w"}"#;
        let found = visited(text);
        let paths: Vec<(&str, &str, bool)> =
            found.iter().map(|(path, token, key)| (path.as_str(), token.as_str(), *key)).collect();
        assert_eq!(
            paths,
            [
                ("/a", "\"x: 123\"", false),
                ("/b/1", "\"y: 123\"", false),
                ("/b/2/c~1d:12", "\"c/d:12\"", true),
                ("/b/2/c~1d:12", "\"z: 123\"", false),
                ("/e\"f", "\"e\\\"f\"", true),
            ]
        );
    }

    /// Read eight bytes at a time, wherever the words' edges fall: a string ends where it ends,
    /// is suspect when it holds a digit, a colon or an `@` in six bytes or more, and its profile is
    /// the one read a byte at a time.
    #[test]
    fn words_edges_change_nothing() {
        let samples = [
            "jane@example.com",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0",
            "GB82 WEST 1234 5698 7654 32",
            "2001:db8::1",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "aaaaaaaaaaaaaaa b",
            "aaaaaaaaaaaaaaaa",
            "é€ unicode 12:34 A1",
            "Europe/Paris and more words",
            "12345",
            "a@b",
            "",
        ];
        for sample in samples {
            let suspect =
                sample.len() >= SHORTEST && sample.bytes().any(|b| b.is_ascii_digit() || b == b':' || b == b'@');
            for pad in 0..9 {
                let text = format!("{}\"{sample}\"", " ".repeat(pad));
                assert_eq!(string(text.as_bytes(), pad + 1), (text.len(), false, suspect), "{sample} {pad}");
                let inner = format!("{}{sample}", "x".repeat(pad));
                let read = Profile::read(&inner.as_bytes()[pad..]);
                assert_eq!(format!("{read:?}"), format!("{:?}", reference(sample)), "{sample} {pad}");
            }
        }
        let (end, escaped, _) = string(br#""a\"b\\" tail"#, 1);
        assert_eq!((end, escaped), (8, true));
    }
}
