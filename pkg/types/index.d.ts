// Types of `astrolabe-segment` (the full build: tracking plans and the `@liquid` directive).
import type { DestinationMethods, FullConfig } from "./core.js";
export * from "./core.js";

/** Settings of a {@link Destination}. Unknown keys are refused. */
export type Config = FullConfig;

/** Validates and maps Segment messages with one set of settings (built once, reused). */
export declare class Destination {
  /** @throws {Error} naming any unknown key or bad value of `config`. */
  constructor(config?: Config | null);
  /**
   * What the settings were read with a warning, each a sentence naming its place: a tracking plan's
   * `$schema` read as the draft it nearly names, rules that sit where their tool never reads them.
   */
  readonly warnings: readonly string[];
}
export interface Destination extends DestinationMethods {}
