//! Checking one message against a compiled [`TrackingPlan`].

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::Value;

use super::compile::CompiledRule;
use super::rules::{UnplannedEvents, UnplannedProperties, Violations};
use super::{describe, PlanCheck, TrackingPlan};
use crate::call::CallType;
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;
use crate::spec;

/// See [`TrackingPlan::check`].
pub(crate) fn check(
    plan: &TrackingPlan,
    message: &Value,
    call: CallType,
    event: Option<&str>,
    base: &Pointer,
) -> PlanCheck {
    let mut out = PlanCheck::default();
    let (own, field) = match call {
        CallType::Track => {
            (event.and_then(|event| plan.track.get(event)).and_then(|versions| pick(versions, message)), "properties")
        }
        CallType::Identify => (plan.identify.as_ref(), "traits"),
        CallType::Group => (plan.group.as_ref(), "traits"),
        _ => return out,
    };
    if let (CallType::Track, Some(event), None) = (call, event, own) {
        // "order_completed" for "Order Completed": the planned event it nearly is, if one is close.
        let hint = spec::near_miss::did_you_mean(event, plan.track.keys().map(String::as_str));
        let issue = || {
            Issue::new(Code::UnplannedEvent, &base.key("event"), describe::unplanned_event(event))
                .with_hint(hint.clone())
        };
        match plan.unplanned_events {
            UnplannedEvents::Allow => {}
            UnplannedEvents::Warn => out.warnings.push(issue()),
            UnplannedEvents::Block => out.errors.push(issue()),
        }
    }
    let mut report = Report { out: &mut out, base, field, violations: plan.violations };
    if let Some(common) = &plan.common {
        report.violations_of(common, message);
    }
    if let Some(own) = own {
        report.violations_of(own, message);
        if plan.unplanned_properties == UnplannedProperties::Omit {
            report.unplanned(own, message);
        }
    }
    out
}

/// For a string an `enum` or `const` refuses, the allowed string it nearly is ("usd" for "USD",
/// "Pro Plan" for "pro_plan").
fn enum_hint(error: &ValidationError<'_>) -> Option<String> {
    let Value::String(sent) = error.instance().as_ref() else { return None };
    let allowed: Vec<&str> = match error.kind() {
        ValidationErrorKind::Enum { options } => options.as_array()?.iter().filter_map(Value::as_str).collect(),
        ValidationErrorKind::Constant { expected_value } => vec![expected_value.as_str()?],
        _ => return None,
    };
    spec::near_miss::did_you_mean(sent, allowed)
}

/// The branch of an `anyOf`/`oneOf` that came closest, and its deepest error: the branch whose
/// deepest error lies deepest in the message (it matched the most of it), then the one with the
/// fewest errors, then the first.
fn closest_branch<'e>(context: &'e [Vec<ValidationError<'static>>]) -> Option<(usize, &'e ValidationError<'static>)> {
    let depth = |error: &ValidationError<'_>| error.instance_path().as_str().matches('/').count();
    context
        .iter()
        .enumerate()
        .filter_map(|(branch, errors)| {
            let deepest = errors.iter().max_by_key(|error| depth(error))?;
            Some((branch, deepest, depth(deepest), errors.len()))
        })
        .min_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)).then(a.0.cmp(&b.0)))
        .map(|(branch, deepest, _, _)| (branch, deepest))
}

/// The version `context.protocols.event_version` asks for; the oldest when it asks for none or
/// for one the plan does not have, as Protocols does.
fn pick<'a>(versions: &'a [(u64, CompiledRule)], message: &Value) -> Option<&'a CompiledRule> {
    let wanted = message.pointer("/context/protocols/event_version").and_then(Value::as_u64);
    versions.iter().find(|(version, _)| Some(*version) == wanted).or_else(|| versions.first()).map(|(_, rule)| rule)
}

/// Where issues go while one message is checked.
struct Report<'a> {
    out: &'a mut PlanCheck,
    base: &'a Pointer,
    /// `properties` (track) or `traits` (identify, group): whose top-level keys can be omitted.
    field: &'static str,
    violations: Violations,
}

impl Report<'_> {
    /// Every violation of one rule, each where the offending value is (for `required`: where the
    /// missing key would be).
    fn violations_of(&mut self, rule: &CompiledRule, message: &Value) {
        for error in rule.validator.iter_errors(message) {
            self.error(&error, &rule.label, None);
        }
    }

    /// One error of the schema crate as issues; `note` (which branch of an `anyOf`/`oneOf` it
    /// comes from) ends each sentence.
    fn error(&mut self, error: &ValidationError<'_>, label: &str, note: Option<&str>) {
        let at = error.instance_path().as_str();
        let here = || Pointer::from_escaped(format!("{}{at}", self.base));
        let noted = |text: String| match note {
            Some(note) => format!("{text}; {note}"),
            None => text,
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let keyword = error.kind().keyword();
                let parent = here();
                for key in unexpected {
                    let text = noted(describe::unexpected(key, keyword, label));
                    let omit = if at == self.field_pointer() { Some(key.clone()) } else { self.top_key(at) };
                    self.violation(parent.key(key), text, omit);
                }
            }
            ValidationErrorKind::Required { property: Value::String(key) } => {
                let text = noted(describe::missing(key, at, label));
                // The missing key itself cannot be omitted; the object that lacks it can.
                let omit = self.top_key(at);
                self.violation(here().key(key), text, omit);
            }
            // Not one issue per failed branch (the "must validate all the schemas" noise): the
            // branch that came closest, at its deepest error, naming the others briefly.
            ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context }
                if !context.is_empty() && note.is_none() =>
            {
                let keyword = error.kind().keyword();
                let Some((chosen, best)) = closest_branch(context) else { return };
                let others: Vec<String> = context
                    .iter()
                    .enumerate()
                    .filter(|(branch, _)| *branch != chosen)
                    .filter_map(|(branch, errors)| {
                        Some(format!("schema {}: {}", branch + 1, describe::brief(errors.first()?)))
                    })
                    .collect();
                let mut note = format!("under {keyword}, schema {} of {} came closest", chosen + 1, context.len());
                if !others.is_empty() {
                    note = format!("{note} ({})", others.join("; "));
                }
                self.error(best, label, Some(&note));
            }
            _ => {
                let text = noted(describe::violation(error, label));
                let omit = self.top_key(at);
                self.violation_hinted(here(), text, omit, enum_hint(error));
            }
        }
    }

    /// One violation, by the `violations` setting.
    fn violation(&mut self, path: Pointer, text: String, omit: Option<String>) {
        self.violation_hinted(path, text, omit, None);
    }

    /// One violation with a hint, when a fix can be named.
    fn violation_hinted(&mut self, path: Pointer, text: String, omit: Option<String>, hint: Option<String>) {
        let issue = Issue::new(Code::PlanViolation, &path, text).with_hint(hint);
        match self.violations {
            Violations::Block => self.out.errors.push(issue),
            Violations::Allow => self.out.warnings.push(issue),
            Violations::OmitProperties => {
                self.out.warnings.push(issue);
                if let Some(key) = omit {
                    self.omit(key);
                }
            }
        }
    }

    /// Top-level keys of `properties`/`traits` that the rule (with COMMON) does not name.
    fn unplanned(&mut self, rule: &CompiledRule, message: &Value) {
        let Some(Value::Object(values)) = message.get(self.field) else { return };
        for key in values.keys() {
            if !rule.planned.contains(key.as_str()) {
                let path = self.base.key(self.field).key(key);
                self.out.warnings.push(Issue::new(
                    Code::UnplannedProperty,
                    &path,
                    describe::unplanned(key, &rule.label),
                ));
                self.omit(key.clone());
            }
        }
    }

    fn omit(&mut self, key: String) {
        if !self.out.omit.contains(&key) {
            self.out.omit.push(key);
        }
    }

    fn field_pointer(&self) -> &'static str {
        if self.field == "properties" {
            "/properties"
        } else {
            "/traits"
        }
    }

    /// The top-level key of `properties`/`traits` an escaped pointer into the message is in.
    fn top_key(&self, at: &str) -> Option<String> {
        let rest = at.strip_prefix(self.field_pointer())?.strip_prefix('/')?;
        let token = rest.split('/').next().unwrap_or(rest);
        Some(token.replace("~1", "/").replace("~0", "~"))
    }
}
