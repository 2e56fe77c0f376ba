// The JavaScript incumbent: what a developer would write today for the same job, as well as we
// can write it. JSON.parse, then ajv (schemas compiled once, `allErrors`, ajv-formats) for the
// errors, a second compiled schema for the data-quality warnings (reserved traits), a few lines
// of code for what JSON Schema says badly (numeric ids, timestamps, `integrations`), the
// hand-written mapping to Astrolabe operations, and JSON.stringify.
//
// It implements the package's core rules (../README.md, "Issue codes"): identify/group/track by
// `type` (page, screen, alias, delete skipped), ids string or number (blank counts as absent, a
// number is sent on as its string with a warning), identify and track need a user, group a
// groupId, track a non-blank event, traits/properties/context/integrations objects, timestamps
// ISO-8601 (a bad one is a warning) with Segment's clock-skew correction when `timestamp` is
// absent, messageId under 100 characters, reserved traits and properties, `integrations` turning
// Astrolabe off, and batch envelopes (context, integrations and sentAt under each item's own).
// Its outcomes have the same status and operations as the package's (the harness checks it on
// the whole corpus); errors are ajv's ({path, message}), not the package's codes.

const CURRENCIES = new Set(
  ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF " +
    "CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD " +
    "GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP " +
    "LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN " +
    "PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS " +
    "TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD " +
    "XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL").split(" "),
);

// ---- Schemas ----------------------------------------------------------------------------------
const nonBlank = { type: "string", pattern: "\\S" };
const id = { type: ["string", "number", "null"] };
const objectOrNull = { type: ["object", "null"] };
const user = {
  anyOf: [
    { required: ["userId"], properties: { userId: { anyOf: [nonBlank, { type: "number" }] } } },
    { required: ["anonymousId"], properties: { anonymousId: { anyOf: [nonBlank, { type: "number" }] } } },
  ],
};
const envelope = { userId: id, anonymousId: id, messageId: id, context: objectOrNull, integrations: objectOrNull };

/** The errors of each supported call (the message is known to be an object with that type). */
export const errorSchemas = {
  identify: { type: "object", properties: { ...envelope, traits: objectOrNull }, ...user },
  group: {
    type: "object",
    required: ["groupId"],
    properties: { ...envelope, traits: objectOrNull, groupId: { anyOf: [nonBlank, { type: "number" }] } },
  },
  track: {
    type: "object",
    required: ["event"],
    properties: { ...envelope, properties: objectOrNull, event: nonBlank, context: { type: ["object", "null"], properties: { groupId: id } } },
    ...user,
  },
};

// Warnings: reserved traits and properties of the wrong shape (null is not checked).
const text = { type: ["string", "null"] };
const number = { type: ["number", "null"] };
const textOrNumber = { type: ["string", "number", "null"] };
const date = { type: ["string", "null"], anyOf: [{ format: "date" }, { format: "date-time" }] };
const email = { type: ["string", "null"], pattern: "^\\S+@[^\\s@]+$" };
const object = { type: ["object", "null"] };
const company = {
  type: ["object", "null"],
  properties: { employee_count: number, id: textOrNumber, industry: text, name: text, plan: text },
};
export const warningSchemas = {
  identify: {
    properties: {
      messageId: { maxLength: 99 },
      traits: {
        properties: {
          address: object, age: number, avatar: text, birthday: date, company, createdAt: date, created_at: date,
          description: text, email, firstName: text, first_name: text, gender: text, id: textOrNumber, lastName: text,
          last_name: text, name: text, phone: text, title: text, username: text, website: text,
        },
      },
    },
  },
  group: {
    properties: {
      messageId: { maxLength: 99 },
      traits: {
        properties: {
          address: object, avatar: text, createdAt: date, created_at: date, description: text, email,
          employees: textOrNumber, id: textOrNumber, industry: text, name: text, phone: text, plan: text, website: text,
        },
      },
    },
  },
  track: {
    properties: {
      messageId: { maxLength: 99 },
      properties: {
        properties: { currency: { type: ["string", "null"], format: "iso-4217" }, revenue: number, value: number },
      },
    },
  },
};

const SUPPORTED = new Set(["identify", "group", "track"]);
const UNSUPPORTED = new Set(["page", "screen", "alias", "delete"]);
// ISO-8601 as Segment sends it: a date, or a date-time with an optional zone; Date.parse checks the rest.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isTruthy = (value) => Boolean(value);

/** Compiles everything once (`new Ajv` + formats + the six schemas): what a cold start pays. */
export function createIncumbent({ Ajv, addFormats }) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat("iso-4217", (code) => CURRENCIES.has(code));
  const validators = {};
  for (const type of SUPPORTED) {
    validators[type] = { errors: ajv.compile(errorSchemas[type]), warnings: ajv.compile(warningSchemas[type]) };
  }

  /** An id as the operations carry it: a non-blank string, or a number as its string. */
  const readId = (value) => (typeof value === "number" ? String(value) : typeof value === "string" && value.trim() ? value : undefined);

  /** Milliseconds of an ISO-8601 string, or undefined. */
  const millis = (value) => {
    if (typeof value !== "string" || !ISO.test(value)) return undefined;
    const parsed = Date.parse(value.replace(",", "."));
    return Number.isNaN(parsed) ? undefined : parsed;
  };

  const issues = (list, base) =>
    list.map((e) => ({
      path: base + e.instancePath + (e.params?.missingProperty !== undefined ? `/${e.params.missingProperty}` : ""),
      message: e.message,
    }));

  /** The outcome of one message (`env`: the batch envelope's context, integrations and sentAt). */
  function mapMessage(message, base = "", env = undefined) {
    if (!isObject(message)) return invalid([{ path: base, message: "must be object" }]);
    const type = message.type;
    if (UNSUPPORTED.has(type)) return { status: "skipped", operations: [], errors: [], warnings: [], reason: { path: `${base}/type` } };
    if (!SUPPORTED.has(type)) return invalid([{ path: `${base}/type`, message: type == null ? "is required" : "must be identify, group or track" }]);
    const validator = validators[type];
    const errors = validator.errors(message) ? [] : issues(validator.errors.errors, base);
    const warnings = validator.warnings(message) ? [] : issues(validator.warnings.errors, base);
    // What the schemas cannot say: numeric ids are sent on as strings, with a warning.
    for (const key of ["userId", "anonymousId", "messageId", "groupId"]) {
      if (typeof message[key] === "number") warnings.push({ path: `${base}/${key}`, message: "is a number, sent as a string" });
    }
    if (type === "group" && readId(message.userId) === undefined && readId(message.anonymousId) === undefined) {
      if (!isWrongId(message.userId) && !isWrongId(message.anonymousId)) warnings.push({ path: `${base}/userId`, message: "no user to associate" });
    }
    // Timestamps: a bad one is a warning; the operation's is `timestamp`, or the clock-skew corrected one.
    const sentAt = message.sentAt ?? env?.sentAt;
    const times = {};
    for (const key of ["timestamp", "originalTimestamp", "sentAt", "receivedAt"]) {
      const value = key === "sentAt" ? sentAt : message[key];
      if (value == null) continue;
      times[key] = millis(value);
      if (times[key] === undefined) warnings.push({ path: key === "sentAt" && message.sentAt == null ? "/sentAt" : `${base}/${key}`, message: "must be an ISO-8601 date-time" });
    }
    let contextGroupId;
    if (type === "track") {
      const own = isObject(message.context) ? message.context.groupId : undefined;
      const value = own ?? env?.context?.groupId;
      contextGroupId = readId(value);
      if (typeof value === "number") warnings.push({ path: own != null ? `${base}/context/groupId` : "/context/groupId", message: "is a number" });
      else if (value != null && contextGroupId === undefined && typeof value !== "string") errors.push({ path: `${base}/context/groupId`, message: "must be string or number" });
    }
    if (errors.length > 0) return { status: "invalid", operations: [], errors, warnings };
    // integrations: the item's own keys over the envelope's.
    const integrations = { ...env?.integrations, ...(isObject(message.integrations) ? message.integrations : undefined) };
    const astrolabe = integrations.Astrolabe;
    if (astrolabe === false || (integrations.All === false && !isTruthy(astrolabe))) {
      return { status: "skipped", operations: [], errors, warnings, reason: { path: `${base}/integrations` } };
    }

    let timestamp;
    if (times.timestamp !== undefined) timestamp = times.timestamp;
    else if (message.timestamp == null && times.originalTimestamp !== undefined && times.sentAt !== undefined && times.receivedAt !== undefined) {
      timestamp = times.receivedAt - (times.sentAt - times.originalTimestamp);
    }
    const userId = readId(message.userId);
    const anonymousId = readId(message.anonymousId);
    const messageId = readId(message.messageId);
    const at = timestamp === undefined ? undefined : new Date(timestamp).toISOString();
    const operations = [];
    if (type === "identify") {
      const op = { op: "upsertUser" };
      if (userId !== undefined) op.userId = userId;
      if (anonymousId !== undefined) op.anonymousId = anonymousId;
      op.traits = message.traits ?? {};
      if (at !== undefined) op.timestamp = at;
      if (messageId !== undefined) op.messageId = messageId;
      operations.push(op);
    } else if (type === "group") {
      const groupId = readId(message.groupId);
      const account = { op: "upsertAccount", groupId, traits: message.traits ?? {} };
      if (at !== undefined) account.timestamp = at;
      if (messageId !== undefined) account.messageId = messageId;
      operations.push(account);
      if (userId !== undefined || anonymousId !== undefined) {
        const association = { op: "associateUser", groupId };
        if (userId !== undefined) association.userId = userId;
        if (anonymousId !== undefined) association.anonymousId = anonymousId;
        operations.push(association);
      }
    } else {
      const op = { op: "trackEvent", event: message.event };
      if (userId !== undefined) op.userId = userId;
      if (anonymousId !== undefined) op.anonymousId = anonymousId;
      if (contextGroupId !== undefined) op.groupId = contextGroupId;
      op.properties = message.properties ?? {};
      if (at !== undefined) op.timestamp = at;
      if (messageId !== undefined) op.messageId = messageId;
      operations.push(op);
    }
    return { status: "mapped", operations, errors, warnings };
  }

  /** `{batch: [...], context?, integrations?, sentAt?}` or an array: one outcome per item. */
  function mapBatch(input) {
    const items = Array.isArray(input) ? input : input?.batch;
    if (!Array.isArray(items)) return { outcomes: [], errors: [{ path: "/batch", message: "must be array" }] };
    if (items.length > 2500) return { outcomes: [], errors: [{ path: "/batch", message: "more than 2500 items" }] };
    const env = Array.isArray(input) ? undefined : input;
    if (env && ((env.context != null && !isObject(env.context)) || (env.integrations != null && !isObject(env.integrations)))) {
      return { outcomes: [], errors: [{ path: "", message: "context and integrations must be objects" }] };
    }
    const prefix = Array.isArray(input) ? "" : "/batch";
    return { outcomes: items.map((item, i) => mapMessage(item, `${prefix}/${i}`, env)), errors: [] };
  }

  const isBatch = (value) => Array.isArray(value) || (isObject(value) && "batch" in value && !("type" in value));

  /** Text in, text out, as an edge worker does: the limits, JSON.parse, the work, JSON.stringify. */
  function mapText(text) {
    if (text.length > 512_000) return JSON.stringify(invalid([{ path: "", message: "too large" }]));
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return JSON.stringify(invalid([{ path: "", message: error.message }]));
    }
    if (isBatch(value)) return JSON.stringify(mapBatch(value));
    if (text.length > 32_768 && Buffer.byteLength(text) > 32_768) return JSON.stringify(invalid([{ path: "", message: "too large" }]));
    return JSON.stringify(mapMessage(value));
  }

  return { mapText, mapMessage, mapBatch };
}

function isWrongId(value) {
  return value != null && typeof value !== "string" && typeof value !== "number";
}

function invalid(errors) {
  return { status: "invalid", operations: [], errors, warnings: [] };
}
