//! `@liquid`: a Liquid template (at most 1,000 characters) rendered against the payload, always
//! to a string. Like mapping-kit's engine, the tags `case`, `for`, `include`, `layout`, `render`
//! and `tablerow` and a list of filters are disabled; templates are checked and parsed once, when
//! the mapping is compiled, with mapping-kit's messages (`tag "for" is disabled, line:1, col:1`).

use std::sync::OnceLock;

use liquid_core::model::{ArrayView, ObjectView, ValueView};
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{
    BlockReflection, Filter, FilterReflection, Language, ParseBlock, ParseFilter, ParseTag, Renderable, TagBlock,
    TagReflection, TagTokenIter,
};

use super::liquid_math::Arithmetic;
use super::value::{js_length, number_as_f64, Val};
use super::{MappingError, MAX_LIQUID_LENGTH, MAX_VALUE_DEPTH};

/// Tags mapping-kit disables.
pub(crate) const DISABLED_TAGS: &[&str] = &["case", "for", "include", "layout", "render", "tablerow"];

/// Filters mapping-kit disables.
pub(crate) const DISABLED_FILTERS: &[&str] = &[
    "array_to_sentence_string",
    "concat",
    "find",
    "find_exp",
    "find_index",
    "find_index_exp",
    "group_by",
    "group_by_exp",
    "has",
    "has_exp",
    "map",
    "newline_to_br",
    "reject",
    "reject_exp",
    "reverse",
    "sort",
    "sort_natural",
    "uniq",
    "where_exp",
    "type",
];

/// A parsed `@liquid` template.
pub(crate) struct LiquidTemplate {
    /// Empty templates render to `""` without the engine, as in mapping-kit.
    template: Option<liquid::Template>,
}

impl std::fmt::Debug for LiquidTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiquidTemplate").finish_non_exhaustive()
    }
}

impl LiquidTemplate {
    /// Checks and parses a template; the error is mapping-kit's message.
    pub(crate) fn compile(source: &str) -> Result<LiquidTemplate, String> {
        if source.is_empty() {
            return Ok(LiquidTemplate { template: None });
        }
        if js_length(source) > MAX_LIQUID_LENGTH {
            return Err(format!("liquid template values are limited to {MAX_LIQUID_LENGTH} characters"));
        }
        if let Some(problem) = find_disabled(source) {
            return Err(problem);
        }
        if let Some(problem) = find_integer_out_of_range(source) {
            return Err(problem);
        }
        if let Some(problem) = find_empty_cycle(source) {
            return Err(problem);
        }
        let parser = parser()?;
        let template = parser
            .parse(source)
            .map_err(|e| super::liquid_errors::unclosed(source).unwrap_or_else(|| liquid_message(&e)))?;
        Ok(LiquidTemplate { template: Some(template) })
    }

    /// Renders against a payload (an object gives the variables; anything else none).
    pub(crate) fn render(&self, payload: &Val) -> Result<String, MappingError> {
        let Some(template) = &self.template else {
            return Ok(String::new());
        };
        let globals = match payload {
            Val::Obj(_) => Lv::from_val(payload, 0)?,
            _ => Lv::Obj(indexmap::IndexMap::new()),
        };
        template.render(&globals).map_err(|e| MappingError::new(liquid_message(&e)))
    }
}

fn liquid_message(error: &liquid_core::Error) -> String {
    super::liquid_errors::in_our_words(&error.to_string())
}

/// The shared parser: the standard library without the tags, blocks and filters mapping-kit
/// disables, which are registered as ones that refuse to parse. The stdlib items are listed one
/// by one (not `with_stdlib`) so that the disabled ones are not linked into the module.
fn parser() -> Result<&'static liquid::Parser, String> {
    static PARSER: OnceLock<Result<liquid::Parser, String>> = OnceLock::new();
    PARSER
        .get_or_init(|| {
            use liquid_lib::stdlib;
            let mut builder = liquid::ParserBuilder::new()
                .tag(stdlib::AssignTag)
                .tag(stdlib::BreakTag)
                .tag(stdlib::ContinueTag)
                .tag(stdlib::CycleTag)
                .tag(stdlib::IncrementTag)
                .tag(stdlib::DecrementTag)
                .block(stdlib::RawBlock)
                .block(stdlib::IfBlock)
                .block(stdlib::UnlessBlock)
                .block(stdlib::IfChangedBlock)
                .block(super::liquid_comment::CommentBlock)
                .block(stdlib::CaptureBlock)
                .filter(stdlib::Append)
                .filter(stdlib::AtLeast)
                .filter(stdlib::AtMost)
                .filter(stdlib::Capitalize)
                .filter(stdlib::Ceil)
                .filter(stdlib::Compact)
                .filter(stdlib::Date)
                .filter(stdlib::Default)
                .filter(stdlib::Downcase)
                .filter(stdlib::Escape)
                .filter(stdlib::EscapeOnce)
                .filter(stdlib::First)
                .filter(stdlib::Floor)
                .filter(stdlib::Join)
                .filter(stdlib::Last)
                .filter(stdlib::Lstrip)
                .filter(stdlib::Prepend)
                .filter(stdlib::Remove)
                .filter(stdlib::RemoveFirst)
                .filter(stdlib::Replace)
                .filter(stdlib::ReplaceFirst)
                .filter(stdlib::Round)
                .filter(stdlib::Rstrip)
                .filter(stdlib::Size)
                .filter(stdlib::Slice)
                .filter(stdlib::Split)
                .filter(stdlib::Strip)
                .filter(stdlib::StripHtml)
                .filter(stdlib::StripNewlines)
                .filter(stdlib::Truncate)
                .filter(stdlib::TruncateWords)
                .filter(stdlib::Upcase)
                .filter(stdlib::UrlDecode)
                .filter(stdlib::UrlEncode)
                .filter(stdlib::Where);
            // The arithmetic filters are ours: the standard library's overflow (liquid_math.rs).
            for arithmetic in Arithmetic::ALL {
                builder = builder.filter(arithmetic);
            }
            for tag in DISABLED_TAGS {
                builder = builder.tag(DisabledTag(tag)).block(DisabledBlock(tag));
            }
            for filter in DISABLED_FILTERS {
                builder = builder.filter(DisabledFilter(filter));
            }
            builder.build().map_err(|e| liquid_message(&e))
        })
        .as_ref()
        .map_err(Clone::clone)
}

fn disabled_tag(name: &str) -> liquid_core::Error {
    liquid_core::Error::with_msg(format!("tag \"{name}\" is disabled"))
}

#[derive(Clone)]
struct DisabledTag(&'static str);

impl TagReflection for DisabledTag {
    fn tag(&self) -> &str {
        self.0
    }
    fn description(&self) -> &str {
        "disabled"
    }
}

impl ParseTag for DisabledTag {
    fn parse(&self, _arguments: TagTokenIter<'_>, _options: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        Err(disabled_tag(self.0))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Clone)]
struct DisabledBlock(&'static str);

impl BlockReflection for DisabledBlock {
    fn start_tag(&self) -> &str {
        self.0
    }
    fn end_tag(&self) -> &str {
        "end"
    }
    fn description(&self) -> &str {
        "disabled"
    }
}

impl ParseBlock for DisabledBlock {
    fn parse(
        &self,
        _arguments: TagTokenIter<'_>,
        _block: TagBlock<'_, '_>,
        _options: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        Err(disabled_tag(self.0))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Clone)]
struct DisabledFilter(&'static str);

impl FilterReflection for DisabledFilter {
    fn name(&self) -> &str {
        self.0
    }
    fn description(&self) -> &str {
        "disabled"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for DisabledFilter {
    fn parse(&self, _arguments: FilterArguments<'_>) -> liquid_core::Result<Box<dyn Filter>> {
        Err(liquid_core::Error::with_msg(format!("filter \"{}\" is disabled", self.0)))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

/// Finds the first disabled tag or filter, reported like liquidjs does
/// (`tag "for" is disabled, line:1, col:1`, the position of the markup's `{%` or `{{`).
/// `raw` and `comment` bodies are skipped.
fn find_disabled(source: &str) -> Option<String> {
    let mut skip_until: Option<&str> = None;
    for Markup { at: markup_at, is_tag, inner, closed } in markups(source) {
        if !closed {
            return None;
        }
        let content = inner.trim_start_matches('-').trim_end_matches('-').trim();
        let name: String = content.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if let Some(end) = skip_until {
            if is_tag && name == end {
                skip_until = None;
            }
        } else if is_tag && name == "raw" {
            skip_until = Some("endraw");
        } else if is_tag && name == "comment" {
            skip_until = Some("endcomment");
        } else {
            if is_tag && DISABLED_TAGS.contains(&name.as_str()) {
                return Some(format!("tag \"{name}\" is disabled, {}", position(source, markup_at)));
            }
            if let Some(filter) = disabled_filter_in(content) {
                return Some(format!("filter \"{filter}\" is disabled, {}", position(source, markup_at)));
            }
        }
    }
    None
}

/// The first `{% cycle group: %}` with a group name and no value: `liquid-lib` parses it, then
/// takes its turn modulo zero values when it renders, a panic that traps the module (found by
/// fuzzing). Refused here, as liquidjs needs a value too.
fn find_empty_cycle(source: &str) -> Option<String> {
    markups(source).find_map(|Markup { at, is_tag, inner, .. }| {
        let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
        (is_tag && inner.strip_prefix("cycle").is_some_and(group_without_values))
            .then(|| format!("tag \"cycle\" needs at least one value, {}", position(source, at)))
    })
}

/// Whether a cycle's arguments are a group name and a colon with nothing after it.
fn group_without_values(arguments: &str) -> bool {
    let mut quote: Option<char> = None;
    for (at, c) in arguments.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ':' => return arguments.get(at + 1..).is_some_and(|after| after.trim().is_empty()),
            None => {}
        }
    }
    false
}

/// The first integer literal in markup that does not fit an `i64`, which the `liquid` parser
/// cannot hold: it panics on one ("Grammar ensures matches are parseable as integers"), which
/// under `panic = "abort"` traps the whole module. Refused here, before the parser sees it.
fn find_integer_out_of_range(source: &str) -> Option<String> {
    markups(source).find_map(|Markup { at, inner, .. }| {
        let (offset, literal) = integer_out_of_range(inner)?;
        let shown = crate::quote::truncated(literal);
        Some(format!(
            "the integer {shown} is out of range (a Liquid integer is at most 9223372036854775807 in size), {}",
            position(source, at + 2 + offset)
        ))
    })
}

/// The first integer literal (outside quotes, not part of a name or a float) in a piece of markup
/// that does not fit an `i64`: its byte offset and text.
fn integer_out_of_range(markup: &str) -> Option<(usize, &str)> {
    let bytes = markup.as_bytes();
    let mut quote: Option<u8> = None;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None if byte.is_ascii_digit() => {
                let before = at.checked_sub(1).and_then(|i| bytes.get(i)).copied();
                let before2 = at.checked_sub(2).and_then(|i| bytes.get(i)).copied();
                let start = if before == Some(b'-') { at - 1 } else { at };
                let mut end = at;
                while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
                let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
                let in_name = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                    || (before == Some(b'-') && before2.is_some_and(name_byte));
                let fraction = before == Some(b'.') && before2.is_some_and(|b| b.is_ascii_digit());
                let literal = markup.get(start..end).unwrap_or_default();
                if !in_name && !fraction && literal.parse::<i64>().is_err() {
                    return Some((start, literal));
                }
                at = end;
                continue;
            }
            None => {}
        }
        at += 1;
    }
    None
}

/// The next `{%` (true) or `{{` (false).
/// A piece of markup in a template: where its `{{` or `{%` is, whether it is a tag, what stands
/// between the delimiters (to the end of the template when it is never closed), and whether it is
/// closed.
pub(super) struct Markup<'s> {
    pub(super) at: usize,
    pub(super) is_tag: bool,
    pub(super) inner: &'s str,
    pub(super) closed: bool,
}

/// Every markup of `source`, in order: the one walk the checks before the parser share.
pub(super) fn markups(source: &str) -> impl Iterator<Item = Markup<'_>> {
    let mut offset = 0usize;
    std::iter::from_fn(move || {
        let rest = source.get(offset..)?;
        let (open_at, is_tag) = find_markup(rest)?;
        let after_open = rest.get(open_at + 2..)?;
        let found = after_open.find(if is_tag { "%}" } else { "}}" });
        let inner_len = found.unwrap_or(after_open.len());
        let markup =
            Markup { at: offset + open_at, is_tag, inner: after_open.get(..inner_len)?, closed: found.is_some() };
        offset += open_at + 2 + inner_len + if found.is_some() { 2 } else { 0 };
        Some(markup)
    })
}

fn find_markup(s: &str) -> Option<(usize, bool)> {
    let tag = s.find("{%");
    let output = s.find("{{");
    match (tag, output) {
        (Some(t), Some(o)) if t < o => Some((t, true)),
        (Some(_), Some(o)) => Some((o, false)),
        (Some(t), None) => Some((t, true)),
        (None, Some(o)) => Some((o, false)),
        (None, None) => None,
    }
}

/// The first disabled filter applied in a piece of markup (`| name`, outside quotes).
fn disabled_filter_in(markup: &str) -> Option<&'static str> {
    let mut quote: Option<char> = None;
    for (i, c) in markup.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '|' => {
                let after = markup.get(i + 1..).unwrap_or_default().trim_start();
                let name: String =
                    after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
                if let Some(found) = DISABLED_FILTERS.iter().find(|f| **f == name) {
                    return Some(found);
                }
            }
            None => {}
        }
    }
    None
}

/// `line:L, col:C` (1-based) of a byte offset.
pub(super) fn position(source: &str, at: usize) -> String {
    let before = source.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line:{line}, col:{col}")
}

/// A payload value as Liquid sees it. Like liquidjs (and unlike the `liquid` crate's own
/// objects), a missing member or index is `nil` at any depth, so `{{ properties.missing.x }}`
/// renders as `""`. Integral numbers are integers (JS prints `1.0` as `1`); `undefined` members
/// are dropped.
#[derive(Debug)]
enum Lv {
    Nil,
    Scalar(liquid_core::model::Scalar),
    Arr(Vec<Lv>),
    Obj(indexmap::IndexMap<String, Lv>),
}

static NIL: Lv = Lv::Nil;

impl Lv {
    fn from_val(value: &Val, depth: usize) -> Result<Lv, MappingError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(MappingError::new(format!("value is nested more than {MAX_VALUE_DEPTH} levels deep")));
        }
        use liquid_core::model::Scalar;
        Ok(match value {
            Val::Undef | Val::Null => Lv::Nil,
            Val::Bool(b) => Lv::Scalar(Scalar::new(*b)),
            Val::Num(n) => {
                if let Some(i) = n.as_i64() {
                    Lv::Scalar(Scalar::new(i))
                } else {
                    let f = number_as_f64(n);
                    if f.fract() == 0.0 && f.abs() < 9.0e15 {
                        // Exact: |f| < 2^53.
                        #[allow(clippy::cast_possible_truncation)]
                        let i = f as i64;
                        Lv::Scalar(Scalar::new(i))
                    } else {
                        Lv::Scalar(Scalar::new(f))
                    }
                }
            }
            Val::Str(s) => Lv::Scalar(Scalar::new(s.clone())),
            Val::Arr(items) => Lv::Arr(items.iter().map(|v| Lv::from_val(v, depth + 1)).collect::<Result<_, _>>()?),
            Val::Obj(obj) => {
                let mut out = indexmap::IndexMap::with_capacity(obj.len());
                for (k, v) in obj {
                    if *v != Val::Undef {
                        out.insert(k.clone(), Lv::from_val(v, depth + 1)?);
                    }
                }
                Lv::Obj(out)
            }
        })
    }

    fn owned_text(text: String) -> liquid_core::model::DisplayCow<'static> {
        liquid_core::model::DisplayCow::Owned(Box::new(text))
    }
}

impl ValueView for Lv {
    fn as_debug(&self) -> &dyn std::fmt::Debug {
        self
    }
    fn render(&self) -> liquid_core::model::DisplayCow<'_> {
        match self {
            Lv::Nil => liquid_core::model::DisplayCow::Borrowed(&""),
            Lv::Scalar(x) => x.render(),
            _ => Lv::owned_text(self.to_value().render().to_string()),
        }
    }
    fn source(&self) -> liquid_core::model::DisplayCow<'_> {
        match self {
            Lv::Scalar(x) => x.source(),
            _ => Lv::owned_text(self.to_value().source().to_string()),
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            Lv::Nil => "nil",
            Lv::Scalar(x) => x.type_name(),
            Lv::Arr(_) => "array",
            Lv::Obj(_) => "object",
        }
    }
    fn query_state(&self, state: liquid_core::model::State) -> bool {
        use liquid_core::model::State;
        match self {
            Lv::Nil => !matches!(state, State::Truthy),
            Lv::Scalar(x) => x.query_state(state),
            Lv::Arr(items) => matches!(state, State::Truthy) || items.is_empty(),
            Lv::Obj(obj) => matches!(state, State::Truthy) || obj.is_empty(),
        }
    }
    fn to_kstr(&self) -> liquid_core::model::KStringCow<'_> {
        match self {
            Lv::Nil => liquid_core::model::KStringCow::from_static(""),
            Lv::Scalar(x) => x.to_kstr(),
            _ => liquid_core::model::KStringCow::from_string(self.render().to_string()),
        }
    }
    fn to_value(&self) -> liquid_core::Value {
        match self {
            Lv::Nil => liquid_core::Value::Nil,
            Lv::Scalar(x) => liquid_core::Value::Scalar(x.clone()),
            Lv::Arr(items) => liquid_core::Value::Array(items.iter().map(ValueView::to_value).collect()),
            Lv::Obj(obj) => {
                let mut out = liquid_core::Object::new();
                for (k, v) in obj {
                    out.insert(k.clone().into(), v.to_value());
                }
                liquid_core::Value::Object(out)
            }
        }
    }
    fn as_scalar(&self) -> Option<liquid_core::model::ScalarCow<'_>> {
        match self {
            Lv::Scalar(x) => Some(x.as_ref()),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        match self {
            Lv::Arr(_) => Some(self),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        match self {
            // `nil` answers every member with `nil`.
            Lv::Obj(_) | Lv::Nil => Some(self),
            _ => None,
        }
    }
    fn is_nil(&self) -> bool {
        matches!(self, Lv::Nil)
    }
}

impl ObjectView for Lv {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        match self {
            Lv::Obj(obj) => i64::try_from(obj.len()).unwrap_or(i64::MAX),
            _ => 0,
        }
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = liquid_core::model::KStringCow<'k>> + 'k> {
        match self {
            Lv::Obj(obj) => Box::new(obj.keys().map(|k| liquid_core::model::KStringCow::from_ref(k.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        match self {
            Lv::Obj(obj) => Box::new(obj.values().map(|v| v as &dyn ValueView)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (liquid_core::model::KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        match self {
            Lv::Obj(obj) => Box::new(
                obj.iter().map(|(k, v)| (liquid_core::model::KStringCow::from_ref(k.as_str()), v as &dyn ValueView)),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn contains_key(&self, _index: &str) -> bool {
        true
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self {
            Lv::Obj(obj) => Some(obj.get(index).map_or(&NIL as &dyn ValueView, |v| v as &dyn ValueView)),
            _ => Some(&NIL),
        }
    }
}

impl ArrayView for Lv {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        match self {
            Lv::Arr(items) => i64::try_from(items.len()).unwrap_or(i64::MAX),
            _ => 0,
        }
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        match self {
            Lv::Arr(items) => Box::new(items.iter().map(|v| v as &dyn ValueView)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn contains_key(&self, index: i64) -> bool {
        self.array_index(index).is_some()
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        match (self, self.array_index(index)) {
            (Lv::Arr(items), Some(i)) => items.as_slice().get(i).map(|v| v as &dyn ValueView),
            _ => Some(&NIL),
        }
    }
}

impl Lv {
    fn array_index(&self, index: i64) -> Option<usize> {
        let Lv::Arr(items) = self else { return None };
        let len = i64::try_from(items.len()).ok()?;
        let i = if index < 0 { len + index } else { index };
        if (0..len).contains(&i) {
            usize::try_from(i).ok()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, payload: serde_json::Value) -> Result<String, String> {
        let t = LiquidTemplate::compile(template)?;
        t.render(&Val::from_json(&payload).map_err(|e| e.to_string())?).map_err(|e| e.to_string())
    }

    #[test]
    fn renders() {
        assert_eq!(render("Hello {{ p.w | upcase }}", json!({"p": {"w": "earth"}})).unwrap(), "Hello EARTH");
        assert_eq!(render("{{ n }} {{ f }}", json!({"n": 2.0, "f": 1.5})).unwrap(), "2 1.5");
        assert_eq!(render("", json!({})).unwrap(), "");
        assert_eq!(render("{{ x }}", json!({})).unwrap(), "");
        assert_eq!(render("{% assign a = 'b' %}{{ a }}", json!({})).unwrap(), "b");
        assert_eq!(render("[{{ p.missing.deeper }}][{{ p.list[5] }}]", json!({"p": {"list": [1]}})).unwrap(), "[][]");
        assert_eq!(render("{{ p.list[-1] }} {{ p.list.size }}", json!({"p": {"list": [1, 2]}})).unwrap(), "2 2");
        assert_eq!(render("{{ p.x | default: 'd' }}", json!({"p": {}})).unwrap(), "d");
        assert_eq!(render("{% if p.x %}yes{% else %}no{% endif %}", json!({"p": {}})).unwrap(), "no");
        assert_eq!(render("{{ a }}", json!([1])).unwrap(), "");
    }

    #[test]
    fn objects_render_as_liquidjs_renders_them_every_time() {
        // liquidjs writes JavaScript's String(object); liquid-core wrote the keys and values in
        // a HashMap's order, another on each run (vendor/PATCHES.md).
        let p = json!({"p": {"o": {"b": 1, "a": {"c": [1, "x"]}, "z": null}, "list": [{"k": "v"}, 2, "s"]}});
        for _ in 0..20 {
            assert_eq!(render("{{ p.o }}|{{ p.o | upcase }}", p.clone()).unwrap(), "[object Object]|[OBJECT OBJECT]");
            assert_eq!(
                render("{{ p.list }}|{{ p.list | first }}", p.clone()).unwrap(),
                "[object Object]2s|[object Object]"
            );
            assert_eq!(
                render("{% assign o = p.o %}{{ o }} {{ o.a.c | join: '-' }}", p.clone()).unwrap(),
                "[object Object] 1-x"
            );
        }
    }

    #[test]
    fn disabled_tags_and_filters_are_refused_with_positions() {
        assert_eq!(render("{% for %}", json!({})).unwrap_err(), "tag \"for\" is disabled, line:1, col:1");
        assert_eq!(
            render("ab\n x{%- layout 'x' -%}", json!({})).unwrap_err(),
            "tag \"layout\" is disabled, line:2, col:3"
        );
        assert_eq!(render("{{ a | sort }}", json!({})).unwrap_err(), "filter \"sort\" is disabled, line:1, col:1");
        assert_eq!(
            render("{{ 'a|sort' | upcase }}{{ b | split: ',' | uniq }}", json!({})).unwrap_err(),
            "filter \"uniq\" is disabled, line:1, col:24"
        );
        assert!(render("{% raw %}{% for %}{% endraw %}", json!({})).is_ok());
        assert!(render("{% comment %}{% for x in y %}{% endcomment %}ok", json!({})).is_ok());
    }

    #[test]
    fn the_engine_refuses_them_too() {
        // Defence in depth: even if the scan missed one, the parser refuses it.
        let parser = parser().unwrap();
        for tag in
            ["{% for x in y %}{% endfor %}", "{% case x %}{% endcase %}", "{% include 'a' %}", "{% render 'a' %}"]
        {
            let e = parser.parse(tag).err().unwrap().to_string();
            assert!(e.contains("is disabled"), "{tag}: {e}");
        }
        let e = parser.parse("{{ a | reverse }}").err().unwrap().to_string();
        assert!(e.contains("filter \"reverse\" is disabled"), "{e}");
    }

    #[test]
    fn the_enabled_standard_library_is_all_there() {
        // The parser lists the stdlib items one by one: every one mapping-kit keeps must parse.
        let parser = parser().unwrap();
        for template in [
            "{% assign a = 1 %}{% increment c %}{% decrement d %}{% cycle 'x', 'y' %}",
            "{% raw %}{{ x }}{% endraw %}{% comment %}c{% endcomment %}{% capture k %}v{% endcapture %}",
            "{% if a %}{% elsif b %}{% else %}{% endif %}{% unless a %}{% endunless %}",
            "{% ifchanged %}x{% endifchanged %}{% break %}{% continue %}",
        ] {
            assert!(parser.parse(template).is_ok(), "{template}");
        }
        for filter in [
            "abs",
            "append: 'x'",
            "at_least: 1",
            "at_most: 1",
            "capitalize",
            "ceil",
            "compact",
            "date: '%Y'",
            "default: 1",
            "divided_by: 1",
            "downcase",
            "escape",
            "escape_once",
            "first",
            "floor",
            "join: ','",
            "last",
            "lstrip",
            "minus: 1",
            "modulo: 1",
            "plus: 1",
            "prepend: 'x'",
            "remove: 'x'",
            "remove_first: 'x'",
            "replace: 'x', 'y'",
            "replace_first: 'x', 'y'",
            "round",
            "rstrip",
            "size",
            "slice: 1",
            "split: ','",
            "strip",
            "strip_html",
            "strip_newlines",
            "times: 1",
            "truncate: 3",
            "truncatewords: 3",
            "upcase",
            "url_decode",
            "url_encode",
            "where: 'k', 'v'",
        ] {
            let template = format!("{{{{ a | {filter} }}}}");
            assert!(parser.parse(&template).is_ok(), "{template}");
        }
        assert_eq!(
            render(
                "{{ t | date: '%Y-%m-%d' }} {{ s | strip_html | truncate: 6 }}",
                json!({"t": "2024-02-03 04:05:06 +0000", "s": "<b>bold</b> text"})
            )
            .unwrap(),
            "2024-02-03 bol..."
        );
    }

    #[test]
    fn length_limit() {
        let ok = "a".repeat(1000);
        assert!(LiquidTemplate::compile(&ok).is_ok());
        let too_long = "a".repeat(1001);
        assert_eq!(
            LiquidTemplate::compile(&too_long).err().unwrap(),
            "liquid template values are limited to 1000 characters"
        );
    }
}
