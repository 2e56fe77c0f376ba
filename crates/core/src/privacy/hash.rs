//! `hash`: a found part replaced with its keyed SHA-256 (HMAC-SHA-256 with `privacy.hashKey`),
//! written as hex, so that the same email address hashes the same in every message and joins
//! still work, while no one without the key can test a guess.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Kind;

/// The hex HMAC-SHA-256 of `part` under `key`, after the part is written one way: an email
/// address in lower case (ASCII letters); numbers (phone, card, SSN, IBAN) without their spaces, dashes, dots
/// and parentheses, and an IBAN's letters in upper case.
pub(crate) fn keyed(key: &[u8], kind: Kind, part: &str) -> String {
    let normal: String = match kind {
        Kind::Email => part.trim().to_ascii_lowercase(),
        Kind::Phone | Kind::Card | Kind::Ssn | Kind::Iban => part
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
            .collect::<String>()
            .to_ascii_uppercase(),
        Kind::Ip | Kind::Jwt | Kind::Secret => part.to_owned(),
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(normal.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0')));
        hex.push(char::from(DIGITS.get(usize::from(byte & 0xF)).copied().unwrap_or(b'0')));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4231_case_2() {
        // HMAC-SHA-256 of "what do ya want for nothing?" under "Jefe".
        assert_eq!(
            keyed(b"Jefe", Kind::Secret, "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn one_address_one_hash() {
        assert_eq!(keyed(b"k", Kind::Email, "Jane@Example.com"), keyed(b"k", Kind::Email, "jane@example.com"));
        assert_eq!(keyed(b"k", Kind::Phone, "+1 (415) 555-0100"), keyed(b"k", Kind::Phone, "+14155550100"));
        assert_ne!(keyed(b"k", Kind::Email, "jane@example.com"), keyed(b"other", Kind::Email, "jane@example.com"));
    }
}
