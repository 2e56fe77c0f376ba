// The Live view: what reaches this server's Segment endpoint (make serve), as it arrives, over
// Server-Sent Events from /inspector/stream. Newest first; filters use the same module as the
// query API (live-filter.js), so the page and GET /inspector/events agree. Served by a static host
// without the inspector, it says so instead of failing.
import { firstProblem, matches, STATUSES } from "./live-filter.js";
import { badge, el } from "./render.js";

/** The most messages the page holds (the server keeps more: query it, or export). */
const HELD = 1_000;
/** The most rows drawn at once. */
const SHOWN = 200;
/** The most quarantine records the page holds and draws (the server's file keeps them all). */
const QUARANTINE_HELD = 200;
const TYPES = ["identify", "group", "track", "page", "screen", "alias"];

/** The ids a row shows: userId, else anonymousId, and groupId for a group call. */
function idsOf(message) {
  const ids = [];
  if (typeof message?.userId === "string") ids.push(message.userId);
  else if (typeof message?.anonymousId === "string") ids.push(`anon ${message.anonymousId}`);
  if (typeof message?.groupId === "string") ids.push(`group ${message.groupId}`);
  return ids.join(" · ");
}

function time(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour12: false });
}

/** True when the page came from make serve with its inspector on (its Server-Timing header). */
export function inspectorServed() {
  const [navigation] = globalThis.performance?.getEntriesByType?.("navigation") ?? [];
  return (navigation?.serverTiming ?? []).some((entry) => entry.name === "inspector");
}

/** One row: a button whose text says everything a sighted reader sees. */
export function liveRow(event) {
  const problem = firstProblem(event.outcome);
  const status = event.outcome?.status ?? "invalid";
  return el(
    "li",
    {},
    el(
      "button",
      { type: "button", class: `live-row live-row-${status}`, dataset: { id: String(event.id), status } },
      el(
        "span",
        { class: "live-row-head" },
        badge(status),
        el("code", { class: "live-type", text: event.type ?? "?" }),
        el("span", { class: "live-event", text: typeof event.message?.event === "string" ? event.message.event : "" }),
        el("span", { class: "live-ids", text: idsOf(event.message) }),
        el("span", { class: "live-meta", text: `${event.route} · HTTP ${event.http?.status ?? "?"} · ${time(event.receivedAt)}` }),
      ),
      problem
        ? el(
            "span",
            { class: "live-problem" },
            el("code", { class: "issue-code", text: problem.code }),
            ` ${problem.path ? `${problem.path}: ` : ""}${problem.message ?? ""}`,
            typeof problem.hint === "string" && problem.hint !== "" ? el("span", { class: "issue-hint", text: problem.hint }) : null,
          )
        : null,
    ),
  );
}

/**
 * One quarantined record, as the inspector gives its head: when, the route, the index in its
 * batch, the request's id, and each error's code and path. Never the message's values.
 */
export function quarantineRow(head) {
  const where = head.index === null || head.index === undefined ? "" : ` · item ${head.index}`;
  const codes = (head.errors ?? []).map((issue) => el("span", { class: "live-quarantine-issue" }, el("code", { class: "issue-code", text: issue.code }), issue.path ? ` at ${issue.path}` : ""));
  return el(
    "li",
    { class: "live-quarantine-row", dataset: { n: String(head.n) } },
    el(
      "span",
      { class: "live-row-head" },
      el("span", { class: "live-quarantine-where", text: `${head.route ?? "?"}${where}${head.whole ? " · the whole request" : ""}` }),
      el("span", { class: "live-meta", text: `${head.requestId ? `request ${head.requestId} · ` : ""}${time(head.receivedAt)}` }),
    ),
    codes.length > 0 ? el("span", { class: "live-problem" }, codes.flatMap((code, at) => (at === 0 ? [code] : [", ", code]))) : null,
  );
}

/**
 * Starts the Live view in `root` (the #live section). `onSelect(event)` opens a message.
 * `EventSourceImpl` and `fetchImpl` are the browser's unless given.
 */
export function startLive(root, { onSelect, fetchImpl = (...a) => fetch(...a), EventSourceImpl = globalThis.EventSource } = {}) {
  const $ = (selector) => root.querySelector(selector);
  const ui = {
    state: $("#live-state"),
    body: $("#live-body"),
    rows: $("#live-rows"),
    counts: $("#live-counts"),
    more: $("#live-more"),
    clear: $("#live-clear"),
    status: $("#live-status"),
    type: $("#live-type"),
    event: $("#live-event"),
    code: $("#live-code"),
    text: $("#live-text"),
    quarantine: $("#live-quarantine"),
    quarantineCount: $("#live-quarantine-count"),
    quarantineRows: $("#live-quarantine-rows"),
  };
  let quarantine; // { total, records (newest first) } once the server says it keeps one
  let events = []; // newest first
  let totals = { total: 0, dropped: 0, byStatus: {}, byCode: {} };
  let drawPending = false;

  // The settings to give an SDK, with this page's own host and port.
  if (location.protocol === "http:" || location.protocol === "https:") {
    $("#live-apihost").textContent = `${location.host}/v1`;
    $("#live-nodehost").textContent = location.origin;
    $("#live-quarantine-to").textContent = location.origin;
  }
  for (const status of STATUSES) ui.status.append(new Option(status, status));
  for (const type of TYPES) ui.type.append(new Option(type, type));

  const filter = () => {
    const f = {};
    if (ui.status.value) f.status = ui.status.value;
    if (ui.type.value) f.type = ui.type.value;
    if (ui.event.value.trim()) f.event = ui.event.value.trim();
    if (ui.code.value) f.code = ui.code.value;
    if (ui.text.value.trim()) f.text = ui.text.value.trim();
    return f;
  };

  function drawCounts() {
    const parts = [el("span", { class: "live-count" }, el("strong", { text: String(totals.total) }), " kept")];
    for (const status of STATUSES) {
      parts.push(el("span", { class: `live-count live-count-${status}` }, el("strong", { text: String(totals.byStatus?.[status] ?? 0) }), ` ${status}`));
    }
    if (totals.dropped > 0) parts.push(el("span", { class: "live-count live-count-dropped" }, el("strong", { text: String(totals.dropped) }), " dropped (oldest, over the limit)"));
    const codes = Object.entries(totals.byCode ?? {}).sort((a, b) => b[1] - a[1]);
    ui.counts.replaceChildren(el("p", { class: "live-count-line" }, parts));
    if (codes.length) {
      ui.counts.append(el("p", { class: "live-count-line" }, codes.map(([code, n]) => el("span", { class: "live-count" }, el("code", { text: code }), ` ${n}`))));
    }
    // The code filter offers the codes seen, keeping the current choice.
    const chosen = ui.code.value;
    const names = new Set([...codes.map(([code]) => code), ...(chosen ? [chosen] : [])]);
    ui.code.replaceChildren(new Option("any", ""), ...[...names].sort().map((code) => new Option(code, code)));
    ui.code.value = chosen;
  }

  function draw() {
    drawPending = false;
    const f = filter();
    const shown = [];
    let matched = 0;
    for (const event of events) {
      if (!matches(event, f)) continue;
      matched += 1;
      if (shown.length < SHOWN) shown.push(event);
    }
    const focusedId = document.activeElement?.closest?.(".live-row")?.dataset.id;
    ui.rows.replaceChildren(...shown.map(liveRow));
    if (focusedId) ui.rows.querySelector(`.live-row[data-id="${CSS.escape(focusedId)}"]`)?.focus();
    ui.more.textContent = events.length === 0
      ? "Nothing received yet. Point an SDK at this server (see above) and use your app."
      : `${matched} of the ${events.length} newest messages match${matched > shown.length ? `; the first ${shown.length} are shown` : ""}.${totals.total > events.length ? ` The server keeps ${totals.total}: query them at /inspector/events, or export them.` : ""}`;
    drawCounts();
  }

  function drawQuarantine() {
    ui.quarantine.hidden = quarantine === undefined;
    if (quarantine === undefined) return;
    ui.quarantineCount.textContent = `${quarantine.total} refused message${quarantine.total === 1 ? "" : "s"} kept`;
    ui.quarantineRows.replaceChildren(...quarantine.records.map(quarantineRow));
  }

  const redraw = () => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(draw);
  };

  function unavailable(why) {
    root.dataset.live = "unavailable";
    ui.state.textContent = "unavailable";
    ui.body.hidden = true;
    $("#live-actions").hidden = true; // nothing to clear or export
    $("#live-unavailable").hidden = false;
    $("#live-unavailable-why").textContent = why;
  }

  ui.rows.addEventListener("click", (e) => {
    const row = e.target.closest(".live-row");
    const event = row && events.find((candidate) => String(candidate.id) === row.dataset.id);
    if (event) onSelect?.(event);
  });
  // Arrow keys move between rows (Tab still leaves the list).
  ui.rows.addEventListener("keydown", (e) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    const rows = [...ui.rows.querySelectorAll(".live-row")];
    const at = rows.indexOf(document.activeElement);
    if (at < 0) return;
    const next = e.key === "Home" ? 0 : e.key === "End" ? rows.length - 1 : Math.min(rows.length - 1, Math.max(0, at + (e.key === "ArrowDown" ? 1 : -1)));
    rows[next]?.focus();
    e.preventDefault();
  });
  for (const control of [ui.status, ui.type, ui.code]) control.addEventListener("change", redraw);
  for (const control of [ui.event, ui.text]) control.addEventListener("input", redraw);
  ui.clear.addEventListener("click", async () => {
    await fetchImpl("/inspector/events", { method: "DELETE" }).catch(() => {});
  });

  (async () => {
    // make serve marks its pages (Server-Timing: inspector); asking another static host for
    // /inspector/ would only add a 404 to the console.
    if (!inspectorServed() || !EventSourceImpl) {
      return unavailable("This page is served without the inspector (another static host, or make serve --no-inspector).");
    }
    let response;
    try {
      response = await fetchImpl("/inspector/summary", { headers: { accept: "application/json" } });
    } catch {
      return unavailable("This page's server could not be reached.");
    }
    if (!response.ok || !/json/.test(response.headers.get("content-type") ?? "")) {
      return unavailable("This page's server did not answer as the inspector does.");
    }
    totals = await response.json();
    root.dataset.live = "connecting";
    const source = new EventSourceImpl("/inspector/stream");
    source.addEventListener("snapshot", (e) => {
      const data = JSON.parse(e.data);
      const { quarantine: kept, ...summary } = data;
      events = data.events;
      totals = summary;
      quarantine = kept === undefined ? undefined : { total: kept.total, records: kept.records.slice(0, QUARANTINE_HELD) };
      drawQuarantine();
      root.dataset.live = "on";
      ui.state.textContent = "listening";
      redraw();
    });
    source.addEventListener("added", (e) => {
      const data = JSON.parse(e.data);
      events = [...data.events.slice().reverse(), ...events].slice(0, HELD);
      const { events: _added, ...summary } = data;
      totals = summary;
      redraw();
    });
    source.addEventListener("cleared", (e) => {
      events = [];
      totals = JSON.parse(e.data);
      redraw();
    });
    source.addEventListener("quarantined", (e) => {
      const data = JSON.parse(e.data);
      quarantine = { total: data.total, records: [...data.records.slice().reverse(), ...(quarantine?.records ?? [])].slice(0, QUARANTINE_HELD) };
      drawQuarantine();
    });
    source.addEventListener("quarantine-cleared", () => {
      quarantine = { total: 0, records: [] };
      drawQuarantine();
    });
    source.addEventListener("error", () => {
      // EventSource reconnects by itself; the snapshot then brings the list up to date.
      root.dataset.live = "reconnecting";
      ui.state.textContent = "reconnecting…";
    });
  })();

  return { get events() { return events; } };
}
