// Share links: the payload and settings travel in the URL fragment, which browsers never send to a
// server. `#z=` holds base64url of deflate-raw compressed JSON (CompressionStream), `#s=` the same
// JSON uncompressed (browsers without CompressionStream, and links written by hand).
// The JSON is {v: 1, payload, type, strict, privacy?, mappings?, trackingPlan?}; payload, mappings and
// trackingPlan are the editors' texts as typed (broken JSON included).

export const CALL_TYPES = ["auto", "identify", "group", "track"];
/** What the playground does with personal data it finds (`privacy.action`, or off). */
export const PRIVACY_ACTIONS = ["warn", "redact", "hash", "block", "off"];
/** A share link never inflates to more than this (a 32 KiB payload plus settings fits easily). */
const MAX_STATE_BYTES = 1 << 20;

/** The state with every field checked and defaulted; null when it is not a state at all. */
export function normalizeState(raw) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || typeof raw.payload !== "string") {
    return null;
  }
  const state = {
    payload: raw.payload,
    type: CALL_TYPES.includes(raw.type) ? raw.type : "auto",
    strict: raw.strict === true,
  };
  // The page's default ("warn") goes without saying, so that links stay as they were.
  if (PRIVACY_ACTIONS.includes(raw.privacy) && raw.privacy !== "warn") state.privacy = raw.privacy;
  for (const key of ["mappings", "trackingPlan"]) {
    if (typeof raw[key] === "string" && raw[key].trim() !== "") state[key] = raw[key];
  }
  return state;
}

export function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error("share link too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const canCompress = () => typeof CompressionStream === "function" && typeof DecompressionStream === "function";

/**
 * The fragment (without "#") that restores `state`. `compress: false` forces the plain form.
 */
export async function encodeState(state, { compress = canCompress() } = {}) {
  const clean = normalizeState(state);
  if (clean === null) throw new TypeError("a state needs a payload string");
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...clean }));
  if (compress) {
    return `z=${toBase64Url(await pipe(json, new CompressionStream("deflate-raw")))}`;
  }
  return `s=${toBase64Url(json)}`;
}

/** The state a fragment (with or without "#") holds; null when it holds none or is damaged. */
export async function decodeState(fragment) {
  const params = new URLSearchParams(String(fragment ?? "").replace(/^#/, ""));
  try {
    let bytes;
    if (params.has("z")) {
      if (!canCompress()) return null;
      bytes = await pipe(fromBase64Url(params.get("z")), new DecompressionStream("deflate-raw"), MAX_STATE_BYTES);
    } else if (params.has("s")) {
      bytes = fromBase64Url(params.get("s"));
      if (bytes.length > MAX_STATE_BYTES) return null;
    } else {
      return null;
    }
    return normalizeState(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  } catch {
    return null;
  }
}

/** The full share URL for a page URL (its own fragment replaced). */
export async function shareUrl(pageUrl, state, options) {
  const url = new URL(pageUrl);
  url.hash = await encodeState(state, options);
  return url.href;
}
