//! The detectors, one file a kind, each reading a string once in time linear in its length (no
//! regular expressions, no backtracking), and what runs them: a string's profile says which could
//! find anything in it, and of spans that overlap the earlier, then the longer, wins.

mod card;
mod email;
mod iban;
mod ip;
mod jwt;
mod phone;
mod secret;
mod ssn;
mod text;

use super::walk::Profile;
use super::{Kind, Kinds};

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
    let mut scratch = Scratch::default();
    detect_into(text, kinds, &Profile::read(text.as_bytes()), &mut scratch);
    scratch.spans
}

/// What the detectors reuse from one string to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    groups: Vec<text::Group>,
    /// What the last string held.
    pub spans: Vec<(Kind, usize, usize)>,
}

/// [`detect`] into `scratch.spans`, with the string's profile: each detector runs only on a
/// string whose profile says it could find something there, which most strings' does not.
pub(crate) fn detect_into(text: &str, kinds: Kinds, profile: &Profile, scratch: &mut Scratch) {
    let spans = &mut scratch.spans;
    spans.clear();
    // Every key shape is a long word (a prefix and 16 or more random bytes); a PEM block's lines are.
    if kinds.has(Kind::Secret) && profile.long_word {
        secret::find(text, spans);
    }
    if kinds.has(Kind::Jwt) && profile.dot && profile.long_word {
        jwt::find(text, spans);
    }
    if kinds.has(Kind::Email) && profile.at {
        email::find(text, spans);
    }
    // A country's code then its check digits: an upper-case letter before a digit.
    if kinds.has(Kind::Iban) && profile.upper_digit && profile.len >= 15 {
        iban::find(text, spans);
    }
    if kinds.has(Kind::Ip) && (profile.colons >= 2 || (profile.dot_digit && profile.digits >= 4)) {
        ip::find(text, spans);
    }
    if profile.digits >= 7 && [Kind::Card, Kind::Ssn, Kind::Phone].iter().any(|kind| kinds.has(*kind)) {
        text::groups_into(text.as_bytes(), &mut scratch.groups);
        let groups = &scratch.groups;
        if kinds.has(Kind::Card) && profile.digits >= 13 {
            card::find(text, groups, spans);
        }
        if kinds.has(Kind::Ssn) && profile.digits >= 9 {
            ssn::find(text, groups, spans);
        }
        if kinds.has(Kind::Phone) {
            phone::find(text, groups, spans);
        }
    }
    if spans.len() > 1 {
        spans.sort_unstable_by_key(|(kind, start, end)| (*start, usize::MAX - end, kind.rank()));
        // Sorted by start: a span is kept when it starts at or after the last kept one's end.
        let mut end = None;
        spans.retain(|(_, start, stop)| {
            let keep = end.is_none_or(|end| *start >= end);
            if keep {
                end = Some(*stop);
            }
            keep
        });
    }
}
