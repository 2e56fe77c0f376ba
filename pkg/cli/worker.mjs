// A worker thread of `check` or `infer`: one Checker, or one Inferrer (the tools build's; both are
// fed alike), given pieces of streams by the main thread (pool.mjs). Each piece's buffer goes back
// when it is read, to be filled again; the report (check's report, infer's inference) goes back
// once, at the end.
import { parentPort, workerData } from "node:worker_threads";
import { tools } from "./tools.mjs";

const { command = "check" } = workerData;
const reader = command === "infer" ? new tools.Inferrer(workerData.enumMax) : new tools.Checker(workerData.config, workerData.plan, workerData.strict);
const takeReport = command === "infer" ? () => reader.takeInference() : () => reader.takeReport();

parentPort.on("message", (message) => {
  switch (message.kind) {
    case "check":
      reader.check(message.file, message.framing, message.line, message.bytes);
      break;
    case "feed":
      reader.feed(message.stream, message.bytes);
      break;
    case "open":
      reader.open(message.stream, message.file, message.framing, message.line);
      return;
    case "close":
      reader.close(message.stream, message.truncated);
      return;
    case "finish":
      parentPort.postMessage({ kind: "report", report: takeReport() });
      return;
    default:
      throw new Error(`unknown message ${message.kind}`);
  }
  const buffer = message.bytes.buffer;
  parentPort.postMessage({ kind: "done", seen: reader.seen(), buffer }, [buffer]);
});
