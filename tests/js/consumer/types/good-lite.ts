// The lite entry has the same API and types.
import { Destination, type Operation } from "astrolabe-segment/lite";

const operations: Operation[] = new Destination().map({ type: "group", groupId: "g", userId: "u" }).operations;
const groups: string[] = operations.flatMap((operation) => (operation.op === "associateUser" ? [operation.groupId] : []));
export { groups };
