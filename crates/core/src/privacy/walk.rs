//! Every string of an object's JSON text (one the engine's scan found to be JSON: a message's
//! `traits`, `properties` or `context`), keys included, with where it is in the text, its path,
//! and a profile of its bytes that tells the detectors which of them could find anything. Strings
//! are read eight bytes at a time: most of a message is strings, and most strings hold nothing.

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

    /// The profile of a text, read a byte at a time (the reference the walk's reading of eight
    /// bytes at a time is tested against, and what a decoded string is read with).
    pub(crate) fn of(text: &str) -> Profile {
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
}

/// One level of the walk: an object and the key of its member being read, or an array and the
/// index of its item.
struct Frame {
    array: bool,
    index: usize,
    key: (usize, usize, bool),
    expects_key: bool,
}

/// Calls `visit` with each string inside the object `text`, its profile, and a way to make its
/// path (relative to the object). Linear in the text.
#[inline(always)]
pub(crate) fn strings(text: &str, mut visit: impl FnMut(&Token, &Profile, &dyn Fn() -> Pointer)) {
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
                let (end, escaped, profile) = string(bytes, index + 1);
                let key = frames.last().is_some_and(|frame| !frame.array && frame.expects_key);
                if key {
                    if let Some(frame) = frames.last_mut() {
                        frame.key = (index + 1, end.saturating_sub(1), escaped);
                    }
                }
                // The root object's own keys are kept for the paths; its strings start below it.
                if !frames.is_empty() {
                    let token = Token { start: index, end, escaped, key };
                    visit(&token, &profile, &|| path(text, &frames));
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
                pointer.key(&decode(text.get(start.saturating_sub(1)..end + 1).unwrap_or_default()))
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

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
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

/// Where the string whose content starts at `start` ends (past its closing quote), whether it
/// holds escapes, and its profile.
#[inline(always)]
fn string(bytes: &[u8], start: usize) -> (usize, bool, Profile) {
    let mut profile = Profile::default();
    let mut index = start;
    let mut escaped = false;
    // Carried from one word to the next: the last byte's classes, the run of word bytes.
    let (mut last_upper, mut last_dot, mut run) = (0u64, 0u64, 0u32);
    loop {
        let word = match bytes.get(index..index + 8) {
            Some(chunk) => u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8])),
            None => {
                // The tail, padded with a quote so that the string ends in it.
                let mut padded = [b'"'; 8];
                let tail = bytes.get(index..).unwrap_or_default();
                if let Some(room) = padded.get_mut(..tail.len()) {
                    room.copy_from_slice(tail);
                }
                u64::from_le_bytes(padded)
            }
        };
        let low = word & LOWS;
        let ascii = !word & HIGHS;
        let ends = equal(low, ascii, b'"') | equal(low, ascii, b'\\');
        // A short string, whole in its first word: nothing more to read of it.
        if index == start && ends != 0 {
            let at = (ends.trailing_zeros() / 8) as usize;
            if at < SHORTEST && bytes.get(start + at) == Some(&b'"') {
                profile.len = at;
                return (start + at + 1, false, profile);
            }
        }
        // The bytes before the first quote or backslash are the string's.
        let (taken, keep) = match ends {
            0 => (8, u64::MAX),
            _ => {
                let at = ends.trailing_zeros() / 8;
                (at as usize, (1u64 << (at * 8)).wrapping_sub(1))
            }
        };
        let digit = within(low, ascii, b'0', b'9') & keep;
        let upper = within(low, ascii, b'A', b'Z') & keep;
        let dot = equal(low, ascii, b'.') & keep;
        profile.digits += digit.count_ones();
        profile.colons += (equal(low, ascii, b':') & keep).count_ones();
        profile.at |= equal(low, ascii, b'@') & keep != 0;
        profile.dot |= dot != 0;
        profile.upper_digit |= ((upper << 8) | last_upper) & digit != 0;
        profile.dot_digit |= ((dot << 8) | last_dot) & digit != 0;
        // Runs of word bytes: one of 16 or more crosses a word whole or spans two words' ends.
        // (Letters of either case: with the case bit set, upper-case letters are lower-case ones.)
        let letter = within(low | (ONES * 0x20), ascii, b'a', b'z');
        let wordy = (letter | digit | equal(low, ascii, b'_') | equal(low, ascii, b'-')) & keep;
        let gaps = !wordy & HIGHS;
        if gaps == 0 {
            run += 8;
        } else {
            run += gaps.trailing_zeros() / 8;
            profile.long_word |= run >= 16;
            run = if taken == 8 { gaps.leading_zeros() / 8 } else { 0 };
        }
        profile.long_word |= run >= 16;
        last_upper = (upper >> 56) & 0x80;
        last_dot = (dot >> 56) & 0x80;
        index += taken;
        if taken == 8 {
            continue;
        }
        match bytes.get(index) {
            Some(b'\\') => {
                // An escape: the two bytes (or `\uXXXX`'s six) are no word's end, and a few
                // bytes of a string's profile are approximate after one.
                escaped = true;
                index += 2;
                (last_upper, last_dot, run) = (0, 0, 0);
            }
            _ => {
                profile.len = index - start;
                return (index + 1, escaped, profile);
            }
        }
    }
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

    fn visited(text: &str) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        strings(text, |token, _, path| {
            out.push((path().as_str().to_owned(), text[token.start..token.end].to_owned(), token.key))
        });
        out
    }

    #[test]
    fn strings_with_their_paths() {
        let text = r#"{"a": "x", "b": [1, "y", {"c/d": "z"}], "e\"f": "w"}"#;
        let found = visited(text);
        let paths: Vec<(&str, &str, bool)> =
            found.iter().map(|(path, token, key)| (path.as_str(), token.as_str(), *key)).collect();
        assert_eq!(
            paths,
            [
                ("/a", "\"a\"", true),
                ("/a", "\"x\"", false),
                ("/b", "\"b\"", true),
                ("/b/1", "\"y\"", false),
                ("/b/2/c~1d", "\"c/d\"", true),
                ("/b/2/c~1d", "\"z\"", false),
                ("/e\"f", "\"e\\\"f\"", true),
                ("/e\"f", "\"w\"", false),
            ]
        );
    }

    /// The profile read eight bytes at a time is the one read a byte at a time, wherever the
    /// words' edges fall.
    #[test]
    fn profiles_agree_with_a_byte_at_a_time_reading() {
        let samples = [
            "jane@example.com",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0",
            "GB82 WEST 1234 5698 7654 32",
            "2001:db8::1",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "aaaaaaaaaaaaaaa b",
            "aaaaaaaaaaaaaaaa",
            "é€ unicode 12:34 A1",
            "",
            "a@b",
            "12345",
        ];
        for sample in samples {
            for pad in 0..9 {
                let text = format!("{}\"{sample}\"", " ".repeat(pad));
                let (end, escaped, profile) = string(text.as_bytes(), pad + 1);
                assert_eq!((end, escaped), (text.len(), false), "{sample}");
                let expected = Profile::of(sample);
                assert_eq!(profile.quiet(), expected.quiet(), "{sample} {pad}");
                if sample.len() >= SHORTEST {
                    assert_eq!(format!("{profile:?}"), format!("{expected:?}"), "{sample} {pad}");
                }
            }
        }
        let (end, escaped, _) = string(br#""a\"b\\" tail"#, 1);
        assert_eq!((end, escaped), (8, true));
    }
}
