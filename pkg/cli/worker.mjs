// A worker thread of `check` (one Checker of the tools build) or of `diff --traffic` (one
// Replayer, which answers each message with both plans), fed pieces of streams by the main thread
// (pool.mjs). Each piece's buffer goes back when it is checked, to be filled again; the report
// goes back once, at the end.
import { parentPort, workerData } from "node:worker_threads";
import { tools } from "./tools.mjs";

const { config, plan, strict, replay } = workerData;
const checker = replay ? new tools.Replayer(replay.old, replay.new) : new tools.Checker(config, plan, strict);

parentPort.on("message", (message) => {
  switch (message.kind) {
    case "check":
      checker.check(message.file, message.framing, message.line, message.bytes);
      break;
    case "feed":
      checker.feed(message.stream, message.bytes);
      break;
    case "open":
      checker.open(message.stream, message.file, message.framing, message.line);
      return;
    case "close":
      checker.close(message.stream, message.truncated);
      return;
    case "finish":
      parentPort.postMessage({ kind: "report", report: checker.takeReport() });
      return;
    default:
      throw new Error(`unknown message ${message.kind}`);
  }
  const buffer = message.bytes.buffer;
  parentPort.postMessage({ kind: "done", seen: checker.seen(), buffer }, [buffer]);
});
