//! Two plans' rules matched (by call type, event name and the version a message asks for), their
//! settings compared, and what a rule that comes or goes does to its messages.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::compare::{self, Note};
use super::{Found, Kind};
use crate::plan::rules::{PlanConfig, UnplannedEvents, UnplannedProperties, Violations};
use crate::plan::schema::planned_names;
use crate::pointer::Pointer;

/// A plan in the Public API's rules form, as [`convert`](crate::plan::convert) wrote it, read into
/// its rules by call type.
struct Plan<'p> {
    settings: PlanConfig,
    name: Option<&'p Value>,
    common: Option<&'p Value>,
    identify: Option<&'p Value>,
    group: Option<&'p Value>,
    page: Option<&'p Value>,
    screen: Option<&'p Value>,
    /// Each event's versions and schemas, oldest first.
    track: BTreeMap<&'p str, Vec<(u64, &'p Value)>>,
}

static ANY: Value = Value::Bool(true);

impl<'p> Plan<'p> {
    /// The rules of a converted plan (which the engine compiled: one rule per call type and event
    /// version, each with its `jsonSchema`).
    fn read(plan: &'p Value) -> Plan<'p> {
        let mut read = Plan {
            settings: match plan {
                Value::Object(members) => PlanConfig::from_map(members, &mut Vec::new()),
                _ => PlanConfig::from_map(&serde_json::Map::new(), &mut Vec::new()),
            },
            name: plan.get("name"),
            common: None,
            identify: None,
            group: None,
            page: None,
            screen: None,
            track: BTreeMap::new(),
        };
        for rule in plan.get("rules").and_then(Value::as_array).into_iter().flatten() {
            let schema = rule.get("jsonSchema").unwrap_or(&ANY);
            let slot = match rule.get("type").and_then(Value::as_str) {
                Some("TRACK") => {
                    let key = rule.get("key").and_then(Value::as_str).unwrap_or_default();
                    let version = rule.get("version").and_then(Value::as_u64).unwrap_or(1);
                    let versions = read.track.entry(key).or_default();
                    let at = versions.partition_point(|(known, _)| *known < version);
                    versions.insert(at, (version, schema));
                    continue;
                }
                Some("COMMON") => &mut read.common,
                Some("IDENTIFY") => &mut read.identify,
                Some("GROUP") => &mut read.group,
                Some("PAGE") => &mut read.page,
                Some("SCREEN") => &mut read.screen,
                _ => continue,
            };
            *slot = Some(schema);
        }
        read
    }
}

/// Where changes go, each with its rule.
struct Out {
    found: Vec<Found>,
}

impl Out {
    fn add(&mut self, rule: &Rule, kind: Kind, path: &str, change: String, reason: String) {
        let seq = self.found.len();
        self.found.push(Found {
            kind,
            order: rule.order.clone(),
            rule: rule.label.clone(),
            path: path.to_owned(),
            change,
            reason,
            seq,
        });
    }

    fn notes(&mut self, rule: &Rule, notes: Vec<Note>) {
        for note in notes {
            self.add(rule, note.kind, &note.path, note.change, note.reason);
        }
    }
}

/// A rule's name and place in the order of rules.
struct Rule {
    label: String,
    order: (u8, String, u64, u64),
}

impl Rule {
    fn new(rank: u8, label: &str) -> Rule {
        Rule { label: label.to_owned(), order: (rank, String::new(), 0, 0) }
    }
}

/// Every change between two converted plans, unsorted.
pub(super) fn compare_plans(old: &Value, new: &Value) -> Vec<Found> {
    let (old, new) = (Plan::read(old), Plan::read(new));
    let mut out = Out { found: Vec::new() };
    settings(&old, &new, &mut out);

    let common = Rule::new(1, "COMMON");
    match (old.common, new.common) {
        (Some(before), Some(after)) => out.notes(&common, compare::rule(before, after)),
        (None, Some(after)) if compare::accepts_all(after) => {
            out.add(&common, Kind::Additive, "", "rule added".to_owned(), "its schema accepts every message".to_owned())
        }
        (None, Some(_)) => out.add(
            &common,
            Kind::Breaking,
            "",
            "rule added".to_owned(),
            "identify, group and track messages were not checked against a COMMON rule; now each must match it"
                .to_owned(),
        ),
        (Some(_), None) => out.add(
            &common,
            Kind::Additive,
            "",
            "rule removed".to_owned(),
            "messages are no longer checked against it".to_owned(),
        ),
        (None, None) => {}
    }

    for (rank, label, field, before, after) in
        [(2, "IDENTIFY", "traits", old.identify, new.identify), (3, "GROUP", "traits", old.group, new.group)]
    {
        let rule = Rule::new(rank, label);
        let call = label.to_lowercase();
        match (before, after) {
            (Some(before), Some(after)) => {
                out.notes(&rule, compare::rule(before, after));
                planned(&old, &new, (before, after), field, &rule, &mut out);
            }
            (None, Some(after)) => {
                let (kind, reason) = if !compare::accepts_all(after) {
                    (Kind::Breaking, format!("{call} calls were not checked against a rule; now each must match it"))
                } else if new.settings.unplanned_properties == UnplannedProperties::Omit {
                    (
                        Kind::Breaking,
                        "under unplannedProperties: \"omit\", traits it does not name are now dropped".to_owned(),
                    )
                } else {
                    (Kind::Additive, "its schema accepts every message".to_owned())
                };
                out.add(&rule, kind, "", "rule added".to_owned(), reason);
            }
            (Some(_), None) => out.add(
                &rule,
                Kind::Additive,
                "",
                "rule removed".to_owned(),
                format!("{call} calls are no longer checked against a rule"),
            ),
            (None, None) => {}
        }
    }

    let events: BTreeSet<&str> = old.track.keys().chain(new.track.keys()).copied().collect();
    for event in events {
        match (old.track.get(event), new.track.get(event)) {
            (Some(before), Some(after)) => versions(&old, &new, event, before, after, &mut out),
            (None, Some(after)) => event_added(&old, &new, event, after, &mut out),
            (Some(before), None) => event_removed(&new, event, before, &mut out),
            (None, None) => {}
        }
    }

    for (rank, label, before, after) in [(5, "PAGE", old.page, new.page), (6, "SCREEN", old.screen, new.screen)] {
        if before != after {
            let change = match (before, after) {
                (None, _) => "rule added".to_owned(),
                (_, None) => "rule removed".to_owned(),
                _ => "rule changed".to_owned(),
            };
            let reason = format!(
                "Astrolabe does not consume {} calls: the rule is read and never applied",
                label.to_lowercase()
            );
            out.add(&Rule::new(rank, label), Kind::Neutral, "", change, reason);
        }
    }
    out.found
}

/// What a setting does, by value, loosest first.
fn settings(old: &Plan<'_>, new: &Plan<'_>, out: &mut Out) {
    let plan = Rule::new(0, "plan");
    if old.name != new.name {
        out.add(
            &plan,
            Kind::Neutral,
            "/name",
            super::keywords::changed("name", old.name, new.name),
            "the plan's name changes no answer".to_owned(),
        );
    }
    let (before, after) = (&old.settings, &new.settings);
    setting(
        out,
        &plan,
        "violations",
        Violations::NAMES,
        (before.violations, after.violations),
        "a message that breaks a rule",
        |value| match value {
            Violations::Allow => "let through with a warning",
            Violations::OmitProperties => "let through without the offending properties",
            Violations::Block => "refused",
        },
    );
    let events = (before.unplanned_events, after.unplanned_events);
    setting(out, &plan, "unplannedEvents", UnplannedEvents::NAMES, events, "a track event no rule names", |value| {
        match value {
            UnplannedEvents::Allow => "let through",
            UnplannedEvents::Warn => "let through with an unplanned_event warning",
            UnplannedEvents::Block => "refused",
        }
    });
    let properties = (before.unplanned_properties, after.unplanned_properties);
    setting(
        out,
        &plan,
        "unplannedProperties",
        UnplannedProperties::NAMES,
        properties,
        "a property or trait no rule names",
        |value| match value {
            UnplannedProperties::Allow => "kept",
            UnplannedProperties::Omit => "dropped from the operation, with a warning",
        },
    );
}

/// One setting, its values in `names` loosest first: a later value is stricter. `what` is what
/// the setting decides about, and `effect` what a value does to it.
fn setting<T: PartialEq + Copy>(
    out: &mut Out,
    plan: &Rule,
    key: &str,
    names: &[(&'static str, T)],
    (old, new): (T, T),
    what: &str,
    effect: impl Fn(T) -> &'static str,
) {
    if old == new {
        return;
    }
    let rank = |value: T| names.iter().position(|(_, known)| *known == value);
    let name = |value: T| names.iter().find(|(_, known)| *known == value).map_or("", |(name, _)| *name);
    let kind = if rank(new) > rank(old) { Kind::Breaking } else { Kind::Additive };
    let change = format!("{key}: {} → {}", Value::from(name(old)), Value::from(name(new)));
    out.add(plan, kind, &format!("/{key}"), change, format!("{what} was {} and is now {}", effect(old), effect(new)));
}

/// Under `unplannedProperties: "omit"` in both plans, the top-level names a rule (with COMMON)
/// plans: one no longer planned is dropped from messages that send it.
fn planned(old: &Plan<'_>, new: &Plan<'_>, (before, after): (&Value, &Value), field: &str, rule: &Rule, out: &mut Out) {
    let omit = UnplannedProperties::Omit;
    if old.settings.unplanned_properties != omit || new.settings.unplanned_properties != omit {
        return;
    }
    let names = |own: &Value, common: Option<&Value>| {
        let mut names = planned_names(own, field);
        if let Some(common) = common {
            names.extend(planned_names(common, field));
        }
        names
    };
    let (was, now) = (names(before, old.common), names(after, new.common));
    for name in was.difference(&now) {
        let path = Pointer::root().key("properties").key(field).key("properties").key(name);
        out.add(
            rule,
            Kind::Breaking,
            path.as_str(),
            format!("{} no longer planned", Value::from(name.as_str())),
            format!("under unplannedProperties: \"omit\", a {field} key no rule names is dropped from the operation"),
        );
    }
}

/// The pairs of versions of an event that messages meet: for each version a message may ask for
/// (`context.protocols.event_version`), the rule each plan checks it against (the oldest when
/// the plan lacks that version).
fn versions(
    old: &Plan<'_>,
    new: &Plan<'_>,
    event: &str,
    before: &[(u64, &Value)],
    after: &[(u64, &Value)],
    out: &mut Out,
) {
    let asked: BTreeSet<Option<u64>> =
        before.iter().chain(after).map(|(version, _)| Some(*version)).chain([None]).collect();
    let only_first = before.iter().chain(after).all(|(version, _)| *version == 1);
    let mut seen = BTreeSet::new();
    for wanted in asked {
        let (Some((old_version, old_schema)), Some((new_version, new_schema))) =
            (pick(before, wanted), pick(after, wanted))
        else {
            continue;
        };
        if !seen.insert((old_version, new_version)) {
            continue;
        }
        let mut label = format!("TRACK {event}");
        if !only_first {
            label.push_str(&format!(" v{new_version}"));
            if old_version != new_version {
                label.push_str(&format!(" (v{old_version} before)"));
            }
        }
        let rule = Rule { label, order: (4, event.to_owned(), new_version, old_version) };
        out.notes(&rule, compare::rule(old_schema, new_schema));
        planned(old, new, (old_schema, new_schema), "properties", &rule, out);
    }
}

fn event_added(old: &Plan<'_>, new: &Plan<'_>, event: &str, after: &[(u64, &Value)], out: &mut Out) {
    let rule = Rule { label: format!("TRACK {event}"), order: (4, event.to_owned(), 0, 0) };
    let keeps_properties = new.settings.unplanned_properties == UnplannedProperties::Allow;
    let accepts_all = after.iter().all(|(_, schema)| compare::accepts_all(schema));
    let (kind, reason) = match old.settings.unplanned_events {
        UnplannedEvents::Block => (Kind::Additive, "its messages were refused as unplanned events; now they are checked against the rule".to_owned()),
        _ if keeps_properties && accepts_all => (Kind::Additive, "its schema accepts every message".to_owned()),
        UnplannedEvents::Warn if keeps_properties && new.settings.violations == Violations::Allow => (
            Kind::Additive,
            "its messages were let through with an unplanned_event warning; now at worst with a plan_violation warning"
                .to_owned(),
        ),
        UnplannedEvents::Warn => (
            Kind::Breaking,
            "its messages were let through with an unplanned_event warning; now they must match the rule, and one that does not may lose properties or be refused".to_owned(),
        ),
        UnplannedEvents::Allow if !accepts_all => (
            Kind::Breaking,
            "its messages were let through as unplanned events (unplannedEvents: \"allow\"); now they must match the rule".to_owned(),
        ),
        UnplannedEvents::Allow => (
            Kind::Breaking,
            "under unplannedProperties: \"omit\", properties the rule does not name are now dropped".to_owned(),
        ),
    };
    out.add(&rule, kind, "", rule_added(after), reason);
}

fn event_removed(new: &Plan<'_>, event: &str, before: &[(u64, &Value)], out: &mut Out) {
    let rule = Rule { label: format!("TRACK {event}"), order: (4, event.to_owned(), 0, 0) };
    let (kind, reason) = match new.settings.unplanned_events {
        UnplannedEvents::Allow => (
            Kind::Additive,
            "its messages are now let through as unplanned events (unplannedEvents: \"allow\"), unchecked".to_owned(),
        ),
        UnplannedEvents::Warn => {
            (Kind::Breaking, "its messages now get an unplanned_event warning (unplannedEvents: \"warn\")".to_owned())
        }
        UnplannedEvents::Block => {
            (Kind::Breaking, "its messages are now refused as unplanned events (unplannedEvents: \"block\")".to_owned())
        }
    };
    let change = rule_added(before).replace("added", "removed");
    out.add(&rule, kind, "", change, reason);
}

/// The version of an event a message asking for `wanted` is checked against: that one, or the
/// oldest when the plan lacks it (or the message asks for none).
fn pick<'p>(versions: &[(u64, &'p Value)], wanted: Option<u64>) -> Option<(u64, &'p Value)> {
    versions.iter().find(|(version, _)| Some(*version) == wanted).or(versions.first()).copied()
}

/// `rule added`, or `rule added (v1, v2)` for an event with versions.
fn rule_added(versions: &[(u64, &Value)]) -> String {
    if versions.iter().all(|(version, _)| *version == 1) {
        return "rule added".to_owned();
    }
    let listed: Vec<String> = versions.iter().map(|(version, _)| format!("v{version}")).collect();
    format!("rule added ({})", listed.join(", "))
}
