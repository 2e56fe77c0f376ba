// The request body: limited before it is parsed, whether or not its length is declared, and
// counted decompressed, so that a small gzip bomb cannot get past the limit.
import { issue } from "./respond.js";
import { LIMITS } from "./routes.js";

/**
 * Reads the body, at most `limit` bytes (LIMITS.single or LIMITS.batch).
 * @returns {Promise<{ bytes: Uint8Array } | { error: { status, code, message, issue } }>}
 */
export async function readBody(request, limit) {
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
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch {
    return {
      error: {
        status: 400,
        code: "unreadable_body",
        message: "The body could not be read (a broken stream or compressed data).",
        issue: issue("invalid_json", "", "The body could not be read."),
      },
    };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
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
