// error TS2339: Property 'event' does not exist on type 'UpsertUser'.
// Reads a field of the wrong operation after narrowing on `op`.
import { map } from "astrolabe-segment";

for (const operation of map({ type: "identify", userId: "u" }).operations) {
  if (operation.op === "upsertUser") {
    const event: unknown = operation.event;
    void event;
  }
}
