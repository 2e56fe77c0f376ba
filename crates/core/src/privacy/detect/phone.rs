//! Phone numbers: international (`+44 20 7946 0958`, `+14155550100`, `0044 ...`) and national
//! forms: North American (`(415) 555-0100`, `415-555-0100`, `1 415 555 0100`) and those dialled
//! with a trunk `0` (`020 7946 0958`, `030 12345678`, `06 12 34 56 78`, `052-1234567`).

use super::text::{at, before, between, digits, is_word, numbers, Group, Grouping, Span};
use crate::privacy::Kind;

/// What may join the groups of one number: spaces, dashes, dots, slashes and an area code's
/// parentheses, three bytes at most (`) (`, ` - `).
fn joins(separator: &[u8]) -> bool {
    !separator.is_empty() && separator.len() <= 3 && separator.iter().all(|byte| b" -./()".contains(byte))
}

/// Numbers have 8 digits at least (an international one's fewest), at most 15 (E.164), in at most
/// seven groups (`+33 1 42 68 53 00` has six).
const GROUPING: Grouping = Grouping { joins, min_digits: 8, max_digits: 15, max_groups: 7 };

/// Each phone number of `text`, given its digit groups. Linear: a number has at most 15 digits,
/// so each group starts a bounded number of tries.
pub(crate) fn find(text: &str, groups: &[Group], out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let accept =
        |opening, parts: &[Group], count| before(bytes, opening) != b'/' && accepted(bytes, opening, parts, count);
    numbers(
        bytes,
        groups,
        &GROUPING,
        |start| opening(bytes, start),
        accept,
        |start, end| out.push((Kind::Phone, start, end)),
    );
}

/// Where a number starting with the group at `start` begins: at its `+` or `(` if it has one;
/// `None` when the group continues a word or a longer number.
fn opening(bytes: &[u8], start: usize) -> Option<usize> {
    let lead = before(bytes, start);
    let opening = match lead {
        b'+' | b'(' => start - 1,
        _ => start,
    };
    let outside = before(bytes, opening);
    let continues = is_word(outside)
        || outside.is_ascii_digit()
        || (matches!(outside, b'-' | b'.' | b',' | b':') && before(bytes, opening.saturating_sub(1)).is_ascii_digit())
        || (opening == start && matches!(lead, b'-' | b'.'));
    (!continues).then_some(opening)
}

/// Whether groups `parts` (with `count` digits, the first at `opening` or just after its `+` or
/// `(`) form a phone number.
fn accepted(bytes: &[u8], opening: usize, parts: &[Group], count: usize) -> bool {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else { return false };
    // At most 15 digits (`count`): kept on the stack.
    let mut number = [0u32; 15];
    for (slot, digit) in number.iter_mut().zip(digits(bytes, first.start, last.end)) {
        *slot = digit;
    }
    let number = number.get(..count).unwrap_or_default();
    let lead = |n: usize| number.iter().take(n).fold(0, |value, digit| value * 10 + digit);
    let grouped = parts.len() > 1;
    match at(bytes, opening) {
        // International: a country code (no zero) and 8 to 15 digits in all.
        b'+' => (8..=15).contains(&count) && lead(1) != 0,
        _ if lead(2) == 0 => (10..=15).contains(&count) && lead(3) != 0,
        _ if lead(1) == 0 => {
            // A trunk zero, with an area code and a subscriber number: grouped, or 10-11 digits.
            (grouped && (9..=12).contains(&count)) || (10..=11).contains(&count)
        }
        // A Chinese mobile number: 1, 3-9, and nine more.
        _ if count == 11 && !grouped && lead(1) == 1 && lead(2) >= 13 => true,
        // Ten digits in 3-3-2-2 (Turkish, and other numbering plans' mobile numbers).
        _ if count == 10 && parts.iter().map(Group::len).eq([3, 3, 2, 2]) && same_separator(bytes, parts) => true,
        _ => north_american(bytes, parts, number),
    }
}

/// Whether the groups are joined by one and the same separator.
fn same_separator(bytes: &[u8], parts: &[Group]) -> bool {
    let mut separators = parts.windows(2).map(|pair| match pair {
        [left, right] => between(bytes, left, right),
        _ => &[],
    });
    let first = separators.next();
    first.is_some_and(|first| first.len() == 1 && separators.all(|other| other == first))
}

/// `(NXX) NXX-XXXX`, `NXX-NXX-XXXX`, `NXX.NXX.XXXX`, `NXX NXX XXXX`, each after an optional
/// country code: the area code and the exchange start with 2-9.
fn north_american(bytes: &[u8], parts: &[Group], number: &[u32]) -> bool {
    let mut lens = [0usize; GROUPING.max_groups];
    for (slot, part) in lens.iter_mut().zip(parts) {
        *slot = part.len();
    }
    let lens = lens.get(..parts.len()).unwrap_or_default();
    let (local, country) = match lens {
        [3, 3, 4] | [3, 7] => (number, false),
        // After a country code written without its `+` (`1 415 555 0100`, `91-415-555-0132`).
        [code @ 1..=3, 3, 3, 4] if number.first().is_some_and(|digit| *digit != 0) => {
            (number.get(*code..).unwrap_or_default(), true)
        }
        _ => return false,
    };
    let Some(area) = parts.get(usize::from(country)) else { return false };
    let parenthesized = before(bytes, area.start) == b'(' && at(bytes, area.end) == b')';
    // Dots or slashes alone join dates and versions more often than numbers: those need the
    // area code in parentheses or the 3-3-4 grouping.
    let shape = lens != [3, 7] || parenthesized || at(bytes, area.end) == b'-';
    shape
        && local.len() == 10
        && local.first().is_some_and(|digit| *digit >= 2)
        && local.get(3).is_some_and(|digit| *digit >= 2)
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found_in_groups(text, super::find)
    }

    #[test]
    fn numbers() {
        assert_eq!(found("call (415) 555-0100 now"), ["(415) 555-0100"]);
        assert_eq!(found("415-555-0100, 1 415 555 0100"), ["415-555-0100", "1 415 555 0100"]);
        assert_eq!(found("+44 20 7946 0958"), ["+44 20 7946 0958"]);
        assert_eq!(found("+14155550100"), ["+14155550100"]);
        assert_eq!(found("020 7946 0958 or 07700900123"), ["020 7946 0958", "07700900123"]);
        assert_eq!(found("06 12 34 56 78"), ["06 12 34 56 78"]);
        assert_eq!(found("052-1234567"), ["052-1234567"]);
    }

    #[test]
    fn not_numbers() {
        for text in [
            "2024-12-07T10:20:30.000Z",
            "1700000000",
            "v1.2.3",
            "192.168.0.1",
            "price 1234.56",
            "550e8400-e29b-41d4-a716-446655440000",
            "12/25/2024",
            "order 123456789",
            "Chrome/120.0.6099.109",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn linear_on_digits() {
        assert!(found(&"5".repeat(200_000)).is_empty());
        let _ = found(&"5 ".repeat(100_000));
    }
}
