//! A report as the command prints it: `text` for a person, `github` as workflow annotations
//! (`::error file=...,line=...::...`), `json` as [`Report::to_json`].

use std::fmt::Write;

use super::report::{Report, Severity};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Totals, a table of codes and of events, the examples.
    Text,
    /// The report's JSON.
    Json,
    /// GitHub Actions workflow commands (one annotation per example), then the text.
    Github,
}

impl Format {
    /// The format with this name (`text`, `json`, `github`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// How many events the text lists (most messages first); JSON lists them all.
const TEXT_EVENTS: usize = 25;

impl Report {
    /// The report printed in `format`, ending with a line feed.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.to_text(),
            Format::Json => self.to_json() + "\n",
            Format::Github => self.annotations() + &self.to_text(),
        }
    }

    /// For a person: the totals, then the codes, the events and the examples.
    ///
    /// ```
    /// use astrolabe_segment::check::Report;
    /// let report = Report::from_json(r#"{"files": 1, "messages": 3, "mapped": 2, "invalid": 1}"#)?;
    /// assert!(report.to_text().starts_with("3 messages in 1 file: 2 mapped, 0 skipped, 1 invalid; 0 unreadable\n"));
    /// # Ok::<(), String>(())
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} in {}: {} mapped, {} skipped, {} invalid; {} unreadable",
            counted(self.messages, "message"),
            counted(self.files, "file"),
            grouped(self.mapped),
            grouped(self.skipped),
            grouped(self.invalid),
            grouped(self.unreadable),
        );
        if !self.codes.is_empty() {
            let mut codes: Vec<(&String, &u64)> = self.codes.iter().collect();
            codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let width = codes.iter().map(|(code, _)| code.len()).max().unwrap_or(0).max(4);
            let _ = writeln!(out, "\n{:<width$}  {:>12}", "code", "issues");
            for (code, count) in codes {
                let _ = writeln!(out, "{code:<width$}  {:>12}", grouped(*count));
            }
        }
        if !self.events.is_empty() {
            let mut events: Vec<_> = self.events.iter().collect();
            events.sort_by(|a, b| b.1.messages.cmp(&a.1.messages).then(a.0.cmp(b.0)));
            let shown = events.len().min(TEXT_EVENTS);
            let width = events.iter().take(shown).map(|(name, _)| name.chars().count()).max().unwrap_or(0).max(11);
            let _ = writeln!(out, "\n{:<width$}  {:>12}  {:>12}", "track event", "messages", "invalid");
            for (name, count) in events.iter().take(shown) {
                let _ =
                    writeln!(out, "{name:<width$}  {:>12}  {:>12}", grouped(count.messages), grouped(count.invalid));
            }
            if events.len() > shown {
                let _ = writeln!(
                    out,
                    "... and {} more (--format json lists every event)",
                    grouped((events.len() - shown) as u64)
                );
            }
        }
        if self.examples.values().any(|examples| !examples.is_empty()) {
            out.push_str("\nexamples\n");
            for (code, examples) in &self.examples {
                if examples.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "{code}");
                for example in examples {
                    let line = example.line.map_or(String::new(), |line| format!(":{line}"));
                    let path = if example.path.is_empty() { String::new() } else { format!(" {}", example.path) };
                    let _ = writeln!(out, "  {}{line}{path}: {}", example.file, example.message);
                }
            }
        }
        out.push('\n');
        out.push_str(&self.verdict());
        out
    }

    /// The last line of the text: whether the check passed, and why not.
    fn verdict(&self) -> String {
        if self.passed() {
            return "ok: no invalid message, nothing unreadable\n".to_owned();
        }
        let mut failed = Vec::new();
        if self.invalid > 0 {
            failed.push(counted(self.invalid, "invalid message"));
        }
        if self.unreadable > 0 {
            failed.push(format!("{} unreadable", grouped(self.unreadable)));
        }
        format!("failed: {}\n", failed.join(" and "))
    }

    /// One workflow command per example: `::error` for errors, `::warning` for warnings,
    /// `::notice` for skip reasons.
    fn annotations(&self) -> String {
        let mut out = String::new();
        for (code, examples) in &self.examples {
            for example in examples {
                let command = match example.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Skip => "notice",
                };
                let mut properties = Vec::new();
                if example.file != "-" {
                    properties.push(format!("file={}", escape_property(&example.file)));
                }
                if let Some(line) = example.line {
                    properties.push(format!("line={line}"));
                }
                properties.push(format!("title={}", escape_property(&format!("astrolabe-segment {code}"))));
                let path = if example.path.is_empty() { String::new() } else { format!("{}: ", example.path) };
                let _ = writeln!(
                    out,
                    "::{command} {}::{}",
                    properties.join(","),
                    escape_data(&format!("{path}{}", example.message))
                );
            }
        }
        out
    }
}

/// `1,234,567`.
pub(crate) fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `1 file`, `2 files`.
pub(crate) fn counted(number: u64, noun: &str) -> String {
    format!("{} {noun}{}", grouped(number), if number == 1 { "" } else { "s" })
}

/// A workflow command's message, escaped as GitHub's toolkit does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub's toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report::from_json(
            r#"{"files": 2, "messages": 1234, "mapped": 1200, "skipped": 0, "invalid": 34, "unreadable": 1,
                "codes": {"missing_event": 30, "invalid_json": 1, "id_coerced": 4},
                "events": {"Paid": {"messages": 900, "invalid": 30}, "Signed Up": {"messages": 300, "invalid": 0}},
                "examples": {
                  "missing_event": [{"file": "logs/a,b.ndjson", "line": 3, "path": "/batch/0/event", "message": "A track call needs an event.\nSend one.", "severity": "error"}],
                  "id_coerced": [{"file": "-", "line": 9, "path": "/userId", "message": "userId is a number (100%).", "severity": "warning"}],
                  "invalid_json": [{"file": "b.ndjson", "line": null, "path": "", "message": "Broken.", "severity": "error"}]
                }}"#,
        )
        .unwrap()
    }

    #[test]
    fn text_is_for_a_person() {
        let text = report().to_text();
        assert!(
            text.starts_with("1,234 messages in 2 files: 1,200 mapped, 0 skipped, 34 invalid; 1 unreadable\n"),
            "{text}"
        );
        assert!(
            text.contains("\ncode                 issues\nmissing_event            30\nid_coerced                4\n"),
            "{text}"
        );
        assert!(text.contains("\nPaid                  900            30\n"), "{text}");
        assert!(
            text.contains("\n  logs/a,b.ndjson:3 /batch/0/event: A track call needs an event.\nSend one.\n"),
            "{text}"
        );
        assert!(text.contains("\n  b.ndjson: Broken.\n"), "{text}");
        assert!(text.ends_with("\nfailed: 34 invalid messages and 1 unreadable\n"), "{text}");
        assert!(Report::default().to_text().ends_with("\nok: no invalid message, nothing unreadable\n"));
    }

    #[test]
    fn github_annotations_are_escaped() {
        let text = report().render(Format::Github);
        assert!(text.contains("::error file=logs/a%2Cb.ndjson,line=3,title=astrolabe-segment missing_event::/batch/0/event: A track call needs an event.%0ASend one.\n"), "{text}");
        assert!(
            text.contains(
                "::warning line=9,title=astrolabe-segment id_coerced::/userId: userId is a number (100%25).\n"
            ),
            "{text}"
        );
        assert!(text.contains("::error file=b.ndjson,title=astrolabe-segment invalid_json::Broken.\n"), "{text}");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!([0, 999, 1000, 1_234_567].map(grouped), ["0", "999", "1,000", "1,234,567"]);
        assert_eq!(Format::from_name("github"), Some(Format::Github));
        assert_eq!(Format::from_name("xml"), None);
    }
}
