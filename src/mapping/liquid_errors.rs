//! Liquid errors in our words. `liquid-core` reports a syntax error as pest's excerpt (ASCII art,
//! then grammar rule names such as `expected NilLiteral`) and adds a `with:` trace listing every
//! tag and filter, the ones mapping-kit disables included. A mapping author gets one line in
//! liquidjs's style instead, as mapping-kit would give: what is wrong, then `line:L, col:C` in the
//! template.

/// One line for a `liquid-core` error: what is wrong and, when the error has one, where.
pub(super) fn in_our_words(raw: &str) -> String {
    let text = raw.trim().strip_prefix("liquid:").unwrap_or(raw).trim();
    let location = location_of(text);
    let headline = headline_of(text);
    let with = |key: &str| with_value(text, key);
    let what = if let Some(rest) = headline.strip_prefix("Unclosed block.") {
        let expected = rest.trim().trim_end_matches('.').trim_end_matches(" tag expected");
        format!("block not closed: {expected} expected")
    } else if headline.starts_with("Unknown tag") {
        match with("requested") {
            Some(name) => format!("tag \"{name}\" not found here"),
            None => String::from("unknown tag"),
        }
    } else if headline.starts_with("Unknown filter") {
        match with("requested filter") {
            Some(name) => format!("undefined filter: {name}"),
            None => String::from("undefined filter"),
        }
    } else if let Some(rules) = headline.trim_end_matches('.').strip_suffix(" expected").filter(|r| !r.contains(' ')) {
        format!("expected {}", rules_in_words(rules))
    } else if let (Some(filter), Some(cause)) = (with("filter"), with("cause")) {
        // `filter=divided_by: 0`: the filter as written; its name is enough.
        let name = filter.split(':').next().unwrap_or_default().trim();
        format!("filter \"{name}\": {}", lowercase_first(cause))
    } else if let Some((before, rules)) = split_expected(headline) {
        // `unexpected FilterChain` names a grammar rule, not what was typed.
        let before =
            if before.starts_with("unexpected \"") || before.is_empty() { before } else { "unexpected input; " };
        format!("{before}expected {}", rules_in_words(rules))
    } else if let Some(cause) = with("cause") {
        format!("{}: {}", headline.trim_end_matches('.'), lowercase_first(cause))
    } else {
        headline.trim_end_matches('.').to_string()
    };
    match location {
        Some((line, col)) => format!("{what}, line:{line}, col:{col}"),
        None => what,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// `--> 2:6` in pest's excerpt: line and column, both 1-based.
fn location_of(text: &str) -> Option<(u32, u32)> {
    let after = text.split("--> ").nth(1)?;
    let spot = after.split_whitespace().next()?;
    let (line, col) = spot.split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// The sentence itself: pest's `= …` line, or the first line of a plain error.
fn headline_of(text: &str) -> &str {
    text.lines()
        .find_map(|line| line.trim_start().strip_prefix("= "))
        .unwrap_or_else(|| text.lines().next().unwrap_or_default())
        .trim()
}

/// A `key=value` line of the `with:` trace.
fn with_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines().find_map(|line| line.trim().strip_prefix(key)?.strip_prefix('=')).map(str::trim)
}

/// `expected A, B or C` (optionally after `unexpected X; `): what comes before, and the list.
fn split_expected(headline: &str) -> Option<(&str, &str)> {
    if let Some(rules) = headline.strip_prefix("expected ") {
        return Some(("", rules));
    }
    let at = headline.find("; expected ")? + "; ".len();
    Some((headline.get(..at)?, headline.get(at + "expected ".len()..)?))
}

/// Grammar rule names as what a person would type there, each named once.
fn rules_in_words(rules: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    for rule in rules.split(", ").flat_map(|part| part.split(" or ")) {
        let word = match rule.trim().trim_start_matches("or ") {
            "Identifier" => "a name",
            "Variable" => "a variable",
            "Filter" => "a filter",
            "Range" => "a range",
            "TagInner" => "a tag name",
            "EOI" => "the end of the template",
            "Expression" | "Tag" | "Raw" | "InvalidLiquid" => "text or markup",
            "Value"
            | "Literal"
            | "FilterChain"
            | "ExpressionInner"
            | "PositionalFilterArgument"
            | "KeywordFilterArgument" => "a value",
            other if other.ends_with("Literal") => "a value",
            other => other,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::from("something else"),
    }
}

/// The first `{{` or `{%` that is never closed, as liquidjs reports it: liquid-core's own report
/// points somewhere inside the markup and names a grammar rule.
pub(super) fn unclosed(source: &str) -> Option<String> {
    let markup = super::liquid::markups(source).find(|markup| !markup.closed)?;
    let from = source.get(markup.at..).unwrap_or_default();
    let shown: String = from.chars().take(24).collect();
    let kind = if markup.is_tag { "tag" } else { "output" };
    let more = if from.chars().nth(24).is_some() { "…" } else { "" };
    Some(format!("{kind} \"{shown}{more}\" not closed, {}", super::liquid::position(source, markup.at)))
}

#[cfg(test)]
mod tests {
    use super::super::liquid::LiquidTemplate;

    fn error(template: &str) -> String {
        LiquidTemplate::compile(template).err().unwrap_or_default()
    }

    #[test]
    fn syntax_errors_are_one_line_with_line_and_column() {
        for (template, expected) in [
            ("{{ a | }}", "expected a name, line:1, col:8"),
            ("{{ }}", "expected a value, line:1, col:4"),
            ("{% if %}x{% endif %}", "expected a value, line:1, col:6"),
            ("{{ 'x' | plus: }}", "expected a name or a value, line:1, col:16"),
            ("line1\n  {{ a b }}", "expected a value, line:2, col:6"),
            ("{% assign = 1 %}", "unexpected \"=\"; expected a name, line:1, col:11"),
            ("{% if a > %}x{% endif %}", "expected a value, line:1, col:10"),
            ("{% if a %}x", "block not closed: {% endif %} expected, line:1, col:12"),
            ("{% nosuchtag %}", "tag \"nosuchtag\" not found here, line:1, col:4"),
            ("{% if a %}{% else %}{% else %}{% endif %}", "tag \"else\" not found here, line:1, col:24"),
            ("{{ a | nosuch }}", "undefined filter: nosuch"),
            ("{{ a | slice }}", "filter \"slice\": expected at least 1 positional argument"),
            ("{{ 'x' | date: 5, 6 }}", "filter \"date\": expected at most 1 positional argument"),
            ("{{ a | join: 1: 2 }}", "expected a name or a value, line:1, col:14"),
            ("{% assign x = a | nosuch %}", "unexpected input; expected a value, line:1, col:15"),
            ("{{ a", "output \"{{ a\" not closed, line:1, col:1"),
            ("x{% cycle g: %}", "tag \"cycle\" needs at least one value, line:1, col:2"),
            ("{%- cycle 'g' : -%}", "tag \"cycle\" needs at least one value, line:1, col:1"),
            ("ok {{ a }}\n{% if a", "tag \"{% if a\" not closed, line:2, col:1"),
        ] {
            assert_eq!(error(template), expected, "{template}");
        }
    }

    #[test]
    fn a_cycle_with_values_still_compiles() {
        for template in ["{% cycle 'a', 'b' %}", "{% cycle g: 'a', 'b' %}", "{% cycle 'x:y' %}", "{% cycle \"g\": 1 %}"]
        {
            assert!(LiquidTemplate::compile(template).is_ok(), "{template}");
        }
    }

    #[test]
    fn no_error_shows_pest_or_the_disabled_tags() {
        for template in [
            "{{ a | }}",
            "{% nosuchtag %}",
            "{{ a | nosuch }}",
            "{% if a %}{% else %}{% else %}{% endif %}",
            "{% if a == %}x{% endif %}",
            "{{ (1..) }}",
            "{{ a[ }}",
            "{% assign %}",
            "{% capture %}{% endcapture %}",
            "{% if a %}{% endunless %}",
        ] {
            let message = error(template);
            assert!(!message.is_empty(), "{template} compiled");
            for leak in ["-->", "\n", "Literal", "Identifier", "available", "with:", "liquid:"] {
                assert!(!message.contains(leak), "{template}: {message}");
            }
        }
    }
}
