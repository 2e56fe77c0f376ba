//! Pieces of the caller's input quoted in a sentence (an issue's message, a config error): never
//! more than a short, truncated piece, so a message cannot carry a payload (or a secret in it) in
//! full, nor grow with the input. Every place that quotes a value or a key goes through here.

use std::borrow::Cow;

/// The most characters of a value or key quoted in a message; longer text is cut, with `…`.
pub const MAX_QUOTED_CHARS: usize = 40;

/// `text` cut to at most `max_chars` characters, on a character boundary, `…` marking a cut.
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", text.get(..end).unwrap_or_default())),
    }
}

/// `text` cut to at most [`MAX_QUOTED_CHARS`] characters.
pub fn truncated(text: &str) -> Cow<'_, str> {
    cut(text, MAX_QUOTED_CHARS)
}

/// `text` as a JSON string literal, cut to at most [`MAX_QUOTED_CHARS`] characters (the `…` inside
/// the quotes): `"Order Completed"`, `"xxxxxxxx…"`. Control characters are escaped as JSON does.
pub fn quote(text: &str) -> String {
    serde_json::to_string(truncated(text).as_ref()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_quoted_whole() {
        assert_eq!(quote("Order Completed"), r#""Order Completed""#);
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote("say \"hi\"\n"), r#""say \"hi\"\n""#);
        assert_eq!(quote(&"x".repeat(MAX_QUOTED_CHARS)), format!("\"{}\"", "x".repeat(MAX_QUOTED_CHARS)));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let quoted = quote(&"x".repeat(10_000));
        assert_eq!(quoted, format!("\"{}…\"", "x".repeat(MAX_QUOTED_CHARS)));
        assert_eq!(truncated(&"y".repeat(41)), format!("{}…", "y".repeat(40)));
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        // Two-, three- and four-byte characters: the cut never splits one.
        for piece in ["é", "€", "😀"] {
            let text = piece.repeat(100);
            let cut = truncated(&text);
            assert_eq!(cut.chars().count(), MAX_QUOTED_CHARS + 1);
            assert!(cut.ends_with('…'));
            assert!(cut.starts_with(&piece.repeat(MAX_QUOTED_CHARS)));
        }
        assert_eq!(cut("abc", 0), "…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn escapes_are_counted_after_the_cut() {
        // The cut counts characters of the text, not of its escaped form.
        let text = "\u{1}".repeat(50);
        let quoted = quote(&text);
        assert_eq!(quoted.matches("\\u0001").count(), MAX_QUOTED_CHARS);
        assert!(quoted.ends_with("…\""));
    }
}
