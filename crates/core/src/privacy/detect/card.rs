//! Payment card numbers: 13 to 19 digits, alone or in groups joined by one space or dash, with a
//! card network's leading digits and a valid Luhn check digit.

use super::text::{luhn, numbers, starts_number, Group, Grouping, Span};
use crate::privacy::Kind;

/// Cards are written whole or in at most five groups (4-4-4-4-3) joined by one space or dash.
const GROUPING: Grouping =
    Grouping { joins: |between| matches!(between, b" " | b"-"), min_digits: 13, max_digits: 19, max_groups: 5 };

/// Each card number of `text`, given its digit groups. Linear: a candidate spans at most 19
/// digits, so each group starts a bounded number of tries.
pub(crate) fn find(text: &str, groups: &[Group], out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // Not the tail of a word or of a longer number.
    let opening = |start| starts_number(bytes, start).then_some(start);
    let accept = |start, parts: &[Group], count| {
        let end = parts.last().map_or(start, |group| group.end);
        network(bytes, start, count) && luhn(bytes, start, end)
    };
    numbers(bytes, groups, &GROUPING, opening, accept, |start, end| out.push((Kind::Card, start, end)));
}

/// Whether a number of `count` digits starting at `start` has a card network's leading digits
/// and length: Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay, Maestro,
/// UATP.
fn network(bytes: &[u8], start: usize, count: usize) -> bool {
    let lead = |n: usize| -> u32 {
        super::text::digits(bytes, start, bytes.len()).take(n).fold(0, |value, digit| value * 10 + digit)
    };
    match lead(1) {
        1 => count == 15,                                     // UATP
        2 => (2221..=2720).contains(&lead(4)) && count == 16, // Mastercard's 2-series
        3 => {
            matches!(lead(2), 34 | 37) && count == 15                      // American Express
            || matches!(lead(2), 30 | 36 | 38 | 39) && (14..=19).contains(&count) // Diners Club
            || lead(2) == 35 && (16..=19).contains(&count)
        } // JCB
        4 => matches!(count, 13 | 16 | 19),                   // Visa
        5 => {
            (51..=55).contains(&lead(2)) && count == 16                   // Mastercard
            || matches!(lead(2), 50 | 56..=59) && count >= 12
        } // Maestro, Dankort
        6 => count >= 16,                                     // Discover, UnionPay, Maestro
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found_in_groups(text, super::find)
    }

    #[test]
    fn cards() {
        assert_eq!(found("card 4111111111111111 ok"), ["4111111111111111"]);
        assert_eq!(found("4111 1111 1111 1111"), ["4111 1111 1111 1111"]);
        assert_eq!(found("4111-1111-1111-1111, 378282246310005"), ["4111-1111-1111-1111", "378282246310005"]);
        assert_eq!(found("5500 0000 0000 0004 and 6011000990139424"), ["5500 0000 0000 0004", "6011000990139424"]);
        assert_eq!(found("4111111111111111 5500000000000004"), ["4111111111111111", "5500000000000004"]);
        // A Luhn failure, a run too long, a part of a word or an id.
        assert!(found("4111111111111112").is_empty());
        assert!(found("41111111111111110000").is_empty());
        assert!(found("id_4111111111111111").is_empty());
        assert!(found("1700000000000").is_empty());
    }

    #[test]
    fn linear_on_digits() {
        let text = "4".repeat(200_000);
        assert!(found(&text).is_empty());
        let text = "4 ".repeat(100_000);
        assert!(found(&text).is_empty());
    }
}
