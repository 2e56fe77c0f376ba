// Types of `astrolabe-segment/lite`: the API of the full build without tracking plans (and
// without the `@liquid` directive, which no type can tell apart).
import type { DestinationMethods, LiteConfig } from "./core.js";
export * from "./core.js";

/** Settings of a lite {@link Destination}: no `trackingPlan`. Unknown keys are refused. */
export type Config = LiteConfig;

/** Validates and maps Segment messages with one set of settings (built once, reused). */
export declare class Destination {
  /** @throws {Error} naming any unknown key or bad value of `config`. */
  constructor(config?: Config | null);
}
export interface Destination extends DestinationMethods {}
