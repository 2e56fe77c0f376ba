//! International Bank Account Numbers: a country's code, two check digits and its account number
//! (the BBAN), whole or in groups of four, of the country's length and passing the mod-97 check.

use super::text::{at, before, is_alnum, Span};
use crate::privacy::Kind;

/// Each IBAN of `text`. Linear: each start reads at most 34 characters and their spaces.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index + 4 <= bytes.len() {
        let start = index;
        index += 1;
        let letters = at(bytes, start).is_ascii_uppercase() && at(bytes, start + 1).is_ascii_uppercase();
        let check_digits = at(bytes, start + 2).is_ascii_digit() && at(bytes, start + 3).is_ascii_digit();
        if !letters || !check_digits || is_alnum(before(bytes, start)) {
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
    LENGTHS.chunks_exact(4).find(|entry| entry.starts_with(&[first, second])).and_then(|entry| match entry {
        [_, _, tens, ones] => Some(usize::from(tens - b'0') * 10 + usize::from(ones - b'0')),
        _ => None,
    })
}

/// Each country's code and IBAN length, four bytes each (one table of bytes: smaller than a
/// table of strings in the WebAssembly build).
const LENGTHS: &[u8] = concat!(
    "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24DE22DJ27DK18DO28EE20EG29ES24FI18",
    "FK18FO18FR27GB22GE22GI23GL18GR27GT28HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20",
    "LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24PL28PS29PT25QA29RO24RS22RU33SA24",
    "SC31SD18SE24SI19SK24SM27SO23ST25SV28TL23TN24TR26UA29VA22VG24XK20YE30",
)
.as_bytes();

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found(text, super::find)
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
