// The init entries: the API once init or initSync has run, from bytes, a URL or a compiled module.
import init, { Destination, initSync, map } from "astrolabe-segment/init";
import liteInit, { Destination as LiteDestination } from "astrolabe-segment/lite/init";

declare const bytes: Uint8Array;
declare const compiled: object;
initSync(bytes);
initSync({ module: compiled });
await init("https://example.com/astrolabe_segment_bg.wasm");
await init(Promise.resolve(bytes));
await liteInit();
const status: "mapped" | "skipped" | "invalid" = map({ type: "identify", userId: "u" }).status;
new Destination({ trackingPlan: { rules: [] } });
// @ts-expect-error: the lite build has no tracking plans.
new LiteDestination({ trackingPlan: { rules: [] } });
export { status };
