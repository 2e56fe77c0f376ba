// error TS2353: Object literal may only specify known properties, and 'trackingPlan' does not exist in type 'LiteConfig'.
// The lite build has no tracking plans (it throws at run time): its types say so.
import { Destination } from "astrolabe-segment/lite";

new Destination({ trackingPlan: { rules: [] } });
