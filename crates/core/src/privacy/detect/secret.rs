//! Well-known secret keys, by the shapes their issuers give them: cloud (AWS, Google, Azure),
//! payment (Stripe), code hosts (GitHub, GitLab, npm), chat (Slack), email (SendGrid), AI
//! (OpenAI, Anthropic, Hugging Face) and commerce (Shopify) keys, and PEM private key blocks.

use super::text::{at, before, Span};
use crate::privacy::Kind;

/// A key's shape: its prefix, the bytes of its body and the body's length.
struct Shape {
    prefix: &'static str,
    body: fn(u8) -> bool,
    min: usize,
    max: usize,
}

fn alnum(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}
fn upper_alnum(byte: u8) -> bool {
    byte.is_ascii_uppercase() || byte.is_ascii_digit()
}
fn word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}
fn token(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}
fn dotted(byte: u8) -> bool {
    token(byte) || byte == b'.'
}
fn hex(byte: u8) -> bool {
    byte.is_ascii_hexdigit()
}
fn base64(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/' || byte == b'='
}

const fn shape(prefix: &'static str, body: fn(u8) -> bool, min: usize, max: usize) -> Shape {
    Shape { prefix, body, min, max }
}

const SHAPES: [Shape; 30] = [
    // AWS access key ids (the secret key that goes with one is 40 bytes of base64 with no prefix).
    shape("AKIA", upper_alnum, 16, 16),
    shape("ASIA", upper_alnum, 16, 16),
    shape("ABIA", upper_alnum, 16, 16),
    shape("ACCA", upper_alnum, 16, 16),
    shape("AIza", token, 35, 35),
    shape("AccountKey=", base64, 40, 200),
    shape("sk_live_", alnum, 16, 255),
    shape("sk_test_", alnum, 16, 255),
    shape("rk_live_", alnum, 16, 255),
    shape("rk_test_", alnum, 16, 255),
    shape("whsec_", alnum, 24, 255),
    shape("ghp_", alnum, 36, 255),
    shape("gho_", alnum, 36, 255),
    shape("ghu_", alnum, 36, 255),
    shape("ghs_", alnum, 36, 255),
    shape("ghr_", alnum, 36, 255),
    shape("github_pat_", word, 22, 255),
    shape("glpat-", token, 20, 255),
    shape("npm_", alnum, 36, 36),
    shape("xoxb-", token, 10, 255),
    shape("xoxp-", token, 10, 255),
    shape("xoxa-", token, 10, 255),
    shape("xoxr-", token, 10, 255),
    shape("xoxs-", token, 10, 255),
    shape("SG.", dotted, 60, 80),
    shape("sk-", token, 20, 255),
    shape("hf_", alnum, 30, 255),
    shape("shpat_", hex, 32, 32),
    shape("shpss_", hex, 32, 32),
    shape("dapi", hex, 32, 32),
];

/// The bytes a key may start with, so that most positions are passed over at once.
fn may_start(byte: u8) -> bool {
    matches!(byte, b'A' | b's' | b'r' | b'w' | b'g' | b'n' | b'x' | b'S' | b'h' | b'd' | b'-')
}

/// Each key of `text`. Linear: a key is read once and the search goes on after it; a start that
/// is not one reads no further than its prefix and body.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let start = index;
        index += 1;
        if !may_start(at(bytes, start)) || token(before(bytes, start)) {
            continue;
        }
        let rest = bytes.get(start..).unwrap_or_default();
        if rest.starts_with(b"-----BEGIN ") {
            if let Some(end) = private_key(text, start) {
                out.push((Kind::Secret, start, end));
                index = end;
            }
            continue;
        }
        for shape in &SHAPES {
            if !rest.starts_with(shape.prefix.as_bytes()) {
                continue;
            }
            let body = start + shape.prefix.len();
            let mut end = body;
            while end - body <= shape.max && (shape.body)(at(bytes, end)) {
                end += 1;
            }
            let length = end - body;
            if (shape.min..=shape.max).contains(&length) && !token(at(bytes, end)) && has_digit(bytes, body, end) {
                out.push((Kind::Secret, start, end));
                index = end;
                break;
            }
        }
    }
}

/// Keys are random: a body without a digit is a word (`sk-learn-...`), not a key.
fn has_digit(bytes: &[u8], start: usize, end: usize) -> bool {
    bytes.get(start..end).is_some_and(|body| body.iter().any(u8::is_ascii_digit))
}

/// How far after its BEGIN line a block's END line is looked for.
const BLOCK_MAX: usize = 8 * 1024;

/// A PEM private key block starting at `start`: through its END line when it has one, else its
/// BEGIN line.
fn private_key(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let header_end = rest.get(11..)?.find("-----")? + 11;
    let label = rest.get(11..header_end)?;
    if !label.ends_with("PRIVATE KEY") && label != "PGP PRIVATE KEY BLOCK" {
        return None;
    }
    let header = header_end + 5;
    let footer = format!("-----END {label}-----");
    // A key's block is a few KB (RSA 4096: 3.3 KB): looked for no further, so that many BEGIN
    // lines without an END cost linear time.
    let window = rest.as_bytes().get(header..).unwrap_or_default();
    let window = window.get(..window.len().min(BLOCK_MAX)).unwrap_or_default();
    let found = window.windows(footer.len()).position(|candidate| candidate == footer.as_bytes());
    Some(start + found.map_or(header, |at| header + at + footer.len()))
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found(text, super::find)
    }

    #[test]
    fn keys() {
        assert_eq!(found("key AKIAIOSFODNN7EXAMPLE here"), ["AKIAIOSFODNN7EXAMPLE"]);
        let stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        assert_eq!(found(&format!("stripe={stripe};")), [stripe]);
        let github = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        assert_eq!(found(github), [github]);
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----";
        assert_eq!(found(&format!("k: {pem} end")), [pem]);
        assert!(found("-----BEGIN PUBLIC KEY-----").is_empty());
        assert!(found("sk-learn-is-a-library-name").is_empty());
        assert!(found("TASKAKIAIOSFODNN7EXAMPLE").is_empty());
    }

    #[test]
    fn linear() {
        assert!(found(&"sk_live_".repeat(30_000)).is_empty());
        assert!(found(&"-----BEGIN ".repeat(30_000)).len() <= 1);
    }
}
