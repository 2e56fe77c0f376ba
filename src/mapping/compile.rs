//! Compilation: a mapping (already validated) becomes a tree of [`Node`]s that resolution walks.
//!
//! The tree follows what mapping-kit's `resolve` does with any value, not only valid ones:
//! validation does not look inside arrays or plain objects given to `@if`/`@literal`..., so what
//! it lets through keeps mapping-kit's behaviour when resolved (a [`Node::Fail`] raises
//! mapping-kit's runtime error only if it is reached). Paths are split, templates parsed and
//! Liquid templates parsed here, once.

use serde_json::{Map, Value};

use super::path::Path;
use super::template::Template;
use super::validate::{real_type, validate};
use super::value::Val;
use super::{MAX_MAPPING_DEPTH, ROOT_MAPPING_FIELD_KEY};

/// A compiled mapping value.
#[derive(Debug)]
pub(crate) enum Node {
    /// A value with no directive inside: returned as it is.
    Lit(Val),
    /// A plain object, resolved member by member.
    Obj(Vec<(String, Node)>),
    /// An array, resolved element by element.
    Arr(Vec<Node>),
    /// A runtime error raised when this node is resolved.
    Fail(String),
    /// `@if`.
    If {
        /// `exists` (true) or `blank` (false), with the value to test.
        exists: bool,
        /// The tested value.
        test: Box<Node>,
        /// `then`, when present.
        then: Option<Box<Node>>,
        /// `else`, when truthy.
        otherwise: Option<Box<Node>>,
    },
    /// `@case` with a truthy `value`.
    Case {
        /// The operator.
        op: CaseOp,
        /// The value.
        value: Box<Node>,
    },
    /// `@replace` with a truthy `value`.
    Replace(Box<ReplaceSpec>),
    /// `@arrayPath`.
    ArrayPath {
        /// The root: a static path or a value to resolve.
        root: Box<Source>,
        /// The item shape (a non-empty object), if any.
        shape: Option<Box<Node>>,
    },
    /// `@path`.
    Path(Box<Source>),
    /// `@template`.
    Template(Box<TemplateSource>),
    /// `@flatten`.
    Flatten {
        /// The separator (resolved, must give a string).
        separator: Box<Node>,
        /// The value to flatten.
        value: Box<Node>,
        /// `Boolean(omitArrays)`.
        omit_arrays: bool,
    },
    /// `@json`.
    Json {
        /// The mode.
        mode: JsonMode,
        /// The value.
        value: Box<Node>,
    },
    /// `@merge`.
    Merge {
        /// The direction (resolved; `left` reverses).
        direction: Box<Node>,
        /// The objects.
        objects: Vec<Node>,
    },
    /// `@transform`: `apply` is a whole mapping of its own (validated, root directive applied).
    Transform {
        /// The `apply` mapping.
        apply: Box<Node>,
        /// The mapping applied to `apply`'s result.
        mapping: Box<Node>,
    },
    /// `@excludeWhenNull`.
    ExcludeWhenNull(Box<Node>),
    /// `@liquid`.
    #[cfg(feature = "liquid")]
    Liquid(Box<super::liquid::LiquidTemplate>),
}

/// Where `@path` / `@arrayPath` get their path.
#[derive(Debug)]
pub(crate) enum Source {
    /// A literal path, split once.
    Static(Path),
    /// A value resolved per event; `@path` requires a string.
    Dynamic(Node),
}

/// Where `@template` gets its template.
#[derive(Debug)]
pub(crate) enum TemplateSource {
    /// A literal template, parsed once.
    Static(Template),
    /// A value resolved per event (must be a string).
    Dynamic(Node),
}

/// `@case` operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseOp {
    /// `lower`.
    Lower,
    /// `upper`.
    Upper,
    /// Anything else: an error when the value is a string.
    Invalid,
}

/// `@json` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonMode {
    /// `encode`.
    Encode,
    /// `decode`.
    Decode,
    /// Anything else: gives `undefined`.
    Other,
}

/// A compiled `@replace`.
#[derive(Debug)]
pub(crate) struct ReplaceSpec {
    /// The value.
    pub(crate) value: Node,
    /// `None` when mapping-kit's type checks fail (the result is then `""`).
    pub(crate) passes: Option<ReplacePasses>,
}

/// The replacements of a `@replace` whose options have the right types.
#[derive(Debug)]
pub(crate) struct ReplacePasses {
    /// `pattern` and `replacement`.
    pub(crate) first: (String, String),
    /// `pattern2` and `replacement2`, when usable.
    pub(crate) second: Option<(String, String)>,
    /// `global` flag.
    pub(crate) global: bool,
    /// `ignorecase` flag.
    pub(crate) ignorecase: bool,
}

/// Compilation state: the path of the value being compiled and the problems found.
pub(crate) struct Compiler {
    stack: Vec<String>,
    pub(crate) problems: Vec<String>,
}

impl Compiler {
    pub(crate) fn new() -> Self {
        Compiler { stack: Vec::new(), problems: Vec::new() }
    }

    fn at(&self) -> String {
        format!("/{}", self.stack.join("/"))
    }

    /// A problem found while compiling (not a validation message): mapping-kit's message first,
    /// then where it is.
    pub(crate) fn report(&mut self, message: &str) {
        let at = self.at();
        self.problems.push(format!("{message} (at {at})"));
    }

    fn nested<T>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.stack.push(key.to_string());
        let out = f(self);
        self.stack.pop();
        out
    }

    /// Compiles a whole mapping as mapping-kit's `transform` sees it: the root directive is
    /// applied, the result validated, then compiled. Validation problems are returned; compile
    /// problems (Liquid, nesting) are added to `self.problems`.
    pub(crate) fn compile_root(&mut self, mapping: &Value) -> (Node, Vec<String>) {
        let processed = match apply_root_directive(mapping) {
            Ok(processed) => processed,
            Err(message) => return (Node::Fail(message.clone()), vec![message]),
        };
        let problems = validate(&processed);
        let node = self.compile(&processed);
        (node, problems)
    }

    /// Compiles any value the way `resolve` treats it.
    pub(crate) fn compile(&mut self, value: &Value) -> Node {
        if self.stack.len() > MAX_MAPPING_DEPTH {
            self.report(&format!("mapping is nested more than {MAX_MAPPING_DEPTH} levels deep"));
            return Node::Fail(format!("mapping is nested more than {MAX_MAPPING_DEPTH} levels deep"));
        }
        match value {
            Value::Object(obj) if is_directive(obj) => self.compile_directive(obj),
            Value::Object(obj) => {
                let members: Vec<(String, Node)> =
                    obj.iter().map(|(k, v)| (k.clone(), self.nested(k, |c| c.compile(v)))).collect();
                if members.iter().all(|(_, n)| matches!(n, Node::Lit(_))) {
                    // Nothing to resolve per event: keep the resolved object.
                    let obj = members
                        .into_iter()
                        .map(|(k, n)| match n {
                            Node::Lit(v) => (k, v),
                            _ => (k, Val::Undef),
                        })
                        .collect();
                    Node::Lit(Val::Obj(obj))
                } else {
                    Node::Obj(members)
                }
            }
            Value::Array(items) => {
                let nodes: Vec<Node> =
                    items.iter().enumerate().map(|(i, v)| self.nested(&i.to_string(), |c| c.compile(v))).collect();
                if nodes.iter().all(|n| matches!(n, Node::Lit(_))) {
                    let items = nodes
                        .into_iter()
                        .map(|n| match n {
                            Node::Lit(v) => v,
                            _ => Val::Undef,
                        })
                        .collect();
                    Node::Lit(Val::Arr(items))
                } else {
                    Node::Arr(nodes)
                }
            }
            other => literal(other),
        }
    }

    /// Compiles an optional member (`resolve(undefined)` is `undefined`).
    fn compile_opt(&mut self, opts: &Map<String, Value>, key: &str) -> Node {
        match opts.get(key) {
            Some(v) => self.nested(key, |c| c.compile(v)),
            None => Node::Lit(Val::Undef),
        }
    }

    fn compile_directive(&mut self, obj: &Map<String, Value>) -> Node {
        // runDirective: the first @-key names the directive.
        let Some((name, options)) = obj.iter().find(|(k, _)| k.starts_with('@')) else {
            return Node::Fail(String::from("undefined is not a valid directive, got undefined"));
        };
        let name = name.as_str();
        self.nested(name, |c| c.compile_named(name, options))
    }

    fn compile_named(&mut self, name: &str, options: &Value) -> Node {
        let opts = options.as_object();
        match name {
            "@if" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from("@if requires an object with an \"exists\" key"));
                };
                if !truthy(opts.get("exists")) && !truthy(opts.get("blank")) {
                    return Node::Fail(String::from("@if requires an \"exists\" key or a \"blank\" key"));
                }
                let exists = opts.contains_key("exists");
                let test = self.compile_opt(opts, if exists { "exists" } else { "blank" });
                let then = opts.get("then").map(|v| Box::new(self.nested("then", |c| c.compile(v))));
                let otherwise = opts
                    .get("else")
                    .filter(|v| truthy(Some(v)))
                    .map(|v| Box::new(self.nested("else", |c| c.compile(v))));
                Node::If { exists, test: Box::new(test), then, otherwise }
            }
            "@case" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from("@case requires an object with a \"operator\" key"));
                };
                if !truthy(opts.get("operator")) {
                    return Node::Fail(String::from("@case requires a \"operator\" key"));
                }
                let op = match opts.get("operator").and_then(Value::as_str) {
                    Some("lower") => CaseOp::Lower,
                    Some("upper") => CaseOp::Upper,
                    _ => CaseOp::Invalid,
                };
                if !truthy(opts.get("value")) {
                    return Node::Lit(Val::Undef);
                }
                Node::Case { op, value: Box::new(self.compile_opt(opts, "value")) }
            }
            "@replace" => self.compile_replace(opts),
            "@arrayPath" => {
                let Some(items) = options.as_array() else {
                    return Node::Fail(format!("@arrayPath expected array, got {}", real_type(Some(options))));
                };
                let root = match items.first() {
                    Some(Value::String(path)) => Source::Static(Path::parse_directive_path(path)),
                    Some(other) => Source::Dynamic(self.nested("0", |c| c.compile(other))),
                    None => Source::Dynamic(Node::Lit(Val::Undef)),
                };
                let shape = match items.get(1) {
                    Some(shape @ Value::Object(o)) if !o.is_empty() => {
                        Some(Box::new(self.nested("1", |c| c.compile(shape))))
                    }
                    _ => None,
                };
                Node::ArrayPath { root: Box::new(root), shape }
            }
            "@path" => match options {
                Value::String(path) => Node::Path(Box::new(Source::Static(Path::parse_directive_path(path)))),
                other => Node::Path(Box::new(Source::Dynamic(self.compile(other)))),
            },
            "@template" => match options {
                Value::String(t) => Node::Template(Box::new(TemplateSource::Static(Template::parse(t)))),
                other => Node::Template(Box::new(TemplateSource::Dynamic(self.compile(other)))),
            },
            "@literal" => self.compile(options),
            "@flatten" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from("@flatten requires an object with a \"separator\" key"));
                };
                if !truthy(opts.get("separator")) {
                    return Node::Fail(String::from("@flatten requires a \"separator\" key"));
                }
                Node::Flatten {
                    separator: Box::new(self.compile_opt(opts, "separator")),
                    value: Box::new(self.compile_opt(opts, "value")),
                    omit_arrays: truthy(opts.get("omitArrays")),
                }
            }
            "@json" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from("@json requires an object with a \"value\" key"));
                };
                if !truthy(opts.get("mode")) {
                    return Node::Fail(String::from("@json requires a \"mode\" key"));
                }
                if !truthy(opts.get("value")) {
                    return Node::Fail(String::from("@json requires a \"value\" key"));
                }
                let mode = match opts.get("mode").and_then(Value::as_str) {
                    Some("encode") => JsonMode::Encode,
                    Some("decode") => JsonMode::Decode,
                    _ => JsonMode::Other,
                };
                Node::Json { mode, value: Box::new(self.compile_opt(opts, "value")) }
            }
            "@merge" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from(
                        "@merge requires an object with an \"objects\" key and a \"direction\" key",
                    ));
                };
                if !truthy(opts.get("direction")) {
                    return Node::Fail(String::from("@merge requires a \"direction\" key"));
                }
                let direction = self.compile_opt(opts, "direction");
                let objects = match opts.get("objects") {
                    Some(o) if !truthy(Some(o)) => None,
                    None => None,
                    Some(Value::Array(items)) => Some(items),
                    Some(other) => {
                        return Node::Fail(format!("@merge: expected opts.array, got {}", js_typeof(other)));
                    }
                };
                let Some(objects) = objects else {
                    return Node::Fail(String::from("@merge requires a \"objects\" key"));
                };
                let objects = self.nested("objects", |c| {
                    objects.iter().enumerate().map(|(i, v)| c.nested(&i.to_string(), |c| c.compile(v))).collect()
                });
                Node::Merge { direction: Box::new(direction), objects }
            }
            "@transform" => {
                let Some(opts) = opts else {
                    return Node::Fail(String::from(
                        "@transform requires an object with an \"apply\" key and a \"mapping\" key",
                    ));
                };
                if !truthy(opts.get("mapping")) {
                    return Node::Fail(String::from("@transform requires a \"mapping\" key"));
                }
                let Some(apply) = opts.get("apply").filter(|v| truthy(Some(v))) else {
                    return Node::Fail(String::from("@transform requires a \"apply\" key"));
                };
                if !apply.is_object() {
                    return Node::Fail(String::from("@transform \"apply\" key should be an object"));
                }
                let (apply_node, problems) = self.nested("apply", |c| c.compile_root(apply));
                let apply_node = if problems.is_empty() { apply_node } else { Node::Fail(problems.join("\n")) };
                let mapping = self.compile_opt(opts, "mapping");
                Node::Transform { apply: Box::new(apply_node), mapping: Box::new(mapping) }
            }
            "@excludeWhenNull" => Node::ExcludeWhenNull(Box::new(self.compile(options))),
            "@liquid" => self.compile_liquid(options),
            other => Node::Fail(format!("{other} is not a valid directive, got undefined")),
        }
    }

    fn compile_replace(&mut self, opts: Option<&Map<String, Value>>) -> Node {
        let Some(opts) = opts else {
            return Node::Fail(String::from("@replace requires an object with a \"pattern\" key"));
        };
        if !truthy(opts.get("pattern")) {
            return Node::Fail(String::from("@replace requires a \"pattern\" key"));
        }
        if !truthy(opts.get("value")) {
            return Node::Lit(Val::Undef);
        }
        let value = self.compile_opt(opts, "value");
        // Defaults for null/missing options, then mapping-kit's type checks.
        let or_default = |key: &str, default: Value| match opts.get(key) {
            None | Some(Value::Null) => default,
            Some(v) => v.clone(),
        };
        let pattern = opts.get("pattern").cloned().unwrap_or(Value::Null);
        let replacement = or_default("replacement", Value::String(String::new()));
        let ignorecase = or_default("ignorecase", Value::Bool(false));
        let global = or_default("global", Value::Bool(true));
        let passes = match (pattern, replacement, ignorecase, global) {
            (Value::String(p), Value::String(r), Value::Bool(ignorecase), Value::Bool(global)) => {
                let second = if truthy(opts.get("pattern2")) {
                    let replacement2 = or_default("replacement2", Value::String(String::new()));
                    match (opts.get("pattern2"), replacement2) {
                        (Some(Value::String(p2)), Value::String(r2)) => Some((p2.clone(), r2)),
                        _ => None,
                    }
                } else {
                    None
                };
                Some(ReplacePasses { first: (p, r), second, global, ignorecase })
            }
            _ => None,
        };
        Node::Replace(Box::new(ReplaceSpec { value, passes }))
    }

    #[cfg(feature = "liquid")]
    fn compile_liquid(&mut self, options: &Value) -> Node {
        let Value::String(template) = options else {
            return Node::Fail(String::from("liquid template value must be a string"));
        };
        match super::liquid::LiquidTemplate::compile(template) {
            Ok(compiled) => Node::Liquid(Box::new(compiled)),
            Err(message) => {
                self.report(&message);
                Node::Fail(message)
            }
        }
    }

    #[cfg(not(feature = "liquid"))]
    fn compile_liquid(&mut self, _options: &Value) -> Node {
        let at = self.at();
        let message = format!("{at} is not available in this build (compiled without the \"liquid\" feature).");
        self.problems.push(message.clone());
        Node::Fail(message)
    }
}

fn literal(value: &Value) -> Node {
    match Val::from_json(value) {
        Ok(v) => Node::Lit(v),
        Err(e) => Node::Fail(e.to_string()),
    }
}

/// mapping-kit's `isDirective`: an object with an `@`-key and no other keys but `_metadata`.
pub(crate) fn is_directive(obj: &Map<String, Value>) -> bool {
    obj.keys().any(|k| k.starts_with('@')) && obj.keys().all(|k| k.starts_with('@') || k == "_metadata")
}

/// JS truthiness of a mapping's raw value (`None`: `undefined`).
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// JS `typeof` of a JSON value.
fn js_typeof(value: &Value) -> &'static str {
    match value {
        Value::Null | Value::Array(_) | Value::Object(_) => "object",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
    }
}

/// mapping-kit's `getMappingToProcess`: with a `__segment_internal_directive` key at the root,
/// that key's directive is the mapping and its other keys become the directive's `mapping`.
/// Non-object mappings are spread like JS `{ ...mapping }` does only in [`spread`].
pub(crate) fn apply_root_directive(mapping: &Value) -> Result<Value, String> {
    let Value::Object(obj) = mapping else {
        return Ok(mapping.clone());
    };
    let Some(root) = obj.get(ROOT_MAPPING_FIELD_KEY) else {
        return Ok(mapping.clone());
    };
    let customer: Map<String, Value> =
        obj.iter().filter(|(k, _)| k.as_str() != ROOT_MAPPING_FIELD_KEY).map(|(k, v)| (k.clone(), v.clone())).collect();
    let keys: Vec<String> = match root {
        Value::Null => return Err(String::from("Cannot convert undefined or null to object")),
        Value::Object(o) => o.keys().cloned().collect(),
        Value::Array(a) => (0..a.len()).map(|i| i.to_string()).collect(),
        Value::String(s) => (0..s.encode_utf16().count()).map(|i| i.to_string()).collect(),
        Value::Bool(_) | Value::Number(_) => Vec::new(),
    };
    if keys.len() > 1 {
        return Err(String::from("The root mapping must only have a single directive object"));
    }
    let mut processed = root.clone();
    let directive = match (&mut processed, keys.first()) {
        (Value::Object(o), Some(key)) => o.get_mut(key),
        (Value::Array(a), Some(_)) => a.first_mut(),
        _ => None,
    };
    match directive {
        Some(Value::Object(options)) => {
            options.insert(String::from("mapping"), Value::Object(customer));
        }
        // An array is an object to JS: the assignment is invisible to the mapping.
        Some(Value::Array(_)) => {}
        _ => return Err(String::from("The root directive must be an object")),
    }
    Ok(processed)
}

/// JS `{ ...mapping }` for mapping-kit's `transform`: objects are copied, arrays and strings
/// become objects keyed by index, other values an empty object.
pub(crate) fn spread(mapping: &Value) -> Value {
    match mapping {
        Value::Object(_) => mapping.clone(),
        Value::Array(items) => {
            Value::Object(items.iter().enumerate().map(|(i, v)| (i.to_string(), v.clone())).collect())
        }
        Value::String(s) => Value::Object(
            s.encode_utf16()
                .enumerate()
                .map(|(i, unit)| (i.to_string(), Value::String(String::from_utf16_lossy(&[unit]))))
                .collect(),
        ),
        _ => Value::Object(Map::new()),
    }
}
