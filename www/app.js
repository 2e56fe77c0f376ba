// The playground: wires the editor, the settings and the result pane to the package.
// The package is imported by path, not by name through an import map: an import map is an inline
// script, which the page's Content-Security-Policy (script-src 'self') does not allow. From
// /app.js, "../pkg/..." resolves to /pkg/... (a URL cannot climb above the root), and from
// /www/app.js (a server rooted at the repository) it also gives /pkg/..., so both layouts work.
const PACKAGES = { full: "../pkg/full/browser.js", lite: "../pkg/lite/browser.js" };

import { Editor } from "./editor.js";
import { EXAMPLES, exampleById } from "./examples.js";
import { locate, offsetOf, lineColumnIn } from "./locate.js";
import { renderResult, renderNotice, operationsOf } from "./render.js";
import { decodeState, shareUrl } from "./share.js";
import { startLive } from "./live.js";
import { startPlanView } from "./plan.js";
import { isOwnText, loadDraft, markCurrent, saveDraft } from "./draft.js";
import { badge } from "./render.js";

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 150;
/** The key `privacy`'s hash action uses on this page: random, made once per load. */
const PAGE_HASH_KEY = [...crypto.getRandomValues(new Uint8Array(24))].map((byte) => byte.toString(16).padStart(2, "0")).join("");

const ui = {
  example: $("example"),
  callType: $("call-type"),
  strict: $("strict"),
  privacy: $("privacy"),
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
  peek: $("peek"),
  build: $("build"),
  mappingsState: $("mappings-state"),
  planState: $("plan-state"),
};

let lib = null; // the package module in use, once loaded
let build = "full"; // which one: the Build menu
let destination = null;
let destinationKey = null;
let lastResult = null; // the parsed outcome shown
let timer = 0;

const editors = {};
// The playground's editors (the Plan view makes its own: plan.js).
for (const container of document.querySelectorAll("main [data-editor]")) {
  const editor = new Editor(container, { onChange: schedule });
  editors[editor.textarea.id] = editor;
}
const payload = editors.payload;
// localStorage can be refused (private modes, settings): then drafts are not kept, and nothing fails.
const storage = (() => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
})();
// Once the text is no longer the example's, the menu says so (screenshots and shares stay honest),
// and the text is the user's draft, kept.
payload.textarea.addEventListener("input", () => {
  if (ui.example.value && payload.value !== exampleById(ui.example.value)?.text) ui.example.value = "";
  keepDraft();
});

let draftTimer = 0;
function keepDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    if (!isOwnText(payload.value, EXAMPLES)) return;
    if (saveDraft(storage, { payload: payload.value, type: ui.callType.value, current: true })) draftOption();
  }, DEBOUNCE_MS);
}

/**
 * Before the editor's text is replaced: what the user typed is kept (keepDraft may still be
 * waiting), and can be chosen back from the menu.
 */
function keepOwnText() {
  // A message opened from the Live view and not edited since is not the user's.
  if (isOwnText(payload.value, EXAMPLES) && ui.received.hidden) {
    clearTimeout(draftTimer);
    const kept = saveDraft(storage, { payload: payload.value, type: ui.callType.value, current: false });
    draftOption();
    if (kept) toast('Your message is kept: choose "Your own message (kept)" in Example to get it back.');
  } else {
    markCurrent(storage, false);
  }
}

/** The menu's "Your own message": there to go back to whenever a draft is kept. */
function draftOption() {
  const option = ui.example.querySelector('option[value=""]');
  const draft = loadDraft(storage);
  option.disabled = !draft;
  option.textContent = draft ? "Your own message (kept)" : "— your own message —";
}

function restoreDraft() {
  const draft = loadDraft(storage);
  if (!draft) return;
  ui.received.hidden = true;
  payload.value = draft.payload;
  ui.callType.value = draft.type;
  ui.example.value = "";
  markCurrent(storage, true);
  run();
}

// ---- settings ----------------------------------------------------------------------------------

function settings() {
  const state = { payload: payload.value, type: ui.callType.value, strict: ui.strict.checked, privacy: ui.privacy.value };
  if (editors.mappings.value.trim()) state.mappings = editors.mappings.value;
  if (editors["tracking-plan"].value.trim()) state.trackingPlan = editors["tracking-plan"].value;
  return state;
}

function applyState(state) {
  payload.value = state.payload;
  ui.callType.value = state.type;
  ui.strict.checked = state.strict;
  ui.privacy.value = state.privacy ?? "warn";
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
  keepOwnText();
  ui.received.hidden = true;
  ui.example.value = example.id;
  payload.replaceAll(example.text);
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

/**
 * The Destination config from the settings, or why there is none: `{ error, panel, position }`
 * for broken JSON in a panel (its line and column, from the package's own parser, whose messages
 * say where, unlike the browser's JSON.parse).
 */
function configFrom(state) {
  const config = { strict: state.strict };
  // The page shows what detection would find unless told not to; `hash` needs a key, and one made
  // for this page is as good as any (the hashes mean nothing elsewhere).
  // The lite build has no detection (it refuses the option): there the setting stands aside.
  const action = build === "lite" ? "off" : (state.privacy ?? "warn");
  if (action !== "off") config.privacy = action === "hash" ? { action, hashKey: PAGE_HASH_KEY } : { action };
  for (const [key, label, panel] of [
    ["mappings", "Mappings", "mappings"],
    ["trackingPlan", "Tracking plan", "tracking-plan"],
  ]) {
    if (state[key] === undefined) continue;
    try {
      config[key] = JSON.parse(state[key]);
    } catch {
      const issue = JSON.parse(lib.mapJson(state[key])).errors?.find((e) => e.code === "invalid_json");
      const position = lineColumnIn(issue?.message);
      const why = issue ? issue.message.replace(/^The input is not valid JSON: /, "").replace(/\.$/, "") : "not valid JSON";
      return { error: `${label}: not valid JSON: ${why}.`, panel, position };
    }
  }
  return { config };
}

function currentDestination(state) {
  const { config, error, panel, position } = configFrom(state);
  ui.mappingsState.textContent = state.mappings ? "custom" : "default";
  ui.planState.textContent = state.trackingPlan ? "on" : "none";
  if (error) return { error, panel, position };
  const key = `${build} ${JSON.stringify(config)}`;
  if (key !== destinationKey) {
    destination?.free?.();
    destination = null;
    destinationKey = key;
    try {
      destination = new lib.Destination(config);
    } catch (e) {
      destinationKey = null;
      return { error: `The settings were refused: ${String(e.message).replace(/\.$/, "")}.` };
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
  const { destination: dest, error, panel, position } = currentDestination(state);
  // The error is said once, under the panels where it is fixed; its place is marked there too.
  ui.configError.hidden = !error;
  ui.configError.textContent = error ?? "";
  for (const name of ["mappings", "tracking-plan"]) {
    const editor = editors[name];
    if (name === panel && position) {
      const start = offsetOf(editor.value, position.line, position.column);
      editor.mark(new Map([[position.line, "error"]]), [{ start, end: Math.min(editor.value.length, start + 1), severity: "error" }]);
    } else if (editor.marked.size) {
      editor.mark(new Map());
    }
  }
  if (error) {
    lastResult = null;
    payload.mark(new Map());
    renderNotice(ui.output, "No result yet", "The settings have an error: see under the panels.");
    ui.summary.textContent = error;
    peek(null, "The settings have an error.");
    return;
  }
  if (state.payload.trim() === "") {
    // Nothing typed is not an error: say what to do instead of "the JSON ends too early".
    lastResult = null;
    payload.mark(new Map());
    renderNotice(ui.output, "Nothing to check yet", "Type or paste a Segment message (or a batch), or choose an example.", "hint");
    ui.summary.textContent = "The editor is empty: type or paste a message, or choose an example.";
    peek(null, "Empty: type or paste a message.");
    return;
  }
  const text = dest.mapJson(state.payload, state.type === "auto" ? undefined : { type: state.type });
  lastResult = JSON.parse(text);
  ui.summary.textContent = renderResult(ui.output, lastResult, selectIssue);
  const { lines, ranges } = marksOf(state.payload, lastResult);
  payload.mark(lines, ranges);
  peek(lastResult, ui.summary.textContent);
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

/**
 * The editor's marks: gutter flags on the first line of each issue's value (errors win over
 * warnings), and the value's range in the text.
 */
function marksOf(text, result) {
  const lines = new Map();
  const ranges = [];
  for (const [severity, issue] of allIssues(result)) {
    const range = rangeOf(text, issue);
    if (!range) continue;
    const line = text.slice(0, range.start).split("\n").length;
    if (lines.get(line) !== "error") lines.set(line, severity);
    ranges.push({ start: range.start, end: range.end, severity });
  }
  return { lines, ranges };
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

// ---- the build: full or lite -------------------------------------------------------------------

function showVersion() {
  if (!lib?.version) return;
  ui.version.textContent = `v${lib.version}${build === "lite" ? " · lite" : ""}`;
  ui.version.hidden = false;
}

/** Switches to the full or the lite build of the package (each loaded once, when first chosen). */
async function useBuild(name) {
  const wanted = Object.hasOwn(PACKAGES, name) ? name : "full";
  let module;
  try {
    module = await import(PACKAGES[wanted]);
  } catch (error) {
    toast(`The ${wanted} build could not be loaded (${error.message}).`);
    ui.build.value = build;
    return;
  }
  destination?.free?.();
  destination = null;
  destinationKey = null;
  lib = module;
  build = wanted;
  document.documentElement.dataset.build = wanted;
  ui.privacy.disabled = wanted === "lite";
  ui.privacy.title = wanted === "lite" ? "The lite build has no personal data detection" : "";
  showVersion();
  run();
}

// ---- the result within reach on a phone ---------------------------------------------------------

/** The sticky line under the editor at narrow widths: the result's badge and summary. */
function peek(result, text) {
  const status = result ? (Array.isArray(result.outcomes) ? (result.errors.length || result.outcomes.some((o) => o.status === "invalid") ? "invalid" : "mapped") : result.status) : null;
  ui.peek.replaceChildren(...(status ? [badge(status), " "] : []), text, " ", Object.assign(document.createElement("span"), { className: "peek-go", textContent: "See the result ↓" }));
}

// ---- the Live view -----------------------------------------------------------------------------

/** Opens a message the inspector received: in the editor, checked here, with what the server said. */
function openReceived(event) {
  const text = event.message ? JSON.stringify(event.message, null, 2) : (event.raw ?? "");
  keepOwnText();
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
  ui.example.append(new Option("— your own message —", ""));
  draftOption();
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
  ui.example.addEventListener("change", () => (ui.example.value === "" ? restoreDraft() : loadExample(ui.example.value)));
  ui.callType.addEventListener("change", run);
  ui.build.addEventListener("change", () => useBuild(ui.build.value));
  ui.strict.addEventListener("change", run);
  ui.privacy.addEventListener("change", run);
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
  const draft = loadDraft(storage);
  if (!restored && !location.hash && draft?.current) {
    // A reload brings back what was being written.
    payload.value = draft.payload;
    ui.callType.value = draft.type;
    ui.example.value = "";
  } else if (!restored) {
    ui.example.value = EXAMPLES[0].id;
    payload.value = EXAMPLES[0].text;
  }
  try {
    lib = await import(PACKAGES.full);
  } catch (error) {
    ui.summary.textContent = "The package could not be loaded.";
    renderNotice(ui.output, "The package could not be loaded", `Build it with "make build" (or run "make serve"), then reload. (${error.message})`);
    return;
  }
  showVersion();
  run();
  startLive($("live"), { onSelect: openReceived });
  startPlanView($("plan"), { lib });
  document.documentElement.dataset.ready = "true";
}

start();
