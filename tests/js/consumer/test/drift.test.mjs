// Drift between the entry points, on the installed package (full and lite; default and strict):
// for seeded random Segment messages as JS objects, `map(object)` must be exactly
// `JSON.parse(mapJson(JSON.stringify(object)))`, ids included (a number id is the string
// `String(n)`: 157963456373623802 is the double 157963456373623808, which JSON.stringify writes
// "157963456373623800"); `validate(object)` must be that outcome's errors and warnings;
// `mapBatch({ batch: [...] })` and `mapBatch([...])` must give it as the item's outcome with its
// paths under `/batch/N` (or `/N`), and `mapJson` of the batch's text the same batch outcome; the
// default functions must agree with `new Destination()`, and lite with full.
//
// Messages: identify, group, track, page and other types, misspelled and wrong-typed types; extra
// keys and wrong-typed values at every level (top level, each context member, traits, properties,
// integrations, batch envelopes); ids that are strings, numbers of every magnitude (2^53 and past
// it, 2^63, 2^64, 1e21, -0, 1.5, 1e-7, random doubles) or of the wrong type; timestamps valid and
// not, as strings and as Dates. About half the messages hold a number that only the walk over the
// JS value can send exactly (past 64-bit integers), the rest take the JSON.stringify fast path.
//
// On a disagreement the test fails with, for each check that failed, how many messages failed it
// and the smallest one it could shrink to, written as JS source. DRIFT_SEED and DRIFT_COUNT
// choose another seed and count.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";

const SEED = Number(process.env.DRIFT_SEED ?? 0x5eed_2026);
const COUNT = Number(process.env.DRIFT_COUNT ?? 2_500);

const flavors = [
  { flavor: "full", api: await import("astrolabe-segment") },
  { flavor: "lite", api: await import("astrolabe-segment/lite") },
];
const configs = [
  { name: "default", config: undefined },
  { name: "strict", config: { strict: true } },
];

// ---- A seeded generator -------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, [0, 1). */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An own enumerable data property, even for "__proto__" (an assignment would set the prototype). */
function put(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const NUMBERS = [
  0, -0, 1, -1, 7, 42, 1.5, -1.5, 0.1, 0.1 + 0.2, 4.35, 25.5, 1e-7, 1e-6, 2.5e-3, 100, 329, 830, 123456789.123456789,
  1e15 + 0.5, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1),
];
/** Integers from 2^53 to 2^64: exact as doubles, but not the integers their source may have spelled. */
const WIDE_NUMBERS = [
  2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 157963456373623802, 157963456373623808, -157963456373623802, 2 ** 60,
  2 ** 63 - 1024, 2 ** 63, -(2 ** 63), 18446744073709549568, 9007199254740993,
];
/** Past 64-bit integers (and what JSON.stringify writes with an exponent): the walk sends these. */
const HUGE_NUMBERS = [
  2 ** 64, -(2 ** 63) - 4096, 2 ** 65, 36893488147419103232, 999999999999999999999, 1e21, -1e21, 1.2345678901234568e29,
  1e300, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 2e-308, 1.5e300,
];

const TEXTS = [
  "", " ", "\t\n", "u1", "user-42", "0e8c78ea9d97a7b8185e8632", "é😀", 'a"b\\c/d', "\u0000\u001f\u007f", "\b\f\r",
  "\u2028\u2029", "\ufeff", "Order Completed", "Signed Up", "ada@example.com", "not an email", "USD", "usd", "12",
  "1e400", "157963456373623802", "2015-02-23T22:28:55.111Z", "__proto__", "~0/~1", "null", "constructor",
];
const ALPHABET = [..."abcXYZ019 _-/~.@:é€😀𐍈\"\\\n\t\u0001\u2028"];

const KEYS = [
  "type", "userId", "anonymousId", "groupId", "event", "traits", "properties", "context", "integrations", "timestamp",
  "sentAt", "receivedAt", "originalTimestamp", "messageId", "All", "Astrolabe", "email", "age", "birthday", "createdAt",
  "created_at", "company", "name", "employees", "employee_count", "id", "plan", "industry", "address", "revenue",
  "currency", "value", "seats", "total billed", "__proto__", "constructor", "toString", "a/b", "~1", "", "é", "1", "10",
  "01", 'k"q', "tab\tkey", "\u0000",
];

const TIMESTAMPS = [
  "2015-02-23T22:28:55.111Z", "2015-02-23T23:28:55.111+01:00", "2015-02-23T22:28:55Z", "2015-02-23T22:28Z", "2015-02-23",
  "2015-02-23T22:28:55.1234567Z", "2015-02-23t22:28:55,5-0230", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999Z", "2015-02-23T22:28:55.111", "2015-2-02", "2023-02-29T00:00:00Z", "2015-02-23 22:28:55",
  "2015-02-23T24:00:00Z", "yesterday", "", "1424730535111", "+275760-09-13T00:00:00.000Z",
];

class Generator {
  constructor(seed) {
    this.random = prng(seed);
    /** Whether this message may hold numbers past 2^53 (wide) and past 64 bits (huge). */
    this.wide = false;
    this.huge = false;
  }

  below(n) {
    return Math.floor(this.random() * n);
  }

  chance(p) {
    return this.random() < p;
  }

  pick(list) {
    return list[this.below(list.length)];
  }

  /** One of `[weight, make]` pairs. */
  weighted(...choices) {
    let total = 0;
    for (const [weight] of choices) total += weight;
    let at = this.random() * total;
    for (const [weight, make] of choices) {
      at -= weight;
      if (at < 0) return make();
    }
    return choices[choices.length - 1][1]();
  }

  /** A double from 64 random bits (finite), any magnitude. */
  anyDouble() {
    const view = new DataView(new ArrayBuffer(8));
    for (;;) {
      view.setUint32(0, this.below(2 ** 32));
      view.setUint32(4, this.below(2 ** 32));
      const x = view.getFloat64(0);
      if (Number.isFinite(x)) return x;
    }
  }

  number() {
    return this.weighted(
      [8, () => this.pick(NUMBERS)],
      [4, () => this.below(2_000)],
      [2, () => this.below(2 ** 32) - 2 ** 31],
      [2, () => (this.random() - 0.5) * 10 ** (this.below(36) - 12)],
      [3, () => (this.wide ? this.pick(WIDE_NUMBERS) : this.below(100))],
      [1, () => (this.wide ? Math.round((this.random() - 0.5) * 2 ** 64) : 2 ** this.below(53))],
      [2, () => (this.huge ? this.pick(HUGE_NUMBERS) : this.pick(NUMBERS))],
      [1, () => (this.huge ? this.anyDouble() : this.random())],
    );
  }

  text() {
    return this.weighted(
      [4, () => this.pick(TEXTS)],
      [2, () => Array.from({ length: this.below(10) }, () => this.pick(ALPHABET)).join("")],
    );
  }

  key() {
    return this.weighted([8, () => this.pick(KEYS)], [1, () => this.text()]);
  }

  /** A Date: valid, at the edge of what toISOString writes, or invalid (toJSON gives null). */
  date() {
    return this.weighted(
      [4, () => new Date(Date.UTC(1970 + this.below(130), this.below(12), 1 + this.below(28), this.below(24), this.below(60), this.below(60), this.below(1000)))],
      [1, () => new Date(this.pick([0, -1, 8.64e15, -8.64e15, -62198755200000, 253402300799999, 253402300800000]))],
      [1, () => new Date(NaN)],
    );
  }

  /** Any JSON value a few levels deep; objects may hold undefined (an absent key) and Dates. */
  value(depth = 0) {
    return this.weighted(
      [1, () => null],
      [1, () => this.chance(0.5)],
      [4, () => this.number()],
      [3, () => this.text()],
      [depth < 3 ? 1 : 0, () => Array.from({ length: this.below(4) }, () => this.value(depth + 1))],
      [depth < 3 ? 2 : 0, () => this.object(depth + 1)],
      [0.3, () => this.date()],
    );
  }

  object(depth = 1, size = 5) {
    const object = this.chance(0.05) ? Object.create(null) : {};
    for (let i = this.below(size); i > 0; i -= 1) put(object, this.key(), this.chance(0.05) ? undefined : this.value(depth));
    return object;
  }

  /** A value of the wrong type for a field that wants an object, a string or an id. */
  wrong() {
    return this.pick([true, false, [], [1, "a"], {}, { id: 1 }, "x", "", 0, -0, 1.5, null]);
  }

  id() {
    return this.weighted(
      [3, () => undefined],
      [5, () => Array.from({ length: 1 + this.below(12) }, () => this.pick([..."abcXYZ0189_-"])).join("")],
      [2, () => this.text()],
      [4, () => this.number()],
      [1, () => null],
      [1, () => this.wrong()],
    );
  }

  timestamp() {
    return this.weighted(
      [6, () => undefined],
      [6, () => this.pick(TIMESTAMPS)],
      [2, () => this.date()],
      [1, () => null],
      [1, () => this.number()],
      [1, () => this.wrong()],
    );
  }

  type() {
    return this.weighted(
      [8, () => this.pick(["identify", "group", "track"])],
      [2, () => this.pick(["page", "screen", "alias", "delete"])],
      [1, () => this.pick(["Identify", "TRACK", "", " track", "unknown", "batch"])],
      [1, () => this.pick([null, 1, true, {}, []])],
      [1, () => undefined],
    );
  }

  event() {
    return this.weighted(
      [2, () => undefined],
      [5, () => this.pick(["Order Completed", "Signed Up", "e", 'é😀 "quoted"'])],
      [1, () => this.text()],
      [1, () => this.pick([null, this.number(), this.wrong()])],
    );
  }

  /** Traits or properties: reserved keys with right and wrong values, other keys, or the wrong type. */
  bag() {
    return this.weighted(
      [1, () => undefined],
      [6, () => {
        const bag = this.object(2, 4);
        for (let i = this.below(4); i > 0; i -= 1) {
          const [key, value] = this.pick([
            ["email", "ada@example.com"], ["email", "nope"], ["email", 5], ["age", 26], ["age", "26"],
            ["birthday", "1990-01-01"], ["birthday", "1990-13-01"], ["birthday", this.date()],
            ["createdAt", "2015-02-23T22:28:55.111Z"], ["createdAt", this.date()], ["created_at", 1424730535],
            ["company", { name: "Initech", employee_count: 329, id: 7, plan: "pro" }], ["company", { name: 5, employee_count: "329" }],
            ["company", "Initech"], ["name", "Initech"], ["employees", 329], ["employees", "329"], ["employees", true],
            ["id", this.number()], ["address", { city: "Paris" }], ["address", "1 Main St"], ["plan", 3], ["revenue", 19.99],
            ["revenue", "19.99"], ["revenue", this.number()], ["currency", "USD"], ["currency", "usd"], ["value", this.number()],
            ["value", null], ["seats", this.number()],
          ]);
          put(bag, key, value);
        }
        return bag;
      }],
      [1, () => this.pick([null, this.number(), this.wrong()])],
    );
  }

  /** An object of the members whose value is not undefined (sometimes kept as undefined), shuffled. */
  members(pairs) {
    const kept = pairs.filter(([, value]) => value !== undefined || this.chance(0.03));
    for (let i = kept.length - 1; i > 0; i -= 1) {
      const j = this.below(i + 1);
      [kept[i], kept[j]] = [kept[j], kept[i]];
    }
    const object = {};
    for (const [key, value] of kept) put(object, key, value);
    return object;
  }

  extra() {
    return this.chance(0.4) ? [this.key(), this.value(1)] : ["", undefined];
  }

  switch() {
    return this.weighted(
      [3, () => undefined],
      [3, () => this.chance(0.5)],
      [1, () => this.pick([null, 0, 1, -0, "", "no", {}, { apiKey: "k" }, []])],
    );
  }

  integrations() {
    return this.weighted(
      [2, () => undefined],
      [5, () => this.members([
        ["All", this.switch()],
        ["Astrolabe", this.switch()],
        ["Mixpanel", this.chance(0.5) ? this.chance(0.5) : undefined],
        ["astrolabe", this.chance(0.2) ? false : undefined],
        this.extra(),
      ])],
      [1, () => this.pick([null, this.number(), "x", [], true])],
    );
  }

  context() {
    return this.weighted(
      [2, () => undefined],
      [6, () => this.members([
        ["groupId", this.id()],
        ["library", this.weighted(
          [3, () => ({ name: "analytics.js", version: "2.11.1" })],
          [1, () => ({ name: 5, version: 2.11, extra: [this.number()] })],
          [1, () => this.pick([null, this.number(), this.wrong()])],
          [2, () => undefined],
        )],
        ["page", this.weighted(
          [2, () => ({ path: "/academy/", url: "https://segment.com/academy/", title: "Analytics Academy" })],
          [1, () => this.pick([null, this.number(), this.wrong(), this.value(1)])],
          [3, () => undefined],
        )],
        ["traits", this.bag()],
        ["ip", this.chance(0.25) ? "8.8.8.8" : undefined],
        ["locale", this.chance(0.25) ? "nl-NL" : undefined],
        ["userAgent", this.chance(0.2) ? this.pick([this.text(), this.number()]) : undefined],
        this.extra(),
        this.extra(),
      ])],
      [1, () => this.pick([null, this.number(), "x", [], true])],
    );
  }

  message() {
    this.wide = this.chance(0.6);
    this.huge = this.wide && this.chance(0.6);
    if (this.chance(0.04)) return this.value(1);
    return this.members([
      ["type", this.type()],
      ["userId", this.id()],
      ["anonymousId", this.id()],
      ["groupId", this.id()],
      ["messageId", this.chance(0.05) ? "m".repeat(95 + this.below(10)) : this.id()],
      ["event", this.event()],
      ["traits", this.bag()],
      ["properties", this.bag()],
      ["context", this.context()],
      ["integrations", this.integrations()],
      ["timestamp", this.timestamp()],
      ["originalTimestamp", this.timestamp()],
      ["sentAt", this.timestamp()],
      ["receivedAt", this.timestamp()],
      ["version", this.chance(0.2) ? 2 : undefined],
      ["channel", this.chance(0.2) ? "server" : undefined],
      ["batch", this.chance(0.03) ? this.value(1) : undefined],
      this.extra(),
      this.extra(),
    ]);
  }

  /** The call type an HTTP API body is sent as: usually none. */
  options() {
    return this.weighted([6, () => undefined], [1, () => ({ type: this.pick(["identify", "group", "track", "page"]) })]);
  }
}

/** The messages every test runs, the same ones each time: a few written out, then generated ones. */
function corpus() {
  const written = [
    // A JS number past 2^53 is sent as JSON.stringify writes it, whichever way it goes in.
    { message: { type: "track", anonymousId: 157963456373623802, event: "e" } },
    { message: { type: "identify", userId: 2 ** 64, traits: { n: 157963456373623802, big: 2 ** 64 } } },
    { message: { type: "group", groupId: 1e21, userId: -0, traits: { employees: 1.5, tiny: 1e-7 } } },
    { message: { type: "track", userId: 9007199254740993, event: "e", context: { groupId: 2 ** 63 } } },
    { message: { userId: 157963456373623802, event: "e" }, options: { type: "track" } },
    // Doubles halfway between two shortest spellings: String(n) takes the even last digit
    // (2037946924101561.25 is "2037946924101561.2"), and so must a number id.
    { message: { type: "group", groupId: 2037946924101561.2, userId: -19083374133333.562 } },
    { message: { type: "track", anonymousId: 1045623405370861.2, event: "e", properties: { n: 2 ** 64 } } },
  ];
  const generator = new Generator(SEED);
  const generated = Array.from({ length: COUNT }, () => ({ message: generator.message(), options: generator.options(), filler: generator.below(3) === 0 ? generator.message() : undefined }));
  return [...written, ...generated];
}

// ---- Comparing ----------------------------------------------------------------------------------

/** A JS value as JS source: numbers as JS writes them (and -0), Dates, undefined, "__proto__". */
function source(value) {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "new Date(NaN)" : `new Date(${JSON.stringify(value.toISOString())})`;
  if (Array.isArray(value)) return `[${value.map(source).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.keys(value).map((key) => `${key === "__proto__" ? '["__proto__"]' : JSON.stringify(key)}: ${source(value[key])}`);
    return `${Object.getPrototypeOf(value) === null ? "Object.assign(Object.create(null), " : ""}{ ${members.join(", ")} }${Object.getPrototypeOf(value) === null ? ")" : ""}`;
  }
  return JSON.stringify(value);
}

/** A copy of a value, Dates, null prototypes and "__proto__" keys kept. */
function copy(value) {
  if (Array.isArray(value)) return value.map(copy);
  if (value instanceof Date) return new Date(value.getTime());
  if (value !== null && typeof value === "object") {
    const out = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    for (const key of Object.keys(value)) put(out, key, copy(value[key]));
    return out;
  }
  return value;
}

/** Copies of `value` each one step simpler: a key or an item left out, or a member simplified. */
function* simpler(value) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) yield [...value.slice(0, i), ...value.slice(i + 1)].map(copy);
    for (let i = 0; i < value.length; i += 1) {
      for (const item of simpler(value[i])) {
        const out = value.map(copy);
        out[i] = item;
        yield out;
      }
    }
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const keys = Object.keys(value);
    for (const left of keys) {
      const out = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
      for (const key of keys) if (key !== left) put(out, key, copy(value[key]));
      yield out;
    }
    for (const key of keys) {
      for (const member of simpler(value[key])) yield put(copy(value), key, member);
    }
  } else if (typeof value === "string" && value.length > 1) {
    yield value.slice(0, 1);
  }
}

/** The smallest message (greedily) for which `fails` still holds. */
function shrink(message, fails) {
  let current = message;
  let budget = 3_000;
  for (let changed = true; changed && budget > 0;) {
    changed = false;
    for (const candidate of simpler(current)) {
      budget -= 1;
      if (budget <= 0) break;
      let failing = false;
      try {
        failing = fails(candidate);
      } catch {
        failing = true;
      }
      if (failing) {
        current = candidate;
        changed = true;
        break;
      }
    }
  }
  return current;
}

/** The outcome with its issue paths under `prefix`, as a batch item at `prefix` reports them. */
function prefixed(outcome, prefix) {
  const moved = (issue) => ({ ...issue, path: `${prefix}${issue.path}` });
  const out = { ...outcome, errors: outcome.errors.map(moved), warnings: outcome.warnings.map(moved) };
  if (outcome.reason !== undefined) out.reason = moved(outcome.reason);
  return out;
}

/** A JSON array, or an object with `batch` and no `type` after JSON.stringify (what mapJson reads as a batch). */
function isBatch(message) {
  const value = JSON.parse(JSON.stringify(message) ?? "null");
  if (Array.isArray(value)) return true;
  return value !== null && typeof value === "object" && Object.hasOwn(value, "batch") && !Object.hasOwn(value, "type");
}

/** What a call gives: its result, or what it threw. */
function attempt(call) {
  try {
    return call();
  } catch (error) {
    return { threw: `${error?.constructor?.name}: ${error?.message}` };
  }
}

/**
 * Every check on one message with one Destination; gives `[check, got, expected]` for each that
 * fails. `api` gives the default functions when the Destination has the default settings.
 */
function checks(api, destination, isDefault, { message, options, filler }) {
  const failures = [];
  const expect = (check, got, expected) => {
    if (!isDeepStrictEqual(got, expected)) failures.push([check, got, expected]);
  };
  const text = JSON.stringify(message);
  const viaText = attempt(() => JSON.parse(destination.mapJson(text, options)));
  if (isBatch(message)) {
    // mapJson reads this as a batch; map reads it as one message (invalid): compare with mapBatch.
    expect("mapBatch(value) = JSON.parse(mapJson(JSON.stringify(value)))", attempt(() => destination.mapBatch(message)), viaText);
    return failures;
  }
  const outcome = attempt(() => destination.map(message, options));
  expect("map(value) = JSON.parse(mapJson(JSON.stringify(value)))", outcome, viaText);
  if (outcome.threw) return failures;
  if (isDefault) {
    expect("the default map = new Destination().map", attempt(() => api.map(message, options)), outcome);
    expect("the default mapJson = new Destination().mapJson", attempt(() => JSON.parse(api.mapJson(text, options))), viaText);
    expect("the default validate = new Destination().validate", attempt(() => api.validate(message, options)), attempt(() => destination.validate(message, options)));
  }
  expect("validate(value) = map(value)'s errors and warnings", attempt(() => destination.validate(message, options)), {
    valid: outcome.errors.length === 0,
    errors: outcome.errors,
    warnings: outcome.warnings,
  });
  // A number id is sent as String(n), which is what JSON.stringify writes for it; a string id as
  // it is, unless it is empty or only white space (Rust's: U+FEFF is not white space there, as it
  // is for String.prototype.trim, and U+0085 is).
  if (outcome.status === "mapped" && message !== null && typeof message === "object") {
    const blank = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
    const sent = (value) => {
      if (value instanceof Date) return sent(value.toJSON());
      if (typeof value === "number") return String(value);
      return typeof value === "string" && !blank.test(value) ? value : undefined;
    };
    const context = message.context !== null && typeof message.context === "object" ? message.context : {};
    const idsOf = {
      upsertUser: { userId: message.userId, anonymousId: message.anonymousId, messageId: message.messageId },
      upsertAccount: { groupId: message.groupId, messageId: message.messageId },
      associateUser: { groupId: message.groupId, userId: message.userId, anonymousId: message.anonymousId },
      trackEvent: { userId: message.userId, anonymousId: message.anonymousId, groupId: context.groupId, messageId: message.messageId },
    };
    for (const operation of outcome.operations) {
      for (const [key, value] of Object.entries(idsOf[operation.op] ?? {})) {
        if (sent(value) !== undefined || operation[key] !== undefined) expect(`${operation.op}.${key} is the id as sent (String(n) for a number)`, operation[key], sent(value));
      }
    }
  }
  if (options === undefined) {
    const items = filler === undefined ? [message] : [filler, message];
    const at = items.length - 1;
    for (const [batch, prefix] of [[{ batch: items }, `/batch/${at}`], [items, `/${at}`]]) {
      const shape = Array.isArray(batch) ? "mapBatch([...])" : "mapBatch({ batch: [...] })";
      const result = attempt(() => destination.mapBatch(batch));
      expect(`${shape}: the item's outcome is map(value)'s, paths under ${prefix.replace(/\d+$/, "N")}`, result.outcomes?.[at], prefixed(outcome, prefix));
      expect(`${shape}: no batch errors`, result.errors, []);
      expect(`${shape} = JSON.parse(mapJson(JSON.stringify(batch)))`, result, attempt(() => JSON.parse(destination.mapJson(JSON.stringify(batch)))));
      if (isDefault) expect(`the default ${shape} = new Destination().mapBatch`, attempt(() => api.mapBatch(batch)), result);
    }
  }
  return failures;
}

/** The failures of a run, by check: how many, the first, and that one shrunk. */
function summary(failed, rerun) {
  const byCheck = new Map();
  for (const { check, index, entry, got, expected } of failed) {
    const seen = byCheck.get(check);
    if (seen) seen.count += 1;
    else byCheck.set(check, { count: 1, index, entry, got, expected });
  }
  const lines = [];
  for (const [check, { count, index, entry, got, expected }] of byCheck) {
    const fails = (candidate) => rerun(candidate).some(([name]) => name === check);
    let small = { ...entry, message: shrink(entry.message, (message) => fails({ ...entry, message })) };
    if (small.filler !== undefined) {
      small = fails({ ...small, filler: undefined })
        ? { ...small, filler: undefined }
        : { ...small, filler: shrink(small.filler, (filler) => fails({ ...small, filler })) };
    }
    const again = rerun(small).find(([name]) => name === check) ?? [check, got, expected];
    const batched = check.includes("mapBatch") && small.filler !== undefined;
    lines.push(
      `✗ ${check}: ${count} message(s) disagree; the first is #${index} (seed ${SEED}). Smallest found:`,
      `    message: ${source(small.message)}${small.options ? `\n    options: ${source(small.options)}` : ""}${batched ? `\n    (the batch item after ${source(small.filler)})` : ""}`,
      `    got:      ${JSON.stringify(again[1])}`,
      `    expected: ${JSON.stringify(again[2])}`,
    );
  }
  return lines.join("\n");
}

// ---- The tests ----------------------------------------------------------------------------------

const messages = corpus();
/** Outcomes by flavor, config and message index, to compare lite with full. */
const outcomes = new Map();

describe(`drift between the entry points (${messages.length} messages, seed ${SEED})`, () => {
  for (const { flavor, api } of flavors) {
    for (const { name, config } of configs) {
      test(`${flavor}, ${name}: map, mapJson, validate and mapBatch agree`, () => {
        const destination = new api.Destination(config);
        const isDefault = config === undefined;
        const failed = [];
        const mine = [];
        messages.forEach((entry, index) => {
          for (const [check, got, expected] of checks(api, destination, isDefault, entry)) failed.push({ check, index, entry, got, expected });
          mine.push(attempt(() => JSON.parse(destination.mapJson(JSON.stringify(entry.message), entry.options))));
        });
        outcomes.set(`${flavor} ${name}`, mine);
        const rerun = (entry) => checks(api, destination, isDefault, entry);
        assert.ok(failed.length === 0, `\n${summary(failed, rerun)}`);
        destination.free();
      });
    }
  }

  for (const { name } of configs) {
    test(`lite and full give the same outcomes, ${name}`, (t) => {
      const full = outcomes.get(`full ${name}`);
      const lite = outcomes.get(`lite ${name}`);
      if (!full || !lite) return t.skip("the per-flavor tests did not run");
      const differing = messages.map((entry, index) => ({ entry, index })).filter(({ index }) => !isDeepStrictEqual(full[index], lite[index]));
      assert.ok(
        differing.length === 0,
        differing.slice(0, 3).map(({ entry, index }) => `#${index} ${source(entry.message)}\n  full: ${JSON.stringify(full[index])}\n  lite: ${JSON.stringify(lite[index])}`).join("\n"),
      );
    });
  }

  test("the generator reaches the shapes the checks are about", () => {
    const seen = new Map();
    const count = (what) => seen.set(what, (seen.get(what) ?? 0) + 1);
    const full = outcomes.get("full default") ?? [];
    messages.forEach(({ message }, index) => {
      const outcome = full[index];
      if (!outcome || outcome.threw) return;
      const list = outcome.outcomes ? outcome.outcomes : [outcome];
      for (const one of list) {
        count(`status ${one.status}`);
        for (const issue of [...one.errors, ...one.warnings, ...(one.reason ? [one.reason] : [])]) count(`code ${issue.code}`);
        for (const operation of one.operations) count(`op ${operation.op}`);
      }
      const wideId = ["userId", "anonymousId", "groupId"].some((key) => typeof message?.[key] === "number" && Math.abs(message[key]) >= 2 ** 53);
      if (wideId && outcome.status === "mapped") count("mapped with a number id of 2^53 or more");
      const stringified = JSON.stringify(message);
      if (/\d{16,}/.test(stringified)) count("16 digits or more in the text");
      if (/e[+-]/.test(stringified)) count("an exponent in the text");
    });
    const want = [
      "status mapped", "status skipped", "status invalid", "op upsertUser", "op upsertAccount", "op associateUser", "op trackEvent",
      "code invalid_type", "code missing_type", "code unknown_type", "code type_mismatch", "code missing_identity", "code missing_group_id",
      "code missing_event", "code invalid_timestamp", "code id_coerced", "code message_id_too_long", "code reserved_trait_type",
      "code no_user_to_associate", "code unsupported_type", "code disabled_by_integrations", "mapped with a number id of 2^53 or more",
      "16 digits or more in the text", "an exponent in the text",
    ];
    const rare = want.filter((what) => (seen.get(what) ?? 0) < 5);
    assert.deepEqual(rare, [], JSON.stringify(Object.fromEntries(seen), null, 1));
  });
});
