// error TS2322: Type '"warn"' is not assignable to type 'RuleLevel | undefined'.
// A rule's level is "off", "warning" or "error".
import { Destination } from "astrolabe-segment/lite";

new Destination({ rules: { near_miss_reserved: "warn" } });
