// Deno entry: the same handler behind Deno.serve. `astrolabe-segment` resolves through its `deno`
// export condition (the .wasm imported as a module: no --allow-read, no network).
//
//   deno run --allow-net --allow-env src/deno.js
//
// Settings are read from the environment (ASTROLABE_ENDPOINT, ASTROLABE_API_KEY,
// SEGMENT_WRITE_KEY, ASTROLABE_RETRY_*); PORT and HOSTNAME choose the address (127.0.0.1:8787).
import { Destination } from "astrolabe-segment";
import { createHandler, SETTINGS } from "./handler.js";

const handle = createHandler({ destination: new Destination({ strict: false }) });

const env = Object.fromEntries(SETTINGS.map((name) => [name, Deno.env.get(name)]));

const port = Number(Deno.env.get("PORT") ?? 8787);
const hostname = Deno.env.get("HOSTNAME") ?? "127.0.0.1";

Deno.serve({
  port,
  hostname,
  onListen({ hostname, port }) {
    console.log(JSON.stringify({ level: "info", listening: `http://${hostname}:${port}` }));
  },
}, (request) => handle(request, env));
