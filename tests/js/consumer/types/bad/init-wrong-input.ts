// error TS2345: Argument of type 'number' is not assignable to parameter of type 'InitSyncInput'.
// initSync takes bytes or a compiled module.
import { initSync } from "astrolabe-segment/init";

initSync(42);
