// Segment's own engine, @segment/actions-core, doing the same job the way an Actions destination
// does it: one action per Astrolabe operation, each with its field definitions (turned into a JSON
// Schema by `fieldsToJsonSchema`, as `new Action()` does) and default mappings like the package's
// (`custom::default_directives()`); per message, what `Action.execute` runs before `perform`:
// mapping-kit's `transform`, `removeEmptyValues`, `validateSchema` (ajv with coerceTypes, cached
// by schema key), then `perform`'s own checks and the operation. Text in, JSON.stringify out.
//
// What Segment does upstream of a destination is done here in plain JS: the subscription by
// `type` (page, screen, alias, delete are skipped, anything else invalid), `integrations`, batch
// envelopes merged into each item, and the clock-skew corrected `timestamp`.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

export function createActions() {
  const core = require("@segment/actions-core");
  // Not in the package's `exports`, but what Action.execute calls: loaded by its file path.
  const root = dirname(dirname(require.resolve("@segment/actions-core")));
  const { removeEmptyValues } = require(join(root, "cjs", "remove-empty-values.js"));
  const { transform, fieldsToJsonSchema, validateSchema, PayloadValidationError } = core;

  const fields = {
    userId: { label: "User ID", type: "string", allowNull: false },
    anonymousId: { label: "Anonymous ID", type: "string" },
    groupId: { label: "Group ID", type: "string", required: true },
    traits: { label: "Traits", type: "object", defaultObjectUI: "keyvalue" },
    properties: { label: "Properties", type: "object", defaultObjectUI: "keyvalue" },
    event: { label: "Event", type: "string", required: true },
    timestamp: { label: "Timestamp", type: "datetime" },
    messageId: { label: "Message ID", type: "string" },
  };
  const pick = (names, overrides = {}) => Object.fromEntries(names.map((name) => [name, { ...fields[name], ...overrides[name] }]));
  const path = (p) => ({ "@path": p });
  const actions = {
    upsertUser: {
      fields: pick(["userId", "anonymousId", "traits", "timestamp", "messageId"]),
      mapping: { userId: path("$.userId"), anonymousId: path("$.anonymousId"), traits: path("$.traits"), timestamp: path("$.timestamp"), messageId: path("$.messageId") },
    },
    upsertAccount: {
      fields: pick(["groupId", "traits", "timestamp", "messageId"]),
      mapping: { groupId: path("$.groupId"), traits: path("$.traits"), timestamp: path("$.timestamp"), messageId: path("$.messageId") },
    },
    associateUser: {
      fields: pick(["groupId", "userId", "anonymousId"]),
      mapping: { groupId: path("$.groupId"), userId: path("$.userId"), anonymousId: path("$.anonymousId") },
    },
    trackEvent: {
      fields: { ...pick(["event", "userId", "anonymousId", "properties", "timestamp", "messageId"]), groupId: { label: "Group ID", type: "string" } },
      mapping: {
        event: path("$.event"),
        userId: path("$.userId"),
        anonymousId: path("$.anonymousId"),
        groupId: path("$.context.groupId"),
        properties: path("$.properties"),
        timestamp: path("$.timestamp"),
        messageId: path("$.messageId"),
      },
    },
  };
  for (const [name, action] of Object.entries(actions)) {
    action.schema = fieldsToJsonSchema(action.fields);
    action.key = `Astrolabe:${name}`;
  }
  const subscriptions = { identify: ["upsertUser"], group: ["upsertAccount", "associateUser"], track: ["trackEvent"] };
  const SKIPPED = new Set(["page", "screen", "alias", "delete"]);

  const nonBlank = (value) => (typeof value === "string" && value.trim() ? value : undefined);
  const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

  /** Action.execute up to perform: transform, removeEmptyValues, validateSchema (throws). */
  function execute(action, data) {
    let payload = transform(action.mapping, data);
    payload = removeEmptyValues(payload, action.schema, true);
    validateSchema(payload, action.schema, { schemaKey: action.key, exempt: ["dynamicAuthSettings"] });
    return payload;
  }

  /** perform: what the field schema cannot say, then the operation in the package's shape. */
  const perform = {
    upsertUser(p) {
      if (!nonBlank(p.userId) && !nonBlank(p.anonymousId)) throw new PayloadValidationError("userId or anonymousId is required");
      return withTime({ op: "upsertUser", userId: nonBlank(p.userId), anonymousId: nonBlank(p.anonymousId), traits: p.traits ?? {} }, p);
    },
    upsertAccount(p) {
      if (!nonBlank(p.groupId)) throw new PayloadValidationError("groupId is required");
      return withTime({ op: "upsertAccount", groupId: p.groupId, traits: p.traits ?? {} }, p);
    },
    associateUser(p) {
      if (!nonBlank(p.userId) && !nonBlank(p.anonymousId)) return undefined; // no user: nothing to associate
      return { op: "associateUser", groupId: p.groupId, userId: nonBlank(p.userId), anonymousId: nonBlank(p.anonymousId) };
    },
    trackEvent(p) {
      if (!nonBlank(p.event)) throw new PayloadValidationError("event is required");
      if (!nonBlank(p.userId) && !nonBlank(p.anonymousId)) throw new PayloadValidationError("userId or anonymousId is required");
      const op = { op: "trackEvent", event: p.event, userId: nonBlank(p.userId), anonymousId: nonBlank(p.anonymousId), groupId: nonBlank(p.groupId) };
      op.properties = p.properties ?? {};
      return withTime(op, p);
    },
  };
  function withTime(op, p) {
    if (p.timestamp !== undefined) {
      const at = new Date(p.timestamp);
      if (!Number.isNaN(at.getTime())) op.timestamp = at.toISOString();
    }
    if (p.messageId !== undefined) op.messageId = p.messageId;
    return op;
  }

  /** Segment, upstream: the envelope under the item's own keys, and the corrected timestamp. */
  function normalize(message, env) {
    let data = message;
    if (env && (env.context || env.integrations || env.sentAt)) {
      data = { ...message };
      if (env.context) data.context = { ...env.context, ...(isObject(message.context) ? message.context : undefined) };
      if (env.integrations) data.integrations = { ...env.integrations, ...(isObject(message.integrations) ? message.integrations : undefined) };
      if (data.sentAt == null && env.sentAt != null) data.sentAt = env.sentAt;
    }
    if (data.timestamp == null && data.originalTimestamp && data.sentAt && data.receivedAt) {
      const skew = Date.parse(data.receivedAt) - (Date.parse(data.sentAt) - Date.parse(data.originalTimestamp));
      if (!Number.isNaN(skew)) data = { ...data, timestamp: new Date(skew).toISOString() };
    }
    return data;
  }

  function mapMessage(message, env) {
    if (!isObject(message)) return invalid("A message must be an object");
    if (SKIPPED.has(message.type)) return { status: "skipped", operations: [], errors: [], warnings: [] };
    const names = subscriptions[message.type];
    if (!names) return invalid(`Unknown type ${message.type}`);
    const data = normalize(message, env);
    // The subscription's other half: a destination turned off by `integrations` gets nothing.
    const integrations = isObject(data.integrations) ? data.integrations : {};
    for (const key of ["traits", "properties", "context", "integrations"]) {
      if (data[key] != null && !isObject(data[key])) return invalid(`${key} must be an object`);
    }
    const operations = [];
    try {
      for (const name of names) {
        const op = perform[name](execute(actions[name], data));
        if (op) operations.push(op);
      }
    } catch (error) {
      return invalid(error.message);
    }
    if (integrations.Astrolabe === false || (integrations.All === false && !integrations.Astrolabe)) {
      return { status: "skipped", operations: [], errors: [], warnings: [] };
    }
    return { status: "mapped", operations, errors: [], warnings: [] };
  }

  function mapText(text) {
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return JSON.stringify(invalid(error.message));
    }
    if (Array.isArray(value) || (isObject(value) && "batch" in value && !("type" in value))) {
      const items = Array.isArray(value) ? value : value.batch;
      const env = Array.isArray(value) ? undefined : value;
      return JSON.stringify({ outcomes: items.map((item) => mapMessage(item, env)), errors: [] });
    }
    return JSON.stringify(mapMessage(value));
  }

  return { mapText, mapMessage };
}

function invalid(message) {
  return { status: "invalid", operations: [], errors: [{ message }], warnings: [] };
}
