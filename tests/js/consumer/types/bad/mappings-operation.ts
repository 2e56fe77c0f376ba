// error TS2561: Object literal may only specify known properties, but 'upsertUsr' does not exist in type 'Mappings'. Did you mean to write 'upsertUser'?
// A misspelled operation in the custom mappings.
import { Destination } from "astrolabe-segment";

new Destination({ mappings: { upsertUsr: { userId: { "@path": "$.traits.email" } } } });
