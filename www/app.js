// The playground: wires the editor, the settings and the result pane to the package.
// The package is imported by path, not by name through an import map: an import map is an inline
// script, which the page's Content-Security-Policy (script-src 'self') does not allow. From
// /app.js, "../pkg/..." resolves to /pkg/... (a URL cannot climb above the root), and from
// /www/app.js (a server rooted at the repository) it also gives /pkg/..., so both layouts work.
const PACKAGE = "../pkg/full/browser.js";

import { Editor } from "./editor.js";
import { EXAMPLES, exampleById } from "./examples.js";
import { locate, offsetOf, lineColumnIn } from "./locate.js";
import { renderResult, renderNotice, operationsOf } from "./render.js";
import { decodeState, shareUrl } from "./share.js";
import { startLive } from "./live.js";

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 150;

const ui = {
  example: $("example"),
  callType: $("call-type"),
  strict: $("strict"),
  format: $("format"),
  output: $("output"),
  summary: $("summary"),
  configError: $("config-error"),
  share: $("share"),
  shareUrl: $("share-url"),
  copyShare: $("copy-share"),
  copyOps: $("copy-ops"),
  copyOutcome: $("copy-outcome"),
  toast: $("toast"),
  version: $("version"),
  received: $("received"),
  mappingsState: $("mappings-state"),
  planState: $("plan-state"),
};

let lib = null; // the package module, once loaded
let destination = null;
let destinationKey = null;
let lastResult = null; // the parsed outcome shown
let timer = 0;

const editors = {};
for (const container of document.querySelectorAll("[data-editor]")) {
  const editor = new Editor(container, { onChange: schedule });
  editors[editor.textarea.id] = editor;
}
const payload = editors.payload;
// Once the text is no longer the example's, the menu says so (screenshots and shares stay honest).
payload.textarea.addEventListener("input", () => {
  if (ui.example.value && payload.value !== exampleById(ui.example.value)?.text) ui.example.value = "";
});

// ---- settings ----------------------------------------------------------------------------------

function settings() {
  const state = { payload: payload.value, type: ui.callType.value, strict: ui.strict.checked };
  if (editors.mappings.value.trim()) state.mappings = editors.mappings.value;
  if (editors["tracking-plan"].value.trim()) state.trackingPlan = editors["tracking-plan"].value;
  return state;
}

function applyState(state) {
  payload.value = state.payload;
  ui.callType.value = state.type;
  ui.strict.checked = state.strict;
  editors.mappings.value = state.mappings ?? "";
  editors["tracking-plan"].value = state.trackingPlan ?? "";
  $("mappings-panel").open ||= Boolean(state.mappings);
  $("plan-panel").open ||= Boolean(state.trackingPlan);
}

// The panel texts the last example put there: another example takes them away again, but never
// what the user wrote in the panels.
let panelsFromExample = { mappings: "", "tracking-plan": "" };

function loadExample(id) {
  const example = exampleById(id) ?? EXAMPLES[0];
  ui.example.value = example.id;
  payload.value = example.text;
  ui.callType.value = example.type ?? "auto";
  for (const [panel, key, details] of [
    ["mappings", "mappings", "mappings-panel"],
    ["tracking-plan", "trackingPlan", "plan-panel"],
  ]) {
    const editor = editors[panel];
    if (example[key]) {
      editor.value = example[key];
      $(details).open = true;
    } else if (editor.value && editor.value === panelsFromExample[panel]) {
      editor.value = "";
    }
    panelsFromExample[panel] = example[key] ?? "";
  }
  run();
}

/** The Destination config from the settings, or an error message saying why there is none. */
function configFrom(state) {
  const config = { strict: state.strict };
  for (const [key, label] of [
    ["mappings", "Mappings"],
    ["trackingPlan", "Tracking plan"],
  ]) {
    if (state[key] === undefined) continue;
    try {
      config[key] = JSON.parse(state[key]);
    } catch (error) {
      return { error: `${label}: not valid JSON (${error.message}).` };
    }
  }
  return { config };
}

function currentDestination(state) {
  const { config, error } = configFrom(state);
  ui.mappingsState.textContent = state.mappings ? "custom" : "default";
  ui.planState.textContent = state.trackingPlan ? "on" : "none";
  if (error) return { error };
  const key = JSON.stringify(config);
  if (key !== destinationKey) {
    destination?.free?.();
    destination = null;
    destinationKey = key;
    try {
      destination = new lib.Destination(config);
    } catch (e) {
      destinationKey = null;
      return { error: `The settings were refused: ${e.message}` };
    }
  }
  return { destination };
}

// ---- checking ----------------------------------------------------------------------------------

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

function run() {
  clearTimeout(timer);
  if (!lib) return;
  const state = settings();
  const { destination: dest, error } = currentDestination(state);
  ui.configError.hidden = !error;
  ui.configError.textContent = error ?? "";
  if (error) {
    lastResult = null;
    payload.mark(new Map());
    renderNotice(ui.output, "Settings refused", error);
    ui.summary.textContent = error;
    return;
  }
  const text = dest.mapJson(state.payload, state.type === "auto" ? undefined : { type: state.type });
  lastResult = JSON.parse(text);
  ui.summary.textContent = renderResult(ui.output, lastResult, selectIssue);
  payload.mark(markedLines(state.payload, lastResult));
}

function allIssues(result) {
  const single = (o) => [
    ...o.errors.map((issue) => ["error", issue]),
    ...o.warnings.map((issue) => ["warning", issue]),
  ];
  return Array.isArray(result.outcomes)
    ? [...result.errors.map((issue) => ["error", issue]), ...result.outcomes.flatMap(single)]
    : single(result);
}

/** Gutter flags: the first line of each issue's value (errors win over warnings). */
function markedLines(text, result) {
  const lines = new Map();
  for (const [severity, issue] of allIssues(result)) {
    const range = rangeOf(text, issue);
    if (!range) continue;
    const line = text.slice(0, range.start).split("\n").length;
    if (lines.get(line) !== "error") lines.set(line, severity);
  }
  return lines;
}

/** The text range an issue is about: its value, or its line and column for broken JSON. */
function rangeOf(text, issue) {
  const position = lineColumnIn(issue.message);
  if (position && issue.path === "") {
    const start = offsetOf(text, position.line, position.column);
    return { start, end: Math.min(text.length, start + 1) };
  }
  const range = locate(text, issue.path);
  if (range && !range.exact && issue.path !== "") {
    // A missing member: point at the container's opening brace rather than all of it.
    return { start: range.start, end: range.start + 1 };
  }
  return range;
}

function selectIssue(issue) {
  const range = rangeOf(payload.value, issue);
  if (!range) {
    toast("That value could not be found in the text.");
    return;
  }
  payload.select(range.start, range.end);
}

// ---- the Live view -----------------------------------------------------------------------------

/** Opens a message the inspector received: in the editor, checked here, with what the server said. */
function openReceived(event) {
  const text = event.message ? JSON.stringify(event.message, null, 2) : (event.raw ?? "");
  ui.example.value = "";
  payload.value = text;
  // A body sent to /v1/t may have no "type": the route says it, as the server read it.
  const typed = typeof event.message?.type === "string";
  ui.callType.value = !typed && ["identify", "group", "track"].includes(event.type) ? event.type : "auto";
  run();
  const library = event.library ? ` from ${event.library.name}${event.library.version ? ` ${event.library.version}` : ""}` : "";
  const at = new Date(event.receivedAt).toLocaleTimeString([], { hour12: false });
  ui.received.textContent = `Received at ${at} on ${event.route}${library}; answered HTTP ${event.http?.status ?? "?"}; the server's outcome: ${event.outcome?.status ?? "unknown"}.`;
  ui.received.hidden = false;
  $("result").scrollIntoView({ block: "start" });
  $("result").focus({ preventScroll: true });
}
payload.textarea.addEventListener("input", () => {
  ui.received.hidden = true;
});

// ---- sharing and copying -----------------------------------------------------------------------

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "offscreen";
    document.body.append(scratch);
    scratch.select();
    const ok = document.execCommand("copy");
    scratch.remove();
    if (!ok) {
      toast(`Could not copy ${what}: select it and copy by hand.`);
      return;
    }
  }
  toast(`Copied ${what}.`);
}

let toastTimer = 0;
function toast(message) {
  ui.toast.textContent = message;
  ui.toast.classList.add("toast-shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => ui.toast.classList.remove("toast-shown"), 2400);
}

async function share() {
  const url = await shareUrl(location.href, settings());
  history.replaceState(null, "", url);
  ui.shareUrl.value = url;
  ui.copyShare.disabled = false;
  await copy(url, "the share link");
}

async function restoreFromHash() {
  if (!location.hash) return false;
  const state = await decodeState(location.hash);
  if (!state) {
    toast("This share link could not be read; showing an example instead.");
    return false;
  }
  applyState(state);
  ui.example.value = "";
  ui.shareUrl.value = location.href;
  ui.copyShare.disabled = false;
  return true;
}

function format() {
  try {
    const pretty = JSON.stringify(JSON.parse(payload.value), null, 2);
    if (pretty !== payload.value) {
      payload.textarea.select();
      payload.insert(pretty);
    }
  } catch {
    toast("The JSON is broken: fix it before formatting (see the issue for its line and column).");
  }
}

// ---- start -------------------------------------------------------------------------------------

function fillExamples() {
  const placeholder = new Option("— your own message —", "");
  placeholder.disabled = true;
  ui.example.append(placeholder);
  const groups = new Map();
  for (const example of EXAMPLES) {
    if (!groups.has(example.group)) {
      const group = document.createElement("optgroup");
      group.label = example.group;
      groups.set(example.group, group);
      ui.example.append(group);
    }
    groups.get(example.group).append(new Option(example.label, example.id));
  }
}

function wire() {
  ui.example.addEventListener("change", () => loadExample(ui.example.value));
  ui.callType.addEventListener("change", run);
  ui.strict.addEventListener("change", run);
  ui.format.addEventListener("click", format);
  ui.share.addEventListener("click", share);
  ui.copyShare.addEventListener("click", () => copy(ui.shareUrl.value, "the share link"));
  ui.shareUrl.addEventListener("focus", () => ui.shareUrl.select());
  ui.copyOps.addEventListener("click", () => {
    if (lastResult) copy(JSON.stringify(operationsOf(lastResult), null, 2), "the operations");
  });
  ui.copyOutcome.addEventListener("click", () => {
    if (lastResult) copy(JSON.stringify(lastResult, null, 2), "the outcome");
  });
  addEventListener("hashchange", async () => {
    if (await restoreFromHash()) run();
  });
}

async function start() {
  fillExamples();
  wire();
  const restored = await restoreFromHash();
  if (!restored) {
    ui.example.value = EXAMPLES[0].id;
    payload.value = EXAMPLES[0].text;
  }
  try {
    lib = await import(PACKAGE);
  } catch (error) {
    ui.summary.textContent = "The package could not be loaded.";
    renderNotice(ui.output, "The package could not be loaded", `Build it with "make build" (or run "make serve"), then reload. (${error.message})`);
    return;
  }
  if (lib.version) {
    ui.version.textContent = `v${lib.version}`;
    ui.version.hidden = false;
  }
  run();
  startLive($("live"), { onSelect: openReceived });
  document.documentElement.dataset.ready = "true";
}

start();
