// `'now' | date` read the system clock, which WebAssembly in a JS host does not have: the call
// trapped the module ("unreachable"). The bindings give the library the host's Date.now().
import { test } from "node:test";
import assert from "node:assert/strict";
import * as full from "astrolabe-segment";

test("'now' and 'today' are the host's current moment, in transform and in a Destination", () => {
  const before = new Date();
  const rendered = full.transform(
    {
      year: { "@liquid": "{{ 'now' | date: '%Y' }}" },
      day: { "@liquid": "{{ 'today' | date: '%Y-%m-%d' }}" },
      seconds: { "@liquid": "{{ 'now' | date: '%s' }}" },
    },
    {},
  );
  const after = new Date();
  assert.ok([before, after].some((moment) => String(moment.getUTCFullYear()) === rendered.year), JSON.stringify(rendered));
  assert.ok([before, after].some((moment) => moment.toISOString().slice(0, 10) === rendered.day), JSON.stringify(rendered));
  const seconds = Number(rendered.seconds);
  assert.ok(seconds >= Math.floor(before.getTime() / 1000) && seconds <= Math.ceil(after.getTime() / 1000), JSON.stringify(rendered));

  const destination = new full.Destination({
    mappings: { trackEvent: { event: "$.event", properties: { seenIn: { "@liquid": "{{ 'now' | date: '%Y' }}" } } } },
  });
  const outcome = destination.map({ type: "track", userId: "u1", event: "Signed Up" });
  assert.equal(outcome.status, "mapped", JSON.stringify(outcome));
  assert.ok([before, after].some((moment) => String(moment.getUTCFullYear()) === outcome.operations[0].properties.seenIn), JSON.stringify(outcome));
  destination.free();
});
