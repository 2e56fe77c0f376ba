//! Email addresses: a local part, `@`, and a domain of two or more labels whose last is letters.

use super::text::{at, before, Span};
use crate::privacy::Kind;

/// A byte a local part may hold (RFC 5322's atom characters and dots; non-ASCII letters too).
fn local(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&byte) || byte >= 0x80
}

/// A byte a domain may hold.
fn domain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.' || byte >= 0x80
}

/// Each address in `text`. Linear: a local part is read back no further than the last `@` or
/// address, a domain forward no further than the next `@`.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut floor = 0; // nothing before this is read again
    let mut index = 0;
    while let Some(offset) = bytes.get(index..).and_then(|rest| rest.iter().position(|byte| *byte == b'@')) {
        let at_sign = index + offset;
        index = at_sign + 1;
        let mut start = at_sign;
        while start > floor && local(before(bytes, start)) {
            start -= 1;
        }
        // A local part neither starts nor ends with a dot.
        while at(bytes, start) == b'.' {
            start += 1;
        }
        let mut end = at_sign + 1;
        while domain(at(bytes, end)) {
            end += 1;
        }
        floor = at_sign + 1;
        if start >= at_sign || before(bytes, at_sign) == b'.' {
            continue;
        }
        // The domain ends at its last letter or digit.
        while end > at_sign + 1 && matches!(before(bytes, end), b'.' | b'-') {
            end -= 1;
        }
        let Some(host) = text.get(at_sign + 1..end) else { continue };
        if valid_domain(host) {
            out.push((Kind::Email, start, end));
            floor = end;
            index = end;
        }
    }
}

/// Two or more labels, none empty, none starting or ending with `-`; the last of letters only
/// (two or more), or punycode.
fn valid_domain(host: &str) -> bool {
    let mut labels = 0;
    let mut last = "";
    for label in host.split('.') {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        labels += 1;
        last = label;
    }
    // An internationalized top-level domain may come in its ASCII form (`xn--p1ai`).
    let top = last.bytes().all(|byte| byte.is_ascii_alphabetic() || byte >= 0x80)
        || (last.starts_with("xn--") && last.len() > 4);
    labels >= 2 && last.len() >= 2 && top && !FILE_TYPES.contains(&last)
}

/// Endings of file names, which `icon@2x.png` would otherwise make an address: none is a
/// top-level domain.
const FILE_TYPES: [&str; 12] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "js", "css", "html", "json", "txt", "pdf"];

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found(text, super::find)
    }

    #[test]
    fn addresses() {
        assert_eq!(found("mail jane.doe+tag@example.co.uk today"), ["jane.doe+tag@example.co.uk"]);
        assert_eq!(found("a@b.io, c@d.com."), ["a@b.io", "c@d.com"]);
        assert_eq!(found("<x@y.org>"), ["x@y.org"]);
        assert!(found("icon@2x.png").is_empty());
        assert!(found("@handle").is_empty());
        assert!(found("user@localhost").is_empty());
        assert!(found("a@b.c").is_empty());
        assert!(found("version 1.2@3.4").is_empty());
    }

    #[test]
    fn linear_on_many_at_signs() {
        let text = "a@".repeat(50_000);
        assert!(found(&text).is_empty());
        let text = format!("{}@example.com", "a".repeat(100_000));
        assert_eq!(found(&text).len(), 1);
    }
}
