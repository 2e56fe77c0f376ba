// Compiles against the package's types: the Operation union narrows on `op`.
import { Destination, map, mapBatch, mapJson, validate, codes, version, transform, validateMapping } from "astrolabe-segment";
import type { BatchOutcome, Code, Config, Issue, MapOptions, Operation, Outcome, RuleLevels, Status, TrackingPlan, TrackingPlanRule, TunableCode, Validation } from "astrolabe-segment";

const config: Config = { strict: false };
const dest = new Destination(config);
const options: MapOptions = { type: "track" };
const outcome: Outcome = dest.map({ userId: "u", event: "e" }, options);
const status: Status = outcome.status;

function describe(operation: Operation): string {
  switch (operation.op) {
    case "upsertUser":
      return `user ${operation.userId ?? operation.anonymousId} ${Object.keys(operation.traits).length}`;
    case "upsertAccount":
      return `account ${operation.groupId.toUpperCase()}`;
    case "associateUser":
      return `associate ${operation.groupId} ${operation.userId ?? ""}`;
    case "trackEvent":
      return `event ${operation.event.length} ${operation.groupId ?? ""} ${JSON.stringify(operation.properties)}`;
    default: {
      const unreachable: never = operation;
      return unreachable;
    }
  }
}

const lines: string[] = outcome.operations.map(describe);
const firstError: Issue | undefined = outcome.errors[0];
const code: Code | undefined = firstError?.code;
const batch: BatchOutcome = dest.mapBatch({ batch: [] });
const validation: Validation = validate({ type: "identify", userId: "u" });
const text: string = mapJson(new Uint8Array([123, 125]), { type: "identify" });
const again: Outcome = map({ type: "group", groupId: "g" });
const all: readonly Code[] = codes;
const v: string = version;
const reason: string | undefined = outcome.reason?.path;
dest.free();
const transformed = transform({ a: { "@path": "$.b" } }, { b: 1 });
const problems: string[] = validateMapping({ a: { "@path": 1 } });
// @ts-expect-error: transform may return undefined.
const mustNarrow: string = transform({ a: 1 });

// Outcome is a union by status: a skipped outcome's reason needs no `!`, a mapped one has no errors.
const skipped = map({ type: "page", userId: "u" });
if (skipped.status === "skipped") {
  const why: Code = skipped.reason.code;
  void why;
} else if (skipped.status === "mapped") {
  const none: [] = skipped.errors;
  void none;
}

// Payloads typed with interfaces (no index signature) are accepted wherever JSON goes in.
interface OrderProperties {
  revenue: number;
  currency: string;
}
interface OrderCompleted {
  type: "track";
  userId: string;
  event: "Order Completed";
  properties: OrderProperties;
  timestamp: Date;
}
const order: OrderCompleted = { type: "track", userId: "u1", event: "Order Completed", properties: { revenue: 12, currency: "USD" }, timestamp: new Date(0) };
const orderOutcome: Outcome = dest.map(order);
dest.validate(order);
dest.mapBatch({ batch: [order] });
const picked = transform({ total: { "@path": "$.properties.revenue" } }, order);

// Mappings by operation and field (other names go to traits/properties); a typed tracking plan.
interface RevenueSchema {
  $schema: string;
  properties: { properties: { type: "object"; required: string[] } };
}
const revenueSchema: RevenueSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  properties: { properties: { type: "object", required: ["revenue"] } },
};
const rules: TrackingPlanRule[] = [
  { type: "TRACK", key: "Order Completed", version: 1, jsonSchema: revenueSchema },
  { type: "IDENTIFY", jsonSchema: { properties: { traits: { required: ["email"] } } } },
  { type: "COMMON", key: null, jsonSchema: true, createdAt: "2024-01-01T00:00:00Z" },
];
const plan: TrackingPlan = { rules, violations: "omitProperties", unplannedEvents: "warn", unplannedProperties: "omit" };
const levels: RuleLevels = { near_miss_reserved: "off", id_coerced: "error", context_field_type: "warning" };
const tunable: TunableCode[] = Object.keys(levels) as TunableCode[];
void tunable;
const configured = new Destination({
  rules: levels,
  strict: true,
  mappings: {
    upsertUser: { userId: { "@path": "$.traits.email" }, plan: { "@path": "$.context.plan" } },
    upsertAccount: { groupId: { "@template": "acct-{{groupId}}" } },
    associateUser: { anonymousId: null },
    trackEvent: { event: { "@case": { operator: "lower", value: { "@path": "$.event" } } }, source: "web" },
  },
  trackingPlan: plan,
});
// Plan files of other tools, as their JSON reads, with settings spread beside them.
const configApi = { display_name: "Web", rules: { events: [{ name: "Signed Up", version: 1, rules: { properties: {} } }], identify_traits: [] } };
const catalog = { name: "Web", events: [{ name: "Signed Up", eventType: "track", rules: { type: "object" }, identitySection: "properties" }] };
const listAnswer = { data: { rules: [{ type: "TRACK", key: "Signed Up", jsonSchema: {} }] } };
for (const file of [configApi, catalog, listAnswer]) {
  new Destination({ trackingPlan: { ...file, violations: "block" } }).free();
}

// These must not compile; `@ts-expect-error` fails the build if they ever do (types are not `any`).
const first = outcome.operations[0];
if (first?.op === "upsertUser") {
  // @ts-expect-error: upsertUser has no `event`.
  void first.event;
}
// @ts-expect-error: not a status.
const wrongStatus: Status = "ok";
// @ts-expect-error: not a call type.
map({}, { type: "Track" });
// @ts-expect-error: not an option.
map({}, { tpye: "track" });
// @ts-expect-error: not a config key.
new Destination({ strcit: true });
// @ts-expect-error: not a code.
const wrongCode: Code = "missing_user";
// @ts-expect-error: mapJson returns text.
const notText: Outcome = mapJson("{}");

export { configured, orderOutcome, picked, transformed, problems, mustNarrow, lines, status, code, batch, validation, text, again, all, v, reason, wrongStatus, wrongCode, notText };
