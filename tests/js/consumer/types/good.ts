// Compiles against the package's types: the Operation union narrows on `op`.
import { Destination, map, mapBatch, mapJson, validate, codes, version, transform, validateMapping } from "astrolabe-segment";
import type { BatchOutcome, Code, Config, Issue, MapOptions, Operation, Outcome, Status, Validation } from "astrolabe-segment";

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

export { transformed, problems, mustNarrow, lines, status, code, batch, validation, text, again, all, v, reason, wrongStatus, wrongCode, notText };
