//! Resolution: walks a compiled [`Node`] tree against a payload, with mapping-kit's semantics.

use super::compile::{CaseOp, JsonMode, Node, Source, TemplateSource};
use super::ops::{flatten, merge, perform_replace, strip_nulls};
use super::path::Path;
use super::template::Template;
use super::value::{Obj, Val};
use super::MappingError;

impl Node {
    /// Resolves this node against a payload (`undefined` stays inside objects and arrays).
    pub(crate) fn resolve(&self, payload: &Val) -> Result<Val, MappingError> {
        match self {
            Node::Lit(v) => Ok(v.clone()),
            Node::Obj(members) => {
                let mut obj = Obj::with_capacity(members.len());
                for (k, node) in members {
                    obj.insert(k.clone(), node.resolve(payload)?);
                }
                Ok(Val::Obj(obj))
            }
            Node::Arr(items) => Ok(Val::Arr(items.iter().map(|n| n.resolve(payload)).collect::<Result<_, _>>()?)),
            Node::Fail(message) => Err(MappingError::new(message.clone())),
            Node::If { exists, test, then, otherwise } => {
                let value = test.resolve(payload)?;
                let condition = if *exists {
                    !value.is_nullish()
                } else {
                    !value.is_nullish() && !value.loosely_equals_empty_string()?
                };
                match (condition, then, otherwise) {
                    (true, Some(then), _) => then.resolve(payload),
                    (false, _, Some(otherwise)) => otherwise.resolve(payload),
                    _ => Ok(Val::Undef),
                }
            }
            Node::Case { op, value } => match value.resolve(payload)? {
                Val::Str(s) => match op {
                    CaseOp::Lower => Ok(Val::Str(s.to_lowercase())),
                    CaseOp::Upper => Ok(Val::Str(s.to_uppercase())),
                    CaseOp::Invalid => {
                        Err(MappingError::new("operator key should have a value of \"lower\" or \"upper\""))
                    }
                },
                other => Ok(other),
            },
            Node::Replace(spec) => {
                let value = match spec.value.resolve(payload)? {
                    v @ (Val::Bool(_) | Val::Num(_)) => Val::Str(v.js_string()?),
                    v => v,
                };
                let (Val::Str(value), Some(passes)) = (value, &spec.passes) else {
                    return Ok(Val::Str(String::new()));
                };
                let (pattern, replacement) = &passes.first;
                let mut out = perform_replace(&value, pattern, replacement, passes.global, passes.ignorecase)?;
                if let Some((pattern2, replacement2)) = &passes.second {
                    out = perform_replace(&out, pattern2, replacement2, passes.global, passes.ignorecase)?;
                }
                Ok(Val::Str(out))
            }
            Node::ArrayPath { root, shape } => {
                let root = match root.as_ref() {
                    Source::Static(path) => path.get(payload),
                    Source::Dynamic(node) => node.resolve(payload)?,
                };
                match (shape, &root) {
                    (Some(shape), Val::Arr(items)) => {
                        Ok(Val::Arr(items.iter().map(|item| shape.resolve(item)).collect::<Result<_, _>>()?))
                    }
                    (Some(shape), Val::Obj(_)) => Ok(Val::Arr(vec![shape.resolve(&root)?])),
                    _ => Ok(root),
                }
            }
            Node::Path(source) => match source.as_ref() {
                Source::Static(path) => Ok(path.get(payload)),
                Source::Dynamic(node) => {
                    let path = expect_string("@path", node.resolve(payload)?)?;
                    Ok(Path::parse_directive_path(&path).get(payload))
                }
            },
            Node::Template(source) => match source.as_ref() {
                TemplateSource::Static(template) => Ok(Val::Str(template.render(payload)?)),
                TemplateSource::Dynamic(node) => {
                    let template = expect_string("@template", node.resolve(payload)?)?;
                    Ok(Val::Str(Template::parse(&template).render(payload)?))
                }
            },
            Node::Flatten { separator, value, omit_arrays } => {
                let Val::Str(separator) = separator.resolve(payload)? else {
                    return Err(MappingError::new("@flatten requires a string separator"));
                };
                let value = value.resolve(payload)?;
                Ok(Val::Obj(flatten(value, &separator, *omit_arrays)?))
            }
            Node::Json { mode, value } => {
                let value = value.resolve(payload)?;
                match mode {
                    JsonMode::Encode => Ok(value.json_stringify()?.map_or(Val::Undef, Val::Str)),
                    JsonMode::Decode => match value {
                        Val::Str(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                            Ok(parsed) => Val::from_json(&parsed),
                            Err(_) => Ok(Val::Str(text)),
                        },
                        other => Ok(other),
                    },
                    JsonMode::Other => Ok(Val::Undef),
                }
            }
            Node::Merge { direction, objects } => {
                let direction = direction.resolve(payload)?;
                let mut resolved = objects.iter().map(|n| n.resolve(payload)).collect::<Result<Vec<_>, _>>()?;
                if direction == Val::Str(String::from("left")) {
                    resolved.reverse();
                }
                Ok(Val::Obj(merge(resolved)))
            }
            Node::Transform { apply, mapping } => {
                let new_payload = transform_payload(apply, payload)?;
                mapping.resolve(&new_payload)
            }
            Node::ExcludeWhenNull(value) => match value.resolve(payload)? {
                Val::Null => Ok(Val::Undef),
                other => strip_nulls(other),
            },
            #[cfg(feature = "liquid")]
            Node::Liquid(template) => Ok(Val::Str(template.render(payload)?)),
        }
    }
}

/// mapping-kit's `transform` as `@transform` calls it: the payload must be an object; the
/// result has no `undefined` members left.
fn transform_payload(apply: &Node, payload: &Val) -> Result<Val, MappingError> {
    if !matches!(payload, Val::Obj(_)) {
        return Err(MappingError::new(format!("data must be an object, got {}", payload.type_name())));
    }
    let resolved = apply.resolve(payload)?;
    match resolved.into_json()? {
        Some(json) => Val::from_json(&json),
        None => Ok(Val::Undef),
    }
}

/// `registerStringDirective`'s check.
fn expect_string(name: &str, value: Val) -> Result<String, MappingError> {
    match value {
        Val::Str(s) => Ok(s),
        other => Err(MappingError::new(format!("{name}: expected string, got {}", other.type_name()))),
    }
}
