// error TS2820: Type '"blok"' is not assignable to type '"allow" | "omitProperties" | "block" | null | undefined'. Did you mean '"block"'?
// A misspelled tracking plan setting.
import { Destination } from "astrolabe-segment";

new Destination({ trackingPlan: { rules: [], violations: "blok" } });
