// Types of `astrolabe-segment` and `astrolabe-segment/lite` (the same API; lite has no `@liquid`
// mapping directive and no tracking plans). Hand-written: the README's "JavaScript API" section
// and the Rust crate's `Code`, `Outcome` and `Operation` types are the reference.

/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The Segment call types a message may have (`page`, `screen`, `alias`, `delete` are skipped). */
export type CallType = "identify" | "group" | "track" | "page" | "screen" | "alias" | "delete";

/** Settings of a {@link Destination}. Unknown keys are refused. */
export interface Config {
  /** Every warning becomes an error. Default `false`. */
  strict?: boolean;
  /** Custom mappings: per operation, field name to mapping-kit directive. */
  mappings?: JsonObject;
  /** A Segment Protocols tracking plan (full build only). */
  trackingPlan?: JsonObject;
}

/** Options of one call. Unknown keys and unknown type names throw a `TypeError`. */
export interface MapOptions {
  /**
   * The call type, for an HTTP single-call body without `type` (`/v1/track` gives `"track"`).
   * A message whose own `type` disagrees with it is invalid (`type_mismatch`).
   */
  type?: CallType;
}

/** Every issue code. */
export type Code =
  | "invalid_json"
  | "not_json"
  | "too_large"
  | "batch_too_large"
  | "batch_too_many"
  | "too_deep"
  | "invalid_batch"
  | "missing_type"
  | "unknown_type"
  | "type_mismatch"
  | "invalid_type"
  | "missing_identity"
  | "missing_group_id"
  | "missing_event"
  | "invalid_timestamp"
  | "id_coerced"
  | "message_id_too_long"
  | "reserved_trait_type"
  | "no_user_to_associate"
  | "message_id_blank"
  | "near_miss_key"
  | "near_miss_reserved"
  | "misplaced_field"
  | "unsupported_type"
  | "disabled_by_integrations"
  | "mapping_failed"
  | "plan_violation"
  | "unplanned_event"
  | "unplanned_property";

/** One problem found in the input. */
export interface Issue {
  /** The stable code. */
  code: Code;
  /** An RFC 6901 JSON Pointer into the input as given (`""` is the whole input). */
  path: string;
  /** One sentence a person understands. */
  message: string;
  /** How to fix it, with the value to use, where a fix can be named: `rename "userID" to "userId"`. */
  hint?: string;
}

/** `upsertUser`, from `identify`: create the User, or update its traits. */
export interface UpsertUser {
  op: "upsertUser";
  userId?: string;
  anonymousId?: string;
  traits: JsonObject;
  /** RFC 3339 UTC with milliseconds. */
  timestamp?: string;
  messageId?: string;
}

/** `upsertAccount`, from `group`: create or update the Account. */
export interface UpsertAccount {
  op: "upsertAccount";
  groupId: string;
  traits: JsonObject;
  /** RFC 3339 UTC with milliseconds. */
  timestamp?: string;
  messageId?: string;
}

/** `associateUser`, from a `group` call that names a user. */
export interface AssociateUser {
  op: "associateUser";
  groupId: string;
  userId?: string;
  anonymousId?: string;
}

/** `trackEvent`, from `track`: record an event. */
export interface TrackEvent {
  op: "trackEvent";
  event: string;
  userId?: string;
  anonymousId?: string;
  /** The account, from `context.groupId`. */
  groupId?: string;
  properties: JsonObject;
  /** RFC 3339 UTC with milliseconds. */
  timestamp?: string;
  messageId?: string;
}

/** One Astrolabe operation; narrow on `op`. */
export type Operation = UpsertUser | UpsertAccount | AssociateUser | TrackEvent;

/** How a message ended. */
export type Status = "mapped" | "skipped" | "invalid";

/** The outcome of one message. `skipped` and `invalid` outcomes carry no operations. */
export interface Outcome {
  status: Status;
  /** In the spec's order; empty unless `status` is `"mapped"`. */
  operations: Operation[];
  /** Every error (all of them, not the first). */
  errors: Issue[];
  warnings: Issue[];
  /** Why a `skipped` message was skipped (`unsupported_type`, `disabled_by_integrations`). */
  reason?: Issue;
}

/** The outcome of a batch: one outcome per item, in order, and the errors of the batch as a whole. */
export interface BatchOutcome {
  /** Empty when the batch as a whole was refused (see `errors`). */
  outcomes: Outcome[];
  errors: Issue[];
}

/** The answer of `validate`. */
export interface Validation {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}

/** Validates and maps Segment messages with one set of settings (built once, reused). */
export declare class Destination {
  /** @throws {Error} naming any unknown key or bad value of `config`. */
  constructor(config?: Config);
  /** Checks a message against the Segment Spec. */
  validate(message: unknown, options?: MapOptions): Validation;
  /** Validates a message and maps it to Astrolabe operations. */
  map(message: unknown, options?: MapOptions): Outcome;
  /** Maps each message of a batch. */
  mapBatch(batch: unknown): BatchOutcome;
  /**
   * Maps JSON text (a message, a batch envelope or an array of messages) and returns the JSON text of
   * an {@link Outcome} or a {@link BatchOutcome}. Never throws on bad input: broken JSON, invalid
   * UTF-8 and oversize input come back as `invalid` outcomes.
   */
  mapJson(input: string | Uint8Array | ArrayBuffer, options?: MapOptions): string;
  /** Releases the WebAssembly memory now rather than at garbage collection. */
  free(): void;
}

/** `validate` on a Destination with the default settings. */
export declare function validate(message: unknown, options?: MapOptions): Validation;
/** `map` on a Destination with the default settings. */
export declare function map(message: unknown, options?: MapOptions): Outcome;
/** `mapBatch` on a Destination with the default settings. */
export declare function mapBatch(batch: unknown): BatchOutcome;
/** `mapJson` on a Destination with the default settings. */
export declare function mapJson(input: string | Uint8Array | ArrayBuffer, options?: MapOptions): string;

/**
 * mapping-kit's `transform(mapping, payload)`: the payload with the mapping's directives
 * (`@path`, `@template`, `@if`, `@liquid` in the full build, ...) applied; `undefined` when the
 * mapping resolves to nothing. `payload` defaults to `{}`.
 * @throws {Error} with mapping-kit's message when the mapping is invalid or cannot be applied.
 * @throws {TypeError} when the mapping or the payload holds values JSON cannot carry.
 */
export declare function transform(mapping: JsonObject, payload?: JsonObject): JsonValue | undefined;
/** Every problem of a mapping, as mapping-kit words it; `[]` when the mapping is valid. */
export declare function validateMapping(mapping: JsonValue): string[];

/** The package version. */
export declare const version: string;
/** Every issue code, in the README's order. */
export declare const codes: readonly Code[];
