// Types of `astrolabe-segment/edge`: the edge handler, Segment's HTTP Tracking API (and its
// Webhooks destination) in front of Astrolabe. `Request` and `Response` are the runtime's own
// (the DOM library, @cloudflare/workers-types, Deno's or Node's globals).
import type { CallType } from "./core.js";

/** The handler's settings, by the names of their environment variables (all strings, all optional). */
export interface EdgeSettings {
  /** URL the operations are POSTed to, as `{"operations": [...]}`; redirects are never followed. */
  ASTROLABE_ENDPOINT?: string;
  /** Sent upstream as `Authorization: Bearer <key>`. */
  ASTROLABE_API_KEY?: string;
  /** When set, senders must authenticate with it (HTTP Basic user name, or `writeKey` in the body). */
  SEGMENT_WRITE_KEY?: string;
  /** When set, `POST /webhook` must carry Segment's `X-Signature` (hex HMAC-SHA1 of the body). */
  SEGMENT_SHARED_SECRET?: string;
  /** Origins whose pages may send, comma-separated; unset or `*`: any. */
  ALLOWED_ORIGINS?: string;
  /** Time a request's body may take to arrive, whole, in ms (10000); past it: 408, `body_timeout`. */
  ASTROLABE_BODY_TIMEOUT_MS?: string;
  /** Time budget of one upstream delivery, retries included, in ms (10000). */
  ASTROLABE_RETRY_BUDGET_MS?: string;
  /** Time one upstream attempt may take, in ms (a third of the budget). */
  ASTROLABE_ATTEMPT_TIMEOUT_MS?: string;
  /** Upstream attempts at most (5). */
  ASTROLABE_RETRY_MAX_ATTEMPTS?: string;
  /** First backoff delay in ms; doubles per attempt, with full jitter (250). */
  ASTROLABE_RETRY_BASE_MS?: string;
  /** Upstream requests in flight per isolate at most (64). */
  ASTROLABE_MAX_CONCURRENT?: string;
  /** The level of each rule, as JSON: `{"near_miss_reserved":"off"}` (docs/rules.md). */
  RULES?: string;
  /** Personal data detection, as JSON: the `privacy` option, such as `{"action":"redact"}` (docs/privacy.md). */
  PRIVACY?: string;
  /** `privacy.hashKey`, as a secret of its own, for `"action":"hash"` (16 bytes or more). */
  PRIVACY_HASH_KEY?: string;
  /** URL a request's refused messages are POSTed to as JSONL records before anything is forwarded (docs/quarantine.md). */
  QUARANTINE_ENDPOINT?: string;
  /** Sent to QUARANTINE_ENDPOINT as `Authorization: Bearer <key>`. */
  QUARANTINE_API_KEY?: string;
}

/** The name of a setting. */
export type EdgeSettingName = keyof EdgeSettings;

/**
 * Where settings are read: {@link EdgeSettings}, or an environment with them among other names
 * (`process.env`, `Deno.env.toObject()`); only the names of {@link EdgeSettings} are read.
 */
export type EdgeSettingsSource = EdgeSettings | { readonly [name: string]: string | undefined };

/** What the handler uses from the runtime, each replaceable (tests, servers of your own). */
export interface EdgeDeps {
  /** What maps the bodies: by default `new Destination({ strict: false })` of this package. */
  destination?: {
    mapJson(input: Uint8Array, options?: { type?: CallType }): string;
    /** Needed with a quarantine (`quarantine` or QUARANTINE_ENDPOINT). */
    quarantine?(input: Uint8Array, meta: { receivedAt: string; route: string; requestId: string }, options?: { type?: CallType; takes?: "message" | "batch" | "any" }): string;
  };
  /** Makes the upstream requests (the global `fetch`). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Receives one JSON line per request, never the payload or a key (`console.log`). */
  log?: (line: string) => void;
  /** Milliseconds, for durations and budgets (`Date.now`). */
  now?: () => number;
  /** The wait between upstream attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1), for the backoff's jitter (`Math.random`). */
  random?: () => number;
  /**
   * Stores a request's quarantine records (JSONL), instead of QUARANTINE_ENDPOINT; rejects when
   * they were not stored (the sender then gets a 503). Needs a `destination` with `quarantine`.
   */
  quarantine?: (lines: string) => Promise<void>;
}

/**
 * Answers one request. `env` (Cloudflare Workers' bindings) comes over the settings given to
 * {@link createHandler}; other arguments (a Workers `ctx`) are ignored.
 */
export type EdgeHandler = (request: Request, env?: object | null, ...rest: unknown[]) => Promise<Response>;

/**
 * Makes the handler; one per isolate (at module scope), reused by every request.
 * @param settings read once, here (`process.env`, `Deno.env.toObject()`, or `{}` on Workers,
 *   whose bindings come with each request).
 * @throws {TypeError} when `settings` or `deps` is not an object, `deps` has an unknown key, or
 *   one of its values is not what it must be.
 */
export declare function createHandler(settings?: EdgeSettingsSource, deps?: EdgeDeps): EdgeHandler;

/** The names the handler reads its settings by. */
export declare const SETTINGS: readonly EdgeSettingName[];

/** A route of the handler. */
export type EdgeRoute =
  | { readonly kind: "single"; readonly type: CallType; readonly audience: "sender"; readonly limit: number }
  | { readonly kind: "batch"; readonly audience: "sender"; readonly limit: number }
  | { readonly kind: "metrics"; readonly audience: "sender"; readonly limit: number }
  | { readonly kind: "delivery"; readonly audience: "segment"; readonly limit: number }
  | { readonly kind: "health" };

/**
 * Every route by path: `/v1/identify`, `/v1/group`, `/v1/track`, `/v1/page`, `/v1/screen`,
 * `/v1/alias` and their one-letter forms (analytics.js), `/v1/batch`, `/v1/import`, `/v1/b`,
 * `/v1/m`, `/webhook`, `/health`.
 */
export declare const ROUTES: { readonly [path: string]: EdgeRoute };

/** The route of a URL path (a trailing slash ignored), with its normalized `path`; or undefined. */
export declare function findRoute(pathname: string): (EdgeRoute & { readonly path: string }) | undefined;

/** The `X-Signature` Segment's Webhooks destination sends with `body`: its hex HMAC-SHA1 with `secret`. */
export declare function signatureOf(body: Uint8Array, secret: string): Promise<string>;
