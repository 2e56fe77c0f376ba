// A worker thread of `check` (a Checker), `infer` (an Inferrer) or `diff --traffic` (a Replayer,
// which answers each message with both plans): the tools build's readers, all fed alike, given
// pieces of streams by the main thread (pool.mjs). Each piece's buffer goes back when it is read,
// to be filled again; the report (check's and diff's report, infer's inference) goes back once,
// at the end.
import { parentPort, workerData } from "node:worker_threads";
import { tools } from "./tools.mjs";

const { command = "check" } = workerData;
const readers = {
  check: () => new tools.Checker(workerData.config, workerData.plan, workerData.strict),
  infer: () => new tools.Inferrer(workerData.enumMax),
  diff: () => new tools.Replayer(workerData.replay.old, workerData.replay.new),
};
const reader = readers[command]();
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
