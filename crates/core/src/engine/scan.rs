//! One pass over JSON text that checks it is JSON and records where things are, without
//! building values: each member and item of the containers near the root becomes an [`Entry`]
//! (its key, its text span, its kind), and every value is measured as `serde_json` would write
//! it compactly, which is what the size limits count.
//!
//! Text that is not JSON gives [`Broken`]: what is wrong and the byte offset where it was found,
//! for an issue with its line and column.

use crate::plain;

/// Why text is not JSON, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Broken {
    /// The byte offset of the first byte that could not be read.
    pub at: usize,
    /// What went wrong.
    pub problem: Problem,
}

/// What is wrong with text that is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A syntax error, as a phrase ("expected `:`").
    Syntax(&'static str),
    /// Containers nested past 128 levels, deeper than any message may be.
    TooDeep,
}

pub(super) use crate::spec::Kind;

/// An object member or array item. Offsets index the scanned text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// The key's text between its quotes (empty for array items).
    pub key: (u32, u32),
    /// The key holds escapes: read it decoded.
    pub key_escaped: bool,
    /// The value's text, from its first to one past its last byte.
    pub value: (u32, u32),
    pub kind: Kind,
    /// Nesting below this value: 0 for scalars, 1 for an object or array of scalars, and so on.
    pub height: u32,
    /// No whitespace between tokens and no escapes: the text is already what serde would write,
    /// numbers aside.
    pub clean: bool,
    /// The index of the next member or item of the same container, or [`NONE`].
    pub next: u32,
    /// The index of this container's first member or item, when its level was recorded.
    pub first: u32,
}

/// No entry.
pub(super) const NONE: u32 = u32::MAX;

/// Containers deeper than this (the root is level 1) are refused as a whole, as a parser with a
/// recursion limit would; below it, a message nested past its own 64 levels is refused at the
/// path of its first container too deep.
pub(super) const MAX_LEVEL: u32 = 128;

/// The scanned text: the root at index 0, then the members and items of every container up to
/// the recorded level, in document order (each container's children right after it).
#[derive(Debug, Default)]
pub(super) struct Tape {
    pub entries: Vec<Entry>,
    /// The deepest level whose containers had their children recorded, once the scan was done
    /// (see [`Depth::batch`]).
    pub levels: u32,
    /// A member of the root has a key written with escapes.
    pub escaped_root_key: bool,
}

/// How deep a scan records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Depth {
    /// Containers at levels up to this one have their members or items recorded (the root is
    /// level 1).
    pub levels: u32,
    /// From a member of the root spelled `batch` (without escapes) on, `levels` is this one: text
    /// that may be a message or a batch envelope is scanned once, its items recorded as deep as
    /// a message's members whichever it is.
    pub batch: u32,
}

impl Depth {
    /// Always `levels` deep.
    pub(super) fn fixed(levels: u32) -> Depth {
        Depth { levels, batch: levels }
    }
}

/// The most entries whose room a finished tape leaves for the next scan on its thread (about
/// 1.4 MB; a 500 KB batch needs some 20,000).
const SPARE_ENTRIES: usize = 32_768;

thread_local! {
    /// The room of the last tape dropped on this thread: most inputs are scanned one after the
    /// other, and taking the room back costs less than asking the allocator for it each time.
    static SPARE: std::cell::Cell<Vec<Entry>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Drop for Tape {
    fn drop(&mut self) {
        if self.entries.capacity() <= SPARE_ENTRIES {
            let mut entries = std::mem::take(&mut self.entries);
            entries.clear();
            // A thread being torn down has no spare to keep: the room is freed instead.
            let _ = SPARE.try_with(|spare| spare.set(entries));
        }
    }
}

impl Tape {
    /// Scans `text`, recording the children of containers as deep as `depth` says.
    pub(super) fn scan(text: &str, depth: Depth) -> Result<Tape, Broken> {
        if u32::try_from(text.len()).is_err() {
            return Err(Broken { at: 0, problem: Problem::Syntax("text too long") });
        }
        // About one recorded entry per 24 bytes of a typical message: no regrowth.
        let mut entries = SPARE.try_with(std::cell::Cell::take).unwrap_or_default();
        entries.reserve(text.len() / 24 + 8);
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            at: 0,
            entries,
            record: depth.levels,
            batch: depth.batch,
            escaped_root_key: false,
        };
        scanner.entries.push(Entry::placeholder());
        scanner.whitespace();
        let root = scanner.value(1, 0)?;
        scanner.whitespace();
        if scanner.at != scanner.bytes.len() {
            return Err(scanner.broken("trailing characters"));
        }
        scanner.fill(0, root);
        Ok(Tape {
            entries: std::mem::take(&mut scanner.entries),
            levels: scanner.record,
            escaped_root_key: scanner.escaped_root_key,
        })
    }

    /// The entry at `index`.
    pub(super) fn get(&self, index: u32) -> Option<&Entry> {
        self.entries.get(index as usize)
    }

    /// The members or items of the container at `index`, when its level was recorded.
    pub(super) fn children(&self, index: u32) -> Children<'_> {
        Children { tape: self, next: self.get(index).map_or(NONE, |entry| entry.first) }
    }
}

/// Iterates over one container's entries: `(index, entry)`.
pub(super) struct Children<'a> {
    tape: &'a Tape,
    next: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = (u32, &'a Entry);

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.next;
        let entry = self.tape.get(index)?;
        self.next = entry.next;
        Some((index, entry))
    }
}

impl Entry {
    fn placeholder() -> Entry {
        Entry {
            key: (0, 0),
            key_escaped: false,
            value: (0, 0),
            kind: Kind::Null,
            height: 0,
            clean: true,
            next: NONE,
            first: NONE,
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    entries: Vec<Entry>,
    record: u32,
    /// What `record` becomes at a root member named `batch` ([`Depth::batch`]).
    batch: u32,
    /// [`Tape::escaped_root_key`].
    escaped_root_key: bool,
}

/// A step into a container: a member's key (decoded) or an item's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// An object member.
    Key(String),
    /// An array item.
    Index(usize),
}

/// The steps from the start of `text` (JSON already scanned whole, standing at `level`) to its
/// first object or array past `limit` levels, in document order; `None` when there is none.
pub(super) fn too_deep(text: &str, level: u32, limit: u32) -> Option<Vec<Step>> {
    let mut scanner =
        Scanner { bytes: text.as_bytes(), at: 0, entries: Vec::new(), record: 0, batch: 0, escaped_root_key: false };
    let mut path = Vec::new();
    scanner.whitespace();
    scanner.deepest(level, limit, &mut path).ok()?.then_some(path)
}

impl Scanner<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips whitespace; says whether there was any. Most text has none between its tokens
    /// (`JSON.stringify`'s): a byte past the space settles it.
    #[inline(always)]
    fn whitespace(&mut self) -> bool {
        match self.peek() {
            Some(byte) if byte <= b' ' => self.skip_whitespace(),
            _ => false,
        }
    }

    fn skip_whitespace(&mut self) -> bool {
        let start = self.at;
        while self.peek().is_some_and(plain::is_whitespace) {
            self.at += 1;
        }
        self.at != start
    }

    /// A syntax error at the cursor.
    #[cold]
    fn broken(&self, what: &'static str) -> Broken {
        Broken { at: self.at, problem: Problem::Syntax(what) }
    }

    #[inline(always)]
    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), Broken> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.broken(what))
        }
    }

    /// The cursor as an offset: [`Tape::scan`] refuses text past `u32::MAX` bytes first, so it fits.
    #[inline(always)]
    fn offset(&self) -> u32 {
        self.at as u32
    }

    /// One value at `level` (the level it would have as a container). Its children are recorded
    /// when `level` is within the recorded levels; `parent` is the entry being filled for it.
    fn value(&mut self, level: u32, parent: u32) -> Result<Entry, Broken> {
        let start = self.offset();
        let mut entry = Entry::placeholder();
        match self.peek() {
            Some(b'{') => self.object(level, parent, &mut entry)?,
            Some(b'[') => self.array(level, parent, &mut entry)?,
            _ => return self.scalar(),
        }
        entry.value = (start, self.offset());
        Ok(entry)
    }

    /// A string, number, boolean or `null` at the cursor.
    #[cfg_attr(feature = "speed", inline(always))]
    fn scalar(&mut self) -> Result<Entry, Broken> {
        let start = self.offset();
        let (kind, clean) = match self.peek().ok_or_else(|| self.broken("expected a value"))? {
            b'"' => (Kind::String, !self.string()?),
            b't' => (Kind::Bool, self.literal(b"true").map(|()| true)?),
            b'f' => (Kind::Bool, self.literal(b"false").map(|()| true)?),
            b'n' => (Kind::Null, self.literal(b"null").map(|()| true)?),
            _ => (Kind::Number, self.number().map(|()| true)?),
        };
        Ok(Entry {
            key: (0, 0),
            key_escaped: false,
            value: (start, self.offset()),
            kind,
            height: 0,
            clean,
            next: NONE,
            first: NONE,
        })
    }

    /// A member or item at the cursor, at `level + 1`: recorded, linked after `previous` under
    /// `parent`, when its container is (`record`). A scalar is pushed whole; a container's slot
    /// is taken first, so that its own children come after it.
    #[cfg_attr(feature = "speed", inline(always))]
    fn child(
        &mut self,
        level: u32,
        record: bool,
        parent: u32,
        previous: &mut u32,
        key: (u32, u32),
        key_escaped: bool,
    ) -> Result<Entry, Broken> {
        if let Some(b'{' | b'[') = self.peek() {
            let slot = self.reserve(record, parent, previous);
            let mut entry = self.value(level + 1, slot)?;
            entry.key = key;
            entry.key_escaped = key_escaped;
            self.fill(slot, entry);
            return Ok(entry);
        }
        let mut entry = self.scalar()?;
        entry.key = key;
        entry.key_escaped = key_escaped;
        self.push(record, parent, previous, entry);
        Ok(entry)
    }

    /// The literal `word` at the cursor.
    fn literal(&mut self, word: &[u8]) -> Result<(), Broken> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end) != Some(word) {
            return Err(self.broken("expected a value"));
        }
        self.at = end;
        Ok(())
    }

    /// An object or array at the cursor (`close` is its closing byte): its members or items are
    /// read by `item`.
    fn container(
        &mut self,
        level: u32,
        close: u8,
        entry: &mut Entry,
        mut item: impl FnMut(&mut Self, &mut Entry, &mut u32) -> Result<(), Broken>,
    ) -> Result<(), Broken> {
        if level > MAX_LEVEL {
            return Err(Broken { at: self.at, problem: Problem::TooDeep });
        }
        entry.height = 1;
        self.at += 1;
        let mut previous = NONE;
        entry.clean = !self.whitespace();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(());
        }
        loop {
            item(self, entry, &mut previous)?;
            entry.clean &= !self.whitespace();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    entry.clean &= !self.whitespace();
                }
                Some(byte) if byte == close => {
                    self.at += 1;
                    return Ok(());
                }
                _ => {
                    return Err(self.broken(if close == b'}' { "expected `,` or `}`" } else { "expected `,` or `]`" }))
                }
            }
        }
    }

    fn object(&mut self, level: u32, parent: u32, entry: &mut Entry) -> Result<(), Broken> {
        entry.kind = Kind::Object;
        let record = level <= self.record;
        self.container(level, b'}', entry, |this, entry, previous| {
            if this.peek() != Some(b'"') {
                return Err(this.broken("key must be a string"));
            }
            let key_start = this.offset() + 1;
            let escaped = this.string()?;
            let key_end = this.offset() - 1;
            entry.clean &= !escaped & !this.whitespace();
            this.expect(b':', "expected `:`")?;
            entry.clean &= !this.whitespace();
            if level == 1 {
                this.escaped_root_key |= escaped;
                if key_end - key_start == 5 && this.batch > this.record && this.is_batch_key(key_start) {
                    this.record = this.batch;
                }
            }
            let member = this.child(level, record, parent, previous, (key_start, key_end), escaped)?;
            this.absorb(entry, &member);
            Ok(())
        })
    }

    fn array(&mut self, level: u32, parent: u32, entry: &mut Entry) -> Result<(), Broken> {
        entry.kind = Kind::Array;
        let record = level <= self.record;
        self.container(level, b']', entry, |this, entry, previous| {
            let item = this.child(level, record, parent, previous, (0, 0), false)?;
            this.absorb(entry, &item);
            Ok(())
        })
    }

    /// Walks the value at the cursor for [`too_deep`]: true, with `path` leading there, when a
    /// container stands past `limit`.
    fn deepest(&mut self, level: u32, limit: u32, path: &mut Vec<Step>) -> Result<bool, Broken> {
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'[') => b']',
            _ => {
                self.value(level, NONE)?;
                return Ok(false);
            }
        };
        if level > limit {
            return Ok(true);
        }
        self.at += 1;
        self.whitespace();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(false);
        }
        let mut index = 0;
        loop {
            if close == b'}' {
                let start = self.at;
                self.string()?;
                let literal =
                    std::str::from_utf8(self.bytes.get(start..self.at).unwrap_or_default()).unwrap_or_default();
                path.push(Step::Key(serde_json::from_str(literal).unwrap_or_default()));
                self.whitespace();
                self.expect(b':', "expected `:`")?;
                self.whitespace();
            } else {
                path.push(Step::Index(index));
            }
            if self.deepest(level + 1, limit, path)? {
                return Ok(true);
            }
            path.pop();
            index += 1;
            self.whitespace();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.whitespace();
                }
                Some(byte) if byte == close => {
                    self.at += 1;
                    return Ok(false);
                }
                _ => return Err(self.broken("expected `,`")),
            }
        }
    }

    /// Whether the five bytes of a key from `start` are `batch` (a key of five bytes with an
    /// escape is not).
    fn is_batch_key(&self, start: u32) -> bool {
        self.bytes.get(start as usize..start as usize + 5) == Some(b"batch")
    }

    /// A slot for a child entry when its container is recorded, linked after the previous one.
    #[inline(always)]
    fn reserve(&mut self, record: bool, parent: u32, previous: &mut u32) -> u32 {
        self.push(record, parent, previous, Entry::placeholder())
    }

    /// Pushes `entry` as the next member or item of `parent`, linked after `previous` (or as the
    /// first), when its container is recorded: its index, or [`NONE`] when it is not (or the
    /// tape is full).
    #[cfg_attr(feature = "speed", inline(always))]
    fn push(&mut self, record: bool, parent: u32, previous: &mut u32, entry: Entry) -> u32 {
        if !record || parent == NONE {
            return NONE;
        }
        let Ok(index) = u32::try_from(self.entries.len()) else { return NONE };
        if index == NONE {
            return NONE;
        }
        let link = if *previous == NONE { parent } else { *previous };
        if let Some(before) = self.entries.get_mut(link as usize) {
            if *previous == NONE {
                before.first = index;
            } else {
                before.next = index;
            }
        }
        *previous = index;
        self.entries.push(entry);
        index
    }

    /// Writes a scanned value into its slot, keeping the links made while it was scanned.
    #[inline(always)]
    fn fill(&mut self, slot: u32, entry: Entry) {
        if let Some(place) = self.entries.get_mut(slot as usize) {
            *place = Entry { next: place.next, first: place.first, ..entry };
        }
    }

    #[inline(always)]
    fn absorb(&self, container: &mut Entry, child: &Entry) {
        container.height = container.height.max(child.height + 1);
        container.clean &= child.clean;
    }

    /// A string at the cursor: whether it holds escapes.
    #[cfg_attr(feature = "speed", inline(always))]
    fn string(&mut self) -> Result<bool, Broken> {
        self.at += 1;
        self.at += plain::run(self.bytes.get(self.at..).unwrap_or_default());
        // Most strings hold no escape: they end at the first special byte.
        if self.peek() == Some(b'"') {
            self.at += 1;
            return Ok(false);
        }
        self.escaped_string()
    }

    /// The rest of a string that holds an escape (or is broken), from the cursor.
    fn escaped_string(&mut self) -> Result<bool, Broken> {
        loop {
            self.at += plain::run(self.bytes.get(self.at..).unwrap_or_default());
            match self.peek().ok_or_else(|| self.broken("EOF while parsing a string"))? {
                b'"' => {
                    self.at += 1;
                    return Ok(true);
                }
                b'\\' => self.escape()?,
                // plain::run stops at nothing else.
                _ => return Err(self.broken("control character (\\u0000-\\u001F) found while parsing a string")),
            }
        }
    }

    /// One escape at the cursor.
    fn escape(&mut self) -> Result<(), Broken> {
        let begin = self.at;
        let escape = self.escape_at();
        if escape.is_err() {
            // Errors point at the escape's backslash.
            self.at = begin;
        }
        escape.map_err(|broken| Broken { at: begin, ..broken })
    }

    fn escape_at(&mut self) -> Result<(), Broken> {
        let code = self.bytes.get(self.at + 1).copied().ok_or_else(|| self.broken("EOF while parsing a string"))?;
        self.at += 2;
        match code {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => match self.hex4()? {
                0xD800..=0xDBFF => {
                    if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                        return Err(self.broken("lone leading surrogate in hex escape"));
                    }
                    self.at += 2;
                    if !(0xDC00..=0xDFFF).contains(&self.hex4()?) {
                        return Err(self.broken("lone leading surrogate in hex escape"));
                    }
                    Ok(())
                }
                0xDC00..=0xDFFF => Err(self.broken("lone trailing surrogate in hex escape")),
                _ => Ok(()),
            },
            _ => Err(self.broken("invalid escape")),
        }
    }

    fn hex4(&mut self) -> Result<u32, Broken> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.broken("EOF while parsing a string"))?;
        let mut unit = 0;
        for digit in digits {
            unit = unit * 16 + char::from(*digit).to_digit(16).ok_or_else(|| self.broken("invalid escape"))?;
        }
        self.at += 4;
        Ok(unit)
    }

    /// A number in JSON's grammar, kept as its text. One a double cannot hold (past about
    /// 1.8e308) is refused, as a parser that reads numbers as doubles refuses it.
    fn number(&mut self) -> Result<(), Broken> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.broken("expected a value")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.broken("invalid number"));
            }
        }
        let mut exponent = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            exponent = self.digits();
            if exponent == 0 {
                return Err(self.broken("invalid number"));
            }
        }
        if self.at - start > 300 || exponent > 2 {
            let text = std::str::from_utf8(self.bytes.get(start..self.at).unwrap_or_default()).unwrap_or_default();
            // serde_json's reader, which reads the values later, decides: `f64::from_str` would
            // agree but link its tables (20 KB of the module).
            if serde_json::from_str::<serde_json::Value>(text).is_err() {
                self.at = start;
                return Err(self.broken("number out of range"));
            }
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Result<Tape, Broken> {
        Tape::scan(text, Depth::fixed(2))
    }

    #[test]
    fn refuses_what_serde_refuses() {
        for text in [
            "{",
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            "[1,]",
            r#""\ud800""#,
            r#""\udc00x""#,
            "01",
            "1.",
            "1e",
            "tru",
            "\"a\u{1}\"",
            "{} x",
            r#""\x""#,
        ] {
            assert!(matches!(scan(text), Err(Broken { problem: Problem::Syntax(_), .. })), "{text}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn records_members_with_links() {
        let tape = scan(r#"{"a": {"x": 1, "y": [2]}, "b": "c"}"#).unwrap();
        let keys: Vec<_> = tape
            .children(0)
            .map(|(_, entry)| &r#"{"a": {"x": 1, "y": [2]}, "b": "c"}"#[entry.key.0 as usize..entry.key.1 as usize])
            .collect();
        assert_eq!(keys, ["a", "b"]);
        let (a, _) = tape.children(0).next().unwrap();
        assert_eq!(tape.children(a).count(), 2);
        assert_eq!(tape.entries[0].height, 3);
        assert!(!tape.entries[0].clean);
        assert!(scan(r#"{"a":{"x":1}}"#).unwrap().entries[0].clean);
    }

    #[test]
    fn nesting_past_the_limit_is_refused() {
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(scan(&deep).err(), Some(Broken { at: 128, problem: Problem::TooDeep }));
        let deep = "[".repeat(128) + &"]".repeat(128);
        assert!(scan(&deep).is_ok());
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        let at = |text: &str| match scan(text) {
            Err(Broken { at, problem: Problem::Syntax(what) }) => (at, what),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(at(r#"{"a" 1}"#), (5, "expected `:`"));
        assert_eq!(at(r#"{"a":1 "b":2}"#), (7, "expected `,` or `}`"));
        assert_eq!(at("[1 2]"), (3, "expected `,` or `]`"));
        assert_eq!(at("{1:2}"), (1, "key must be a string"));
        assert_eq!(at(r#""\ud800x""#), (1, "lone leading surrogate in hex escape"));
        assert_eq!(at(r#""ab\udc00""#), (3, "lone trailing surrogate in hex escape"));
        assert_eq!(at(r#""\q""#), (1, "invalid escape"));
        assert_eq!(at("[1e400]"), (1, "number out of range"));
        assert_eq!(at("{} x"), (3, "trailing characters"));
        assert_eq!(at(r#"{"a":"#), (5, "expected a value"));
        assert!(scan("[1e-400, 1e308, 12345678901234567890123456789]").is_ok());
    }

    #[test]
    fn finds_the_first_container_too_deep() {
        let text = r#"{"a": [1, {"b/c": {}}], "d": {"e": [[]]}}"#;
        let key = |k: &str| Step::Key(k.to_owned());
        assert_eq!(too_deep(text, 1, 3), Some(vec![key("a"), Step::Index(1), key("b/c")]));
        assert_eq!(too_deep(text, 1, 4), None);
        assert_eq!(too_deep(text, 2, 3), Some(vec![key("a"), Step::Index(1)]));
        assert_eq!(too_deep(r#"{"\u0078": [[]]}"#, 1, 2), Some(vec![key("x"), Step::Index(0)]));
    }

    #[test]
    fn a_root_batch_member_deepens_the_recording_from_there_on() {
        let depth = Depth { levels: 2, batch: 4 };
        let text = r#"{"writeKey": "k", "context": {"a": {"b": 1}}, "batch": [{"type": "track", "context": {"groupId": "g"}}]}"#;
        let tape = Tape::scan(text, depth).unwrap();
        assert_eq!(tape.levels, 4);
        let (batch, _) = tape.children(0).nth(2).unwrap();
        let (item, _) = tape.children(batch).next().unwrap();
        let (context, _) = tape.children(item).nth(1).unwrap();
        assert_eq!(tape.children(context).count(), 1);
        // Members before it were scanned two levels deep: the envelope's context.a was not taken apart.
        let (envelope_context, _) = tape.children(0).nth(1).unwrap();
        let (a, _) = tape.children(envelope_context).next().unwrap();
        assert_eq!(tape.children(a).count(), 0);
        for text in
            [r#"{"\u0062atch": [{"type": "track"}]}"#, r#"{"a": {"batch": [{"type": "track"}]}}"#, r#"{"batches": []}"#]
        {
            assert_eq!(Tape::scan(text, depth).unwrap().levels, 2, "{text}");
        }
    }

    #[test]
    fn escaped_keys_are_recorded_with_their_escapes_marked() {
        let text = r#"{"\u0075serId": 1, "b": 2}"#;
        let tape = scan(text).unwrap();
        let escaped: Vec<bool> = tape.children(0).map(|(_, entry)| entry.key_escaped).collect();
        assert_eq!(escaped, [true, false]);
    }
}
