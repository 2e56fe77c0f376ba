// Numbers reach the core the same way whatever the entry: a JS value's numbers are written as
// JSON.stringify writes them, so `map(value)` and `mapJson(JSON.stringify(value))` send the same
// ids. Past 2^53 a JS number is not the integer its source spelled: 157963456373623802 is the
// double 157963456373623808, which JSON.stringify (and analytics-node) writes "157963456373623800".
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadAll } from "./helpers.mjs";

const loaded = await loadAll();

const ids = [157963456373623802, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 63, 18446744073709549568, 2 ** 64, 1e21, 1.5e300, 0.1, -0];

for (const { label, api } of loaded) {
  describe(`numbers, ${label}`, () => {
    test("a numeric id gives the same string through map, validate, mapBatch and mapJson", () => {
      for (const id of ids) {
        const message = { type: "track", anonymousId: id, event: "e", properties: { id } };
        const viaText = JSON.parse(api.mapJson(JSON.stringify(message)));
        const viaValue = api.map(message);
        assert.equal(viaText.operations[0].anonymousId, String(id), `mapJson of ${id}`);
        assert.deepEqual(viaValue, viaText, `map of ${id}`);
        assert.deepEqual(api.mapBatch({ batch: [message] }).outcomes[0].operations, viaText.operations, `mapBatch of ${id}`);
        assert.deepEqual(api.validate(message).warnings, viaText.warnings, `validate of ${id}`);
        const strict = new api.Destination({ strict: true });
        assert.deepEqual(strict.map(message), JSON.parse(strict.mapJson(JSON.stringify(message))), `strict map of ${id}`);
      }
    });

    test("157963456373623802 is sent as \"157963456373623800\", as analytics-node sends it", () => {
      const outcome = api.map({ type: "track", anonymousId: 157963456373623802, event: "e" });
      assert.equal(outcome.operations[0].anonymousId, "157963456373623800");
    });
  });
}
