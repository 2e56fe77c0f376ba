//! Near misses: a name that differs from one the Spec reserves only by case or separators
//! (`userID`, `user_id`, `e-mail`, `created_at`), and the closest of a list of names (a call type,
//! a planned event). Every schema passes them; the sender still loses the field.

/// The longest name worth comparing, folded.
const LONGEST: usize = 24;

/// A name folded for comparison: ASCII lower case, without `_`, `-`, `.` and spaces. `None` for
/// names no Spec name folds to (too long, not ASCII, empty).
fn folded(name: &str) -> Option<([u8; LONGEST], usize)> {
    let mut bytes = [0u8; LONGEST];
    let mut len = 0;
    for byte in name.bytes() {
        if matches!(byte, b'_' | b'-' | b'.' | b' ') {
            continue;
        }
        if !byte.is_ascii() {
            return None;
        }
        *bytes.get_mut(len)? = byte.to_ascii_lowercase();
        len += 1;
    }
    (len > 0).then_some((bytes, len))
}

/// `spelled(folded)` names the Spec name with that folded form; `key` nearly is it when it is
/// not exactly it. The Spec's names are matched folded, in a `match` (the rules ask for every
/// unknown top-level key, trait and property).
fn near(key: &str, spelled: fn(&[u8]) -> Option<&'static str>) -> Option<&'static str> {
    let (bytes, len) = folded(key)?;
    spelled(bytes.get(..len)?).filter(|name| *name != key)
}

/// The Segment fields of a message, as the Spec spells them: the tests hold the `match` in
/// [`message_field`] (each folded) and the one in [`is_message_field`] to this list.
#[cfg(test)]
const MESSAGE_FIELDS: [&str; 15] = [
    "type",
    "userId",
    "anonymousId",
    "groupId",
    "previousId",
    "messageId",
    "event",
    "properties",
    "traits",
    "context",
    "integrations",
    "timestamp",
    "originalTimestamp",
    "sentAt",
    "receivedAt",
];

/// Whether `key` is a Segment field of a message, spelled right (a `match`: compared by length
/// first, not one by one).
fn is_message_field(key: &str) -> bool {
    matches!(
        key,
        "type"
            | "userId"
            | "anonymousId"
            | "groupId"
            | "previousId"
            | "messageId"
            | "event"
            | "properties"
            | "traits"
            | "context"
            | "integrations"
            | "timestamp"
            | "originalTimestamp"
            | "sentAt"
            | "receivedAt"
    )
}

/// The top-level field that `key` nearly is: `userID` and `user_id` give `userId`.
pub(crate) fn message_field(key: &str) -> Option<&'static str> {
    // Most keys the rules ask about are Segment's own, spelled right: no folding for those.
    if is_message_field(key) {
        return None;
    }
    near(key, |folded| {
        Some(match folded {
            b"type" => "type",
            b"userid" => "userId",
            b"anonymousid" => "anonymousId",
            b"groupid" => "groupId",
            b"previousid" => "previousId",
            b"messageid" => "messageId",
            b"event" => "event",
            b"properties" => "properties",
            b"traits" => "traits",
            b"context" => "context",
            b"integrations" => "integrations",
            b"timestamp" => "timestamp",
            b"originaltimestamp" => "originalTimestamp",
            b"sentat" => "sentAt",
            b"receivedat" => "receivedAt",
            _ => return None,
        })
    })
}

/// The reserved trait or property that `key` nearly is: `firstname` and `first_name` give
/// `firstName`, `e-mail` gives `email`. The Spec spells them in camelCase; the snake_case forms
/// the reserved tables also check are near misses of these.
pub(crate) fn reserved(key: &str) -> Option<&'static str> {
    // Most of the keys the checks ask about are reserved names spelled as the Spec spells them:
    // no folding for those. The snake_case names of the tables (`created_at`) are near misses of
    // camelCase ones (a test holds this to the folded names).
    if super::reserved::is_reserved(key) && !key.contains('_') {
        return None;
    }
    near(key, reserved_folded)
}

/// Whether `key` folds to a reserved name: [`reserved`] for a key that is none itself.
pub(crate) fn folds_to_reserved(key: &str) -> bool {
    near(key, reserved_folded).is_some()
}

/// The reserved name with this folded form.
fn reserved_folded(folded: &[u8]) -> Option<&'static str> {
    Some(match folded {
        b"address" => "address",
        b"age" => "age",
        b"avatar" => "avatar",
        b"birthday" => "birthday",
        b"company" => "company",
        b"createdat" => "createdAt",
        b"description" => "description",
        b"email" => "email",
        b"employees" => "employees",
        b"firstname" => "firstName",
        b"gender" => "gender",
        b"id" => "id",
        b"industry" => "industry",
        b"lastname" => "lastName",
        b"name" => "name",
        b"phone" => "phone",
        b"plan" => "plan",
        b"title" => "title",
        b"username" => "username",
        b"website" => "website",
        b"currency" => "currency",
        b"revenue" => "revenue",
        b"value" => "value",
        _ => return None,
    })
}

/// The hint that names the closest of `names` to `wanted` ([`closest`]): `did you mean "X"?`.
pub fn did_you_mean<'n>(wanted: &str, names: impl IntoIterator<Item = &'n str>) -> Option<String> {
    closest(wanted, names).map(|name| format!("did you mean \"{name}\"?"))
}

/// The closest of `names` to `wanted`: the same name but for case and separators, else one
/// within a small edit distance (a third of the name's length, at most 3). `Order Completed` for
/// `order_completed` or `Order Complted`.
pub fn closest<'n>(wanted: &str, names: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let folded = |text: &str| -> String {
        text.chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ')).flat_map(char::to_lowercase).collect()
    };
    let wanted_folded = folded(wanted);
    let budget = (wanted_folded.chars().count() / 3).min(3);
    let mut best: Option<(usize, &'n str)> = None;
    for name in names {
        if name == wanted {
            continue;
        }
        let distance = edit_distance(&wanted_folded, &folded(name), budget);
        if distance.is_some_and(|d| best.is_none_or(|(b, _)| d < b)) {
            best = distance.map(|d| (d, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance by characters, or `None` past `budget` (names are short; long ones are
/// cut off early).
fn edit_distance(a: &str, b: &str, budget: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > budget || a.len() > 200 || b.len() > 200 {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut row_min = usize::MAX;
        for (slot, value) in current.iter_mut().enumerate() {
            *value = if slot == 0 {
                i + 1
            } else {
                let cb = b.get(slot - 1);
                let substitution = previous.get(slot - 1).map_or(usize::MAX, |d| d + usize::from(cb != Some(ca)));
                let deletion = previous.get(slot).map_or(usize::MAX, |d| d + 1);
                substitution.min(deletion)
            };
            row_min = row_min.min(*value);
        }
        for slot in 1..current.len() {
            let insertion = current.get(slot - 1).map_or(usize::MAX, |d| d + 1);
            if let Some(value) = current.get_mut(slot) {
                *value = (*value).min(insertion);
            }
        }
        if row_min > budget {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().filter(|distance| *distance <= budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_field_names_the_field_a_key_nearly_is() {
        assert_eq!(message_field("userID"), Some("userId"));
        assert_eq!(message_field("anonymous_id"), Some("anonymousId"));
        assert_eq!(message_field("userId"), None);
        assert_eq!(message_field("writeKey"), None);
    }

    /// Every key of the reserved tables (`is_reserved`), snake_case ones too.
    const RESERVED_KEYS: [&str; 26] = [
        "address",
        "age",
        "avatar",
        "birthday",
        "company",
        "createdAt",
        "created_at",
        "description",
        "email",
        "employees",
        "firstName",
        "first_name",
        "gender",
        "id",
        "industry",
        "lastName",
        "last_name",
        "name",
        "phone",
        "plan",
        "title",
        "username",
        "website",
        "currency",
        "revenue",
        "value",
    ];

    #[test]
    fn message_fields() {
        for (key, field) in [
            ("userID", "userId"),
            ("user_id", "userId"),
            ("UserId", "userId"),
            ("anonymousID", "anonymousId"),
            ("anonymous_id", "anonymousId"),
            ("groupID", "groupId"),
            ("messageID", "messageId"),
            ("message_id", "messageId"),
            ("Event", "event"),
            ("Properties", "properties"),
            ("Traits", "traits"),
            ("Type", "type"),
            ("sent_at", "sentAt"),
        ] {
            assert_eq!(message_field(key), Some(field), "{key}");
        }
        for key in ["userId", "writeKey", "_metadata", "email", "version", "", "ü", &"x".repeat(100)] {
            assert_eq!(message_field(key), None, "{key}");
        }
    }

    #[test]
    fn every_name_is_matched_by_its_folded_form() {
        for field in MESSAGE_FIELDS {
            assert!(is_message_field(field), "{field}");
            assert_eq!(message_field(field), None, "{field}");
            assert_eq!(message_field(&field.to_uppercase()), Some(field), "{field}");
        }
        for name in
            ["createdAt", "firstName", "lastName", "email", "revenue", "currency", "value", "employees", "website"]
        {
            assert_eq!(reserved(name), None, "{name}");
            assert_eq!(reserved(&name.to_uppercase()), Some(name), "{name}");
        }
        // Every reserved key of the tables, snake_case ones too, is found by its upper-case form.
        for key in RESERVED_KEYS {
            assert!(super::super::reserved::is_reserved(key));
            assert!(reserved(&key.to_uppercase()).is_some(), "{key}");
        }
    }

    #[test]
    fn reserved_names_spelled_right_are_no_near_misses() {
        for key in RESERVED_KEYS {
            assert!(super::super::reserved::is_reserved(key), "{key}");
            // The early answer for names spelled right is what folding them gives.
            assert_eq!(reserved(key), near(key, reserved_folded), "{key}");
            assert_eq!(reserved(key).is_some(), key.contains('_'), "{key}");
        }
    }

    #[test]
    fn reserved_names() {
        for (key, name) in [
            ("firstname", "firstName"),
            ("first_name", "firstName"),
            ("e-mail", "email"),
            ("E-Mail", "email"),
            ("created_at", "createdAt"),
            ("Revenue", "revenue"),
        ] {
            assert_eq!(reserved(key), Some(name), "{key}");
        }
        for key in ["firstName", "email", "plan_type", "emails"] {
            assert_eq!(reserved(key), None, "{key}");
        }
    }

    #[test]
    fn closest_names() {
        let plan = ["Order Completed", "Product Viewed", "Signed Up"];
        assert_eq!(closest("order_completed", plan), Some("Order Completed"));
        assert_eq!(closest("Order Complted", plan), Some("Order Completed"));
        assert_eq!(closest("signed up", plan), Some("Signed Up"));
        assert_eq!(closest("Checkout Started", plan), None);
        assert_eq!(closest("Order Completed", plan), None);
        let calls = ["identify", "group", "track", "page", "screen", "alias", "delete"];
        assert_eq!(closest("Track", calls), Some("track"));
        assert_eq!(closest("identity", calls), Some("identify"));
        assert_eq!(closest("x", calls), None);
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
    }
}
