// The CommonJS view (require condition, index.d.cts).
import segment = require("astrolabe-segment");

const outcome: segment.Outcome = segment.map({ type: "identify", userId: "u" });
for (const operation of outcome.operations) {
  if (operation.op === "trackEvent") {
    const event: string = operation.event;
    void event;
  }
}
export = outcome.status;
