// A Vercel Edge Function: the package's edge handler, with its settings from the project's
// environment variables. vercel.json sends every path here (/v1/..., /webhook, /health), and the
// handler routes by the path the sender asked for. `astrolabe-segment` loads its .wasm through the
// `edge-light` export condition (`?module`: compiled at deploy time).
import { createHandler } from "astrolabe-segment/edge";

export const config = { runtime: "edge" };

const handle = createHandler(process.env);

export default function segment(request) {
  return handle(request);
}
