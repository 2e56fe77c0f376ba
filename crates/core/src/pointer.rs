//! RFC 6901 JSON Pointers, built as the checks walk into the caller's input.

use std::fmt;

/// A JSON Pointer (`""` is the whole document, `/batch/0/traits/a~1b` the key `a/b`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub const fn root() -> Pointer {
        Pointer(String::new())
    }

    /// The pointer one object key below this one, escaping `~` as `~0` and `/` as `~1`.
    ///
    /// ```
    /// use astrolabe_segment_core::Pointer;
    /// let traits = Pointer::root().key("traits");
    /// assert_eq!(traits.key("a/b~c").as_str(), "/traits/a~1b~0c");
    /// assert_eq!(traits.key("total billed").as_str(), "/traits/total billed");
    /// ```
    pub fn key(&self, key: &str) -> Pointer {
        let mut path = String::with_capacity(self.0.len() + key.len() + 1);
        path.push_str(&self.0);
        path.push('/');
        if !key.bytes().any(|byte| byte == b'~' || byte == b'/') {
            path.push_str(key);
            return Pointer(path);
        }
        for ch in key.chars() {
            match ch {
                '~' => path.push_str("~0"),
                '/' => path.push_str("~1"),
                _ => path.push(ch),
            }
        }
        Pointer(path)
    }

    /// The pointer one array index below this one.
    ///
    /// ```
    /// use astrolabe_segment_core::Pointer;
    /// assert_eq!(Pointer::root().key("batch").index(3).as_str(), "/batch/3");
    /// ```
    pub fn index(&self, index: usize) -> Pointer {
        // Digit by digit: a batch's every item has its path made, and `format!` cost more than
        // the rest of it.
        fn decimal(out: &mut String, number: usize) {
            if number >= 10 {
                decimal(out, number / 10);
            }
            out.push(char::from(b'0' + (number % 10) as u8));
        }
        let mut path = String::with_capacity(self.0.len() + 8);
        path.push_str(&self.0);
        path.push('/');
        decimal(&mut path, index);
        Pointer(path)
    }

    /// A pointer from its text. The text is taken as it is (it must already be escaped).
    pub fn from_escaped(text: impl Into<String>) -> Pointer {
        Pointer(text.into())
    }

    /// The pointer's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens, from the root down.
    ///
    /// ```
    /// use astrolabe_segment_core::Pointer;
    /// let p = Pointer::root().key("a/b").key("~x").index(2);
    /// assert_eq!(p.tokens(), vec!["a/b", "~x", "2"]);
    /// ```
    pub fn tokens(&self) -> Vec<String> {
        if self.0.is_empty() {
            return Vec::new();
        }
        self.0.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_empty() {
        assert_eq!(Pointer::root().as_str(), "");
        assert!(Pointer::root().tokens().is_empty());
    }

    #[test]
    fn escapes_tilde_before_slash() {
        // "~1" as a key must become "~01", not "~1" (which would read back as "/").
        let p = Pointer::root().key("~1");
        assert_eq!(p.as_str(), "/~01");
        assert_eq!(p.tokens(), vec!["~1"]);
    }

    #[test]
    fn indexes_are_written_in_decimal() {
        for index in [0, 7, 10, 99, 100, 2499, usize::MAX] {
            assert_eq!(Pointer::root().key("batch").index(index).as_str(), format!("/batch/{index}"));
        }
    }

    #[test]
    fn keys_with_spaces_slashes_and_empty_keys() {
        let p = Pointer::root().key("properties").key("total billed").key("a/b").key("");
        assert_eq!(p.as_str(), "/properties/total billed/a~1b/");
        assert_eq!(p.tokens(), vec!["properties", "total billed", "a/b", ""]);
    }

    #[test]
    fn unicode_keys_pass_through() {
        assert_eq!(Pointer::root().key("prénom").as_str(), "/prénom");
    }

    #[test]
    fn indices() {
        assert_eq!(Pointer::root().index(0).key("type").as_str(), "/0/type");
    }
}
