// Deno: the package's edge handler behind Deno.serve. `astrolabe-segment` loads its .wasm through
// the `deno` export condition (imported as a module: no --allow-read, no network).
//
//   deno run --allow-net --allow-env server.js
//
// Settings from the environment (ASTROLABE_ENDPOINT, ASTROLABE_API_KEY, SEGMENT_WRITE_KEY, ...:
// SETTINGS); PORT and HOSTNAME choose the address (127.0.0.1:8787).
import { createHandler, SETTINGS } from "astrolabe-segment/edge";

const handle = createHandler(Object.fromEntries(SETTINGS.map((name) => [name, Deno.env.get(name)])));

Deno.serve({
  port: Number(Deno.env.get("PORT") ?? 8787),
  hostname: Deno.env.get("HOSTNAME") ?? "127.0.0.1",
  onListen({ hostname, port }) {
    console.log(JSON.stringify({ level: "info", listening: `http://${hostname}:${port}` }));
  },
}, (request) => handle(request));
