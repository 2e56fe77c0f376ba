// error TS2322: Type '"ALIAS"' is not assignable to type '"TRACK" | "IDENTIFY" | "GROUP" | "COMMON" | "PAGE" | "SCREEN"'.
// A rule type Segment does not have.
import { Destination } from "astrolabe-segment";

new Destination({ trackingPlan: { rules: [{ type: "ALIAS", jsonSchema: {} }] } });
