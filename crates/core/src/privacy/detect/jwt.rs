//! JSON Web Tokens: three base64url parts joined by dots, the first a JSON object's (`eyJ`, the
//! encoding of `{"`) naming its algorithm or type.

use super::text::{at, before, Span};
use crate::privacy::Kind;

fn base64url(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// Each token of `text`. Linear: a token's parts are read once, and the search goes on after it.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("eyJ")) {
        let start = from + offset;
        from = start + 3;
        if base64url(before(bytes, start)) {
            continue;
        }
        let header_end = run(bytes, start);
        if at(bytes, header_end) != b'.' || !header_names_alg(bytes.get(start..header_end).unwrap_or_default()) {
            from = header_end.max(from);
            continue;
        }
        let payload_end = run(bytes, header_end + 1);
        if payload_end - (header_end + 1) < 2 || at(bytes, payload_end) != b'.' {
            from = payload_end.max(from);
            continue;
        }
        // The signature may be empty (`alg: none`).
        let end = run(bytes, payload_end + 1);
        out.push((Kind::Jwt, start, end));
        from = end;
    }
}

/// Where the run of base64url bytes starting at `start` ends.
fn run(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while base64url(at(bytes, end)) {
        end += 1;
    }
    end
}

/// Whether the header decodes to a JSON object naming `alg` or `typ`.
fn header_names_alg(header: &[u8]) -> bool {
    let decoded = decode(header);
    let text = String::from_utf8_lossy(&decoded);
    text.starts_with('{') && (text.contains("\"alg\"") || text.contains("\"typ\""))
}

/// Base64url without padding, decoded; a partial last quantum is dropped.
fn decode(encoded: &[u8]) -> Vec<u8> {
    let value = |byte: u8| -> u32 {
        u32::from(match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            _ => 63,
        })
    };
    let mut out = Vec::with_capacity(encoded.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in encoded.iter().take(512) {
        buffer = (buffer << 6) | value(*byte);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xFF) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found(text, super::find)
    }

    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    #[test]
    fn tokens() {
        assert_eq!(found(&format!("Bearer {TOKEN}")), [TOKEN]);
        assert!(found("eyJhbGciOiJIUzI1NiJ9").is_empty());
        assert!(found("eyJub3QiOiJhIGp3dCJ9.eyJh.b").is_empty());
    }

    #[test]
    fn linear() {
        assert!(found(&"eyJ.".repeat(50_000)).is_empty());
    }
}
