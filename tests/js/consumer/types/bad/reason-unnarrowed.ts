// error TS18048: 'outcome.reason' is possibly 'undefined'.
// Only a skipped outcome has a reason: read it after narrowing on `status`.
import { map } from "astrolabe-segment";

const outcome = map({ type: "page", userId: "u" });
void outcome.reason.code;
