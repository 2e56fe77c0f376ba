//! Personal data found before it leaves: the `pii_detected` rule's detectors and what its
//! settings (`privacy: {detect, action, allow, hashKey}`) do with what they find.
//!
//! The path: every string of a message's `traits`, `properties` and `context`, keys included
//! (`walk`), is read by each detector asked for (one file per kind, each linear in the string's
//! length); what is found at an allowed path is dropped; the rest becomes issues that name the
//! path and the kind, never the value; `redact` and `hash` write the message's text again with
//! each found part replaced, and the engine answers that text instead.

mod card;
mod email;
mod hash;
mod iban;
mod ip;
mod jwt;
mod phone;
mod secret;
mod ssn;
mod text;
mod walk;

use crate::issue::{Code, Issue};
use crate::pointer::Pointer;
use crate::spec::Report;
pub(crate) use walk::{Scope, MESSAGE};

/// What kind of personal data was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An email address.
    Email,
    /// A phone number, international or national.
    Phone,
    /// A payment card number (Luhn-valid, with a card network's leading digits).
    Card,
    /// An IBAN (mod-97 valid, of its country's length).
    Iban,
    /// A US Social Security number, written in its groups.
    Ssn,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A JSON Web Token.
    Jwt,
    /// A secret key of a well-known shape (cloud, payment, code hosts, chat, AI) or a PEM private key.
    Secret,
}

impl Kind {
    /// Every kind, in the order of `detect`'s documentation.
    pub const ALL: [Kind; 8] =
        [Kind::Email, Kind::Phone, Kind::Card, Kind::Iban, Kind::Ssn, Kind::Ip, Kind::Jwt, Kind::Secret];

    /// The kind's name in settings and issues.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Card => "card",
            Kind::Iban => "iban",
            Kind::Ssn => "ssn",
            Kind::Ip => "ip",
            Kind::Jwt => "jwt",
            Kind::Secret => "secret",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// What it is, in a sentence.
    const fn described(self) -> &'static str {
        match self {
            Kind::Email => "An email address",
            Kind::Phone => "A phone number",
            Kind::Card => "A payment card number",
            Kind::Iban => "An IBAN",
            Kind::Ssn => "A US Social Security number",
            Kind::Ip => "An IP address",
            Kind::Jwt => "A JSON Web Token",
            Kind::Secret => "A secret key",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// When one span holds two kinds (a key inside a token), the first in this order wins.
    const fn rank(self) -> u8 {
        match self {
            Kind::Secret => 0,
            Kind::Jwt => 1,
            Kind::Email => 2,
            Kind::Iban => 3,
            Kind::Card => 4,
            Kind::Ssn => 5,
            Kind::Ip => 6,
            Kind::Phone => 7,
        }
    }
}

/// A set of kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    /// Every kind.
    pub const ALL: Kinds = Kinds(0xFF);

    /// The set with `kind` added.
    #[must_use]
    pub const fn with(self, kind: Kind) -> Kinds {
        Kinds(self.0 | kind.bit())
    }

    /// Whether it holds `kind`.
    pub const fn has(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Whether it is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// What is done with a message where personal data is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A warning; the message is sent as it came.
    Warn,
    /// A warning; each found part is replaced with its kind (`[email]`).
    Redact,
    /// A warning; each found part is replaced with its keyed hash, so joins still work.
    Hash,
    /// An error: the message is refused (and kept in the quarantine, where there is one).
    Block,
}

impl Action {
    /// Each action's name in settings.
    pub const NAMES: [(&'static str, Action); 4] =
        [("warn", Action::Warn), ("redact", Action::Redact), ("hash", Action::Hash), ("block", Action::Block)];
}

/// The `privacy` settings, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy {
    /// The kinds looked for.
    pub kinds: Kinds,
    /// What is done with what is found.
    pub action: Action,
    /// Where personal data is expected, as JSON Pointers into a message (`/traits/email`): what
    /// is found there, or below, is not reported.
    pub allow: Vec<Vec<String>>,
    /// The key of `hash`.
    pub hash_key: Vec<u8>,
}

/// The paths allowed whatever the settings: the fields meant to hold such data.
pub const ALLOWED: [&str; 5] =
    ["/traits/email", "/traits/phone", "/context/ip", "/context/traits/email", "/context/traits/phone"];

impl Privacy {
    /// Settings looking for `kinds`, doing `action`, with the default allowed paths and `allow`
    /// (JSON Pointers) beside them.
    pub fn new(kinds: Kinds, action: Action, allow: &[Pointer], hash_key: Vec<u8>) -> Privacy {
        let defaults = ALLOWED.iter().map(|path| Pointer::from_escaped(*path).tokens());
        let allow = defaults.chain(allow.iter().map(Pointer::tokens)).collect();
        Privacy { kinds, action, allow, hash_key }
    }

    fn allows(&self, path: &Pointer) -> bool {
        let tokens = path.tokens();
        self.allow.iter().any(|allowed| tokens.starts_with(allowed))
    }

    /// What is found in the strings of `text` (a JSON object, read in `scope`) at paths not
    /// allowed; paths are relative to the object.
    /// `prefix` is the object's own path in a message (`/context` for a batch's).
    pub(crate) fn scan(&self, text: &str, scope: Scope, prefix: &str) -> Vec<Found> {
        let mut found = Vec::new();
        walk::strings(text, scope, &mut |token, path| {
            let inner = text.get(token.start + 1..token.end.saturating_sub(1)).unwrap_or_default();
            let decoded;
            let content = if token.escaped {
                decoded = walk::decode(text.get(token.start..token.end).unwrap_or_default());
                decoded.as_str()
            } else {
                inner
            };
            let spans = detect(content, self.kinds);
            if spans.is_empty() {
                return;
            }
            let path =
                if prefix.is_empty() { path() } else { Pointer::from_escaped(format!("{prefix}{}", path().as_str())) };
            if self.allows(&path) {
                return;
            }
            found.push(Found {
                start: token.start,
                end: token.end,
                key: token.key,
                path,
                spans: spans.into_iter().map(|(kind, from, to)| (kind, from, to)).collect(),
                content: token.escaped.then(|| content.to_owned()),
            });
        });
        found
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

/// What the detectors of `kinds` find in `text`: spans, in order, none overlapping (of two that
/// do, the earlier, then the longer, then the kind ranked first wins).
///
/// ```
/// use astrolabe_segment_core::privacy::{detect, Kind, Kinds};
/// let text = "Reach me at jane@example.com or +44 20 7946 0958";
/// let found: Vec<(Kind, &str)> = detect(text, Kinds::ALL).into_iter().map(|(kind, start, end)| (kind, &text[start..end])).collect();
/// assert_eq!(found, [(Kind::Email, "jane@example.com"), (Kind::Phone, "+44 20 7946 0958")]);
/// ```
pub fn detect(text: &str, kinds: Kinds) -> Vec<(Kind, usize, usize)> {
    let bytes = text.as_bytes();
    // One pass to know which detectors could find anything: most strings need none.
    let (mut digit_count, mut at_sign, mut colons, mut dot, mut upper) = (0usize, false, 0usize, false, false);
    for byte in bytes {
        match byte {
            b'0'..=b'9' => digit_count += 1,
            b'@' => at_sign = true,
            b':' => colons += 1,
            b'.' => dot = true,
            b'A'..=b'Z' => upper = true,
            _ => {}
        }
    }
    let mut spans = Vec::new();
    if kinds.has(Kind::Secret) && bytes.len() >= 16 {
        secret::find(text, &mut spans);
    }
    if kinds.has(Kind::Jwt) && dot && bytes.len() >= 20 {
        jwt::find(text, &mut spans);
    }
    if kinds.has(Kind::Email) && at_sign {
        email::find(text, &mut spans);
    }
    if kinds.has(Kind::Iban) && upper && digit_count >= 2 && bytes.len() >= 15 {
        iban::find(text, &mut spans);
    }
    if kinds.has(Kind::Ip) && ((digit_count >= 4 && dot) || colons >= 2) {
        ip::find(text, &mut spans);
    }
    let numbers = [Kind::Card, Kind::Ssn, Kind::Phone].iter().any(|kind| kinds.has(*kind)) && digit_count >= 7;
    if numbers {
        let groups = text::groups(bytes);
        if kinds.has(Kind::Card) && digit_count >= 13 {
            card::find(text, &groups, &mut spans);
        }
        if kinds.has(Kind::Ssn) && digit_count >= 9 {
            ssn::find(text, &groups, &mut spans);
        }
        if kinds.has(Kind::Phone) {
            phone::find(text, &groups, &mut spans);
        }
    }
    if spans.len() > 1 {
        spans.sort_unstable_by_key(|(kind, start, end)| (*start, usize::MAX - end, kind.rank()));
        let mut kept: Vec<(Kind, usize, usize)> = Vec::with_capacity(spans.len());
        for span in spans {
            if kept.last().is_none_or(|last| span.1 >= last.2) {
                kept.push(span);
            }
        }
        spans = kept;
    }
    spans
}
