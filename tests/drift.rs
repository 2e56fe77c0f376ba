//! Drift between the entry points (proptest): for one Segment message, every way in must give the
//! same outcome. `map` (a value), `map_input` and `map_json` (its text, written compactly, pretty,
//! with `\u` escapes, and with the numbers of traits and properties spelled otherwise); the fast
//! lane (`map_json_text`, and `engine::map_text` for each shape the WebAssembly glue asks for), byte
//! for byte where numbers are spelled as serde spells them and by value where they are not;
//! `validate`; and `map_batch` of the message inside a batch envelope or a bare array, whose
//! outcome is the message's with its paths under `/batch/N` (or `/N`). Envelopes whose `context`,
//! `integrations` and `sentAt` do apply are checked across entry points and key orders.
//!
//! Messages are identify, group, track, other and garbage types, with extra keys and wrong-typed
//! values at every level (top level, each `context` member, traits, properties, integrations,
//! envelopes), ids that are strings, numbers of every magnitude (2^53 and past it, 2^64, 1e21, -0,
//! 1.5, 1e-7) or the wrong type, and timestamps valid and not. Ids are never respelled: a number
//! id becomes its string, and `1.57963456373623802e17` is another string than `157963456373623802`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::engine::{self, Shape};
use astrolabe_segment::{BatchOutcome, CallType, Config, Destination, MapOptions, Mapped, Outcome, Validation};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

// ---- Generators ---------------------------------------------------------------------------------

/// Numbers as clients send them, each spelled once; parsed, so each has serde's representation
/// (`18446744073709551616` and `1e21` are doubles, `157963456373623802` a u64).
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "1",
    "-1",
    "7",
    "42",
    "1.5",
    "-1.5",
    "0.1",
    "0.30000000000000004",
    "4.35",
    "25.5",
    "1e-7",
    "1E-7",
    "2.5e-3",
    "100",
    "100.0",
    "1e2",
    "1E+2",
    "329",
    "830",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "157963456373623802",
    "157963456373623808",
    "-157963456373623802",
    "1152921504606846976",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "36893488147419103232",
    "999999999999999999999",
    "1e21",
    "1e+21",
    "-1e21",
    "123456789012345678901234567890",
    "123456789.123456789",
];

/// Numbers whose shortest spelling has a three-digit exponent, drawn less often than the others
/// (the engine checks such a number against a double's range, a rarer path).
const EXTREME_NUMBERS: &[&str] = &["5e-324", "2e-308", "1e300", "1.7976931348623157e308", "-1.7976931348623157e308"];

fn number() -> impl Strategy<Value = Value> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    prop_oneof![
        24 => select(NUMBERS).prop_map(parse),
        4 => any::<i64>().prop_map(Value::from),
        4 => any::<u64>().prop_map(Value::from),
        4 => (-1e7f64..1e7).prop_map(Value::from),
        4 => (-1e20f64..1e20).prop_map(Value::from),
        8 => (0u32..2_000).prop_map(Value::from),
        1 => prop_oneof![
            select(EXTREME_NUMBERS).prop_map(parse),
            any::<f64>().prop_filter_map("finite", |x| serde_json::Number::from_f64(x).map(Value::Number)),
        ],
    ]
}

/// Strings, many of them needing escapes in JSON (quotes, backslashes, controls, U+2028).
const TEXTS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "u1",
    "user-42",
    "0e8c78ea9d97a7b8185e8632",
    "é😀",
    "a\"b\\c/d",
    "\u{0}\u{1f}\u{7f}",
    "\u{8}\u{c}\r",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "Order Completed",
    "Signed Up",
    "ada@example.com",
    "not an email",
    "USD",
    "usd",
    "12",
    "1e400",
    "157963456373623802",
    "2015-02-23T22:28:55.111Z",
    "__proto__",
    "~0/~1",
    "null",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(TEXTS).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        1 => "[\\u{0}-\\u{1f}\"\\\\/a-z\\u{e9}\\u{1F600}]{0,6}",
    ]
}

/// Keys: the ones the rules read (ids, reserved traits and properties), and odd ones.
const KEYS: &[&str] = &[
    "type",
    "userId",
    "anonymousId",
    "groupId",
    "event",
    "traits",
    "properties",
    "context",
    "integrations",
    "timestamp",
    "sentAt",
    "receivedAt",
    "originalTimestamp",
    "messageId",
    "All",
    "Astrolabe",
    "email",
    "age",
    "birthday",
    "createdAt",
    "created_at",
    "company",
    "name",
    "employees",
    "employee_count",
    "id",
    "plan",
    "industry",
    "address",
    "revenue",
    "currency",
    "value",
    "seats",
    "total billed",
    "__proto__",
    "constructor",
    "a/b",
    "~1",
    "",
    "é",
];

/// Keys that need escapes in JSON, drawn rarely (the engine decodes such keys when it reads them).
const ODD_KEYS: &[&str] = &["k\"q", "tab\tkey", "\u{0}", "back\\slash", "\u{1f}"];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => select(KEYS).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9 _\u{e9}\u{1F600}-]{0,8}",
        1 => prop_oneof![select(ODD_KEYS).prop_map(str::to_owned), "\\PC{0,8}"],
    ]
}

/// Any JSON value, a few levels deep, with numbers of every magnitude.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number(),
        2 => text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..5).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Values of the wrong type for a field that wants an object, a string or an id.
fn wrong() -> impl Strategy<Value = Value> {
    select(vec![
        json!(true),
        json!(false),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({"id": 1}),
        json!("x"),
        json!(""),
        json!(0),
        json!(-0.0),
        json!(1.5),
    ])
}

/// An id: absent, a string, a number of any magnitude, `null`, or the wrong type.
fn id() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        5 => "[a-zA-Z0-9_-]{1,12}".prop_map(|id| Some(Value::String(id))),
        2 => text().prop_map(|id| Some(Value::String(id))),
        3 => number().prop_map(Some),
        1 => Just(Some(Value::Null)),
        1 => wrong().prop_map(Some),
    ]
}

const TIMESTAMPS: &[&str] = &[
    "2015-02-23T22:28:55.111Z",
    "2015-02-23T23:28:55.111+01:00",
    "2015-02-23T22:28:55Z",
    "2015-02-23T22:28Z",
    "2015-02-23",
    "2015-02-23T22:28:55.1234567Z",
    "2015-02-23t22:28:55,5-0230",
    "2024-02-29T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "2015-02-23T22:28:55.111",
    // Not ISO-8601, or not a date that exists.
    "2015-2-02",
    "2023-02-29T00:00:00Z",
    "2015-02-23 22:28:55",
    "2015-02-23T24:00:00Z",
    "yesterday",
    "",
    "1424730535111",
];

/// A timestamp: absent, a date-time string valid or not, `null`, a number or the wrong type.
fn timestamp() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => Just(None),
        6 => select(TIMESTAMPS).prop_map(|text| Some(json!(text))),
        1 => Just(Some(Value::Null)),
        1 => number().prop_map(Some),
        1 => wrong().prop_map(Some),
    ]
}

/// `type`: supported, unsupported, misspelled, of the wrong type, or absent.
fn call_type() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        8 => select(vec!["identify", "group", "track"]).prop_map(|name| Some(json!(name))),
        2 => select(vec!["page", "screen", "alias", "delete"]).prop_map(|name| Some(json!(name))),
        1 => select(vec!["Identify", "TRACK", "", " track", "unknown", "batch"]).prop_map(|name| Some(json!(name))),
        1 => prop_oneof![Just(Value::Null), number(), wrong()].prop_map(Some),
        1 => Just(None),
    ]
}

fn event() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        5 => select(vec!["Order Completed", "Signed Up", "e", "é😀 \"quoted\""]).prop_map(|name| Some(json!(name))),
        1 => text().prop_map(|name| Some(Value::String(name))),
        1 => prop_oneof![Just(Value::Null), number(), wrong()].prop_map(Some),
    ]
}

/// Traits or properties: an object of reserved and other keys with any values, or the wrong type.
fn bag() -> impl Strategy<Value = Option<Value>> {
    let reserved = prop_oneof![
        select(vec![
            ("email", json!("ada@example.com")),
            ("email", json!("nope")),
            ("email", json!(5)),
            ("age", json!(26)),
            ("age", json!("26")),
            ("birthday", json!("1990-01-01")),
            ("birthday", json!("1990-13-01")),
            ("createdAt", json!("2015-02-23T22:28:55.111Z")),
            ("created_at", json!(1424730535)),
            ("company", json!({"name": "Initech", "employee_count": 329, "id": 7, "plan": "pro"})),
            ("company", json!({"name": 5, "employee_count": "329"})),
            ("company", json!("Initech")),
            ("name", json!("Initech")),
            ("employees", json!(329)),
            ("employees", json!("329")),
            ("employees", json!(true)),
            ("id", json!(157963456373623802u64)),
            ("address", json!({"city": "Paris"})),
            ("address", json!("1 Main St")),
            ("plan", json!(3)),
            ("revenue", json!(19.99)),
            ("revenue", json!("19.99")),
            ("currency", json!("USD")),
            ("currency", json!("usd")),
            ("value", json!(1e21)),
            ("value", json!(null)),
        ])
        .prop_map(|(key, value)| (key.to_owned(), value)),
        (select(vec!["revenue", "value", "age", "employees", "id", "seats", "total billed"]), number())
            .prop_map(|(key, value)| (key.to_owned(), value)),
    ];
    prop_oneof![
        1 => Just(None),
        6 => prop::collection::vec(prop_oneof![2 => reserved, 3 => (key(), value())], 0..7)
            .prop_map(|pairs| Some(Value::Object(pairs.into_iter().collect()))),
        1 => prop_oneof![Just(Value::Null), number(), wrong()].prop_map(Some),
    ]
}

/// An object of optional members, in a random order; `None` members are left out.
fn object(members: Vec<BoxedStrategy<Option<(String, Value)>>>) -> impl Strategy<Value = Value> {
    members.prop_shuffle().prop_map(|members| Value::Object(members.into_iter().flatten().collect()))
}

fn member(
    name: &'static str,
    value: impl Strategy<Value = Option<Value>> + 'static,
) -> BoxedStrategy<Option<(String, Value)>> {
    value.prop_map(move |value| value.map(|value| (name.to_owned(), value))).boxed()
}

fn extra() -> BoxedStrategy<Option<(String, Value)>> {
    prop::option::weighted(0.4, (key(), value())).boxed()
}

/// `integrations`: `All` and `Astrolabe` with every kind of value, other destinations, extra keys;
/// or the wrong type.
fn integrations() -> impl Strategy<Value = Option<Value>> {
    let switch = || {
        prop_oneof![
            3 => Just(None),
            3 => any::<bool>().prop_map(|on| Some(json!(on))),
            1 => select(vec![json!(null), json!(0), json!(1), json!(-0.0), json!(""), json!("no"), json!({}), json!({"apiKey": "k"}), json!([])])
                .prop_map(Some),
        ]
    };
    prop_oneof![
        2 => Just(None),
        5 => object(vec![
            member("All", switch()),
            member("Astrolabe", switch()),
            member("Mixpanel", prop::option::of(any::<bool>().prop_map(Value::Bool))),
            member("astrolabe", prop::option::weighted(0.2, Just(json!(false)))),
            extra(),
        ])
        .prop_map(Some),
        1 => prop_oneof![Just(Value::Null), number(), wrong().prop_filter("not an object", |value| !value.is_object())]
            .prop_map(Some),
    ]
}

/// `context`: `groupId` (an id), `library`, `page`, `traits` and others, each sometimes of the
/// wrong type; or a context of the wrong type.
fn context() -> impl Strategy<Value = Option<Value>> {
    let library = prop_oneof![
        3 => Just(Some(json!({"name": "analytics.js", "version": "2.11.1"}))),
        1 => Just(Some(json!({"name": 5, "version": 2.11, "extra": [1e21]}))),
        1 => prop_oneof![Just(Value::Null), number(), wrong()].prop_map(Some),
        2 => Just(None),
    ];
    let page = prop_oneof![
        2 => Just(Some(json!({"path": "/academy/", "url": "https://segment.com/academy/", "title": "Analytics Academy"}))),
        1 => prop_oneof![Just(Value::Null), number(), wrong(), value()].prop_map(Some),
        3 => Just(None),
    ];
    let plain = |value: Value| prop::option::weighted(0.25, Just(value)).boxed();
    prop_oneof![
        2 => Just(None),
        6 => object(vec![
            member("groupId", id()),
            member("library", library),
            member("page", page),
            member("traits", bag()),
            plain(json!("8.8.8.8")).prop_map(|value| value.map(|value| ("ip".to_owned(), value))).boxed(),
            plain(json!("nl-NL")).prop_map(|value| value.map(|value| ("locale".to_owned(), value))).boxed(),
            member("userAgent", prop::option::weighted(0.2, prop_oneof![text().prop_map(Value::String), number()])),
            extra(),
            extra(),
        ])
        .prop_map(Some),
        1 => prop_oneof![Just(Value::Null), number(), wrong().prop_filter("not an object", |value| !value.is_object())]
            .prop_map(Some),
    ]
}

/// A Segment-shaped message, its members in a random order; now and then any value at all.
fn message() -> impl Strategy<Value = Value> {
    let shaped = object(vec![
        member("type", call_type()),
        member("userId", id()),
        member("anonymousId", id()),
        member("groupId", id()),
        member("messageId", prop_oneof![8 => id(), 1 => "[a-z0-9é😀-]{95,105}".prop_map(|id| Some(Value::String(id)))]),
        member("event", event()),
        member("traits", bag()),
        member("properties", bag()),
        member("context", context()),
        member("integrations", integrations()),
        member("timestamp", timestamp()),
        member("originalTimestamp", timestamp()),
        member("sentAt", timestamp()),
        member("receivedAt", timestamp()),
        member("version", prop::option::weighted(0.2, prop_oneof![Just(json!(2)), number()])),
        member("channel", prop::option::weighted(0.2, Just(json!("server")))),
        member("batch", prop::option::weighted(0.05, prop_oneof![Just(json!([])), value()])),
        extra(),
        extra(),
    ]);
    prop_oneof![12 => shaped, 1 => value()]
}

/// The call type an HTTP API body is sent as: usually none.
fn hint() -> impl Strategy<Value = Option<CallType>> {
    prop_oneof![
        5 => Just(None),
        1 => select(vec![CallType::Identify, CallType::Group, CallType::Track, CallType::Page]).prop_map(Some),
    ]
}

// ---- Writing JSON text every way ----------------------------------------------------------------

/// How a text is written: whitespace between tokens, `\u` escapes, numbers of traits and
/// properties spelled otherwise (`100` as `1e2` or `100.0`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    pretty: bool,
    escape: Escape,
    respell: bool,
    /// Members of the message, its `context` and its `integrations` now and then written twice:
    /// first with another value, then with their own (JSON parsers keep the last, in the first
    /// one's place).
    twice: bool,
}

/// Which strings get escapes they do not need (`\u0065`, `\/`): none, string values only, or keys
/// too (an escaped key might spell a name the rules read, so the engine must decode it).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Escape {
    None,
    Values,
    All,
}

const STYLES: &[Style] = &[
    Style { pretty: false, escape: Escape::None, respell: false, twice: false },
    Style { pretty: true, escape: Escape::None, respell: false, twice: false },
    Style { pretty: false, escape: Escape::Values, respell: false, twice: false },
    Style { pretty: true, escape: Escape::All, respell: false, twice: false },
    Style { pretty: false, escape: Escape::None, respell: true, twice: false },
    Style { pretty: true, escape: Escape::Values, respell: true, twice: false },
    Style { pretty: false, escape: Escape::All, respell: true, twice: false },
    Style { pretty: true, escape: Escape::None, respell: false, twice: true },
];

/// Writes values in a [`Style`]; every choice (which whitespace, which characters to escape, which
/// spelling) comes from a seeded xorshift, so a failing case is reproducible from its seed.
struct Writer {
    style: Style,
    state: u64,
    out: String,
}

impl Writer {
    fn new(style: Style, seed: u64) -> Writer {
        Writer { style, state: seed | 1, out: String::new() }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn space(&mut self, indent: usize) {
        if !self.style.pretty {
            return;
        }
        match self.pick(6) {
            0 => {}
            1 => self.out.push(' '),
            2 => self.out.push('\t'),
            3 => self.out.push_str("\r\n"),
            _ => {
                self.out.push('\n');
                self.out.push_str(&"  ".repeat(indent));
            }
        }
    }

    /// One message: its `traits` and `properties` are where numbers may be respelled.
    fn message(&mut self, value: &Value, indent: usize) {
        match value {
            Value::Object(map) => {
                let twice = self.style.twice;
                self.object_twice(map, indent, twice, &|key| key == "traits" || key == "properties")
            }
            other => self.value(other, indent, false),
        }
    }

    /// A batch envelope or bare array: its items are messages.
    fn batch(&mut self, value: &Value) {
        match value {
            Value::Array(items) => self.items(items, 0),
            Value::Object(map) => {
                self.space(0);
                self.out.push('{');
                for (at, (key, member)) in map.iter().enumerate() {
                    if at > 0 {
                        self.out.push(',');
                    }
                    self.space(1);
                    self.key(key);
                    self.space(1);
                    self.out.push(':');
                    self.space(1);
                    match (key.as_str(), member) {
                        ("batch", Value::Array(items)) => self.items(items, 1),
                        _ => self.value(member, 1, false),
                    }
                }
                self.space(0);
                self.out.push('}');
                self.space(0);
            }
            other => self.value(other, 0, false),
        }
    }

    fn items(&mut self, items: &[Value], indent: usize) {
        self.out.push('[');
        for (at, item) in items.iter().enumerate() {
            if at > 0 {
                self.out.push(',');
            }
            self.space(indent + 1);
            self.message(item, indent + 1);
        }
        self.space(indent);
        self.out.push(']');
    }

    fn object(&mut self, map: &Map<String, Value>, indent: usize, respell_under: impl Fn(&str) -> bool) {
        self.object_twice(map, indent, false, &respell_under);
    }

    /// An object; with `twice`, some members come first with a decoy value (and `context` and
    /// `integrations` are written the same way inside).
    fn object_twice(
        &mut self,
        map: &Map<String, Value>,
        indent: usize,
        twice: bool,
        respell_under: &dyn Fn(&str) -> bool,
    ) {
        const DECOYS: [&str; 6] = ["null", "\"decoy\"", "12345678901234567890", "[1]", "{\"Astrolabe\":false}", "{}"];
        self.out.push('{');
        for (at, (key, member)) in map.iter().enumerate() {
            if at > 0 {
                self.out.push(',');
            }
            if twice && self.pick(3) == 0 {
                self.space(indent + 1);
                self.key(key);
                self.out.push(':');
                let decoy = DECOYS[self.pick(DECOYS.len() as u64) as usize];
                self.out.push_str(decoy);
                self.out.push(',');
            }
            self.space(indent + 1);
            self.key(key);
            self.space(indent + 1);
            self.out.push(':');
            self.space(indent + 1);
            let respell = respell_under(key);
            match member {
                Value::Object(inner) if twice && (key == "context" || key == "integrations") => {
                    self.object_twice(inner, indent + 1, true, &|_| false)
                }
                _ => self.value(member, indent + 1, respell),
            }
        }
        self.space(indent);
        self.out.push('}');
    }

    fn value(&mut self, value: &Value, indent: usize, respell: bool) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(flag) => self.out.push_str(if *flag { "true" } else { "false" }),
            Value::Number(number) => {
                let canonical = number.to_string();
                if respell && self.style.respell {
                    let spelled = self.respelled(&canonical);
                    self.out.push_str(&spelled);
                } else {
                    self.out.push_str(&canonical);
                }
            }
            Value::String(text) => self.string(text),
            Value::Array(items) => {
                self.out.push('[');
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        self.out.push(',');
                    }
                    self.space(indent + 1);
                    self.value(item, indent + 1, respell);
                }
                self.space(indent);
                self.out.push(']');
            }
            Value::Object(map) => self.object(map, indent, |_| respell),
        }
    }

    fn key(&mut self, text: &str) {
        let escape = self.style.escape == Escape::All;
        self.string_escaped(text, escape);
    }

    fn string(&mut self, text: &str) {
        let escape = self.style.escape != Escape::None;
        self.string_escaped(text, escape);
    }

    fn string_escaped(&mut self, text: &str, escape: bool) {
        if !escape {
            self.out.push_str(&serde_json::to_string(text).unwrap());
            return;
        }
        self.out.push('"');
        for ch in text.chars() {
            let escape = ch < ' ' || ch == '"' || ch == '\\' || self.pick(2) == 0;
            if !escape {
                self.out.push(ch);
                continue;
            }
            match (ch, self.pick(3)) {
                ('"', 0) => self.out.push_str("\\\""),
                ('\\', 0) => self.out.push_str("\\\\"),
                ('/', 0) => self.out.push_str("\\/"),
                ('\n', 0) => self.out.push_str("\\n"),
                ('\t', 0) => self.out.push_str("\\t"),
                ('\u{8}', 0) => self.out.push_str("\\b"),
                _ => {
                    let upper = self.pick(2) == 0;
                    let mut units = [0u16; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        if upper {
                            self.out.push_str(&format!("\\u{unit:04X}"));
                        } else {
                            self.out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                }
            }
        }
        self.out.push('"');
    }

    /// The same number, another decimal spelling: the decimal point moved against the exponent,
    /// zeros added after the point, `e` or `E`, `+` or not, leading zeros in the exponent.
    fn respelled(&mut self, canonical: &str) -> String {
        let (negative, rest) = match canonical.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, canonical),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().unwrap()),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // value = digits × 10^exponent
        let mut digits = format!("{int}{frac}").trim_start_matches('0').to_owned();
        if digits.is_empty() {
            digits.push('0');
        }
        let exponent = exponent - frac.len() as i64;
        let shift = self.pick(9) as i64 - 4;
        let written_exponent = exponent + shift;
        // digits × 10^exponent = m × 10^written_exponent, m = digits × 10^(-shift)
        let mut m = if digits == "0" {
            "0".to_owned()
        } else if shift <= 0 {
            format!("{digits}{}", "0".repeat((-shift) as usize))
        } else {
            let places = shift as usize;
            let padded = format!("{}{digits}", "0".repeat((places + 1).saturating_sub(digits.len())));
            let (int, frac) = padded.split_at(padded.len() - places);
            let int = int.trim_start_matches('0');
            format!("{}.{frac}", if int.is_empty() { "0" } else { int })
        };
        if self.pick(3) == 0 {
            if !m.contains('.') {
                m.push('.');
                m.push('0');
            }
            m.push_str(&"0".repeat(self.pick(3) as usize));
        }
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        out.push_str(&m);
        if written_exponent != 0 || self.pick(3) == 0 {
            out.push(if self.pick(2) == 0 { 'e' } else { 'E' });
            if written_exponent >= 0 && self.pick(2) == 0 {
                out.push('+');
            }
            if written_exponent < 0 {
                out.push('-');
            }
            // Leading zeros in the exponent are JSON too (three-digit exponents take the engine's
            // range check, so only now and then).
            if self.pick(4) == 0 {
                out.push('0');
            }
            out.push_str(&written_exponent.abs().to_string());
        }
        out
    }
}

/// The texts of one message, each with its style.
fn message_texts(value: &Value, seed: u64) -> Vec<(Style, String)> {
    let mut texts = vec![(STYLES[0], serde_json::to_string(value).unwrap())];
    for (at, style) in STYLES.iter().enumerate().skip(1) {
        let mut writer = Writer::new(*style, seed.wrapping_add(at as u64 * 0x9E37_79B9));
        writer.space(0);
        writer.message(value, 0);
        writer.space(0);
        texts.push((*style, writer.out));
    }
    texts
}

/// The texts of one batch: compact, and one other style picked by the seed (the messages inside
/// are written every way by `one_message_every_entry_point_agrees`; this keeps batches quick).
fn batch_texts(value: &Value, seed: u64) -> Vec<(Style, String)> {
    let style = STYLES[1 + (seed % (STYLES.len() as u64 - 1)) as usize];
    let mut writer = Writer::new(style, seed.rotate_left(17));
    writer.batch(value);
    vec![(STYLES[0], serde_json::to_string(value).unwrap()), (style, writer.out)]
}

// ---- Comparing ----------------------------------------------------------------------------------

fn destinations() -> Vec<(&'static str, bool, Destination)> {
    vec![
        ("default", false, Destination::new(Config::default()).unwrap()),
        ("strict", true, Destination::new(Config { strict: true, ..Config::default() }).unwrap()),
    ]
}

/// Every number as a double, so `100`, `1e2` and `100.0` compare equal (and `-0` and `0`).
fn by_value(value: &Value) -> Value {
    match value {
        Value::Number(number) => {
            let x = number.as_f64().unwrap();
            json!(if x == 0.0 { 0.0 } else { x })
        }
        Value::Array(items) => Value::Array(items.iter().map(by_value).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(key, value)| (key.clone(), by_value(value))).collect()),
        other => other.clone(),
    }
}

/// Two outcome texts are the same: byte for byte when `exact`, else once parsed, numbers as doubles.
fn same(a: &str, b: &str, exact: bool) -> bool {
    if a == b {
        return true;
    }
    if exact {
        return false;
    }
    let parse = |text: &str| by_value(&serde_json::from_str::<Value>(text).unwrap_or_else(|e| panic!("{e}: {text}")));
    parse(a) == parse(b)
}

/// A readable account of a disagreement.
fn report(what: &str, input: &str, a: (&str, &str), b: (&str, &str)) -> String {
    format!("{what}\n  input: {input}\n  {:<14} {}\n  {:<14} {}", a.0, a.1, b.0, b.1)
}

/// The outcome with its issue paths under `prefix`, as a batch item at `prefix` reports them.
fn prefixed(outcome: &Outcome, prefix: &str) -> Outcome {
    let mut outcome = outcome.clone();
    for issue in outcome.errors.iter_mut().chain(outcome.warnings.iter_mut()).chain(outcome.reason.iter_mut()) {
        issue.path = format!("{prefix}{}", issue.path);
    }
    outcome
}

/// A JSON array, or an object with `batch` and no `type` (what `map_input` reads as a batch).
fn is_batch(value: &Value) -> bool {
    match value {
        Value::Array(_) => true,
        Value::Object(map) => map.contains_key("batch") && !map.contains_key("type"),
        _ => false,
    }
}

/// `map`, `map_input`, `map_json`, `map_json_text`, `validate` and the engine's shapes
/// (`engine::map_text`) on one message, in every spelling.
fn check_message(message: &Value, hint: Option<CallType>, seed: u64) -> Result<(), TestCaseError> {
    let options = MapOptions { call_type: hint };
    for (name, strict, destination) in &destinations() {
        let from_value = destination.map(message, &options);
        let from_value_text = from_value.to_json();
        let input = destination.map_input(message, &options);
        let input_text = input.to_json();
        if !is_batch(message) {
            prop_assert_eq!(&input, &Mapped::Message(from_value.clone()), "{}: map_input and map differ", name);
        }
        let validation = destination.validate(message, &options);
        let expected_validation = Validation::from(from_value.clone());
        prop_assert_eq!(&validation, &expected_validation, "{}: validate and map differ on {}", name, message);
        prop_assert_eq!(validation.valid, from_value.errors.is_empty());

        for (style, text) in message_texts(message, seed) {
            let exact = !style.respell;
            if exact {
                let reparsed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
                prop_assert_eq!(&reparsed, message, "the test's writer changed the message: {}", text);
            }
            let what = format!("{name}, {style:?}, {hint:?}");
            let mapped = destination.map_json(text.as_bytes(), &options).to_json();
            prop_assert!(
                same(&mapped, &input_text, exact),
                "{}",
                report(
                    &format!("{what}: map_json(text) and map_input(value) differ"),
                    &text,
                    ("map_json", &mapped),
                    ("map_input", &input_text)
                )
            );
            let lane = destination.map_json_text(text.as_bytes(), &options);
            prop_assert!(
                same(&lane, &mapped, exact),
                "{}",
                report(
                    &format!("{what}: map_json_text and map_json differ"),
                    &text,
                    ("map_json_text", &lane),
                    ("map_json", &mapped)
                )
            );
            // What the WebAssembly map, validate and mapBatch run on JSON.stringify text.
            if let Some(lane) = engine::map_text(*strict, text.as_bytes(), hint, Shape::Message) {
                prop_assert!(
                    same(&lane, &from_value_text, exact),
                    "{}",
                    report(
                        &format!("{what}: engine::map_text (message) and map differ"),
                        &text,
                        ("fast", &lane),
                        ("map", &from_value_text)
                    )
                );
            }
            if let Some(lane) = engine::map_text(*strict, text.as_bytes(), hint, Shape::Validation) {
                let expected = serde_json::to_string(&validation).unwrap();
                prop_assert!(
                    same(&lane, &expected, exact),
                    "{}",
                    report(
                        &format!("{what}: engine::map_text (validation) and validate differ"),
                        &text,
                        ("fast", &lane),
                        ("validate", &expected)
                    )
                );
            }
            if let Some(lane) = engine::map_text(*strict, text.as_bytes(), None, Shape::Batch) {
                let expected = destination.map_batch(message).to_json();
                prop_assert!(
                    same(&lane, &expected, exact),
                    "{}",
                    report(
                        &format!("{what}: engine::map_text (batch) and map_batch differ"),
                        &text,
                        ("fast", &lane),
                        ("map_batch", &expected)
                    )
                );
            }
        }
    }
    Ok(())
}

/// `map_batch`, `map_input`, `map_json`, `map_json_text` and the engine's batch shape on one
/// batch, in every spelling; gives the batch's outcome.
fn check_batch(
    destination: &Destination,
    name: &str,
    strict: bool,
    batch: &Value,
    seed: u64,
) -> Result<BatchOutcome, TestCaseError> {
    let outcome = destination.map_batch(batch);
    let outcome_text = outcome.to_json();
    let input = destination.map_input(batch, &MapOptions::default());
    prop_assert_eq!(&input, &Mapped::Batch(outcome.clone()), "{}: map_input and map_batch differ on {}", name, batch);
    for (style, text) in batch_texts(batch, seed) {
        let exact = !style.respell;
        if exact {
            let reparsed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            prop_assert_eq!(&reparsed, batch, "the test's writer changed the batch: {}", text);
        }
        let what = format!("{name}, {style:?}");
        let mapped = destination.map_json(text.as_bytes(), &MapOptions::default()).to_json();
        prop_assert!(
            same(&mapped, &outcome_text, exact),
            "{}",
            report(
                &format!("{what}: map_json(text) and map_batch(value) differ"),
                &text,
                ("map_json", &mapped),
                ("map_batch", &outcome_text)
            )
        );
        let lane = destination.map_json_text(text.as_bytes(), &MapOptions::default());
        prop_assert!(
            same(&lane, &mapped, exact),
            "{}",
            report(
                &format!("{what}: map_json_text and map_json differ"),
                &text,
                ("map_json_text", &lane),
                ("map_json", &mapped)
            )
        );
        if let Some(lane) = engine::map_text(strict, text.as_bytes(), None, Shape::Batch) {
            prop_assert!(
                same(&lane, &outcome_text, exact),
                "{}",
                report(
                    &format!("{what}: engine::map_text (batch) and map_batch differ"),
                    &text,
                    ("fast", &lane),
                    ("map_batch", &outcome_text)
                )
            );
        }
    }
    Ok(outcome)
}

/// Envelope members that change nothing for the items: `context` without `groupId` and with the
/// fields the Spec types of their types (`context_field_type`), `integrations` without `All` or
/// `Astrolabe`, `sentAt: null`, other keys.
fn inert_envelope() -> impl Strategy<Value = Vec<(String, Value)>> {
    (
        prop::option::of(select(vec![
            json!({}),
            json!(null),
            json!({"library": {"name": "analytics-node", "version": "6.0.0"}}),
            json!({"library": {"name": 5}, "page": {}, "traits": {"email": 5}, "groupId": null, "custom": "x"}),
        ])),
        prop::option::of(select(vec![
            json!({}),
            json!(null),
            json!({"Mixpanel": false, "astrolabe": false}),
            json!({"All": null}),
        ])),
        prop::option::of(Just(Value::Null)),
        prop::option::weighted(0.3, select(vec![("writeKey", json!("k")), ("sentBy", json!(1e21)), ("", json!([]))])),
    )
        .prop_map(|(context, integrations, sent_at, extra)| {
            let mut members = Vec::new();
            if let Some(context) = context {
                members.push(("context".to_owned(), context));
            }
            if let Some(integrations) = integrations {
                members.push(("integrations".to_owned(), integrations));
            }
            if let Some(sent_at) = sent_at {
                members.push(("sentAt".to_owned(), sent_at));
            }
            if let Some((key, value)) = extra {
                members.push((key.to_owned(), value));
            }
            members
        })
}

/// Envelope members that apply to the items (or refuse the batch): `context.groupId`,
/// `integrations.All` and `.Astrolabe`, `sentAt`, each sometimes of the wrong type.
fn live_envelope() -> impl Strategy<Value = Vec<(String, Value)>> {
    let switches =
        select(vec![json!({"All": false}), json!({"Astrolabe": false}), json!({"All": false, "Astrolabe": true})]);
    let integrations = prop_oneof![1 => switches.prop_map(Some), 2 => integrations()];
    (context(), integrations, timestamp(), prop::option::weighted(0.3, (key(), value()))).prop_map(
        |(context, integrations, sent_at, extra)| {
            let mut members = Vec::new();
            for (key, value) in [("context", context), ("integrations", integrations), ("sentAt", sent_at)] {
                if let Some(value) = value {
                    members.push((key.to_owned(), value));
                }
            }
            if let Some((key, value)) = extra.filter(|(key, _)| key != "batch" && key != "type") {
                members.push((key, value));
            }
            members
        },
    )
}

/// An envelope `{"batch": items, members...}` with `batch` at `at` among the members.
fn envelope(items: Vec<Value>, members: &[(String, Value)], at: usize) -> Value {
    let mut map = Map::new();
    let at = at % (members.len() + 1);
    for (index, (key, value)) in members.iter().enumerate() {
        if index == at {
            map.insert("batch".to_owned(), Value::Array(items.clone()));
        }
        map.insert(key.clone(), value.clone());
    }
    if !map.contains_key("batch") {
        map.insert("batch".to_owned(), Value::Array(items));
    }
    Value::Object(map)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 384,
        max_shrink_iters: 2_000,
        // A failure is reported with its minimal input; nothing is written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// One message, every entry point, every spelling.
    #[test]
    fn one_message_every_entry_point_agrees(message in message(), hint in hint(), seed in any::<u64>()) {
        check_message(&message, hint, seed)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The message as an item of a batch (envelope or bare array, among other messages, envelope
    /// members that change nothing) has the outcome it has alone, its paths under `/batch/N`.
    #[test]
    fn a_message_in_a_batch_has_its_own_outcome(
        message in message(),
        before in prop::collection::vec(message(), 0..3),
        after in prop::collection::vec(message(), 0..2),
        members in inert_envelope(),
        at in any::<usize>(),
        seed in any::<u64>(),
    ) {
        let index = before.len();
        let mut items = before;
        items.push(message.clone());
        items.extend(after);
        let wrapped = envelope(items.clone(), &members, at);
        let bare = Value::Array(items);
        for (name, strict, destination) in &destinations() {
            let alone = destination.map(&message, &MapOptions::default());
            for (batch, prefix) in [(&wrapped, format!("/batch/{index}")), (&bare, format!("/{index}"))] {
                let outcome = check_batch(destination, name, *strict, batch, seed)?;
                prop_assert!(outcome.errors.is_empty(), "{}: the batch was refused: {}", name, outcome.to_json());
                prop_assert_eq!(outcome.outcomes.len(), bare.as_array().unwrap().len());
                let expected = prefixed(&alone, &prefix).to_json();
                let got = outcome.outcomes[index].to_json();
                prop_assert!(
                    got == expected,
                    "{}",
                    report(&format!("{name}: the batch item and the message alone differ"), &batch.to_string(), ("map_batch item", &got), ("map, prefixed", &expected))
                );
            }
        }
    }

    /// Envelopes whose members apply to the items, or refuse the batch: every entry point agrees,
    /// whatever the order of the envelope's keys.
    #[test]
    fn envelopes_agree_across_entry_points_and_key_orders(
        items in prop::collection::vec(message(), 0..4),
        members in live_envelope(),
        seed in any::<u64>(),
    ) {
        let checked = (seed % (members.len() as u64 + 1)) as usize;
        for (name, strict, destination) in &destinations() {
            // Every entry point and spelling with `batch` at one place among the members...
            let batch = envelope(items.clone(), &members, checked);
            let outcome = check_batch(destination, name, *strict, &batch, seed)?.to_json();
            // ...and the same outcome with it at every other place (the engine reads an
            // envelope whose first key is `batch` in one pass, any other in two).
            for at in (0..=members.len()).filter(|at| *at != checked) {
                let moved = envelope(items.clone(), &members, at);
                let text = moved.to_string();
                for (way, got) in [
                    ("map_batch", destination.map_batch(&moved).to_json()),
                    ("map_json_text", destination.map_json_text(text.as_bytes(), &MapOptions::default())),
                ] {
                    prop_assert!(
                        got == outcome,
                        "{}: the envelope's key order changes the outcome ({})\n  {}\n  -> {}\n  {}\n  -> {}",
                        name, way, batch, outcome, text, got
                    );
                }
            }
        }
    }
}

/// The numbers and ids the brief names, written out: ids past 2^53 keep their digits (a number id
/// becomes its own digits, not a double's), and traits numbers keep theirs in the engine's text.
#[test]
fn big_numbers_as_ids_and_traits() {
    let destination = Destination::new(Config::default()).unwrap();
    for id in ["157963456373623802", "18446744073709551616", "1e21", "-0", "1.5", "1e-7", "9007199254740993"] {
        let text = format!(r#"{{"type":"track","anonymousId":{id},"event":"e","properties":{{"n":{id}}}}}"#);
        let value: Value = serde_json::from_str(&text).unwrap();
        let exact = destination.map(&value, &MapOptions::default());
        let via_text = destination.map_json(text.as_bytes(), &MapOptions::default());
        assert_eq!(via_text, Mapped::Message(exact.clone()), "{text}");
        let lane = destination.map_json_text(text.as_bytes(), &MapOptions::default());
        assert!(same(&lane, &exact.to_json(), false), "{text}\n{lane}\n{}", exact.to_json());
        assert!(lane.contains(&format!(r#""properties":{{"n":{id}}}"#)), "{lane}");
        check_message(&value, None, 1).unwrap();
    }
    let outcome = destination
        .map(&json!({"type": "track", "anonymousId": 157963456373623802u64, "event": "e"}), &MapOptions::default());
    assert!(outcome.to_json().contains(r#""anonymousId":"157963456373623802""#), "{}", outcome.to_json());
}

/// The writer's respellings are the same numbers (the by-value comparison depends on it).
#[test]
fn respellings_are_the_same_numbers() {
    let mut writer = Writer::new(Style { pretty: false, escape: Escape::None, respell: true, twice: false }, 7);
    for text in NUMBERS {
        let value: Value = serde_json::from_str(text).unwrap();
        let canonical = value.to_string();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..64 {
            let spelled = writer.respelled(&canonical);
            let parsed: Value = serde_json::from_str(&spelled).unwrap_or_else(|e| panic!("{text} as {spelled}: {e}"));
            assert_eq!(by_value(&parsed), by_value(&value), "{text} as {spelled}");
            seen.insert(spelled);
        }
        assert!(seen.len() > 8, "{text}: only {seen:?}");
    }
}

/// The generators reach what the properties are about: every status, operation and issue code
/// the built-in rules give, number ids past 2^53, texts the engine answers in every style,
/// batches refused and not. (How often the engine declines a host's text, for a walk over the
/// value to answer, is printed, not checked.)
#[test]
fn the_generators_cover_the_shapes() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;

    let mut runner = TestRunner::deterministic();
    let destination = Destination::new(Config::default()).unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = |what: String| *seen.entry(what).or_default() += 1;
    let strategy = (message(), hint(), any::<u64>());
    for _ in 0..400 {
        let (message, hint, seed) = strategy.new_tree(&mut runner).unwrap().current();
        let outcome = destination.map(&message, &MapOptions { call_type: hint });
        count(format!("status {:?}", outcome.status));
        for issue in outcome.errors.iter().chain(&outcome.warnings).chain(&outcome.reason) {
            count(format!("code {}", issue.code));
        }
        for operation in serde_json::to_value(&outcome.operations).unwrap().as_array().unwrap() {
            count(format!("op {}", operation["op"].as_str().unwrap()));
        }
        let big =
            |key: &str| message.get(key).and_then(Value::as_f64).is_some_and(|x| x.abs() >= 9_007_199_254_740_992.0);
        if outcome.status == astrolabe_segment::Status::Mapped
            && (big("userId") || big("anonymousId") || big("groupId"))
        {
            count("mapped with a number id of 2^53 or more".into());
        }
        for (style, text) in message_texts(&message, seed) {
            let answered = engine::map_text(false, text.as_bytes(), hint, Shape::Any).is_some();
            count(format!(
                "engine {} ({:?}{})",
                if answered { "answered" } else { "declined" },
                style.escape,
                if style.respell { ", respelled" } else { "" }
            ));
        }
    }
    let mut runner = TestRunner::deterministic();
    for _ in 0..120 {
        let (items, members) =
            (prop::collection::vec(message(), 0..4), live_envelope()).new_tree(&mut runner).unwrap().current();
        let outcome = destination.map_batch(&envelope(items, &members, 0));
        count(format!("batch {}", if outcome.errors.is_empty() { "mapped" } else { "refused" }));
        for issue in outcome
            .outcomes
            .iter()
            .flat_map(|outcome| outcome.errors.iter().chain(&outcome.warnings).chain(&outcome.reason))
        {
            if !issue.path.starts_with("/batch/") {
                count(format!("envelope issue {}", issue.code));
            }
        }
    }
    eprintln!("{seen:#?}");
    let mut missing = Vec::new();
    for code in [
        "invalid_type",
        "missing_type",
        "unknown_type",
        "type_mismatch",
        "missing_identity",
        "missing_group_id",
        "missing_event",
        "invalid_timestamp",
        "id_coerced",
        "message_id_too_long",
        "reserved_trait_type",
        "no_user_to_associate",
        "unsupported_type",
        "disabled_by_integrations",
    ] {
        if seen.get(&format!("code {code}")).copied().unwrap_or(0) < 2 {
            missing.push(format!("code {code}"));
        }
    }
    for what in [
        "status Mapped",
        "status Skipped",
        "status Invalid",
        "op upsertUser",
        "op upsertAccount",
        "op associateUser",
        "op trackEvent",
        "mapped with a number id of 2^53 or more",
        "engine answered (None)",
        "engine answered (Values)",
        "engine answered (None, respelled)",
        "engine answered (Values, respelled)",
        "batch mapped",
        "batch refused",
        "envelope issue invalid_timestamp",
        "envelope issue disabled_by_integrations",
    ] {
        if seen.get(what).copied().unwrap_or(0) < 2 {
            missing.push(what.to_owned());
        }
    }
    assert!(missing.is_empty(), "the generators rarely or never give: {missing:?}\n{seen:#?}");
}
