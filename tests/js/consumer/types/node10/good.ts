// TypeScript 5 with `moduleResolution: node10` (no `exports`): the subpaths resolve through
// `typesVersions`, each to its own types (lite refuses a tracking plan, so it is not index.d.ts).
import { Destination, map } from "astrolabe-segment";
import { Destination as LiteDestination } from "astrolabe-segment/lite";
import { initSync } from "astrolabe-segment/init";
import { initSync as liteInitSync } from "astrolabe-segment/lite/init";

new Destination({ trackingPlan: { rules: [], violations: "block" } });
// @ts-expect-error: the lite build has no tracking plans.
new LiteDestination({ trackingPlan: { rules: [] } });
const outcome = map({ type: "page", userId: "u" });
export const reason = outcome.status === "skipped" ? outcome.reason.code : undefined;
export const loaders = [initSync, liteInitSync];
