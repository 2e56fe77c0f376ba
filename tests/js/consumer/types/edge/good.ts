// The edge handler (`astrolabe-segment/edge`), as a Worker, a Deno server and a Vercel Edge
// Function use it, with the runtime's Request and Response (here the DOM library's).
import { createHandler, findRoute, ROUTES, SETTINGS, signatureOf } from "astrolabe-segment/edge";
import type { EdgeDeps, EdgeHandler, EdgeRoute, EdgeSettingName, EdgeSettings } from "astrolabe-segment/edge";
import { Destination } from "astrolabe-segment/lite";

// Cloudflare Workers: settings come with each request, as bindings among others.
interface Env {
  ASTROLABE_ENDPOINT: string;
  ASTROLABE_API_KEY: string;
  RATE_LIMITER: { limit(options: { key: string }): Promise<{ success: boolean }> };
}
const worker = { fetch: createHandler() };
declare const env: Env;
declare const request: Request;
const answered: Promise<Response> = worker.fetch(request, env, { waitUntil() {} });

// Deno and Vercel: an environment of strings, read once.
declare const processEnv: { [name: string]: string | undefined };
const handle: EdgeHandler = createHandler(processEnv);
const settings: EdgeSettings = { ASTROLABE_ENDPOINT: "https://astrolabe.example.com/v1/operations", ASTROLABE_BODY_TIMEOUT_MS: "5000" };
const deps: EdgeDeps = {
  destination: new Destination({ strict: false }),
  fetch: (input, init) => fetch(input, init),
  log: (line) => console.log(line),
  now: () => Date.now(),
};
createHandler(settings, deps);

const names: readonly EdgeSettingName[] = SETTINGS;
const route: EdgeRoute | undefined = ROUTES["/v1/track"];
const found = findRoute("/v1/t/");
const type = found?.kind === "single" ? found.type : undefined;
const limit = found !== undefined && found.kind !== "health" ? found.limit : 0;
const signature: Promise<string> = signatureOf(new TextEncoder().encode("{}"), "secret");

// @ts-expect-error: settings are strings.
createHandler({ ASTROLABE_BODY_TIMEOUT_MS: 5000 });
// @ts-expect-error: not a dependency.
createHandler({}, { destinaton: new Destination() });
// @ts-expect-error: a Destination-like needs mapJson.
createHandler({}, { destination: {} });
// @ts-expect-error: a health route has no limit.
void (found?.kind === "health" ? found.limit : 0);

export { answered, handle, names, route, type, limit, signature };
