// The Plan view: a tracking plan in any format (pasted or from a file) against the recorded
// history (make serve's, or a file of messages or inspector records): the history replayed
// through the plan, a plan inferred from the history, and what a new plan would change.
// Every decision is the package's: the counts are the command line's (`check --plan`, by the tools
// build's Checker), each message's outcome the library's (`Destination` with the plan), inference
// and the diff the tools build's. This module reads files, calls them and draws.
import { Editor } from "./editor.js";
import { firstProblem } from "./live-filter.js";
import { inspectorServed } from "./live.js";
import { badge, el } from "./render.js";

/** The tools build (the CLI's engine: check, convert, infer, diff), loaded when first needed. */
const TOOLS = "../pkg/dist/tools/astrolabe_segment.js";
/** The most messages listed with their outcome (the counts cover all of them). */
const LISTED = 200;

let toolsLoaded = null;
/** The tools module, initialized once. */
export function loadTools() {
  toolsLoaded ??= import(TOOLS).then(async (module) => {
    await module.default();
    return module;
  });
  return toolsLoaded;
}

/** The text of a file input's file, un-gzipped when it is gzip (by its first two bytes). */
async function fileBytes(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** How the command line would read these bytes (lines, one document, ...): the tools build says. */
function framingOf(tools, bytes) {
  return tools.detectFraming(bytes.subarray(0, tools.detectBytes()), true) ?? "lines";
}

/**
 * The history read whole, as one file, by `reader` (a Checker, an Inferrer or a Replayer of the
 * tools build, which are fed alike): what `take` takes from it. The reader is freed.
 */
function readHistory(tools, reader, found, take) {
  try {
    reader.check(found.name, framingOf(tools, found.bytes), 1, found.bytes);
    reader.countFile();
    return take(reader);
  } finally {
    reader.free();
  }
}

/** One entry of the history as the page lists it: the message and the call type its route gave. */
function entriesOf(text) {
  const entries = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line += 1;
    if (raw.trim() === "") continue;
    let value;
    try {
      value = JSON.parse(raw);
    } catch {
      entries.push({ line, text: raw });
      continue;
    }
    // An inspector record (docs/inspector.md): its message, typed by its route when it has no type.
    if (value && typeof value === "object" && "receivedAt" in value && "outcome" in value) {
      entries.push({ line, message: value.message, text: value.message ? undefined : (value.raw ?? ""), hint: value.type });
    } else {
      entries.push({ line, message: value });
    }
  }
  return entries;
}

/**
 * Starts the Plan view in `root` (the #plan section). `lib` is the full build's module, for each
 * message's outcome.
 */
export function startPlanView(root, { lib, fetchImpl = (...a) => fetch(...a) }) {
  const $ = (selector) => root.querySelector(selector);
  for (const container of root.querySelectorAll("[data-editor]")) new Editor(container);
  const ui = {
    state: $("#plan-view-state"),
    text: $("#plan-text"),
    file: $("#plan-file"),
    history: $("#history-file"),
    format: $("#plan-format"),
    replay: $("#plan-replay"),
    infer: $("#plan-infer"),
    newText: $("#plan-new-text"),
    diff: $("#plan-diff"),
    results: $("#plan-results"),
    status: $("#plan-status"),
  };
  let downloadUrl = null;

  const say = (text) => {
    ui.status.textContent = text;
  };
  const show = (...nodes) => ui.results.replaceChildren(...nodes);
  const problem = (title, detail) => show(el("div", { class: "notice", role: "alert" }, el("strong", { text: title }), el("p", { text: detail })));

  /** The history's bytes and name: the chosen file, else this server's (make serve). */
  async function history() {
    const [file] = ui.history.files ?? [];
    if (file) return { name: file.name, bytes: await fileBytes(file) };
    if (!inspectorServed()) return null;
    const response = await fetchImpl("/inspector/export");
    if (!response.ok) throw new Error(`GET /inspector/export answered HTTP ${response.status}`);
    return { name: "this server's history", bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  /** The history, or nothing when there is none, said in the view. */
  async function historyOrSay() {
    const found = await history();
    if (!found) {
      say("");
      problem("No history", "This page is served without the inspector: choose a history file (the inspector's export, or messages as JSON Lines), or run make serve.");
    }
    return found;
  }

  /** The plan as the tools read it: its format and warnings, or the reason it cannot be read. */
  async function describePlan() {
    const text = ui.text.value.trim();
    if (text === "") {
      ui.format.textContent = "No plan: replaying checks the messages against the Spec alone.";
      ui.state.textContent = "no plan";
      return;
    }
    const tools = await loadTools();
    try {
      const converted = tools.convertPlan(text);
      ui.format.textContent = `Read as ${converted.format}${converted.warnings.length ? `; ${converted.warnings.join("; ")}` : "."}`;
      ui.state.textContent = converted.format;
      converted.free();
    } catch (error) {
      ui.format.textContent = error.message;
      ui.state.textContent = "not a plan";
    }
  }

  /** The counts of `check --plan` over the history, and each message's outcome under the plan. */
  async function replay() {
    say("Replaying…");
    const found = await historyOrSay();
    if (!found) return;
    const tools = await loadTools();
    const plan = ui.text.value.trim() || null;
    let checker;
    try {
      checker = new tools.Checker(null, plan, false);
    } catch (error) {
      say("");
      return problem("The plan cannot be used", error.message);
    }
    const report = JSON.parse(readHistory(tools, checker, found, (reader) => reader.takeReport()));
    const outcomes = listOutcomes(new TextDecoder().decode(found.bytes), plan);
    show(summary(report, found.name), eventTable(report), codeTable(report), outcomes);
    say(`Replayed ${report.messages} messages of ${found.name}: ${report.mapped} mapped, ${report.invalid} invalid, ${report.skipped} skipped.`);
  }

  /** The first messages of the history with their outcome under the plan (the library's). */
  function listOutcomes(text, plan) {
    const destination = new lib.Destination(plan ? { trackingPlan: JSON.parse(plan) } : {});
    const entries = entriesOf(text);
    const rows = entries.slice(0, LISTED).map((entry) => {
      const outcome = entry.message !== undefined && entry.message !== null
        ? destination.map(entry.message, typeof entry.message?.type === "string" || !entry.hint ? undefined : { type: entry.hint })
        : destination.mapJson(entry.text ?? "");
      return outcomeRow(entry, outcome);
    });
    destination.free();
    return el(
      "div",
      { class: "plan-block" },
      el("h3", { text: "Each message under the plan" }),
      el("ol", { class: "live-rows plan-rows", "aria-label": "Messages of the history and their outcome under the plan" }, rows),
      entries.length > LISTED ? el("p", { class: "hint", text: `The first ${LISTED} of ${entries.length} lines are listed; the counts above cover all of them.` }) : null,
    );
  }

  /** Infers a plan from the history (the tools build's `infer`), to read, download or use. */
  async function infer() {
    say("Inferring a plan…");
    const found = await historyOrSay();
    if (!found) return;
    const tools = await loadTools();
    // As `astrolabe-segment infer` does, in one thread: an Inferrer reads, the inference is written as a plan.
    const inference = readHistory(tools, new tools.Inferrer(undefined), found, (reader) => reader.takeInference());
    const inferred = tools.inferPlan([inference], 1);
    const { text, notes } = inferred;
    inferred.free();
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const rules = JSON.parse(text).rules ?? [];
    show(
      el(
        "div",
        { class: "plan-block" },
        el("h3", { text: `A plan inferred from ${found.name}: ${rules.length} rules` }),
        el(
          "div",
          { class: "actions" },
          el("a", { class: "button", id: "plan-download", href: downloadUrl, download: "inferred-plan.json", text: "Download the plan" }),
          el("button", { type: "button", class: "button", id: "plan-use-inferred", text: "Use it as the plan", onclick: () => usePlan(text) }),
          el("button", { type: "button", class: "button", id: "plan-compare-inferred", text: "Compare it with the plan", onclick: () => compareWith(text) }),
        ),
        notes.length ? el("ul", { class: "plan-notes" }, notes.map((note) => el("li", { class: "hint", text: note }))) : null,
        el("pre", { class: "json plan-json", tabindex: "0", "aria-label": "The inferred plan" }, el("code", { text })),
      ),
    );
    say(`Inferred ${rules.length} rules from ${found.name}.`);
  }

  function usePlan(text) {
    ui.text.value = text;
    ui.text.dispatchEvent(new Event("input", { bubbles: true }));
    describePlan();
    say("The inferred plan is now the plan.");
  }

  function compareWith(text) {
    $("#plan-compare-panel").open = true;
    ui.newText.value = text;
    ui.newText.dispatchEvent(new Event("input", { bubbles: true }));
    ui.newText.focus();
  }

  /** What the new plan changes against the plan (the tools build's `diff`), with the history replayed through both. */
  async function diff() {
    say("Comparing the plans…");
    const oldPlan = ui.text.value.trim();
    const newPlan = ui.newText.value.trim();
    if (oldPlan === "" || newPlan === "") {
      say("");
      return problem("Two plans are needed", "Load the plan above, and paste the new plan to compare it with.");
    }
    const tools = await loadTools();
    const found = await history().catch(() => null);
    let answer;
    try {
      // As `astrolabe-segment diff OLD NEW --traffic HISTORY --format json` answers, in one thread.
      const changes = tools.diffPlans(oldPlan, newPlan);
      const traffic = found ? readHistory(tools, new tools.Replayer(oldPlan, newPlan), found, (reader) => reader.takeReport()) : undefined;
      answer = JSON.parse(tools.renderDiff(changes, traffic, "json"));
    } catch (error) {
      say("");
      return problem("The plans cannot be compared", error.message);
    }
    show(diffView(answer, found?.name));
    say(`${answer.breaking.length} breaking, ${answer.additive.length} additive and ${answer.neutral.length} neutral changes.`);
  }

  let timer = 0;
  ui.text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(describePlan, 200);
  });
  ui.file.addEventListener("change", async () => {
    const [file] = ui.file.files ?? [];
    if (!file) return;
    ui.text.value = new TextDecoder().decode(await fileBytes(file));
    ui.text.dispatchEvent(new Event("input", { bubbles: true }));
    describePlan();
  });
  const guarded = (action) => async () => {
    try {
      await action();
    } catch (error) {
      say("");
      problem("Something went wrong", error.message);
    }
  };
  ui.replay.addEventListener("click", guarded(replay));
  ui.infer.addEventListener("click", guarded(infer));
  ui.diff.addEventListener("click", guarded(diff));
  describePlan();
  return { replay, infer, diff };
}

const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

function outcomeRow(entry, outcome) {
  const found = firstProblem(outcome);
  const status = outcome?.status ?? (Array.isArray(outcome?.outcomes) ? (outcome.errors.length || outcome.outcomes.some((o) => o.status === "invalid") ? "invalid" : "mapped") : "invalid");
  const message = entry.message;
  return el(
    "li",
    { class: `live-row live-row-${status} plan-row`, dataset: { status, line: String(entry.line) } },
    el(
      "span",
      { class: "live-row-head" },
      badge(status),
      el("code", { class: "live-type", text: typeof message?.type === "string" ? message.type : (entry.hint ?? "?") }),
      el("span", { class: "live-event", text: typeof message?.event === "string" ? message.event : "" }),
      el("span", { class: "live-meta", text: `line ${entry.line}` }),
    ),
    found ? el("span", { class: "live-problem" }, el("code", { class: "issue-code", text: found.code }), ` ${found.path ? `${found.path}: ` : ""}${found.message ?? ""}`) : null,
  );
}

function summary(report, name) {
  const counts = [
    ["messages", report.messages],
    ["mapped", report.mapped],
    ["invalid", report.invalid],
    ["skipped", report.skipped],
    ["unreadable", report.unreadable],
  ];
  return el(
    "div",
    { class: "plan-block" },
    el("h3", { text: `${capitalized(name)} under the plan` }),
    el("p", { class: "live-count-line" }, counts.map(([label, n]) => el("span", { class: `live-count live-count-${label}` }, el("strong", { text: String(n) }), ` ${label}`))),
  );
}

function table(caption, head, rows) {
  return el(
    "table",
    { class: "plan-table" },
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, head.map((label, at) => el("th", { scope: "col", class: at ? "num" : undefined, text: label })))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((cell, at) => (at ? el("td", { class: "num", text: String(cell) }) : el("th", { scope: "row" }, el("code", { text: String(cell) }))))))),
  );
}

function eventTable(report) {
  const rows = Object.entries(report.events ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([event, count]) => [event, count.messages, count.invalid]);
  return rows.length ? table("Track events", ["event", "messages", "invalid"], rows) : el("p", { class: "hint", text: "No track event in the history." });
}

function codeTable(report) {
  const rows = Object.entries(report.codes ?? {}).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code, n]) => [code, n]);
  return rows.length ? table("Issues by code", ["code", "issues"], rows) : el("p", { class: "hint", text: "No issue in the history." });
}

/** The most changes of one kind listed (the command line's `--format json` has them all). */
const CHANGES_LISTED = 100;

function changeList(kind, changes) {
  const listed = changes.slice(0, CHANGES_LISTED);
  return el(
    "details",
    { class: `plan-block plan-changes plan-changes-${kind}`, open: kind === "breaking" && changes.length > 0 },
    el("summary", {}, el("strong", { text: `${changes.length} ${kind}` })),
    changes.length
      ? el("ul", {}, listed.map((change) => el("li", {}, el("code", { text: change.rule }), " ", el("code", { class: "plan-path", text: change.path || "/" }), `: ${change.change}`, change.reason ? el("span", { class: "issue-hint", text: change.reason }) : null)))
      : el("p", { class: "hint", text: `No ${kind} change.` }),
    changes.length > listed.length ? el("p", { class: "hint", text: `The first ${listed.length} of ${changes.length} are listed; astrolabe-segment diff --format json gives them all.` }) : null,
  );
}

function diffView(answer, name) {
  const traffic = answer.traffic;
  return el(
    "div",
    { class: "plan-diff" },
    // What the change does to the recorded senders first: the evidence, before the list.
    traffic
      ? el(
          "div",
          { class: "plan-block" },
          el("h3", { text: `${capitalized(name)} through both plans` }),
          el(
            "p",
            { class: "live-count-line" },
            [
              ["messages", traffic.messages],
              ["changed", traffic.changed],
              ["newly refused", traffic.newlyRefused],
              ["newly accepted", traffic.newlyAccepted],
            ].map(([label, n]) => el("span", { class: "live-count" }, el("strong", { text: String(n) }), ` ${label}`)),
          ),
        )
      : el("p", { class: "hint", text: "No history to replay: the changes below are the plans' alone." }),
    changeList("breaking", answer.breaking),
    changeList("additive", answer.additive),
    changeList("neutral", answer.neutral),
  );
}
