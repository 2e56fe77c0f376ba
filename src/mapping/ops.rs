//! The value operations behind `@replace`, `@flatten`, `@merge` and `@excludeWhenNull`.

use super::value::{js_length, Obj, Val};
use super::{MappingError, MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH, MAX_VALUE_DEPTH};

fn too_deep() -> MappingError {
    MappingError::new(format!("value is nested more than {MAX_VALUE_DEPTH} levels deep"))
}

/// mapping-kit's `performReplace`: `pattern` is literal text (mapping-kit escapes it into a
/// regular expression), `ignorecase` compares like a JS `i` regex, `global` replaces every
/// occurrence; the replacement's `$$`, `$&`, `` $` `` and `$'` mean what they mean in JS.
pub(crate) fn perform_replace(
    value: &str,
    pattern: &str,
    replacement: &str,
    global: bool,
    ignorecase: bool,
) -> Result<String, MappingError> {
    if js_length(pattern) > MAX_PATTERN_LENGTH {
        return Err(MappingError::new(format!(
            "@replace requires a \"pattern\" less than {MAX_PATTERN_LENGTH} characters"
        )));
    }
    if js_length(replacement) > MAX_REPLACEMENT_LENGTH {
        return Err(MappingError::new(format!(
            "@replace requires a \"replacement\" less than {MAX_REPLACEMENT_LENGTH} characters"
        )));
    }
    let fold = |c: char| if ignorecase { canonicalize(c) } else { c };
    let haystack: Vec<char> = value.chars().collect();
    let needle: Vec<char> = pattern.chars().map(fold).collect();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    let mut replaced_once = false;
    while i < haystack.len() {
        let matches = !needle.is_empty()
            && (!replaced_once || global)
            && haystack
                .get(i..i + needle.len())
                .is_some_and(|window| window.iter().zip(&needle).all(|(&h, &n)| fold(h) == n));
        if matches {
            let before: String = haystack.get(..i).unwrap_or_default().iter().collect();
            let matched: String = haystack.get(i..i + needle.len()).unwrap_or_default().iter().collect();
            let after: String = haystack.get(i + needle.len()..).unwrap_or_default().iter().collect();
            expand_replacement(replacement, &before, &matched, &after, &mut out);
            i += needle.len();
            replaced_once = true;
        } else {
            if let Some(c) = haystack.get(i) {
                out.push(*c);
            }
            i += 1;
        }
    }
    Ok(out)
}

/// JS `GetSubstitution` for a pattern without capture groups.
fn expand_replacement(replacement: &str, before: &str, matched: &str, after: &str, out: &mut String) {
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => {
                out.push('$');
                chars.next();
            }
            Some('&') => {
                out.push_str(matched);
                chars.next();
            }
            Some('`') => {
                out.push_str(before);
                chars.next();
            }
            Some('\'') => {
                out.push_str(after);
                chars.next();
            }
            _ => out.push('$'),
        }
    }
}

/// The case folding of a non-unicode JS regex with the `i` flag (`Canonicalize`): a character
/// stands for its upper case when that is one UTF-16 unit and does not turn non-ASCII into ASCII.
fn canonicalize(c: char) -> char {
    if u32::from(c) > 0xFFFF {
        return c;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if u32::from(u) <= 0xFFFF => {
            if u32::from(c) >= 128 && u32::from(u) < 128 {
                c
            } else {
                u
            }
        }
        _ => c,
    }
}

/// mapping-kit's `flattenObject(value, '', separator, omitArrays)`.
pub(crate) fn flatten(value: Val, separator: &str, omit_arrays: bool) -> Result<Obj, MappingError> {
    let mut out = Obj::new();
    flatten_into(value, "", separator, omit_arrays, &mut out, 0)?;
    Ok(out)
}

fn flatten_into(
    value: Val,
    prefix: &str,
    separator: &str,
    omit_arrays: bool,
    out: &mut Obj,
    depth: usize,
) -> Result<(), MappingError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_deep());
    }
    let key_for = |key: &str| if prefix.is_empty() { key.to_string() } else { format!("{prefix}{separator}{key}") };
    match value {
        Val::Obj(obj) => {
            for (k, v) in obj {
                flatten_into(v, &key_for(&k), separator, omit_arrays, out, depth + 1)?;
            }
        }
        Val::Arr(items) if !omit_arrays => {
            for (i, v) in items.into_iter().enumerate() {
                flatten_into(v, &key_for(&i.to_string()), separator, omit_arrays, out, depth + 1)?;
            }
        }
        other => {
            out.insert(prefix.to_string(), other);
        }
    }
    Ok(())
}

/// `Object.assign({}, ...objects)`: objects' own members (even `undefined` ones) in order,
/// arrays and strings by index; `null`, `undefined`, numbers and booleans add nothing.
pub(crate) fn merge(objects: Vec<Val>) -> Obj {
    let mut out = Obj::new();
    for source in objects {
        match source {
            Val::Obj(obj) => {
                for (k, v) in obj {
                    out.insert(k, v);
                }
            }
            Val::Arr(items) => {
                for (i, v) in items.into_iter().enumerate() {
                    out.insert(i.to_string(), v);
                }
            }
            Val::Str(s) => {
                for (i, unit) in s.encode_utf16().enumerate() {
                    out.insert(i.to_string(), Val::Str(String::from_utf16_lossy(&[unit])));
                }
            }
            Val::Undef | Val::Null | Val::Bool(_) | Val::Num(_) => {}
        }
    }
    out
}

/// `@excludeWhenNull` on a non-null value: `null` members of objects are removed, at every
/// depth (inside arrays too; `null` array elements stay).
pub(crate) fn strip_nulls(value: Val) -> Result<Val, MappingError> {
    strip_nulls_at(value, 0)
}

fn strip_nulls_at(value: Val, depth: usize) -> Result<Val, MappingError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_deep());
    }
    Ok(match value {
        Val::Obj(obj) => {
            let mut out = Obj::with_capacity(obj.len());
            for (k, v) in obj {
                if v != Val::Null {
                    out.insert(k, strip_nulls_at(v, depth + 1)?);
                }
            }
            Val::Obj(out)
        }
        Val::Arr(items) => Val::Arr(items.into_iter().map(|v| strip_nulls_at(v, depth + 1)).collect::<Result<_, _>>()?),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn replace(value: &str, pattern: &str, replacement: &str, global: bool, ignorecase: bool) -> String {
        perform_replace(value, pattern, replacement, global, ignorecase).unwrap()
    }

    #[test]
    fn replace_is_literal() {
        assert_eq!(replace("a.b.c", ".", "-", true, false), "a-b-c");
        assert_eq!(replace("a+b+c", "+", "_", false, false), "a_b+c");
        assert_eq!(replace("a(b)[c]", "(b)", "x", true, false), "ax[c]");
        assert_eq!(replace("aab-AaB", "AaB", "n", true, true), "n-n");
        assert_eq!(replace("aab-AaB", "AaB", "n", true, false), "aab-n");
        assert_eq!(replace("aaaa", "aa", "b", true, false), "bb");
        assert_eq!(replace("ÉCOLE école", "école", "x", true, true), "x x");
        // JS case folding never maps non-ASCII onto ASCII (the Kelvin sign is not `k`).
        assert_eq!(replace("\u{212A}", "k", "x", true, true), "\u{212A}");
    }

    #[test]
    fn replacement_patterns_follow_js() {
        assert_eq!(replace("abc", "b", "[$&]", true, false), "a[b]c");
        assert_eq!(replace("abc", "b", "$$", true, false), "a$c");
        assert_eq!(replace("abc", "b", "$`", true, false), "aac");
        assert_eq!(replace("abc", "b", "$'", true, false), "acc");
        assert_eq!(replace("abc", "b", "$1$", true, false), "a$1$c");
    }

    #[test]
    fn replace_limits() {
        assert!(perform_replace("x", "01234567890", "", true, false).is_err());
        assert!(perform_replace("x", "x", "01234567890", true, false).is_err());
    }

    #[test]
    fn flatten_like_mapping_kit() {
        let v = Val::from_json(&json!({"a": {"b": [1, {"c": 2}], "e": {}}, "d": null})).unwrap();
        let flat = Val::Obj(flatten(v.clone(), ".", false).unwrap()).into_json().unwrap();
        assert_eq!(flat, Some(json!({"a.b.0": 1, "a.b.1.c": 2, "d": null})));
        let flat = Val::Obj(flatten(v, "_", true).unwrap()).into_json().unwrap();
        assert_eq!(flat, Some(json!({"a_b": [1, {"c": 2}], "d": null})));
        let flat = Val::Obj(flatten(Val::Str("x".into()), ".", false).unwrap()).into_json().unwrap();
        assert_eq!(flat, Some(json!({"": "x"})));
    }

    #[test]
    fn merge_like_object_assign() {
        let mut with_undef = Obj::new();
        with_undef.insert("a".into(), Val::Undef);
        let merged = merge(vec![
            Val::from_json(&json!({"a": 1, "b": 2})).unwrap(),
            Val::Obj(with_undef),
            Val::Null,
            Val::Num(3.into()),
            Val::Str("hi".into()),
        ]);
        assert_eq!(Val::Obj(merged).into_json().unwrap(), Some(json!({"b": 2, "0": "h", "1": "i"})));
    }

    #[test]
    fn strip_nulls_recursively() {
        let v = Val::from_json(&json!({"a": null, "b": {"c": null, "d": [null, {"e": null}]}})).unwrap();
        assert_eq!(strip_nulls(v).unwrap().into_json().unwrap(), Some(json!({"b": {"d": [null, {}]}})));
    }
}
