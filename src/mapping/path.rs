//! Paths into a payload (mapping-kit's `get`): parsed once into segments, walked per event.
//!
//! A path splits on `.`, on `[` before a quote or a digit, and on runs of `]` after a quote or a
//! digit; empty pieces are dropped and quotes removed. So `a.b[0]`, `a["b c"]` and `['a'].b`
//! work, while `[txt] key` is one key. `""`, `"."` (and anything that splits into nothing) is
//! the whole payload.

use std::borrow::Cow;

use super::value::Val;

/// A parsed path: the keys to walk, in order (empty: the whole payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path {
    segments: Vec<String>,
}

impl Path {
    /// A path of `@path`/`@arrayPath`: the first `$.` (anywhere, as JS `replace` does) is removed.
    pub(crate) fn parse_directive_path(path: &str) -> Path {
        match path.find("$.") {
            Some(at) => {
                let mut stripped = String::with_capacity(path.len());
                stripped.push_str(path.get(..at).unwrap_or_default());
                stripped.push_str(path.get(at + 2..).unwrap_or_default());
                Path::parse(&stripped)
            }
            None => Path::parse(path),
        }
    }

    /// A path as `get` reads it (no `$.` handling).
    pub(crate) fn parse(path: &str) -> Path {
        if path.is_empty() || path == "." {
            return Path { segments: Vec::new() };
        }
        let chars: Vec<char> = path.chars().collect();
        let mut segments = Vec::new();
        let mut current = String::new();
        let mut i = 0;
        let is_anchor = |c: char| c == '"' || c == '\'' || c.is_ascii_digit();
        while let Some(&c) = chars.get(i) {
            let opens_bracket = c == '[' && chars.get(i + 1).is_some_and(|&n| is_anchor(n));
            let delimiter_len = if opens_bracket || c == '.' {
                1
            } else if c == ']' && i > 0 && chars.get(i - 1).is_some_and(|&p| is_anchor(p)) {
                chars.get(i..).map_or(1, |rest| rest.iter().take_while(|&&r| r == ']').count())
            } else {
                0
            };
            if delimiter_len > 0 {
                push_segment(&mut segments, &mut current);
                i += delimiter_len;
            } else {
                current.push(c);
                i += 1;
            }
        }
        push_segment(&mut segments, &mut current);
        Path { segments }
    }

    /// The segments (for tests and error messages).
    #[cfg(test)]
    pub(crate) fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Walks the path: `prev && prev[key]` at each step (a falsy value stops the walk and is the
    /// result; a missing member is `undefined`).
    pub(crate) fn get(&self, root: &Val) -> Val {
        let mut current: Cow<'_, Val> = Cow::Borrowed(root);
        for key in &self.segments {
            if !current.truthy() {
                break;
            }
            current = match current {
                Cow::Borrowed(value) => member(value, key),
                Cow::Owned(value) => Cow::Owned(member(&value, key).into_owned()),
            };
        }
        current.into_owned()
    }
}

fn push_segment(segments: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        let cleaned: String = current.chars().filter(|&c| c != '"' && c != '\'').collect();
        segments.push(cleaned);
        current.clear();
    }
}

/// `value[key]` for JSON-like values: own members of objects, indices and `length` of arrays
/// and strings (UTF-16 code units, as JS counts them); anything else is `undefined`.
fn member<'a>(value: &'a Val, key: &str) -> Cow<'a, Val> {
    match value {
        Val::Obj(obj) => obj.get(key).map_or(Cow::Owned(Val::Undef), Cow::Borrowed),
        Val::Arr(items) => {
            if key == "length" {
                return Cow::Owned(Val::Num(items.len().into()));
            }
            array_index(key).and_then(|i| items.get(i)).map_or(Cow::Owned(Val::Undef), Cow::Borrowed)
        }
        Val::Str(s) => {
            if key == "length" {
                return Cow::Owned(Val::Num(super::value::js_length(s).into()));
            }
            match array_index(key).and_then(|i| s.encode_utf16().nth(i)) {
                Some(unit) => Cow::Owned(Val::Str(String::from_utf16_lossy(&[unit]))),
                None => Cow::Owned(Val::Undef),
            }
        }
        _ => Cow::Owned(Val::Undef),
    }
}

/// A canonical array index (`"0"`, `"12"`; not `"01"`, `"-1"`, `"1.0"`).
fn array_index(key: &str) -> Option<usize> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if key.len() > 1 && key.starts_with('0') {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    if n >= u64::from(u32::MAX) {
        return None;
    }
    usize::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segs(path: &str) -> Vec<String> {
        Path::parse_directive_path(path).segments().to_vec()
    }

    #[test]
    fn splits_like_mapping_kit() {
        assert_eq!(segs("$.a.b"), ["a", "b"]);
        assert_eq!(segs("a.b.f[0].g"), ["a", "b", "f", "0", "g"]);
        assert_eq!(segs("['a'].b"), ["a", "b"]);
        assert_eq!(segs("[\"a\"].b"), ["a", "b"]);
        assert_eq!(segs("$.properties[\"total billed\"]"), ["properties", "total billed"]);
        assert_eq!(segs("[txt] non"), ["[txt] non"]);
        assert_eq!(segs("[txt] nest.inner"), ["[txt] nest", "inner"]);
        assert_eq!(
            segs("$.integrations.Actions Amplitude.session_id"),
            ["integrations", "Actions Amplitude", "session_id"]
        );
        assert_eq!(segs("a[10]]"), ["a", "10"]);
        assert!(segs("").is_empty());
        assert!(segs(".").is_empty());
        assert!(segs("$.").is_empty());
        assert!(segs("..").is_empty());
        // Only the first `$.` goes, wherever it is.
        assert_eq!(segs("a.$.b"), ["a", "b"]);
        assert_eq!(segs("$.$.a"), ["$", "a"]);
        // Quotes are removed everywhere, dots inside quotes still split.
        assert_eq!(segs("[\"a.b\"]"), ["a", "b"]);
        assert_eq!(segs("it's"), ["its"]);
    }

    #[test]
    fn walks_falsy_values_and_strings() {
        let payload = Val::from_json(&json!({"a": 0, "s": "héllo", "e": "", "arr": [10, 20], "n": null})).unwrap();
        let get = |p: &str| Path::parse_directive_path(p).get(&payload);
        assert_eq!(get("a.b"), Val::Num(0.into()));
        assert_eq!(get("e.length"), Val::Str(String::new()));
        assert_eq!(get("n.x"), Val::Null);
        assert_eq!(get("s.length"), Val::Num(5.into()));
        assert_eq!(get("s[1]"), Val::Str("é".into()));
        assert_eq!(get("s.1.length"), Val::Num(1.into()));
        assert_eq!(get("s.9"), Val::Undef);
        assert_eq!(get("arr.length"), Val::Num(2.into()));
        assert_eq!(get("arr[1]"), Val::Num(20.into()));
        assert_eq!(get("arr.01"), Val::Undef);
        assert_eq!(get("arr.-1"), Val::Undef);
        assert_eq!(get("missing.x.y"), Val::Undef);
        assert_eq!(get("a.b.c.d"), Val::Num(0.into()));
    }

    #[test]
    fn long_paths_walk_without_recursion() {
        let path = vec!["a"; 10_000].join(".");
        let payload = Val::from_json(&json!({"a": {"b": 1}})).unwrap();
        assert_eq!(Path::parse(&path).get(&payload), Val::Undef);
    }
}
