//! IP addresses: IPv4 in dotted decimal, IPv6 in its full, compressed (`::`) and IPv4-suffixed
//! forms, each with an optional zone (`%eth0`) and network prefix (`/24`).

use super::text::{at, before, is_alnum, Span};
use crate::privacy::Kind;

/// Each address of `text`. Linear: a candidate starts only where no address or word continues,
/// and reads at most one address's length.
pub(crate) fn find(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let start = index;
        index += 1;
        let byte = at(bytes, start);
        if !(byte.is_ascii_hexdigit() || byte == b':') {
            continue;
        }
        let lead = before(bytes, start);
        if is_alnum(lead) || lead == b'.' || lead == b'_' {
            continue;
        }
        // A product's version (`Chrome/120.0.0.0`) is not an address; a URL's host is.
        if lead == b'/' && is_alnum(before(bytes, start - 1)) {
            continue;
        }
        // After a colon only IPv4 starts (`ip:10.0.0.1`, `::ffff:` glued to a word).
        let found = (lead != b':')
            .then(|| v6(bytes, start))
            .flatten()
            .map(|end| prefix(bytes, end, 128))
            .or_else(|| v4(bytes, start).filter(|end| v4_ends(bytes, *end)).map(|end| prefix(bytes, end, 32)));
        if let Some(end) = found {
            out.push((Kind::Ip, start, end));
            index = end;
        }
    }
}

/// The end of a dotted-decimal IPv4 address at `start`: four numbers of 0-255.
fn v4(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start;
    for part in 0..4 {
        if part > 0 {
            if at(bytes, index) != b'.' {
                return None;
            }
            index += 1;
        }
        let from = index;
        let mut value = 0u32;
        while at(bytes, index).is_ascii_digit() && index - from < 3 {
            value = value * 10 + u32::from(at(bytes, index) - b'0');
            index += 1;
        }
        if index == from || value > 255 || at(bytes, index).is_ascii_digit() {
            return None;
        }
    }
    Some(index)
}

/// An IPv4 address ends where no word follows (a dot and more is a longer dotted name's).
fn v4_ends(bytes: &[u8], end: usize) -> bool {
    let next = at(bytes, end);
    !(next.is_ascii_alphabetic() || next == b'_')
}

/// The end of an IPv6 address at `start`: eight groups of 1-4 hex digits, or fewer around one
/// `::`, the last two of which may be an IPv4 address; then an optional zone.
fn v6(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start;
    let mut groups = 0;
    let mut compressed = false;
    let mut last_end = None; // where the address read so far ends
    if at(bytes, index) == b':' {
        if at(bytes, index + 1) != b':' {
            return None;
        }
        compressed = true;
        index += 2;
        last_end = Some(index);
    }
    loop {
        let from = index;
        while at(bytes, index).is_ascii_hexdigit() && index - from < 5 {
            index += 1;
        }
        let length = index - from;
        if length == 0 {
            break;
        }
        if length > 4 {
            return None;
        }
        if at(bytes, index) == b'.' {
            // The last 32 bits as IPv4; else the sentence's full stop.
            if let Some(end) = v4(bytes, from) {
                groups += 2;
                last_end = Some(end);
                break;
            }
            if at(bytes, index + 1).is_ascii_digit() {
                return None;
            }
            groups += 1;
            last_end = Some(index);
            break;
        }
        groups += 1;
        last_end = Some(index);
        if at(bytes, index) != b':' {
            break;
        }
        if at(bytes, index + 1) == b':' {
            if compressed {
                return None;
            }
            compressed = true;
            index += 2;
            last_end = Some(index);
        } else {
            index += 1;
        }
        if groups > 8 {
            return None;
        }
    }
    let end = last_end?;
    let valid = if compressed { (1..=7).contains(&groups) } else { groups == 8 };
    let next = at(bytes, end);
    if !valid || next == b':' || (is_alnum(next) && next != b'%') || next == b'_' {
        return None;
    }
    // A zone: `%` and a name.
    if next == b'%' {
        let mut zone = end + 1;
        while is_alnum(at(bytes, zone)) {
            zone += 1;
        }
        if zone > end + 1 {
            return Some(zone);
        }
    }
    Some(end)
}

/// `end`, or past a network prefix (`/24`) of at most `bits` that follows it.
fn prefix(bytes: &[u8], end: usize, bits: u32) -> usize {
    if at(bytes, end) != b'/' {
        return end;
    }
    let mut index = end + 1;
    let mut value = 0u32;
    while at(bytes, index).is_ascii_digit() && index - end <= 3 {
        value = value * 10 + u32::from(at(bytes, index) - b'0');
        index += 1;
    }
    if index == end + 1 || value > bits || is_alnum(at(bytes, index)) {
        end
    } else {
        index
    }
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        super::super::text::found(text, super::find)
    }

    #[test]
    fn addresses() {
        assert_eq!(found("from 192.168.0.1, 10.0.0.0/8"), ["192.168.0.1", "10.0.0.0/8"]);
        assert_eq!(found("[2001:db8::1]:8080 fe80::1%eth0"), ["2001:db8::1", "fe80::1%eth0"]);
        assert_eq!(found("::ffff:192.0.2.1"), ["::ffff:192.0.2.1"]);
        for text in
            ["Chrome/120.0.0.0", "12:34:56", "aa:bb:cc:dd:ee:ff", "std::cout", "1.2.3", "256.1.1.1", "2001::db8::1"]
        {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn linear() {
        let _ = found(&"1.".repeat(100_000));
        let _ = found(&"a:".repeat(100_000));
        let _ = found(&":".repeat(100_000));
    }
}
