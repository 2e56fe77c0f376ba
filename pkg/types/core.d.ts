// The types every entry shares (index.d.ts: full, lite.d.ts: lite, init.d.ts and lite-init.d.ts:
// the same with init/initSync); each entry adds its own `Config` and `Destination`. Hand-written,
// with the Rust crate as the reference: tests/js/consumer/test/type-drift.test.mjs compares `Code`
// with `Code::ALL` (the module's `codes`), the operations' fields with the default mappings, and
// the config and tracking plan keys and values with what the module accepts and refuses.

/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * A value the package reads as JSON: a JSON value, typed as TypeScript users type their data, so
 * interfaces are accepted (they have no index signature, which `JsonObject` would demand). What
 * JSON cannot carry (`NaN`, a `BigInt`, a function) is reported at run time as `not_json`.
 */
export type JsonInput = string | number | boolean | null | undefined | object;

/** The Segment call types a message may have (`page`, `screen`, `alias`, `delete` are skipped). */
export type CallType = "identify" | "group" | "track" | "page" | "screen" | "alias" | "delete";

/** A mapping-kit directive (`{"@path": "$.traits.email"}`, `{"@template": "{{userId}}"}`, ...) or a literal. */
export type Directive = JsonInput;

/** Fields of `upsertUser`; any other name adds a key to its `traits`. */
export interface UpsertUserMapping {
  userId?: Directive;
  anonymousId?: Directive;
  traits?: Directive;
  timestamp?: Directive;
  messageId?: Directive;
  [trait: string]: Directive;
}
/** Fields of `upsertAccount`; any other name adds a key to its `traits`. */
export interface UpsertAccountMapping {
  groupId?: Directive;
  traits?: Directive;
  timestamp?: Directive;
  messageId?: Directive;
  [trait: string]: Directive;
}
/** Fields of `associateUser` (it has no traits, so no other name). */
export interface AssociateUserMapping {
  groupId?: Directive;
  userId?: Directive;
  anonymousId?: Directive;
}
/** Fields of `trackEvent`; any other name adds a key to its `properties`. */
export interface TrackEventMapping {
  event?: Directive;
  userId?: Directive;
  anonymousId?: Directive;
  groupId?: Directive;
  properties?: Directive;
  timestamp?: Directive;
  messageId?: Directive;
  [property: string]: Directive;
}
/** Custom mappings: per operation, field name to directive (fields left out keep their default). */
export interface Mappings {
  upsertUser?: UpsertUserMapping;
  upsertAccount?: UpsertAccountMapping;
  associateUser?: AssociateUserMapping;
  trackEvent?: TrackEventMapping;
}

/** A JSON Schema (draft 4 to 2020-12, as it declares). */
export type JsonSchema = boolean | object;

/** Fields every rule may carry as Segment's Public API gives them out (ignored but accepted). */
interface RuleCommon {
  jsonSchema: JsonSchema;
  /** Shown in messages (`v2`). */
  version?: number | null;
  createdAt?: unknown;
  updatedAt?: unknown;
  /** A deprecated rule still applies. */
  deprecatedAt?: unknown;
}
/** A `track` event's rule, by name. */
export interface TrackRule extends RuleCommon {
  type: "TRACK";
  /** The event name. */
  key: string;
}
/** A rule for every `identify` or `group` call, or every message (`COMMON`); `PAGE` and `SCREEN` are accepted and unused. */
export interface CallRule extends RuleCommon {
  type: "IDENTIFY" | "GROUP" | "COMMON" | "PAGE" | "SCREEN";
  key?: string | null;
}
/** One rule of a tracking plan. */
export type TrackingPlanRule = TrackRule | CallRule;

/** What to do with violations, unplanned events and unplanned properties: beside a plan of any format. */
export interface PlanSettings {
  /** A violation: a warning (`allow`, the default), a warning and the property dropped, or an error. */
  violations?: "allow" | "omitProperties" | "block" | null;
  /** A track event without a rule: nothing (`allow`, the default), a warning, or an error. */
  unplannedEvents?: "allow" | "warn" | "block" | null;
  /** Properties (traits) no rule names: kept (`allow`, the default), or dropped with a warning. */
  unplannedProperties?: "allow" | "omit" | null;
}

/** A Segment Protocols tracking plan, as Segment's Public API gives it out (its own keys accepted and ignored). */
export interface TrackingPlan extends PlanSettings {
  rules: readonly TrackingPlanRule[];
  id?: unknown;
  name?: unknown;
  slug?: unknown;
  description?: unknown;
  type?: unknown;
  createdAt?: unknown;
  updatedAt?: unknown;
  deprecatedAt?: unknown;
  resourceSchemaId?: unknown;
}

/**
 * A plan file of another format, as its tool writes it: Segment's list-rules answer
 * (`{data: {rules}}`), Segment's legacy Config API (Typewriter v7), Typewriter's older local file
 * and its v8 `plan.json`, RudderStack's legacy plan and Data Catalog, or Avo's export. The format
 * is told from its shape when the Destination is built; unknown keys are refused then.
 */
export interface PlanFile extends PlanSettings {
  /** Segment's legacy Config API keeps its rules in an object (`events`, `global`, `identify`, ...); a list of rules is a {@link TrackingPlan}. */
  rules?: { readonly length?: never; readonly [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** Settings of a lite {@link Destination} (`astrolabe-segment/lite`). Unknown keys are refused; so are `trackingPlan` and `privacy`, which the lite build has not. */
export interface LiteConfig {
  /** Every warning becomes an error. Default `false`. */
  strict?: boolean | null;
  /** Custom mappings: per operation, field name to mapping-kit directive. */
  mappings?: Mappings | null;
  /** The level of each rule users set; strict mode applies after it (a `warning` rule is then an error). */
  rules?: RuleLevels | null;
}

/** A kind of personal data `privacy` detects. */
export type PiiKind = "email" | "phone" | "card" | "iban" | "ssn" | "ip" | "jwt" | "secret";

/** The `privacy` option (docs/privacy.md). Unknown keys are refused. */
export interface PrivacySettings {
  /** The kinds looked for; every kind when absent. */
  detect?: readonly PiiKind[] | null;
  /**
   * What is done where one is found: a warning (`warn`, the default), the found part replaced with
   * its kind (`redact`: `[email]`) or its keyed SHA-256 (`hash`), or the message refused (`block`).
   */
  action?: "warn" | "redact" | "hash" | "block" | null;
  /**
   * JSON Pointers into a message where such data is expected (and below them), beside the defaults:
   * `/traits/email`, `/traits/phone`, `/context/ip`, `/context/traits/email`, `/context/traits/phone`
   * and the tracking plan's `format: "email"` fields.
   */
  allow?: readonly string[] | null;
  /** The key of `hash` (HMAC-SHA-256), 16 bytes or more; required by `hash`. */
  hashKey?: string | null;
}

/** Settings of a full {@link Destination} (`astrolabe-segment`). Unknown keys are refused. */
export interface FullConfig extends LiteConfig {
  /** A tracking plan in any format: Segment's, Typewriter's, RudderStack's or Avo's, with settings beside it. */
  trackingPlan?: TrackingPlan | PlanFile | null;
  /** Personal data looked for in `traits`, `properties` and `context` (`pii_detected`); off when absent. */
  privacy?: PrivacySettings | null;
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
  | "context_field_type"
  | "unsupported_type"
  | "disabled_by_integrations"
  | "mapping_failed"
  | "plan_violation"
  | "unplanned_event"
  | "unplanned_property"
  | "pii_detected"
  // The edge handler's own answers (astrolabe-segment/edge): about the request, not the message.
  | "unauthorized"
  | "invalid_signature"
  | "origin_not_allowed"
  | "body_timeout"
  | "not_forwarded"
  | "message_id_derived";

/**
 * The codes of the rules users may set with `rules` (warnings by default); the others decide whether
 * a message can be read or mapped at all, or a tracking plan's settings set them.
 */
export type TunableCode =
  | "invalid_timestamp"
  | "id_coerced"
  | "message_id_too_long"
  | "reserved_trait_type"
  | "no_user_to_associate"
  | "message_id_blank"
  | "near_miss_key"
  | "near_miss_reserved"
  | "misplaced_field"
  | "context_field_type";

/** What a rule is set to: not reported, a warning, or an error (the message is invalid). */
export type RuleLevel = "off" | "warning" | "error";

/** The level of each rule, as a linter's: `{ near_miss_reserved: "off", id_coerced: "error" }`. */
export type RuleLevels = { [code in TunableCode]?: RuleLevel };

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

/** A message that maps: its operations, and any warnings. */
export interface MappedOutcome {
  status: "mapped";
  /** In the spec's order. */
  operations: Operation[];
  errors: [];
  warnings: Issue[];
  reason?: undefined;
}
/** A message Astrolabe does not take: no operations, and why. */
export interface SkippedOutcome {
  status: "skipped";
  operations: [];
  errors: [];
  warnings: Issue[];
  /** Why it was skipped (`unsupported_type`, `disabled_by_integrations`). */
  reason: Issue;
}
/** A message with errors: no operations, every error (all of them, not the first). */
export interface InvalidOutcome {
  status: "invalid";
  operations: [];
  errors: Issue[];
  warnings: Issue[];
  reason?: undefined;
}
/** The outcome of one message; narrow on `status`. */
export type Outcome = MappedOutcome | SkippedOutcome | InvalidOutcome;

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

/** The request a body came with, as its quarantine records say it (docs/quarantine.md). */
export interface QuarantineMeta {
  /** When the request arrived, ISO 8601 UTC (`"2026-12-07T20:00:00.000Z"`). */
  receivedAt: string;
  /** The request's path (`"/v1/batch"`). */
  route: string;
  /** The request's id (the edge answers it in `x-request-id`). */
  requestId: string;
}

/** How a quarantined body is read. */
export interface QuarantineOptions {
  /** The call type of a single-message body, as in {@link MapOptions}; the route then takes one message. */
  type?: CallType;
  /**
   * What the route takes: a route of one message refuses a batch as a whole (`invalid_type`), a
   * batch route a message (`invalid_batch`), as the edge handler answers them. Default: `"message"`
   * with a `type`, else `"any"`.
   */
  takes?: "message" | "batch" | "any";
}

/**
 * One line of `quarantine`'s answer: a refused message (`message`, its text as received, without
 * `writeKey`), or a body refused as a whole (`body`, or `bodyBase64` when it is not UTF-8).
 */
export interface QuarantineRecord {
  /** The record format's version. */
  quarantine: 1;
  receivedAt: string;
  route: string;
  requestId: string;
  /** The message's index in the batch; `null` for a single message or a whole body. */
  index: number | null;
  /** The issues the message or the body was refused with. */
  errors: Issue[];
  /** The message as received (parsed here; the line holds its exact text). */
  message?: JsonValue;
  /** The batch envelope's members the item was sent with, as received. */
  envelope?: { context?: JsonValue; integrations?: JsonValue; sentAt?: JsonValue };
  /** The body refused as a whole, as text. */
  body?: string;
  /** The body refused as a whole when it is not UTF-8, in base64. */
  bodyBase64?: string;
}

/** What a Destination does (the entries declare the class, with their own `Config`). */
export interface DestinationMethods {
  /** Checks a message against the Segment Spec. */
  validate(message: JsonInput, options?: MapOptions): Validation;
  /** Validates a message and maps it to Astrolabe operations. */
  map(message: JsonInput, options?: MapOptions): Outcome;
  /** Maps each message of a batch: `{ batch: [...], context?, integrations? }` or an array of messages. */
  mapBatch(batch: JsonInput): BatchOutcome;
  /**
   * Maps JSON text (a message, a batch envelope or an array of messages) and returns the JSON text of
   * an {@link Outcome} or a {@link BatchOutcome}. Never throws on bad input: broken JSON, invalid
   * UTF-8 and oversize input come back as `invalid` outcomes.
   */
  mapJson(input: string | Uint8Array | ArrayBuffer, options?: MapOptions): string;
  /**
   * The quarantine records of a request's body (docs/quarantine.md): one JSON line (a
   * {@link QuarantineRecord}, ending in a newline) per message these settings refuse, or one for a
   * body refused as a whole; `""` when nothing is refused. Messages are spliced in as received
   * (numbers keep their digits), on one line, without a `writeKey` member. Throws a `TypeError`
   * when `meta` or `options` cannot be read.
   */
  quarantine(input: string | Uint8Array | ArrayBuffer, meta: QuarantineMeta, options?: QuarantineOptions): string;
  /**
   * Lets go of the Destination's settings now (their compiled form is released when no other
   * Destination holds it) rather than at garbage collection; later calls throw. Optional.
   */
  free(): void;
}

/** `validate` on a Destination with the default settings. */
export declare function validate(message: JsonInput, options?: MapOptions): Validation;
/** `map` on a Destination with the default settings. */
export declare function map(message: JsonInput, options?: MapOptions): Outcome;
/** `mapBatch` on a Destination with the default settings. */
export declare function mapBatch(batch: JsonInput): BatchOutcome;
/** `mapJson` on a Destination with the default settings. */
export declare function mapJson(input: string | Uint8Array | ArrayBuffer, options?: MapOptions): string;

/**
 * mapping-kit's `transform(mapping, payload)`: the payload with the mapping's directives
 * (`@path`, `@template`, `@if`, `@liquid` in the full build, ...) applied; `undefined` when the
 * mapping resolves to nothing. `payload` defaults to `{}`.
 * @throws {Error} with mapping-kit's message when the mapping is invalid or cannot be applied.
 * @throws {TypeError} when the mapping or the payload holds values JSON cannot carry.
 */
export declare function transform(mapping: JsonInput, payload?: JsonInput): JsonValue | undefined;
/** Every problem of a mapping, as mapping-kit words it; `[]` when the mapping is valid. */
export declare function validateMapping(mapping: JsonInput): string[];

/**
 * The limits of input, as the engine enforces them (the same in every build): the numbers
 * `too_large`, `batch_too_large`, `batch_too_many` and `too_deep` refer to.
 */
export interface Limits {
  /** Bytes of one message, serialized as UTF-8 JSON (32,768: `too_large`). */
  readonly messageBytes: number;
  /** Bytes of one batch request, and of any input at all (512,000: `batch_too_large`). */
  readonly batchBytes: number;
  /** Items in one batch (2,500: `batch_too_many`). */
  readonly batchItems: number;
  /** Levels of JSON nesting, the root object or array being level 1 (64: `too_deep`). */
  readonly depth: number;
  /**
   * Values in one JS value handed to `map`, `validate` or `mapBatch`, a shared object counted each
   * time it is reached (300,000: `too_large`); far more than fits in `batchBytes` of JSON.
   */
  readonly jsValues: number;
}

/** The limits of input (frozen). */
export declare const limits: Limits;
/** The package version. */
export declare const version: string;
/** Every issue code, in the README's order. */
export declare const codes: readonly Code[];
