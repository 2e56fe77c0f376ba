// error TS2353: Object literal may only specify known properties, and 'plan' does not exist in type 'AssociateUserMapping'.
// associateUser has no traits, so a name that is not one of its fields has nowhere to go.
import { Destination } from "astrolabe-segment";

new Destination({ mappings: { associateUser: { plan: { "@path": "$.traits.plan" } } } });
