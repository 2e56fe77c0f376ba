//! International Bank Account Numbers: a country's code, two check digits and its account number
//! (the BBAN), whole or in groups of four, of the country's length and passing the mod-97 check.

use super::text::{at, before, is_alnum, Span};
use super::Kind;

/// Each IBAN of `text`. Linear: each start reads at most 34 characters and their spaces.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index + 4 <= bytes.len() {
        let start = index;
        index += 1;
        if !(at(bytes, start).is_ascii_uppercase() && at(bytes, start + 1).is_ascii_uppercase())
            || !(at(bytes, start + 2).is_ascii_digit() && at(bytes, start + 3).is_ascii_digit())
            || is_alnum(before(bytes, start))
        {
            continue;
        }
        let Some(length) = country_length(at(bytes, start), at(bytes, start + 1)) else { continue };
        if let Some(end) = account(bytes, start, length) {
            out.push((Kind::Iban, start, end));
            index = end;
        }
    }
}

/// Where an IBAN of `length` characters starting at `start` ends, if one does: written whole or
/// in groups of four with one space (or dash) between.
fn account(bytes: &[u8], start: usize, length: usize) -> Option<usize> {
    read(bytes, start, length, None)
        .or_else(|| read(bytes, start, length, Some(b' ')))
        .or_else(|| read(bytes, start, length, Some(b'-')))
}

/// An IBAN's characters, upper-case letters and digits (with `separator` after each four when
/// there is one), not followed by more of a word, and its check passing.
fn read(bytes: &[u8], start: usize, length: usize, separator: Option<u8>) -> Option<usize> {
    let mut compact = Vec::with_capacity(length);
    let mut index = start;
    while compact.len() < length {
        if let Some(separator) = separator.filter(|_| !compact.is_empty() && compact.len() % 4 == 0) {
            if at(bytes, index) != separator {
                return None;
            }
            index += 1;
        }
        let byte = at(bytes, index);
        if !(byte.is_ascii_uppercase() || byte.is_ascii_digit()) {
            return None;
        }
        compact.push(byte);
        index += 1;
    }
    if is_alnum(at(bytes, index)) {
        return None;
    }
    (mod_97(&compact) == 1).then_some(index)
}

/// The IBAN's check: its first four characters moved to the end, letters as 10-35, mod 97.
fn mod_97(compact: &[u8]) -> u32 {
    let (head, tail) = compact.split_at(4.min(compact.len()));
    tail.iter().chain(head).fold(0u32, |remainder, byte| {
        let value = if byte.is_ascii_digit() { u32::from(byte - b'0') } else { u32::from(byte - b'A') + 10 };
        if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        }
    })
}

/// The length of an IBAN of the country, from SWIFT's IBAN registry.
fn country_length(first: u8, second: u8) -> Option<usize> {
    let code = [first, second];
    LENGTHS.iter().find(|(country, _)| country.as_bytes() == code).map(|(_, length)| usize::from(*length))
}

const LENGTHS: [(&str, u8); 89] = [
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        super::find(text, &mut out);
        out.iter().map(|(_, start, end)| &text[*start..*end]).collect()
    }

    #[test]
    fn ibans() {
        assert_eq!(found("pay GB82WEST12345698765432 now"), ["GB82WEST12345698765432"]);
        assert_eq!(found("GB82 WEST 1234 5698 7654 32."), ["GB82 WEST 1234 5698 7654 32"]);
        assert!(found("GB82WEST12345698765433").is_empty());
        assert!(found("GB82 WEST12345698765432").is_empty());
        assert!(found("XGB82WEST12345698765432").is_empty());
    }

    #[test]
    fn linear() {
        assert!(found(&"GB82 ".repeat(50_000)).is_empty());
    }
}
