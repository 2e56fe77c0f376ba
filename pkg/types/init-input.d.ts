// What init and initSync take (wasm-bindgen's forms). Structural types, so that they compile
// without the DOM library (`lib: ["es2022"]`, Node): a Response and a WebAssembly.Module are the
// platform's own objects at run time.

/** A compiled `WebAssembly.Module`. */
export type CompiledModule = object;
/** The module's bytes. */
export type WasmBytes = ArrayBuffer | ArrayBufferView;
/** What `initSync` takes: bytes or a compiled module, or wasm-bindgen's `{ module }`. */
export type InitSyncInput = WasmBytes | CompiledModule | { module: WasmBytes | CompiledModule };
/** What `init` takes: a URL (string or `URL`), a fetch `Response`, bytes or a compiled module, or wasm-bindgen's `{ module_or_path }`. */
export type InitInput = string | WasmBytes | CompiledModule | { module_or_path: unknown };
