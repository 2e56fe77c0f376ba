//! The `privacy` settings, compiled, and what they do with a message's text: scan it, report
//! what was found, write it again with what was found replaced.

use super::detect::{detect_into, Scratch};
use super::{hash, walk, Action, Kind, Kinds, ALLOWED};
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;
use crate::spec::Report;

/// The `privacy` settings, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy {
    /// The kinds looked for.
    pub kinds: Kinds,
    /// What is done with what is found.
    pub action: Action,
    /// Where personal data is expected, as JSON Pointers into a message (`/traits/email`), as
    /// written: what is found there, or below, is not reported.
    pub allow: Vec<String>,
    /// The key of `hash`.
    pub hash_key: Vec<u8>,
}

impl Privacy {
    /// Settings looking for `kinds`, doing `action`, with the default allowed paths and `allow`
    /// (JSON Pointers) beside them.
    pub fn new(kinds: Kinds, action: Action, allow: &[Pointer], hash_key: Vec<u8>) -> Privacy {
        let defaults = ALLOWED.iter().map(|path| (*path).to_owned());
        let allow = defaults.chain(allow.iter().map(|path| path.as_str().to_owned())).collect();
        Privacy { kinds, action, allow, hash_key }
    }

    /// More allowed paths, as JSON Pointers' tokens (a tracking plan's `format: email` fields).
    pub fn allow_more(&mut self, paths: Vec<Vec<String>>) {
        for tokens in paths {
            let pointer = tokens.iter().fold(Pointer::root(), |pointer, token| pointer.key(token));
            self.allow.push(pointer.as_str().to_owned());
        }
    }

    /// Whether `path` is an allowed path or below one (pointers compared as written: their
    /// tokens are escaped alike).
    fn allows(&self, path: &Pointer) -> bool {
        let path = path.as_str();
        self.allow.iter().any(|allowed| {
            path.strip_prefix(allowed.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// What is found in the strings of `text`, a JSON object (`traits`, `properties`,
    /// `context`) at `offset` in the message's text and at `prefix` in the message, at paths not
    /// allowed, added to `found`.
    pub(crate) fn scan(&self, text: &str, offset: usize, prefix: &str, found: &mut Vec<Found>) {
        let mut scratch = Scratch::default();
        walk::strings(text, |token, path| {
            let decoded;
            let (content, profile) = if token.escaped {
                decoded =
                    crate::plain::decoded(text.get(token.start..token.end).unwrap_or_default()).unwrap_or_default();
                (decoded.as_str(), walk::Profile::read(decoded.as_bytes()))
            } else {
                let content = text.get(token.start + 1..token.end.saturating_sub(1)).unwrap_or_default();
                (content, walk::Profile::read(content.as_bytes()))
            };
            if profile.quiet() {
                return;
            }
            detect_into(content, self.kinds, &profile, &mut scratch);
            if scratch.spans.is_empty() {
                return;
            }
            let path = Pointer::from_escaped(format!("{prefix}{}", path().as_str()));
            if self.allows(&path) {
                return;
            }
            found.push(Found {
                start: offset + token.start,
                end: offset + token.end,
                key: token.key,
                path,
                spans: scratch.spans.clone(),
                content: token.escaped.then(|| content.to_owned()),
            });
        });
    }

    /// The issues of what was found, at `base` (where the object is in the input), added to
    /// `report`: one per kind and string, warnings, or errors under `block`.
    pub(crate) fn report(&self, found: &[Found], base: &Pointer, report: &mut Report) {
        for item in found {
            let mut kinds: Vec<Kind> = item.spans.iter().map(|(kind, _, _)| *kind).collect();
            kinds.sort_unstable();
            kinds.dedup();
            // A key's path would repeat it: the issue names the object that holds it.
            let relative = if item.key { parent(&item.path) } else { item.path.clone() };
            let path = Pointer::from_escaped(format!("{}{}", base.as_str(), relative.as_str()));
            for kind in kinds {
                let (message, hint) = if item.key {
                    (
                        format!("{} was found in a key of this object.", kind.described()),
                        String::from("Keys name fields: send the value under a fixed key instead."),
                    )
                } else {
                    (
                        format!("{} was found in this value.", kind.described()),
                        format!(
                            "If this field is meant to hold it, allow it: privacy.allow: [\"{}\"].",
                            relative.as_str()
                        ),
                    )
                };
                let issue = Issue::new(Code::PiiDetected, &path, message).with_hint(hint);
                match self.action {
                    Action::Block => report.add_error(issue),
                    Action::Warn => report.warn_with_effect(issue, "It is sent as it came."),
                    Action::Redact => {
                        report.warn_with_effect(issue, &format!("It is replaced with [{}].", kind.name()))
                    }
                    Action::Hash => report.warn_with_effect(issue, "It is replaced with its keyed hash."),
                }
            }
        }
    }

    /// Whether the message answered is written again with what was found replaced: under
    /// `redact` and `hash` it is the one that leaves; under `block` it is only answered, so that
    /// no other issue's path or message repeats what was found (the quarantine keeps the message
    /// as it came).
    pub(crate) fn rewrites(&self) -> bool {
        self.action != Action::Warn
    }

    /// `text` with each found part replaced (`found` in the order the walk gave it).
    pub(crate) fn rewrite(&self, text: &str, found: &[Found]) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut copied = 0;
        for item in found {
            out.push_str(text.get(copied..item.start).unwrap_or_default());
            let content = match &item.content {
                Some(content) => content.as_str(),
                None => text.get(item.start + 1..item.end.saturating_sub(1)).unwrap_or_default(),
            };
            let mut replaced = String::with_capacity(content.len());
            let mut from = 0;
            for (kind, start, end) in &item.spans {
                replaced.push_str(content.get(from..*start).unwrap_or_default());
                let part = content.get(*start..*end).unwrap_or_default();
                match self.action {
                    Action::Hash => replaced.push_str(&hash::keyed(&self.hash_key, *kind, part)),
                    _ => {
                        replaced.push('[');
                        replaced.push_str(kind.name());
                        replaced.push(']');
                    }
                }
                from = *end;
            }
            replaced.push_str(content.get(from..).unwrap_or_default());
            crate::write::string(&mut out, &replaced);
            copied = item.end;
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        out
    }
}

/// The path of the object holding the member at `path`.
fn parent(path: &Pointer) -> Pointer {
    let text = path.as_str();
    Pointer::from_escaped(text.rfind('/').and_then(|at| text.get(..at)).unwrap_or_default())
}

/// A string where personal data was found, at a path not allowed.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its bytes in the text, quotes included.
    start: usize,
    end: usize,
    /// A key, not a value.
    key: bool,
    /// Its path, relative to the object read.
    path: Pointer,
    /// What was found, in its content.
    spans: Vec<(Kind, usize, usize)>,
    /// Its content decoded, when it holds escapes.
    content: Option<String>,
}
