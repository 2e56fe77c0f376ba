// Cloudflare Workers entry. `astrolabe-segment` resolves through its `workerd` export condition,
// which imports the .wasm as a compiled module (Workers cannot compile WebAssembly from bytes).
import { Destination } from "astrolabe-segment";
import { createHandler } from "./handler.js";

// Built once per isolate, at module scope, and reused by every request.
const handle = createHandler({ destination: new Destination({ strict: false }) });

export default {
  fetch(request, env) {
    return handle(request, env);
  },
};
