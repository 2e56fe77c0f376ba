// The tools build (pkg/dist/tools/, scripts/build-wasm.sh tools): the library's engine and the
// check's rules (src/check/), loaded by the command line only. The module's bytes are embedded in
// its CommonJS glue, as for the package's Node entries.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The tools module: `Checker`, `detectFraming`, `parseShard`, `mergeReports`, `renderReport`, ... */
export const tools = require("../dist/tools/astrolabe_segment.cjs");
