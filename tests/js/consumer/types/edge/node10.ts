// TypeScript 5 with `moduleResolution: node10` (no `exports`): `astrolabe-segment/edge` resolves
// to its types through `typesVersions`.
import { createHandler } from "astrolabe-segment/edge";

// @ts-expect-error: settings are strings.
createHandler({ ASTROLABE_MAX_CONCURRENT: 8 });
export const handle = createHandler({ ASTROLABE_MAX_CONCURRENT: "8" });
