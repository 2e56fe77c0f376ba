// The Worker: the package's edge handler, with its settings from the Worker's bindings
// (wrangler.toml's [vars], and secrets). `astrolabe-segment` loads its .wasm through the
// `workerd` export condition, as a compiled module; the handler is made once per isolate.
import { createHandler } from "astrolabe-segment/edge";

export default { fetch: createHandler() };
