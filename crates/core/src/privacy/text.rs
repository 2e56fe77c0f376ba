//! What the detectors share: byte classes and the ASCII digit groups of a string.

/// A detected span of a string: its kind and byte range.
pub(crate) type Span = (super::Kind, usize, usize);

/// ASCII letter or digit.
pub(crate) fn is_alnum(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// Part of a word: a letter, a digit, `_`, or any byte of a non-ASCII character (a letter of
/// another script joins a word as `\w` does).
pub(crate) fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The byte at `at`, or 0 past either end (0 is in no class the detectors test).
pub(crate) fn at(bytes: &[u8], at: usize) -> u8 {
    bytes.get(at).copied().unwrap_or(0)
}

/// The byte before `at`, or 0 at the start.
pub(crate) fn before(bytes: &[u8], at: usize) -> u8 {
    at.checked_sub(1).and_then(|index| bytes.get(index)).copied().unwrap_or(0)
}

/// Whether a number may end at `end`: no word, and no more digits after a dot or dash, follow.
pub(crate) fn ends_number(bytes: &[u8], end: usize) -> bool {
    let trail = at(bytes, end);
    !is_word(trail) && !(matches!(trail, b'-' | b'.' | b',') && at(bytes, end + 1).is_ascii_digit())
}

/// Whether a number may start at `start`: no word, and no digits before a dot or dash, precede.
pub(crate) fn starts_number(bytes: &[u8], start: usize) -> bool {
    let lead = before(bytes, start);
    !is_word(lead) && !(matches!(lead, b'-' | b'.' | b',') && before(bytes, start.saturating_sub(1)).is_ascii_digit())
}

/// A run of ASCII digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Group {
    /// Its first byte.
    pub start: usize,
    /// One past its last.
    pub end: usize,
}

impl Group {
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// The maximal runs of ASCII digits of `bytes`, in order.
pub(crate) fn groups(bytes: &[u8]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut start = None;
    for (index, byte) in bytes.iter().enumerate() {
        match (byte.is_ascii_digit(), start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                groups.push(Group { start: from, end: index });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        groups.push(Group { start: from, end: bytes.len() });
    }
    groups
}

/// The text between two groups.
pub(crate) fn between<'b>(bytes: &'b [u8], left: &Group, right: &Group) -> &'b [u8] {
    bytes.get(left.end..right.start).unwrap_or_default()
}

/// The digits of `bytes[start..end]`, as numbers 0-9.
pub(crate) fn digits(bytes: &[u8], start: usize, end: usize) -> impl Iterator<Item = u32> + '_ {
    bytes
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .filter(|byte| byte.is_ascii_digit())
        .map(|byte| u32::from(byte - b'0'))
}

/// Whether the digits pass the Luhn check (payment cards).
pub(crate) fn luhn(bytes: &[u8], start: usize, end: usize) -> bool {
    let all: Vec<u32> = digits(bytes, start, end).collect();
    let sum: u32 = all
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                *digit
            }
        })
        .sum();
    !all.is_empty() && sum % 10 == 0
}
