// A Worker that imports the package by name, as a wrangler project would; `run.mjs` links the
// name to the entry the `workerd` exports condition selects. workerd calls `test()` of each service.
import * as full from "astrolabe-segment";
import * as lite from "astrolabe-segment/lite";

function check(condition, what) {
  if (!condition) throw new Error(what);
}

function exercise(api, name) {
  const destination = new api.Destination();
  const outcome = destination.map({
    type: "track",
    userId: "u1",
    event: "Order Completed",
    context: { groupId: "acme" },
    properties: { revenue: 30.5, when: new Date(0) },
  });
  check(outcome.status === "mapped", `${name}: ${JSON.stringify(outcome)}`);
  const [operation] = outcome.operations;
  check(operation.op === "trackEvent" && operation.groupId === "acme", `${name}: ${JSON.stringify(operation)}`);
  check(operation.properties.when === "1970-01-01T00:00:00.000Z", `${name}: Date`);
  check(Object.getPrototypeOf(operation) === Object.prototype, `${name}: plain object`);
  const refused = JSON.parse(destination.mapJson(new Uint8Array([0xff])));
  check(refused.status === "invalid" && refused.errors[0].code === "invalid_json", `${name}: mapJson`);
  check(api.validate({ type: "identify" }).errors[0].code === "missing_identity", `${name}: validate`);
  const mapped = api.transform({ plan: { "@path": "$.traits.plan" } }, { traits: { plan: "pro" } });
  check(JSON.stringify(mapped) === '{"plan":"pro"}', `${name}: transform`);
  destination.free();
  console.log(`${name}: mapped ${operation.op} on workerd, version ${api.version}`);
}

// A tracking plan is compiled at run time inside workerd (no `new Function`, unlike ajv) and
// enforced; the lite build refuses it, as it refuses `@liquid`.
function trackingPlan() {
  const trackingPlan = {
    rules: [
      {
        type: "TRACK",
        key: "Order Completed",
        version: 1,
        jsonSchema: {
          $schema: "http://json-schema.org/draft-07/schema#",
          properties: {
            properties: {
              type: "object",
              required: ["revenue"],
              properties: { revenue: { type: "number" }, email: { type: "string", format: "email" } },
            },
          },
        },
      },
    ],
    unplannedEvents: "block",
    violations: "block",
  };
  const destination = new full.Destination({ trackingPlan });
  const bad = destination.map({ type: "track", userId: "u1", event: "Order Completed", properties: { revenue: "12", email: "nope" } });
  const violations = bad.errors.filter((issue) => issue.code === "plan_violation").map((issue) => issue.path).sort();
  check(bad.status === "invalid" && JSON.stringify(violations) === '["/properties/email","/properties/revenue"]', `plan: ${JSON.stringify(bad)}`);
  const unplanned = destination.map({ type: "track", userId: "u1", event: "Other" });
  check(unplanned.errors[0].code === "unplanned_event" && unplanned.errors[0].path === "/event", `plan: ${JSON.stringify(unplanned)}`);
  const good = destination.map({ type: "track", userId: "u1", event: "Order Completed", properties: { revenue: 12 } });
  check(good.status === "mapped", `plan: ${JSON.stringify(good)}`);
  const liquid = full.transform({ greeting: { "@liquid": "Hi {{ traits.name | upcase }}" } }, { traits: { name: "ada" } });
  check(liquid.greeting === "Hi ADA", `liquid: ${JSON.stringify(liquid)}`);
  let refusal = "";
  try {
    new lite.Destination({ trackingPlan });
  } catch (error) {
    refusal = String(error.message);
  }
  check(refusal.includes("trackingPlan is not available"), `lite plan: ${refusal}`);
  console.log("full: tracking plan compiled and enforced on workerd; lite refuses it");
}

// A trap (the test-only one, under a registered symbol on Destination) re-instantiates the module: Workers cannot compile bytes, so
// the entry instantiates the same imported Module again. The call throws one Error; the next call,
// and a Destination made before (rebuilt from its settings), work.
function trapRecovery(api, name) {
  const strict = new api.Destination({ strict: true });
  let thrown;
  try {
    api.Destination[Symbol.for("astrolabe-segment.test.forceTrap")]({ properties: [1, { a: "x" }] });
  } catch (error) {
    thrown = error;
  }
  check(thrown instanceof Error && /internal error/.test(thrown.message), `${name}: trap: ${thrown}`);
  check(thrown.cause instanceof WebAssembly.RuntimeError, `${name}: trap cause: ${thrown.cause}`);
  check(api.map({ type: "identify", userId: "u1" }).status === "mapped", `${name}: map after a trap`);
  check(JSON.parse(api.mapJson('{"type":"identify","userId":"u1"}')).status === "mapped", `${name}: mapJson after a trap`);
  check(strict.map({ type: "track", userId: 1, event: "e" }).status === "invalid", `${name}: a Destination made before`);
  strict.free();
  console.log(`${name}: a trap re-instantiated the module on workerd; later calls work`);
}

export default {
  async test() {
    exercise(full, "full");
    exercise(lite, "lite");
    trackingPlan();
    trapRecovery(full, "full");
    trapRecovery(lite, "lite");
  },
};
