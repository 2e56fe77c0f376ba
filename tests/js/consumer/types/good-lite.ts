// The lite entry has the same API and types.
import { Destination, type Operation } from "astrolabe-segment/lite";

const operations: Operation[] = new Destination().map({ type: "group", groupId: "g", userId: "u" }).operations;
const groups: string[] = operations.flatMap((operation) => (operation.op === "associateUser" ? [operation.groupId] : []));
export { groups };

// The lite build takes the rules' levels too.
const tuned = new Destination({ strict: true, rules: { misplaced_field: "off", invalid_timestamp: "error" } });
void tuned;
