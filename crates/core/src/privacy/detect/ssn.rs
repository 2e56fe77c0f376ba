//! US Social Security numbers written in their groups: `078-05-1120`, `078 05 1120`,
//! `078.05.1120` (one separator throughout), without the numbers never issued.

use super::text::{between, digits, ends_number, starts_number, Group, Span};
use crate::privacy::Kind;

/// Each SSN of `text`, given its digit groups. A bare run of nine digits is not taken: most are
/// not SSNs (Presidio scores it 0.05).
pub(crate) fn find(text: &str, groups: &[Group], out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    for window in groups.windows(3) {
        let [area, group, serial] = window else { continue };
        if area.len() != 3 || group.len() != 2 || serial.len() != 4 {
            continue;
        }
        let first = between(bytes, area, group);
        let second = between(bytes, group, serial);
        if first != second || !matches!(first, b"-" | b" " | b".") {
            continue;
        }
        if !starts_number(bytes, area.start) || !ends_number(bytes, serial.end) {
            continue;
        }
        if issued(bytes, area, group, serial) {
            out.push((Kind::Ssn, area.start, serial.end));
        }
    }
}

/// Not a number the Social Security Administration never issues: area 000, 666 or 9xx, group
/// 00, serial 0000, nor one digit throughout.
fn issued(bytes: &[u8], area: &Group, group: &Group, serial: &Group) -> bool {
    let number = |part: &Group| digits(bytes, part.start, part.end).fold(0, |value, digit| value * 10 + digit);
    let (area_number, group_number, serial_number) = (number(area), number(group), number(serial));
    let all: Vec<u32> = [area, group, serial].iter().flat_map(|part| digits(bytes, part.start, part.end)).collect();
    let same = all.windows(2).all(|pair| pair.first() == pair.get(1));
    area_number != 0 && area_number != 666 && area_number < 900 && group_number != 0 && serial_number != 0 && !same
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found_in_groups(text, super::find)
    }

    #[test]
    fn ssns() {
        assert_eq!(found("ssn 078-05-1120."), ["078-05-1120"]);
        assert_eq!(found("078 05 1120"), ["078 05 1120"]);
        assert!(found("078-05 1120").is_empty());
        assert!(found("000-05-1120 666-05-1120 912-05-1120 078-00-1120 078-05-0000 111-11-1111").is_empty());
        assert!(found("078051120").is_empty());
        assert!(found("1-078-05-1120").is_empty());
    }
}
