// esbuild for the browser, ESM: the .wasm is emitted by esbuild's file loader (which gives its
// path relative to the bundle) and handed to init, since esbuild emits no asset for the default
// entry's `new URL("…wasm", import.meta.url)`.
import initFull, * as full from "astrolabe-segment/init";
import initLite, * as lite from "astrolabe-segment/lite/init";
import fullWasm from "astrolabe-segment/full.wasm";
import liteWasm from "astrolabe-segment/lite.wasm";
import { exercise, report } from "./exercise.js";

await initFull(new URL(fullWasm, import.meta.url));
await initLite(new URL(liteWasm, import.meta.url));
report({ full: exercise(full), lite: exercise(lite) });
