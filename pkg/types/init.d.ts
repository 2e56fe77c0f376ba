// Types of `astrolabe-segment/init`: the full build's API, usable once `init` or `initSync` has
// instantiated the module from what the caller gives.
export * from "./index.js";
export type { InitInput, InitSyncInput } from "./init-input.js";
import type { InitInput, InitSyncInput } from "./init-input.js";

/** Instantiates the module: a URL, a fetch `Response`, bytes or a compiled `WebAssembly.Module` (or a promise of one); nothing: the `.wasm` next to the glue. */
export default function init(source?: InitInput | Promise<InitInput>): Promise<void>;
/** Instantiates the module synchronously from bytes or a compiled `WebAssembly.Module`. */
export declare function initSync(source: InitSyncInput): void;
