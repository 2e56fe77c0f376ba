// The identity of what is delivered: every operation carries its message's `messageId`, so
// Astrolabe can drop a repeat per operation, whatever request or batch the message arrives in.
//
// A message without a `messageId` gets one derived from what it maps to and from how many
// identical messages came before it in the same request. So a sender's retry of the same body
// gets the same ids, and two identical messages inside one batch do not collide. Two requests
// whose message is identical and carries neither `messageId` nor `timestamp` cannot be told
// apart from a retry by any scheme: they get one id, and Astrolabe keeps one (the README's
// delivery contract says so). Segment's SDKs always send both.

/** The prefix of a derived id, so Astrolabe and its logs can tell it from a sender's own. */
export const DERIVED_PREFIX = "edge-";

/**
 * The operations of a request, each carrying its message's id.
 * @param {object[][]} messages the operations of each mapped message, in request order
 * @returns {Promise<{ operations: object[], derived: number[] }>} `derived`: the indexes (into
 *   `messages`) whose id was derived
 */
export async function withMessageIds(messages) {
  const operations = [];
  const derived = [];
  const occurrences = new Map();
  for (const [index, group] of messages.entries()) {
    let id = group.find((operation) => isId(operation.messageId))?.messageId;
    if (id === undefined) {
      const content = JSON.stringify(group);
      const seen = occurrences.get(content) ?? 0;
      occurrences.set(content, seen + 1);
      id = DERIVED_PREFIX + (await sha256Hex(`${content}\n${seen}`)).slice(0, 32);
      derived.push(index);
    }
    for (const operation of group) {
      operations.push(operation.messageId === id ? operation : { ...operation, messageId: id });
    }
  }
  return { operations, derived };
}

/**
 * The request's `Idempotency-Key`: the SHA-256 of its operations' names and message ids, the same
 * on the worker's retries and on a sender's retry of the same body.
 */
export function idempotencyKey(operations) {
  return sha256Hex(JSON.stringify(operations.map((operation) => [operation.op, operation.messageId])));
}

/**
 * The Idempotency-Key of a request's quarantine records: the SHA-256 of its route, a newline and
 * its body's bytes, so that a sender's retry of the same body gets the same key (the records
 * differ: each request has its own id and time).
 */
export async function quarantineKey(route, bytes) {
  const head = new TextEncoder().encode(`${route}\n`);
  const data = new Uint8Array(head.length + bytes.length);
  data.set(head, 0);
  data.set(bytes, head.length);
  return hex(await crypto.subtle.digest("SHA-256", data));
}

function isId(value) {
  return typeof value === "string" && value !== "";
}

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function hex(digest) {
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
