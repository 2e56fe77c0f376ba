// esbuild for the browser as an iife (no top-level await): the .wasm's bytes are embedded by
// esbuild's binary loader and instantiated with initSync.
import { initSync as initFull } from "astrolabe-segment/init";
import * as full from "astrolabe-segment/init";
import { initSync as initLite } from "astrolabe-segment/lite/init";
import * as lite from "astrolabe-segment/lite/init";
import fullWasm from "astrolabe-segment/full.wasm";
import liteWasm from "astrolabe-segment/lite.wasm";
import { exercise, report } from "./exercise.js";

initFull(fullWasm);
initLite(liteWasm);
report({ full: exercise(full), lite: exercise(lite) });
