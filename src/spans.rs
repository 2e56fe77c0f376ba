//! Where an answer's text leaves ASCII, for a host that decodes it into its own strings.
//!
//! A JS engine's UTF-8 decoder reads ASCII at memory speed, but from the first other character on
//! it goes several times slower, to the end of the text. A batch's answer of half a megabyte with
//! a few names in other scripts is decoded faster as pieces: the ASCII runs apart from short
//! spans around the other characters, joined afterwards. The spans are found here, where
//! `cargo test` reaches them; the glue only cuts and joins.

/// Spans closer than this are one: a piece costs the host a decoder call.
const GAP: usize = 64;

/// More spans than one per this many bytes, and the text is decoded whole: the calls would cost
/// more than they save.
const BYTES_PER_SPAN: usize = 1024;

/// The spans of `text` that hold its characters past ASCII, as `[start, end, start, end, ...]`
/// byte offsets into `spans` (cleared first), spans closer than `GAP` bytes merged. Spans start
/// and end on character boundaries, since every byte of a character past ASCII is past ASCII
/// itself. Empty when the text is ASCII; `false` (and empty) when decoding the text whole is the
/// better way: too many spans, or offsets past `u32`.
///
/// ```
/// use astrolabe_segment::spans::non_ascii_spans;
/// let mut spans = Vec::new();
/// let text = format!("{}é{}", "a".repeat(100), "b".repeat(2000));
/// assert!(non_ascii_spans(text.as_bytes(), &mut spans));
/// assert_eq!(spans, [100, 102]);
/// ```
pub fn non_ascii_spans(text: &[u8], spans: &mut Vec<u32>) -> bool {
    spans.clear();
    if u32::try_from(text.len()).is_err() {
        return false;
    }
    let most = text.len() / BYTES_PER_SPAN + 1;
    let mut at = 0;
    while let Some(start) = next_non_ascii(text, at) {
        at = start + text.get(start..).map_or(0, |rest| rest.iter().take_while(|byte| !byte.is_ascii()).count());
        let (start, end) = (start as u32, at as u32);
        let count = spans.len() / 2;
        match spans.last_mut() {
            Some(last) if (start - *last) < GAP as u32 => *last = end,
            _ if count == most => {
                spans.clear();
                return false;
            }
            _ => spans.extend([start, end]),
        }
    }
    true
}

/// The offset of the first byte past ASCII at or after `at`, eight bytes at a time.
fn next_non_ascii(text: &[u8], mut at: usize) -> Option<usize> {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = text.get(at..at + 8) {
        let high = u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or([0; 8])) & HIGHS;
        if high != 0 {
            return Some(at + (high.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    text.get(at..)?.iter().position(|byte| !byte.is_ascii()).map(|offset| at + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str) -> Option<Vec<u32>> {
        let mut spans = vec![7, 7];
        non_ascii_spans(text.as_bytes(), &mut spans).then_some(spans)
    }

    /// Cutting at the spans and decoding each piece gives the text back.
    fn pieces(text: &str, spans: &[u32]) -> String {
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut at = 0;
        for span in spans.chunks(2) {
            let (start, end) = (span[0] as usize, span[1] as usize);
            assert!(start >= at && end > start);
            out.push_str(std::str::from_utf8(&bytes[at..start]).unwrap());
            let piece = std::str::from_utf8(&bytes[start..end]).unwrap();
            out.push_str(piece);
            at = end;
        }
        out.push_str(std::str::from_utf8(&bytes[at..]).unwrap());
        out
    }

    #[test]
    fn ascii_has_no_spans() {
        assert_eq!(spans_of(""), Some(vec![]));
        assert_eq!(spans_of(&"abc".repeat(1000)), Some(vec![]));
    }

    #[test]
    fn spans_cover_whole_characters_wherever_they_stand() {
        for character in ["é", "中", "😀", "\u{7f}é", "é\u{80}"] {
            for at in 0..20 {
                let text = format!("{}{character}{}", "a".repeat(at), "b".repeat(20));
                let spans = spans_of(&text).unwrap();
                let start = text.find(|c: char| !c.is_ascii()).unwrap() as u32;
                let end = text.rfind(|c: char| !c.is_ascii()).unwrap() as u32;
                let last = text.get(end as usize..).unwrap().chars().next().unwrap().len_utf8() as u32;
                assert_eq!(spans, [start, end + last], "{character} at {at}");
                assert_eq!(pieces(&text, &spans), text);
            }
        }
    }

    #[test]
    fn close_spans_merge_and_far_ones_do_not() {
        let near = format!("é{}中{}", "a".repeat(GAP - 1), "z".repeat(GAP * 40));
        assert_eq!(spans_of(&near).unwrap(), [0, (2 + GAP + 2) as u32]);
        let far = format!("é{}中{}", "a".repeat(GAP), "z".repeat(GAP * 40));
        assert_eq!(spans_of(&far).unwrap(), [0, 2, (2 + GAP) as u32, (2 + GAP + 3) as u32]);
        assert_eq!(pieces(&far, &spans_of(&far).unwrap()), far);
    }

    proptest::proptest! {
        /// For any text: the spans are in order, apart by at least GAP bytes, on character
        /// boundaries, and hold every byte past ASCII; cut there, the pieces give the text back.
        #[test]
        fn spans_hold_every_character_past_ascii(
            parts in proptest::collection::vec(("[a-z \"{}:,]{0,80}", "\\PC{0,4}"), 0..60),
        ) {
            let text: String = parts.iter().flat_map(|(ascii, other)| [ascii.as_str(), other.as_str()]).collect();
            let mut spans = Vec::new();
            if non_ascii_spans(text.as_bytes(), &mut spans) {
                let mut end = 0;
                for span in spans.chunks(2) {
                    let (start, stop) = (span[0] as usize, span[1] as usize);
                    proptest::prop_assert!(end == 0 || start >= end + GAP);
                    proptest::prop_assert!(start < stop && text.is_char_boundary(start) && text.is_char_boundary(stop));
                    proptest::prop_assert!(text.as_bytes()[end..start].is_ascii());
                    end = stop;
                }
                proptest::prop_assert!(text.as_bytes()[end..].is_ascii());
                proptest::prop_assert!(spans.len() / 2 <= text.len() / BYTES_PER_SPAN + 1);
                proptest::prop_assert_eq!(pieces(&text, &spans), text);
            } else {
                proptest::prop_assert!(spans.is_empty());
            }
        }
    }

    #[test]
    fn text_with_too_many_spans_is_decoded_whole() {
        let word = format!("{}ü", "a".repeat(GAP));
        // One span per GAP + 2 bytes: far more than one per BYTES_PER_SPAN.
        assert_eq!(spans_of(&word.repeat(100)), None);
        let mut spans = Vec::new();
        assert!(!non_ascii_spans(word.repeat(100).as_bytes(), &mut spans));
        assert!(spans.is_empty());
        // A span per BYTES_PER_SPAN bytes is still cut.
        let sparse = format!("{}ü", "a".repeat(BYTES_PER_SPAN)).repeat(20);
        let spans = spans_of(&sparse).unwrap();
        assert_eq!(spans.len(), 40);
        assert_eq!(pieces(&sparse, &spans), sparse);
    }
}
