// The request body: limited before it is parsed, whether or not its length is declared, and
// counted decompressed, so that a small gzip bomb cannot get past the limit; and read within a
// deadline, so that a sender that stops half-way (or trickles bytes) cannot hold the request open.
import { issue } from "./respond.js";
import { LIMITS } from "./routes.js";

/** The default deadline of reading a body, in ms (ASTROLABE_BODY_TIMEOUT_MS). */
export const BODY_TIMEOUT_MS = 10_000;

/**
 * Reads the body, at most `limit` bytes (LIMITS.single or LIMITS.batch), all of it within
 * `timeoutMs` of the start.
 * @returns {Promise<{ bytes: Uint8Array } | { error: { status, code, message, issue, close? } }>}
 */
export async function readBody(request, limit, timeoutMs = BODY_TIMEOUT_MS) {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    return tooLarge(limit);
  }
  if (request.body === null) return { bytes: new Uint8Array(0) };

  let stream = request.body;
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "gzip" || encoding === "deflate") {
    stream = stream.pipeThrough(new DecompressionStream(encoding));
  } else if (encoding !== "identity" && encoding !== "") {
    await request.body.cancel().catch(() => {});
    return {
      error: {
        status: 415,
        code: "unsupported_encoding",
        message: `Content-Encoding ${encoding} is not supported; send identity or gzip.`,
        issue: issue("invalid_json", "", `The body is encoded with ${encoding}.`),
      },
    };
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  // At the deadline the stream is cancelled: that settles the read in progress (done, or an
  // error), and tells the runtime that the rest of the body is not wanted.
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    reader.cancel().catch(() => {});
  }, Math.max(1, timeoutMs));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (expired) return timedOut(timeoutMs);
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch {
    if (expired) return timedOut(timeoutMs);
    return {
      error: {
        status: 400,
        code: "unreadable_body",
        message: "The body could not be read (a broken stream or compressed data).",
        issue: issue("invalid_json", "", "The body could not be read."),
      },
    };
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
}

/**
 * The 408 of a body that did not arrive in time. `close`: the connection cannot carry another
 * request (the rest of this body is still owed on it), so the answer asks for it to be closed.
 */
function timedOut(timeoutMs) {
  return {
    error: {
      status: 408,
      code: "body_timeout",
      message: `The body did not arrive within ${timeoutMs} ms (ASTROLABE_BODY_TIMEOUT_MS); nothing was forwarded. Send it again.`,
      issue: issue("body_timeout", "", `The body did not arrive within ${timeoutMs} ms.`),
      close: true,
    },
  };
}

/** The 413 of a body over `limit`. */
export function tooLarge(limit) {
  const isBatch = limit === LIMITS.batch;
  return {
    error: {
      status: 413,
      code: "too_large",
      message: `The body is over ${limit} bytes, the limit of this endpoint.`,
      issue: issue(
        isBatch ? "batch_too_large" : "too_large",
        "",
        isBatch ? `A batch may have at most ${limit} bytes (500 KB).` : `A message may have at most ${limit} bytes (32 KB).`,
      ),
    },
  };
}
