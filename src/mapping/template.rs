//! `@template` placeholders (mapping-kit's `render`): `{{{path}}}` is replaced first, then
//! `{{path}}` on the result; each placeholder's trimmed content is a `get` path (no `$.`),
//! `null`/`undefined` render as `""`, everything else as JS `String(value)`. No HTML escaping.

use super::path::Path;
use super::value::Val;
use super::MappingError;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Placeholder(Path),
}

/// A template parsed once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    /// With no `{{{...}}}`: the `{{...}}` pass, ready to render. Otherwise the `{{{...}}}` pass,
    /// whose output (which may contain braces from the payload) the `{{...}}` pass then reads,
    /// exactly as mapping-kit's two successive `String.replace` calls do.
    parts: Vec<Part>,
    triple: bool,
}

impl Template {
    /// Parses a template.
    pub(crate) fn parse(template: &str) -> Template {
        let triple_parts = split(template, 3);
        let has_triple = triple_parts.iter().any(|p| matches!(p, Part::Placeholder(_)));
        if has_triple {
            Template { parts: triple_parts, triple: true }
        } else {
            Template { parts: split(template, 2), triple: false }
        }
    }

    /// Renders against a payload.
    pub(crate) fn render(&self, payload: &Val) -> Result<String, MappingError> {
        let first = render_parts(&self.parts, payload)?;
        if self.triple {
            render_parts(&split(&first, 2), payload)
        } else {
            Ok(first)
        }
    }
}

fn render_parts(parts: &[Part], payload: &Val) -> Result<String, MappingError> {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Placeholder(path) => {
                let value = path.get(payload);
                if !value.is_nullish() {
                    out.push_str(&value.js_string()?);
                }
            }
        }
    }
    Ok(out)
}

/// Splits on `\{n}([^}]+)\}n` (n = 2 or 3), scanning left to right like a global regex replace.
fn split(template: &str, n: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    let open = "{".repeat(n);
    let close = "}".repeat(n);
    while !rest.is_empty() {
        if let Some(after_open) = rest.strip_prefix(open.as_str()) {
            let content_len = after_open.find('}').unwrap_or(after_open.len());
            if content_len > 0 {
                if let (Some(content), Some(after_content)) =
                    (after_open.get(..content_len), after_open.get(content_len..))
                {
                    if let Some(after_close) = after_content.strip_prefix(close.as_str()) {
                        if !text.is_empty() {
                            parts.push(Part::Text(std::mem::take(&mut text)));
                        }
                        parts.push(Part::Placeholder(Path::parse(content.trim())));
                        rest = after_close;
                        continue;
                    }
                }
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            text.push(c);
        }
        rest = chars.as_str();
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, payload: serde_json::Value) -> String {
        Template::parse(template).render(&Val::from_json(&payload).unwrap()).unwrap()
    }

    #[test]
    fn renders_like_mapping_kit() {
        assert_eq!(render("Hello, {{who}}!", json!({"who": "World"})), "Hello, World!");
        assert_eq!(render("{{ who.name }}", json!({"who": {"name": "W"}})), "W");
        assert_eq!(render("<b>{{a}} {{{a}}}</b>", json!({"a": "<i>"})), "<b><i> <i></b>");
        assert_eq!(render("{{oops.yo}}", json!({})), "");
        assert_eq!(render("{{foo}}}", json!({"foo": "hello"})), "hello}");
        assert_eq!(render("{{foo}}", json!({"foo": {"a": 1}})), "[object Object]");
        assert_eq!(render("{{foo}}", json!({"foo": [1, null, "x"]})), "1,,x");
        assert_eq!(render("{{n}} {{f}} {{b}}", json!({"n": 1.0, "f": 1.5, "b": false})), "1 1.5 false");
        assert_eq!(render("{{}} {{ }}x", json!({"a": 1})), "{{}} [object Object]x");
        assert_eq!(render("{{a.length}}", json!({"a": "abc"})), "3");
        assert_eq!(render("{{{{a}}}}", json!({"a": 1, "{a": 2})), "2}");
        assert_eq!(render("no placeholders", json!({})), "no placeholders");
        assert_eq!(render("{{é}}ü", json!({"é": "ß"})), "ßü");
    }

    #[test]
    fn triple_output_is_read_again_by_the_double_pass() {
        assert_eq!(render("{{{a}}}", json!({"a": "{{b}}", "b": "B"})), "B");
        assert_eq!(render("{{{a}}} {{b}}", json!({"a": 1, "b": 2})), "1 2");
    }
}
