//! JSON's plain bytes: the whitespace allowed between tokens, and the bytes a JSON string holds
//! as they are (anything but `"`, `\` and control characters), found eight at a time. The scanner
//! reads to where a string ends or escapes, the writer knows a string needs no escape.

/// A quoted JSON string's text, decoded (`None` when it is not one).
pub(crate) fn decoded(quoted: &str) -> Option<String> {
    // Read as a Value, not a String: a typed read links serde's type-error messages, and
    // through them core's float formatting (15 KB of the module).
    match serde_json::from_str(quoted) {
        Ok(serde_json::Value::String(text)) => Some(text),
        _ => None,
    }
}

/// Whether `byte` is whitespace JSON allows between tokens (space, tab, line feed, return).
#[inline(always)]
pub fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
}

/// A 1 in each of a word's eight bytes, and each byte's high bit: for reading eight bytes at a time.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that ends or escapes a string or is a control character.
/// Borrows can only mark bytes after a marked one, so the lowest mark is exact.
#[inline(always)]
fn specials(word: u64) -> u64 {
    let zero_in = |value: u64| value.wrapping_sub(ONES) & !value & HIGHS;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    zero_in(word ^ (ONES * u64::from(b'"'))) | zero_in(word ^ (ONES * u64::from(b'\\'))) | below_space
}

/// How many bytes at the start of `bytes` a JSON string holds as they are.
#[inline(always)]
pub(crate) fn run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let marks = specials(u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or([0; 8])));
        if marks != 0 {
            return at + (marks.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte < 0x20 || byte == b'"' || byte == b'\\' {
            break;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::run;

    #[test]
    fn runs_end_at_the_first_special_byte_wherever_it_stands() {
        for len in 0..20 {
            for special in [b'"', b'\\', 0x00, 0x1F] {
                for at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    bytes.extend_from_slice("é€\u{7f}".as_bytes());
                    let plain = bytes.len();
                    if at < len {
                        bytes[at] = special;
                        // Bytes after it that would borrow into a false mark do not move it.
                        bytes.push(0x01);
                    }
                    assert_eq!(run(&bytes), if at < len { at } else { plain }, "{len} {special} {at}");
                }
            }
        }
        assert_eq!(run(b" !#[]~\x7f\x80\xff"), 9);
    }
}
