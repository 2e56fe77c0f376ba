// Who may send: Segment's write key (SEGMENT_WRITE_KEY) as its SDKs and HTTP API carry it, and
// the X-Signature of Segment's Webhooks destination (SEGMENT_SHARED_SECRET).
import { issue, json } from "./respond.js";

/** The user name of an HTTP Basic header (Segment sends the write key as user, no password). */
export function basicUser(header) {
  const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  let decoded;
  try {
    const binary = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/**
 * The write keys a JSON body carries: its own top-level `writeKey` (a message, or a batch
 * envelope as analytics-node and analytics.js send it), else the `writeKey` of every item of a
 * batch (what older browser senders and hand-made batches carry). Undefined when the body has
 * none, or when an item of such a batch lacks one: every item must be vouched for.
 */
export function bodyWriteKeys(bytes) {
  let value;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && typeof value.writeKey === "string") return [value.writeKey];
  const items = Array.isArray(value) ? value : Array.isArray(value.batch) ? value.batch : undefined;
  if (items === undefined || items.length === 0) return undefined;
  const keys = items.map((item) => (item !== null && typeof item === "object" && typeof item.writeKey === "string" ? item.writeKey : undefined));
  return keys.includes(undefined) ? undefined : keys;
}

/**
 * Compares two strings in time that depends only on the length of `expected`, not on where they
 * differ (their UTF-8 bytes; a length mismatch is folded into the result).
 */
export function constantTimeEqual(given, expected) {
  return constantTimeBytesEqual(new TextEncoder().encode(String(given)), new TextEncoder().encode(String(expected)));
}

function constantTimeBytesEqual(a, b) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i += 1) {
    diff |= (a.length > 0 ? a[i % a.length] : 0) ^ b[i];
  }
  return diff === 0;
}

/**
 * Whether `header` (X-Signature) is the hex HMAC-SHA1 of `bytes` with `secret`, as Segment's
 * Webhooks destination signs. Over the body's bytes as sent (a Content-Encoding undone), never
 * a re-serialization: JSON parsed and written again need not give back the bytes Segment signed.
 */
export async function signatureValid(bytes, header, secret) {
  const given = hexBytes(header);
  if (given === undefined) return false;
  return constantTimeBytesEqual(given, await hmacSha1(secret, bytes));
}

/** The hex HMAC-SHA1 of `bytes` with `secret` (what X-Signature carries). */
export async function signatureOf(bytes, secret) {
  return [...(await hmacSha1(secret, bytes))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function hmacSha1(secret, bytes) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
}

/** The 20 bytes of a 40-digit hex SHA-1 (either case), or undefined. */
function hexBytes(text) {
  const hex = typeof text === "string" ? text.trim() : "";
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) return undefined;
  return Uint8Array.from({ length: 20 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** The 401 of a request without a valid write key; the Basic challenge says how to send one. */
export function unauthorized(message) {
  return json(
    401,
    { message, errors: [issue("unauthorized", "", "Missing or invalid write key.")] },
    { "www-authenticate": 'Basic realm="Segment", charset="UTF-8"' },
  );
}

/** The 401 of a Segment delivery without a valid X-Signature. */
export function badSignature(message) {
  return json(
    401,
    { message, errors: [issue("invalid_signature", "", "Missing or invalid X-Signature.")] },
    { "www-authenticate": 'HMAC-SHA1 realm="Segment webhook", header="X-Signature"' },
  );
}
