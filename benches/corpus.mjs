// The benchmark corpora: realistic Segment messages made by seeded PRNGs, so every run, on every
// machine, in Node and in the native Rust bench (benches/native.rs), sees the very same bytes.
//
//   node benches/corpus.mjs [--out target/bench/corpus.json]
//
// Two corpora, timed and reported apart by benches/run.mjs:
//
// The large corpus (seed SEED). Messages (500 to 3,000 characters of JSON text: 863 to 2,984
// bytes as generated, each with a full `context` as analytics.js or a mobile SDK sends it): 60%
// track, 25% identify, 10% group, 5% invalid (a realistic mistake: no user id, an empty event,
// traits that are not an object, ...). Some valid messages carry warnings as real traffic does
// (numeric ids, a revenue sent as a string, an email without "@") and about 1% are turned off by
// `integrations` (skipped). Batches are `{"batch": [...], "sentAt", "context"}` envelopes of
// ~500 KB (under the 512,000-byte limit), filled from the same stream of messages.
//
// The small corpus (seed SMALL_SEED): 300 to 900 bytes a message, as the server SDKs and
// analytics.js send them, in batch envelopes of 20 and of ~500 KB too (see "The small corpus").
//
// The corpus file stores the texts themselves (not a recipe): the Rust bench reads that file, so
// the corpora are identical by construction. The large corpus sits at the top level (`messages`,
// `kinds`, `batches`: what the Rust bench reads), the small one under `small`. `generate()` is
// also imported by the harness.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Bump when the generator changes what it writes (the harness records it in the results). */
export const CORPUS_VERSION = 2;
export const SEED = 20261128;
/** Batches stay under this many bytes (the package refuses a batch over 512,000). */
export const BATCH_TARGET_BYTES = 500_000;

/** mulberry32: tiny, fast, and the same sequence in every JS engine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Ada", "Peter", "Samir", "Michael", "Joanna", "Milton", "Bill", "Nina", "Yuki", "Lena", "Omar", "Chloé", "Zoë", "Mateo"];
const LAST = ["Lovelace", "Gibbons", "Nagheenanajar", "Bolton", "Smith", "Waddams", "Lumbergh", "Müller", "Tanaka", "Novak", "Haddad"];
const COMPANIES = [
  ["Initech", "Technology"],
  ["Initrode", "Manufacturing"],
  ["Chotchkie's", "Restaurants"],
  ["Penetrode", "Technology"],
  ["Acme Corp", "Retail"],
  ["Globex", "Energy"],
  ["Umbrella", "Pharmaceuticals"],
];
const PLANS = ["free", "starter", "pro", "business", "enterprise"];
const CITIES = [
  ["San Francisco", "CA", "US", "94107", "America/Los_Angeles", "en-US"],
  ["Amsterdam", "NH", "NL", "1017", "Europe/Amsterdam", "nl-NL"],
  ["Berlin", "BE", "DE", "10115", "Europe/Berlin", "de-DE"],
  ["Paris", "IDF", "FR", "75002", "Europe/Paris", "fr-FR"],
  ["Tokyo", "13", "JP", "100-0001", "Asia/Tokyo", "ja-JP"],
  ["Austin", "TX", "US", "78701", "America/Chicago", "en-US"],
];
const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD"];
const PRODUCTS = [
  ["Monopoly: 3rd Edition", "Games", 19],
  ["Uno Card Game", "Games", 3],
  ["Ergonomic Keyboard", "Electronics", 89.99],
  ["Noise Cancelling Headphones", "Electronics", 249],
  ["Espresso Beans 1kg", "Grocery", 21.5],
  ["Trail Running Shoes", "Apparel", 129.95],
  ["Red Stapler", "Office", 14.99],
  ["TPS Report Covers (100)", "Office", 7.25],
];
const EVENTS = [
  "Product Viewed",
  "Product Added",
  "Order Completed",
  "Checkout Started",
  "Signed Up",
  "Report Submitted",
  "Trial Started",
  "Feature Used",
  "Products Searched",
  "Cart Viewed",
];
const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36",
];
const PATHS = ["/", "/pricing", "/academy/", "/products/keyboards", "/checkout", "/blog/segment-spec", "/docs/getting-started"];

/** The seeded helpers both generators draw from (each generator has its own PRNG). */
function toolkit(seed) {
  const random = prng(seed);
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const hex = (length) => Array.from({ length }, () => "0123456789abcdef"[int(0, 15)]).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  // Times from 2024-01-01 on, in milliseconds: the same sequence everywhere (no Date.now()).
  const baseTime = Date.UTC(2024, 0, 1);
  const iso = (millis) => new Date(millis).toISOString();
  const withOffset = (millis, hours) => {
    const local = new Date(millis + hours * 3_600_000).toISOString().slice(0, 23);
    const sign = hours < 0 ? "-" : "+";
    return `${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`;
  };
  const money = (value) => Math.round(value * 100) / 100;
  return { random, int, pick, chance, hex, uuid, baseTime, iso, withOffset, money };
}

/** A generator of messages, batches and the texts of both, from one seed. */
export function makeGenerator(seed = SEED) {
  const { random, int, pick, chance, hex, uuid, baseTime, iso, withOffset, money } = toolkit(seed);

  function webContext(city) {
    const path = pick(PATHS);
    const context = {
      library: { name: "analytics.js", version: `next-1.${int(40, 72)}.${int(0, 9)}` },
      page: {
        path,
        referrer: chance(0.5) ? "https://www.google.com/" : "",
        search: chance(0.3) ? `?q=${pick(["keyboard", "stapler", "pricing"])}` : "",
        title: `${pick(["Initech", "Acme", "Globex"])} | ${path === "/" ? "Home" : path.slice(1)}`,
        url: `https://www.example.com${path}`,
      },
      userAgent: pick(USER_AGENTS),
      userAgentData: {
        brands: [
          { brand: "Google Chrome", version: "126" },
          { brand: "Chromium", version: "126" },
          { brand: "Not-A.Brand", version: "24" },
        ],
        mobile: false,
        platform: "macOS",
      },
      ip: `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      locale: city[5],
      timezone: city[4],
    };
    if (chance(0.4)) {
      context.campaign = {
        name: pick(["TPS Innovation Newsletter", "Spring Sale", "Retargeting Q3"]),
        source: pick(["Newsletter", "google", "facebook"]),
        medium: pick(["email", "cpc", "social"]),
        term: pick(["tps reports", "keyboards", "staplers"]),
        content: "image link",
      };
    }
    return context;
  }

  function mobileContext(city) {
    const ios = chance(0.5);
    return {
      active: true,
      app: { name: "InitechGlobal", version: `${int(500, 560)}`, build: `3.${int(0, 9)}.${int(0, 9)}.${int(500, 560)}`, namespace: "com.production.segment" },
      device: {
        id: uuid().toUpperCase(),
        advertisingId: uuid().toUpperCase(),
        adTrackingEnabled: chance(0.6),
        manufacturer: ios ? "Apple" : "Google",
        model: ios ? "iPhone15,2" : "Pixel 8",
        name: ios ? "iPhone" : "shiba",
        type: ios ? "ios" : "android",
      },
      ip: `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      library: { name: ios ? "analytics-swift" : "analytics-kotlin", version: `1.${int(4, 9)}.${int(0, 9)}` },
      locale: city[5],
      network: { bluetooth: false, carrier: pick(["T-Mobile US", "KPN", "Vodafone"]), cellular: chance(0.5), wifi: chance(0.5) },
      os: { name: ios ? "iOS" : "Android", version: ios ? "17.5.1" : "14" },
      screen: { width: ios ? 390 : 412, height: ios ? 844 : 915, density: ios ? 3 : 2.625 },
      timezone: city[4],
      traits: {},
    };
  }

  function identity(message) {
    const userId = chance(0.08) ? int(10_000, 9_999_999) : `user_${hex(12)}`; // numeric: id_coerced
    if (chance(0.8)) message.userId = userId;
    if (!("userId" in message) || chance(0.7)) message.anonymousId = uuid();
  }

  /** timestamp (mostly UTC, sometimes a local offset), sentAt; sometimes the server-side form. */
  function times(message) {
    const at = baseTime + int(0, 180 * 86_400) * 1000 + int(0, 999);
    const sent = at + int(5, 4000);
    if (chance(0.1)) {
      // As Segment stores it: no timestamp, so the clock-skew corrected one is computed.
      message.originalTimestamp = iso(at);
      message.sentAt = iso(sent);
      message.receivedAt = iso(sent + int(20, 900));
    } else {
      message.timestamp = chance(0.2) ? withOffset(at, pick([-7, -5, 1, 2, 9])) : iso(at);
      message.sentAt = iso(sent);
    }
  }

  function common(type) {
    const city = pick(CITIES);
    const message = { type, messageId: chance(0.9) ? uuid() : `ajs-next-${hex(32)}` };
    identity(message);
    message.context = chance(0.7) ? webContext(city) : mobileContext(city);
    if (chance(0.5)) message.integrations = chance(0.5) ? { All: true, Mixpanel: false, Salesforce: false } : {};
    if (chance(0.01)) message.integrations = pick([{ Astrolabe: false }, { All: false, Mixpanel: true }]); // skipped
    times(message);
    return { message, city };
  }

  function product() {
    const [name, category, price] = pick(PRODUCTS);
    return {
      product_id: hex(24),
      sku: `${int(10000, 99999)}-${int(10, 99)}`,
      category,
      name,
      brand: pick(["Hasbro", "Mattel", "Logitech", "Sony", "Initech"]),
      variant: pick(["red", "blue", "standard", "large"]),
      price,
      quantity: int(1, 4),
      coupon: chance(0.2) ? "SPRING10" : undefined,
      position: int(1, 12),
      url: `https://www.example.com/products/${hex(6)}`,
      image_url: `https://cdn.example.com/img/${hex(10)}.jpg`,
    };
  }

  function track() {
    const { message } = common("track");
    message.event = pick(EVENTS);
    let properties;
    if (message.event === "Order Completed" || message.event === "Checkout Started" || message.event === "Cart Viewed") {
      const products = Array.from({ length: int(1, 6) }, product);
      const revenue = money(products.reduce((sum, p) => sum + p.price * p.quantity, 0));
      properties = {
        order_id: hex(24),
        affiliation: pick(["Google Store", "Web", "App"]),
        total: money(revenue * 1.08),
        subtotal: revenue,
        revenue: chance(0.05) ? String(revenue) : revenue, // a string revenue: reserved_trait_type
        shipping: money(int(0, 15)),
        tax: money(revenue * 0.08),
        discount: chance(0.3) ? 2.5 : 0,
        coupon: chance(0.2) ? "SPRING10" : undefined,
        currency: chance(0.03) ? "usd" : pick(CURRENCIES), // lower case: reserved_trait_type
        products,
      };
    } else if (message.event.startsWith("Product")) {
      properties = { ...product(), currency: pick(CURRENCIES), value: money(int(1, 300)) };
    } else {
      properties = {
        plan: pick(PLANS),
        source: pick(["web", "ios", "android"]),
        feature: pick(["export", "dashboard", "alerts", "sso"]),
        duration_ms: int(10, 60_000),
        experiment: { id: `exp_${hex(6)}`, variant: pick(["control", "treatment"]) },
      };
    }
    message.properties = properties;
    if (chance(0.3)) message.context.groupId = chance(0.1) ? int(1000, 99999) : `acct_${hex(10)}`;
    return message;
  }

  function person(city) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const [company, industry] = pick(COMPANIES);
    return {
      first,
      last,
      company,
      industry,
      address: { street: `${int(1, 999)} ${pick(["Main St", "Keizersgracht", "Unter den Linden"])}`, city: city[0], state: city[1], postalCode: city[3], country: city[2] },
    };
  }

  function identify() {
    const { message, city } = common("identify");
    const who = person(city);
    const traits = {
      firstName: who.first,
      lastName: who.last,
      name: `${who.first} ${who.last}`,
      email: chance(0.02) ? `${who.first.toLowerCase()}.example.com` : `${who.first.toLowerCase()}.${who.last.toLowerCase()}@example.com`,
      phone: `+1-555-${int(100, 999)}-${int(1000, 9999)}`,
      title: pick(["Engineer", "Manager", "Director", "Analyst"]),
      plan: pick(PLANS),
      logins: int(1, 500),
      createdAt: iso(baseTime - int(1, 900) * 86_400_000),
      address: who.address,
    };
    if (chance(0.6)) traits.company = { name: who.company, id: `acct_${hex(10)}`, industry: who.industry, employee_count: int(5, 5000), plan: pick(PLANS) };
    if (chance(0.3)) traits.birthday = `19${int(50, 99)}-0${int(1, 9)}-1${int(0, 9)}`;
    if (chance(0.4)) traits.preferences = { newsletter: chance(0.5), theme: pick(["dark", "light"]), languages: ["en", pick(["nl", "de", "fr"])] };
    message.traits = traits;
    return message;
  }

  function group() {
    const { message, city } = common("group");
    const [name, industry] = pick(COMPANIES);
    if (chance(0.05)) {
      delete message.userId;
      delete message.anonymousId; // a group without a user: a warning, no associateUser
    }
    message.groupId = chance(0.1) ? int(1000, 99999) : `acct_${hex(10)}`;
    message.traits = {
      name,
      industry,
      employees: chance(0.5) ? int(5, 5000) : String(int(5, 5000)),
      plan: pick(PLANS),
      website: `https://www.${name.toLowerCase().replace(/[^a-z]/g, "")}.example`,
      createdAt: iso(baseTime - int(1, 2000) * 86_400_000),
      "total billed": int(0, 100_000),
      address: { street: `${int(1, 999)} Main St`, city: city[0], state: city[1], postalCode: city[3], country: city[2] },
    };
    if (chance(0.5)) message.traits.description = "Makes TPS reports and other paperwork for companies across the region.";
    return message;
  }

  /** A realistic mistake that makes the message invalid (an error, not just a warning). */
  function invalid() {
    const defect = int(0, 8);
    switch (defect) {
      case 0: {
        const message = track();
        delete message.userId;
        delete message.anonymousId;
        return message; // missing_identity
      }
      case 1: {
        const message = identify();
        message.userId = "";
        delete message.anonymousId;
        return message; // blank id: missing_identity
      }
      case 2: {
        const message = track();
        message.event = pick(["", "   "]);
        return message; // missing_event
      }
      case 3: {
        const message = track();
        delete message.event;
        message.timestamp = "2024-2-02T00:30:08.276Z"; // and a bad timestamp (a warning) on top
        return message; // missing_event
      }
      case 4: {
        const message = identify();
        message.traits = pick([JSON.stringify(message.traits), [message.traits]]);
        return message; // invalid_type: traits not an object
      }
      case 5: {
        const message = group();
        delete message.groupId;
        return message; // missing_group_id
      }
      case 6: {
        const message = track();
        message.userId = { id: message.userId ?? "user_1" };
        return message; // invalid_type: an object as userId
      }
      case 7: {
        const message = track();
        message.properties = [message.properties];
        return message; // invalid_type: properties an array
      }
      default: {
        const message = pick([track, identify])();
        message.type = message.type === "track" ? "Track" : "identity";
        return message; // unknown_type
      }
    }
  }

  /** One message and its kind, with the mix 60/25/10/5 and a size of 0.5 to 3 KB of text. */
  function next() {
    for (;;) {
      const roll = random();
      const kind = roll < 0.6 ? "track" : roll < 0.85 ? "identify" : roll < 0.95 ? "group" : "invalid";
      const message = kind === "track" ? track() : kind === "identify" ? identify() : kind === "group" ? group() : invalid();
      const text = JSON.stringify(message);
      if (text.length >= 500 && text.length <= 3000) return { kind, text };
    }
  }

  /** A batch envelope of messages from the stream, as close to `target` bytes as they allow. */
  function batch(target = BATCH_TARGET_BYTES) {
    const envelope = { batch: [], sentAt: iso(baseTime + int(0, 180 * 86_400) * 1000), context: { library: { name: "analytics-node", version: "2.1.3" } } };
    let size = JSON.stringify(envelope).length;
    const kinds = [];
    for (;;) {
      const { kind, text } = next();
      if (size + text.length + 1 > target) break;
      envelope.batch.push(JSON.parse(text));
      kinds.push(kind);
      size += text.length + 1;
    }
    return { kinds, text: JSON.stringify(envelope) };
  }

  return { next, batch };
}

// ---- The small corpus: what server SDKs and analytics.js send ------------------------------------
// 300 to 900 bytes a message (UTF-8), in the shapes the senders give them:
//   analytics.js (browser, analytics-next): anonymousId (userId when known, else often null),
//     context {page {path, referrer, search, title, url}, userAgent, locale, library}, integrations
//     {}, messageId "ajs-next-<md5>" or "ajs-next-<ms>-<uuid>", timestamp or originalTimestamp,
//     sentAt, writeKey, sometimes _metadata; batched: {writeKey, batch, sentAt}, sentAt moved out.
//   analytics-node 6 (classic) and @segment/analytics-node 2: userId (15% a number), context
//     {library}, _metadata {nodeVersion, jsRuntime}, timestamp, messageId "node-<md5>-<uuid>" or
//     "node-next-<ms>-<uuid>", integrations; batched: {batch, timestamp, sentAt} / {batch, sentAt}.
//   analytics-python 2: its keys in its order, `anonymousId` / `userId` null when not given, ids
//     as strings (it stringifies numbers), timestamps with microseconds and "+00:00", written by
//     json.dumps (", " and ": " separators, non-ASCII escaped as \uXXXX); batched: {batch, sentAt}.
// The same kind mix as the large corpus (60% track, 25% identify, 10% group, 5% invalid, the same
// defects), with the same kinds of warnings (numeric ids, a revenue as a string, a lower-case
// currency, an email without "@") and ~1% turned off by `integrations`. Batch envelopes come from
// one sender each, as real ones do: envelopes of 20 (the node SDKs' flushAt), and ~500 KB ones.

export const SMALL_SEED = 20261129;
export const SMALL_MIN_BYTES = 300;
export const SMALL_MAX_BYTES = 900;
export const SMALL_BATCH_ITEMS = 20;

/** Who sends, and how often (a message's sender is drawn with these weights). */
export const SMALL_SENDERS = [
  ["analytics.js", 0.45],
  ["analytics-node", 0.15],
  ["@segment/analytics-node", 0.15],
  ["analytics-python", 0.25],
];
const SMALL_EVENTS = [
  "Signed Up",
  "Logged In",
  "Order Completed",
  "Product Viewed",
  "Feature Used",
  "Subscription Renewed",
  "Invite Sent",
  "Report Exported",
  "Button Clicked",
  "Trial Started",
];
const WRITE_KEYS = ["q3ZkF8a1Lm0PxV7cR2tY9bN4sW6eH5jD", "Xo1t3Kc9qLz7mB2vR8nW4yE6pA0sU5fG"];
const NODE_VERSIONS = ["18.19.1", "20.11.1", "20.15.0", "22.3.0"];

/** json.dumps as analytics-python calls it: ", " and ": " separators, ensure_ascii. */
export function pythonDumps(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value).filter((key) => value[key] !== undefined);
    return `{${entries.map((key) => `${asciiString(key)}: ${pythonDumps(value[key])}`).join(", ")}}`;
  }
  return typeof value === "string" ? asciiString(value) : JSON.stringify(value);
}

function asciiString(text) {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A generator of small messages and their batches, from one seed. */
export function makeSmallGenerator(seed = SMALL_SEED) {
  const { random, int, pick, chance, hex, uuid, baseTime, iso, money } = toolkit(seed);
  const serialize = (sender, value) => (sender === "analytics-python" ? pythonDumps(value) : JSON.stringify(value));
  const bytes = (text) => Buffer.byteLength(text);
  const when = () => baseTime + int(0, 180 * 86_400) * 1000 + int(0, 999);
  /** datetime.now(tz=tzutc()).isoformat(): microseconds and "+00:00". */
  const pythonTime = (millis) => `${iso(millis).slice(0, 23)}${String(int(0, 999)).padStart(3, "0")}+00:00`;
  const sender = () => {
    let roll = random();
    for (const [name, weight] of SMALL_SENDERS) {
      if ((roll -= weight) < 0) return name;
    }
    return SMALL_SENDERS[0][0];
  };

  /** The user ids each sender sends: node sends numbers as they are, python as strings. */
  function userId(from) {
    if (from === "analytics-python") return chance(0.15) ? String(int(1000, 9_999_999)) : `user_${hex(12)}`;
    if (from.includes("node") && chance(0.15)) return int(1000, 9_999_999); // a warning (id_coerced)
    return `user_${hex(12)}`;
  }

  function groupId(from) {
    if (from.includes("node") && chance(0.15)) return int(1000, 99_999);
    return from === "analytics-python" && chance(0.15) ? String(int(1000, 99_999)) : `acct_${hex(10)}`;
  }

  function integrations() {
    if (chance(0.01)) return pick([{ Astrolabe: false }, { All: false, Mixpanel: true }]); // skipped
    return chance(0.1) ? { All: true, Intercom: false } : {};
  }

  function properties(event) {
    switch (event) {
      case "Order Completed": {
        const revenue = money(int(500, 40_000) / 100);
        return {
          order_id: `ord_${hex(10)}`,
          total: money(revenue * 1.08),
          revenue: chance(0.05) ? String(revenue) : revenue, // reserved_trait_type
          currency: chance(0.03) ? "usd" : pick(CURRENCIES), // reserved_trait_type
          ...(chance(0.3) ? { coupon: "SPRING10" } : {}),
        };
      }
      case "Product Viewed": {
        const [name, category, price] = pick(PRODUCTS);
        return { product_id: hex(12), name, category, price, currency: pick(CURRENCIES) };
      }
      case "Signed Up":
      case "Trial Started":
        return { plan: pick(PLANS), method: pick(["email", "google", "github"]) };
      case "Subscription Renewed":
        return { plan: pick(PLANS), value: money(int(9, 999)), interval: pick(["month", "year"]) };
      case "Feature Used":
        return { feature: pick(["export", "dashboard", "alerts", "sso"]), duration_ms: int(10, 60_000) };
      default:
        return chance(0.3) ? {} : { source: pick(["web", "api", "cron"]), count: int(1, 50) };
    }
  }

  function traits(from) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const handle = first.toLowerCase();
    const result = { email: chance(0.02) ? `${handle}.example.com` : `${handle}.${last.toLowerCase()}@example.com`, name: `${first} ${last}` };
    if (chance(0.6)) result.plan = pick(PLANS);
    if (from !== "analytics.js" && chance(0.5)) {
      const created = baseTime - int(1, 900) * 86_400_000;
      if (from === "analytics-python") result.created_at = pythonTime(created);
      else result.createdAt = iso(created);
    }
    if (chance(0.3)) result.logins = int(1, 500);
    if (from === "analytics-python" && chance(0.3)) result.is_admin = chance(0.2);
    return result;
  }

  function accountTraits() {
    const [name, industry] = pick(COMPANIES);
    const result = { name, industry, employees: chance(0.5) ? int(5, 5000) : String(int(5, 5000)), plan: pick(PLANS) };
    if (chance(0.3)) result.website = `https://www.${name.toLowerCase().replace(/[^a-z]/g, "")}.example`;
    return result;
  }

  /** What the call itself carries: event and properties, traits, or groupId and traits. */
  function body(type, from) {
    if (type === "track") {
      const event = pick(SMALL_EVENTS);
      return { event, properties: properties(event) };
    }
    if (type === "identify") return { traits: traits(from) };
    return { groupId: groupId(from), traits: accountTraits() };
  }

  /** analytics-next: the event factory's fields, then what its normalize step adds. */
  function browser(type, inBatch) {
    const city = pick(CITIES);
    const at = when();
    const message = {};
    if (chance(0.75)) message.timestamp = iso(at);
    else message.originalTimestamp = iso(at);
    message.integrations = chance(0.01) ? integrations() : {};
    message.type = type;
    Object.assign(message, body(type, "analytics.js"));
    const path = pick(PATHS);
    const search = chance(0.25) ? `?utm_source=${pick(["google", "newsletter", "twitter"])}` : "";
    message.context = {
      page: {
        path,
        referrer: chance(0.5) ? pick(["https://www.google.com/", "https://t.co/", "https://www.example.com/"]) : "",
        search,
        title: `${pick(["Initech", "Acme", "Globex"])} | ${path === "/" ? "Home" : path.slice(1)}`,
        url: `https://www.example.com${path}${search}`,
      },
      userAgent: pick(USER_AGENTS),
      locale: city[5],
      library: { name: "analytics.js", version: `${pick(["npm:next-", "next-"])}1.${int(55, 74)}.${int(0, 3)}` },
    };
    if (type === "track" && chance(0.1)) message.context.groupId = `acct_${hex(10)}`;
    message.messageId = chance(0.5) ? `ajs-next-${hex(32)}` : `ajs-next-${at}-${uuid()}`;
    message.anonymousId = uuid();
    if (type === "identify" ? chance(0.9) : chance(0.4)) message.userId = userId("analytics.js");
    else if (chance(0.5)) message.userId = null;
    message.writeKey = pick(WRITE_KEYS);
    if (!inBatch) message.sentAt = iso(at + int(5, 1500));
    if (chance(0.3)) message._metadata = { bundled: ["Segment.io"], unbundled: [], bundledIds: [] };
    return message;
  }

  /** analytics-node 6 and @segment/analytics-node 2. */
  function node(type, from) {
    const at = when();
    const classic = from === "analytics-node";
    const message = classic ? {} : { type };
    if (chance(0.9)) message.userId = userId(from);
    else message.anonymousId = uuid();
    Object.assign(message, body(type, from));
    if (classic) message.type = type;
    if (!classic || chance(0.2)) message.integrations = integrations();
    const version = classic ? `6.${int(0, 2)}.${int(0, 3)}` : `2.${int(0, 2)}.${int(0, 9)}`;
    message.context = { library: { name: from, version } };
    if (type === "track" && chance(0.2)) message.context.groupId = groupId(from);
    message._metadata = { nodeVersion: pick(NODE_VERSIONS), jsRuntime: "node" };
    message.timestamp = iso(at);
    message.messageId = classic ? `node-${hex(32)}-${uuid()}` : `node-next-${at}-${uuid()}`;
    return message;
  }

  /** analytics-python 2: client.track/identify/group's dict, then _enqueue's additions. */
  function python(type) {
    const at = when();
    const identified = chance(0.9);
    const call = body(type, "analytics-python");
    const common = {
      integrations: chance(0.02) ? integrations() : {},
      anonymousId: identified && chance(0.8) ? null : uuid(),
      timestamp: pythonTime(at),
      context: { library: { name: "analytics-python", version: `2.${int(2, 3)}.${int(0, 4)}` } },
    };
    const user = identified ? userId("analytics-python") : null;
    if (type === "track") {
      return { properties: call.properties, ...common, userId: user, type, event: call.event, messageId: uuid() };
    }
    if (type === "identify") return { ...common, type, userId: user, traits: call.traits, messageId: uuid() };
    return { ...common, userId: user, traits: call.traits, groupId: call.groupId, type, messageId: uuid() };
  }

  function make(type, from, inBatch) {
    if (from === "analytics.js") return browser(type, inBatch);
    return from === "analytics-python" ? python(type) : node(type, from);
  }

  /** A realistic mistake that makes the message invalid (the large corpus's nine defects). */
  function invalid(from, inBatch) {
    const absent = (message, key) => {
      if (from === "analytics-python") message[key] = null;
      else delete message[key];
    };
    switch (int(0, 8)) {
      case 0: {
        const message = make("track", from, inBatch);
        absent(message, "userId");
        absent(message, "anonymousId");
        return message; // missing_identity
      }
      case 1: {
        const message = make("identify", from, inBatch);
        message.userId = "";
        absent(message, "anonymousId");
        return message; // blank id: missing_identity
      }
      case 2: {
        const message = make("track", from, inBatch);
        message.event = pick(["", "   "]);
        return message; // missing_event
      }
      case 3: {
        const message = make("track", from, inBatch);
        delete message.event;
        message.timestamp = "2024-2-02T00:30:08.276Z"; // and a bad timestamp (a warning) on top
        return message; // missing_event
      }
      case 4: {
        const message = make("identify", from, inBatch);
        message.traits = pick([JSON.stringify(message.traits), [message.traits]]);
        return message; // invalid_type: traits not an object
      }
      case 5: {
        const message = make("group", from, inBatch);
        absent(message, "groupId");
        return message; // missing_group_id
      }
      case 6: {
        const message = make("track", from, inBatch);
        message.userId = { id: message.userId ?? "user_1" };
        return message; // invalid_type: an object as userId
      }
      case 7: {
        const message = make("track", from, inBatch);
        message.properties = [message.properties];
        return message; // invalid_type: properties an array
      }
      default: {
        const message = make(pick(["track", "identify"]), from, inBatch);
        message.type = message.type === "track" ? "Track" : "identity";
        return message; // unknown_type
      }
    }
  }

  /** One message from `from` (else a sender drawn by weight): kind, sender, object and text. */
  function next(from = undefined, inBatch = false) {
    for (;;) {
      const who = from ?? sender();
      const roll = random();
      const kind = roll < 0.6 ? "track" : roll < 0.85 ? "identify" : roll < 0.95 ? "group" : "invalid";
      const message = kind === "invalid" ? invalid(who, inBatch) : make(kind, who, inBatch);
      const text = serialize(who, message);
      const size = bytes(text);
      if (size >= SMALL_MIN_BYTES && size <= SMALL_MAX_BYTES) return { kind, sender: who, message, text, size };
    }
  }

  /** The envelope each sender posts to /v1/batch (its items come after). */
  function envelope(from) {
    const at = when();
    if (from === "analytics.js") return { writeKey: pick(WRITE_KEYS), batch: [], sentAt: iso(at) };
    if (from === "analytics-node") return { batch: [], timestamp: iso(at), sentAt: iso(at) };
    if (from === "analytics-python") return { batch: [], sentAt: pythonTime(at) };
    return { batch: [], sentAt: iso(at) };
  }

  /** A batch envelope from one sender: `count` items, or as many as fit under `target` bytes. */
  function batch({ from = sender(), count = Infinity, target = BATCH_TARGET_BYTES } = {}) {
    const body = envelope(from);
    const separator = from === "analytics-python" ? 2 : 1;
    let size = bytes(serialize(from, body));
    const kinds = [];
    while (kinds.length < count) {
      const item = next(from, true);
      if (size + item.size + separator > target) break;
      body.batch.push(item.message);
      kinds.push(item.kind);
      size += item.size + separator;
    }
    return { sender: from, kinds, text: serialize(from, body) };
  }

  return { next, batch };
}

/** The small corpus: single messages, envelopes of 20, and ~500 KB envelopes (one per sender). */
export function generateSmall({ seed = SMALL_SEED, messages = 4000, batchesOf20 = 100 } = {}) {
  const generator = makeSmallGenerator(seed);
  const singles = Array.from({ length: messages }, () => generator.next());
  const twenties = Array.from({ length: batchesOf20 }, () => generator.batch({ count: SMALL_BATCH_ITEMS }));
  const large = SMALL_SENDERS.map(([from]) => generator.batch({ from }));
  return {
    seed,
    minBytes: SMALL_MIN_BYTES,
    maxBytes: SMALL_MAX_BYTES,
    messages: singles.map((m) => m.text),
    kinds: singles.map((m) => m.kind),
    senders: singles.map((m) => m.sender),
    batchSets: [
      { id: "batches20", label: `batches of ${SMALL_BATCH_ITEMS}`, texts: twenties.map((b) => b.text), senders: twenties.map((b) => b.sender) },
      { id: "batches", label: "~500 KB batches", texts: large.map((b) => b.text), senders: large.map((b) => b.sender) },
    ],
  };
}

/**
 * The corpus file: the large corpus at the top level (`messages`, `kinds`, `batches`: what
 * benches/native.rs reads) and the small one under `small`.
 */
export function generate({ seed = SEED, messages = 2000, batches = 4, small = {} } = {}) {
  const generator = makeGenerator(seed);
  const singles = Array.from({ length: messages }, () => generator.next());
  const envelopes = Array.from({ length: batches }, () => generator.batch());
  return {
    generator: `benches/corpus.mjs v${CORPUS_VERSION}`,
    seed,
    messages: singles.map((m) => m.text),
    kinds: singles.map((m) => m.kind),
    batches: envelopes.map((b) => b.text),
    small: generateSmall(small),
  };
}

export function defaultCorpusPath() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  return resolve(process.env.CARGO_TARGET_DIR ?? resolve(root, "target"), "bench", "corpus.json");
}

export function writeCorpus(path = defaultCorpusPath(), options = {}) {
  const corpus = generate(options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(corpus));
  return { path, corpus };
}

/** The corpora at `path`, written there first when missing or made by another generator or seed. */
export function readCorpus(path = defaultCorpusPath()) {
  const corpus = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
  if (corpus?.generator === `benches/corpus.mjs v${CORPUS_VERSION}` && corpus.seed === SEED && corpus.small?.seed === SMALL_SEED) return corpus;
  console.log(`wrote the corpus: ${relative(process.cwd(), path)}`);
  return writeCorpus(path).corpus;
}

/** One line on a set of messages: count, kinds, bytes, the size range. */
export function describe(texts, kinds) {
  const sizes = texts.map((text) => Buffer.byteLength(text)).sort((a, b) => a - b);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  const count = (kind) => kinds.filter((k) => k === kind).length;
  return (
    `${texts.length} messages (${count("track")} track, ${count("identify")} identify, ${count("group")} group, ${count("invalid")} invalid), ` +
    `${(total / 1024).toFixed(0)} KB, sizes ${sizes[0]}..${sizes.at(-1)} B (median ${sizes[sizes.length >> 1]})`
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.includes("--out") ? resolve(args[args.indexOf("--out") + 1]) : defaultCorpusPath();
  const { path, corpus } = writeCorpus(out);
  const items = (text) => JSON.parse(text).batch.length;
  const sizes = (list) => list.map((b) => Buffer.byteLength(b).toLocaleString("en-US")).join(", ");
  console.log(`corpus → ${path}`);
  console.log(`  large: ${describe(corpus.messages, corpus.kinds)}; ${corpus.batches.length} batches of ${sizes(corpus.batches)} bytes`);
  const small = corpus.small;
  const senders = SMALL_SENDERS.map(([name]) => `${small.senders.filter((s) => s === name).length} ${name}`).join(", ");
  console.log(`  small: ${describe(small.messages, small.kinds)}; from ${senders}`);
  for (const set of small.batchSets) {
    const events = set.texts.reduce((sum, text) => sum + items(text), 0);
    const range = set.texts.map((text) => Buffer.byteLength(text)).sort((a, b) => a - b);
    console.log(`         ${set.texts.length} ${set.label} (${events} events, ${range[0].toLocaleString("en-US")}..${range.at(-1).toLocaleString("en-US")} bytes each)`);
  }
}
