//! The rules: each code the engine, a custom mapping, a tracking plan or the edge handler reports,
//! as one unit. A rule's file holds what it is (its name, kind, whether users may set it, the
//! sentence the README's table gives it, an example of its hint), the members of `context` it
//! reads and, for a rule that checks the message's view on its own, its check and its tests.
//!
//! The list in `rules!` below is the one registration: it makes [`Code`], [`Code::ALL`] (the
//! README's order), `as_str` and the rule of each code. The TypeScript `Code` union, the README's
//! table of codes and its settings are tested against it (`src/types_drift.rs`, `tests/readme.rs`).
//!
//! Adding a rule: its file here (copy one with a `check`, such as `context_field_type.rs`), its
//! line below, and its fixtures (`tests/fixtures/`).

mod levels;

use crate::call::CallType;
use crate::pointer::Pointer;
use crate::spec::{Kind, Layered, Message, Report};
pub use levels::{Level, Levels};

/// What a rule is, beside its code.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The code's stable snake_case name.
    pub name: &'static str,
    /// What it is by default, as the README's table says: `error`, `warning`, `batch error`,
    /// `skip reason`, `error or warning` (set by a tracking plan), `edge error`, ...
    pub kind: &'static str,
    /// Whether users may set it with `rules`, and why not when they may not.
    pub tuning: Tuning,
    /// What it means, in one line (the README's table, Markdown).
    pub meaning: &'static str,
    /// An example of the hint its issues carry, when they carry one (Markdown).
    pub hint: &'static str,
    /// Which members of a message's `context` it reads (with the envelope's beside them), by key
    /// and kind, which the engine parses for it (of an object or an array, not what is inside). A
    /// `match` on the key, since the engine asks for every key of every `context`; a rule that is
    /// about a member's kind reads only the members of a wrong kind, which are rare.
    pub reads_context: Option<fn(&str, Kind) -> bool>,
    /// Its check over the message's view, for a rule that checks on its own; run after the
    /// Spec's checks, in the order of the list. `None` for the rules the engine, the Spec's checks
    /// (`spec`), mappings, plans or the edge handler raise where they read.
    pub check: Option<fn(&Context<'_>, &mut Report)>,
}

/// Whether users may set a rule with `rules: { code: "off" | "warning" | "error" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tuning {
    /// A warning by default, which users may turn off or make an error.
    Open,
    /// Not theirs to set, and why (the sentence a refused setting gives).
    Fixed(&'static str),
}

/// What a rule's check reads: the message, its call, where it is, and its `context` layered
/// over the batch envelope's.
pub struct Context<'a> {
    /// The message's view.
    pub message: &'a Message<'a>,
    /// Its call type (identify, group or track: the rules check no other).
    pub call: CallType,
    /// Its path in the caller's input (`/batch/3`, or the root).
    pub base: &'a Pointer,
    /// Its `context`, over the envelope's.
    pub context: Layered<'a>,
}

/// Makes [`Code`] and the rule of each code from the list of rule modules.
macro_rules! rules {
    ($($module:ident => $variant:ident,)*) => {
        $(mod $module;)*

        /// What kind of problem an [`Issue`](crate::issue::Issue) reports: one per rule (the
        /// [`rules`](crate::rules) module). The snake_case names are the public contract: the
        /// same words appear in Rust, in the JS package and in the README's table of codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`", stringify!($module), "` (see the README's table of codes).")]
                $variant,
            )*
        }

        // Each part of a rule is read by a match of its own, on a constant's field: the module
        // then holds only the parts it uses (names, checks), not every rule's sentences.
        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's rule, whole (for documentation and tests: the engine reads its parts).
            pub const fn rule(self) -> &'static Rule {
                match self {
                    $(Code::$variant => &$module::RULE,)*
                }
            }

            /// The stable snake_case name.
            ///
            /// ```
            /// use astrolabe_segment_core::Code;
            /// assert_eq!(Code::MissingIdentity.as_str(), "missing_identity");
            /// ```
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $module::RULE.name,)*
                }
            }

            /// Whether users may set the rule, and why not.
            pub const fn tuning(self) -> Tuning {
                match self {
                    $(Code::$variant => $module::RULE.tuning,)*
                }
            }

            /// The rule's own check, if it has one.
            pub(crate) const fn check(self) -> Option<fn(&Context<'_>, &mut Report)> {
                match self {
                    $(Code::$variant => $module::RULE.check,)*
                }
            }

            /// Which members of `context` the rule reads.
            pub(crate) const fn reads_context(self) -> Option<fn(&str, Kind) -> bool> {
                match self {
                    $(Code::$variant => $module::RULE.reads_context,)*
                }
            }
        }
    };
}

rules! {
    invalid_json => InvalidJson,
    not_json => NotJson,
    too_large => TooLarge,
    batch_too_large => BatchTooLarge,
    batch_too_many => BatchTooMany,
    too_deep => TooDeep,
    invalid_batch => InvalidBatch,
    missing_type => MissingType,
    unknown_type => UnknownType,
    type_mismatch => TypeMismatch,
    invalid_type => InvalidType,
    missing_identity => MissingIdentity,
    missing_group_id => MissingGroupId,
    missing_event => MissingEvent,
    invalid_timestamp => InvalidTimestamp,
    id_coerced => IdCoerced,
    message_id_too_long => MessageIdTooLong,
    reserved_trait_type => ReservedTraitType,
    no_user_to_associate => NoUserToAssociate,
    message_id_blank => MessageIdBlank,
    near_miss_key => NearMissKey,
    near_miss_reserved => NearMissReserved,
    misplaced_field => MisplacedField,
    context_field_type => ContextFieldType,
    unsupported_type => UnsupportedType,
    disabled_by_integrations => DisabledByIntegrations,
    mapping_failed => MappingFailed,
    plan_violation => PlanViolation,
    unplanned_event => UnplannedEvent,
    unplanned_property => UnplannedProperty,
    pii_detected => PiiDetected,
    unauthorized => Unauthorized,
    invalid_signature => InvalidSignature,
    origin_not_allowed => OriginNotAllowed,
    body_timeout => BodyTimeout,
    not_forwarded => NotForwarded,
    message_id_derived => MessageIdDerived,
}

impl Code {
    /// The code with this snake_case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

/// A rule's own check.
type Check = fn(&Context<'_>, &mut Report);

/// What `Code::$method` gives for each code that has one, in the list's order, and how many:
/// gathered when the crate is built, so that nothing walks the rules per message. Evaluated at
/// compile time: an index out of range stops the build, it cannot panic.
macro_rules! gathered {
    ($item:ty, $method:ident) => {{
        let mut found: [Option<$item>; Code::ALL.len()] = [None; Code::ALL.len()];
        let mut len = 0;
        let mut code = 0;
        while code < Code::ALL.len() {
            if let Some(item) = Code::ALL[code].$method() {
                found[len] = Some(item);
                len += 1;
            }
            code += 1;
        }
        (found, len)
    }};
}

/// The rules' own checks: every message runs them.
#[allow(clippy::indexing_slicing)]
const CHECKS: ([Option<Check>; Code::ALL.len()], usize) = gathered!(Check, check);

/// The rules that check the message's view on their own, in the order of the list.
pub(crate) fn checks() -> impl Iterator<Item = Check> {
    let (checks, len) = &CHECKS;
    checks.get(..*len).unwrap_or_default().iter().flatten().copied()
}

/// A rule's reader of `context` members.
type Reader = fn(&str, Kind) -> bool;

/// The rules' readers of `context` members.
#[allow(clippy::indexing_slicing)]
const CONTEXT_READERS: ([Option<Reader>; Code::ALL.len()], usize) = gathered!(Reader, reads_context);

/// Whether a rule reads the member `key` of `context`, of this kind (so the engine parses it).
pub(crate) fn reads_context(key: &str, kind: Kind) -> bool {
    let (readers, len) = &CONTEXT_READERS;
    readers.get(..*len).unwrap_or_default().iter().flatten().any(|reads| reads(key, kind))
}
