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

export default {
  async test() {
    exercise(full, "full");
    exercise(lite, "lite");
  },
};
