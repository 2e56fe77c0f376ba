// error TS2353: Object literal may only specify known properties, and 'invalid_json' does not exist in type 'RuleLevels'.
// Only the warnings are users' to set: a rule that decides whether a message can be read is not (it throws at run time).
import { Destination } from "astrolabe-segment";

new Destination({ rules: { invalid_json: "off" } });
