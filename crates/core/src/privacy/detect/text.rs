//! What the detectors share: byte classes and the ASCII digit groups of a string.

/// A detected span of a string: its kind and byte range.
pub(crate) type Span = (crate::privacy::Kind, usize, usize);

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
    let continued = matches!(trail, b'-' | b'.' | b',') && at(bytes, end + 1).is_ascii_digit();
    !is_word(trail) && !continued
}

/// Whether a number may start at `start`: no word, and no digits before a dot or dash, precede.
pub(crate) fn starts_number(bytes: &[u8], start: usize) -> bool {
    let lead = before(bytes, start);
    let continued = matches!(lead, b'-' | b'.' | b',') && before(bytes, start.saturating_sub(1)).is_ascii_digit();
    !is_word(lead) && !continued
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
#[cfg(test)]
pub(crate) fn groups(bytes: &[u8]) -> Vec<Group> {
    let mut groups = Vec::new();
    groups_into(bytes, &mut groups);
    groups
}

/// The texts a detector finds in `text` (its tests' helper).
#[cfg(test)]
pub(crate) fn found(text: &str, find: impl Fn(&str, &mut Vec<Span>)) -> Vec<&str> {
    let mut out = Vec::new();
    find(text, &mut out);
    out.iter().map(|(_, start, end)| text.get(*start..*end).unwrap_or_default()).collect()
}

/// The texts a detector of digit groups finds in `text` (its tests' helper).
#[cfg(test)]
pub(crate) fn found_in_groups(text: &str, find: fn(&str, &[Group], &mut Vec<Span>)) -> Vec<&str> {
    found(text, |text, out| find(text, &groups(text.as_bytes()), out))
}

/// [`groups`] into `groups`, which is cleared first.
pub(crate) fn groups_into(bytes: &[u8], groups: &mut Vec<Group>) {
    groups.clear();
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
}

/// How a kind of number is written: what may join two of its groups, its fewest and most
/// digits, and its most groups.
pub(crate) struct Grouping {
    pub joins: fn(&[u8]) -> bool,
    pub min_digits: usize,
    pub max_digits: usize,
    pub max_groups: usize,
}

/// Each number of `bytes` written as `grouping` says, as `(start, end)` to `found`: at each group
/// where `opening` lets one begin (at the byte it gives), the longest run of joined groups that
/// ends where a number may end and that `accept(opening, parts, digits)` takes; runs do not
/// overlap. Linear: a group starts at most `max_groups` tries.
pub(crate) fn numbers(
    bytes: &[u8],
    groups: &[Group],
    grouping: &Grouping,
    opening: impl Fn(usize) -> Option<usize>,
    accept: impl Fn(usize, &[Group], usize) -> bool,
    mut found: impl FnMut(usize, usize),
) {
    let mut first = 0;
    while let Some(start) = groups.get(first) {
        let Some(begins) = opening(start.start) else {
            first += 1;
            continue;
        };
        let mut longest = None;
        let mut count = 0;
        let mut last = first;
        while let Some(group) = groups.get(last) {
            if last > first {
                let Some(previous) = groups.get(last - 1) else { break };
                if !(grouping.joins)(between(bytes, previous, group)) {
                    break;
                }
            }
            count += group.len();
            if count > grouping.max_digits || last - first >= grouping.max_groups {
                break;
            }
            let parts = groups.get(first..=last).unwrap_or_default();
            if count >= grouping.min_digits && ends_number(bytes, group.end) && accept(begins, parts, count) {
                longest = Some((last, group.end));
            }
            last += 1;
        }
        match longest {
            Some((last, end)) => {
                found(begins, end);
                first = last + 1;
            }
            None => first += 1,
        }
    }
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

/// Whether the digits pass the Luhn check (payment cards). Read from the last digit back, with
/// no copy: a candidate is checked at each group it could end with.
pub(crate) fn luhn(bytes: &[u8], start: usize, end: usize) -> bool {
    let (mut sum, mut count) = (0u32, 0u32);
    for byte in bytes.get(start..end).unwrap_or_default().iter().rev().filter(|byte| byte.is_ascii_digit()) {
        let digit = u32::from(byte - b'0');
        sum += if count % 2 == 1 { (digit * 2) % 10 + digit * 2 / 10 } else { digit };
        count += 1;
    }
    count > 0 && sum % 10 == 0
}
