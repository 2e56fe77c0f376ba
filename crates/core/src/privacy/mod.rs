//! Personal data found before it leaves: the `pii_detected` rule's detectors and what its
//! settings (`privacy: {detect, action, allow, hashKey}`) do with what they find.
//!
//! The path: every string of a message's `traits`, `properties` and `context`, keys included
//! (`walk`), is read by each detector asked for (one file per kind, each linear in the string's
//! length); what is found at an allowed path is dropped; the rest becomes issues that name the
//! path and the kind, never the value; `redact` and `hash` write the message's text again with
//! each found part replaced, and the engine answers that text instead.

#[cfg(feature = "privacy")]
mod apply;
#[cfg(feature = "privacy")]
mod detect;
#[cfg(feature = "privacy")]
mod hash;
#[cfg(not(feature = "privacy"))]
mod off;
#[cfg(feature = "privacy")]
mod walk;

#[cfg(feature = "privacy")]
pub use apply::{Found, Privacy};
#[cfg(feature = "privacy")]
pub use detect::detect;
#[cfg(not(feature = "privacy"))]
pub(crate) use off::MEMBERS;
#[cfg(not(feature = "privacy"))]
pub use off::{Found, Privacy};
#[cfg(feature = "privacy")]
pub(crate) use walk::MEMBERS;

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
    #[cfg_attr(not(feature = "privacy"), allow(dead_code))]
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
    #[cfg_attr(not(feature = "privacy"), allow(dead_code))]
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

/// The paths allowed whatever the settings: the fields meant to hold such data.
pub const ALLOWED: [&str; 5] =
    ["/traits/email", "/traits/phone", "/context/ip", "/context/traits/email", "/context/traits/phone"];
