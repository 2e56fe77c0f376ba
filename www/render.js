// Draws an outcome (or a batch outcome) as DOM: a status badge, the issues as buttons that lead
// to the value in the editor, and one card per operation. Text only goes in through textContent.

const STATUS = {
  mapped: { icon: "✓", text: "mapped" },
  skipped: { icon: "⤼", text: "skipped" },
  invalid: { icon: "✕", text: "invalid" },
};

const OP_NOTES = {
  upsertUser: "Create the user, or update its traits",
  upsertAccount: "Create or update the account",
  associateUser: "Link the user to the account",
  trackEvent: "Record the event",
};

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function badge(status) {
  const s = STATUS[status] ?? { icon: "?", text: String(status) };
  return el("span", { class: `badge badge-${status}` }, el("span", { class: "badge-icon", "aria-hidden": "true", text: s.icon }), s.text);
}

/** JSON as highlighted, indented text: spans for keys, strings, numbers, literals. */
export function jsonBlock(value) {
  const text = JSON.stringify(value, null, 2);
  const code = el("code");
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
  let last = 0;
  for (let m; (m = token.exec(text)); ) {
    if (m.index > last) code.append(text.slice(last, m.index));
    if (m[1] !== undefined) {
      code.append(el("span", { class: m[2] ? "j-key" : "j-str", text: m[1] }));
      if (m[2]) code.append(m[2]);
    } else if (m[3] !== undefined) {
      code.append(el("span", { class: "j-num", text: m[3] }));
    } else {
      code.append(el("span", { class: "j-lit", text: m[4] }));
    }
    last = token.lastIndex;
  }
  code.append(text.slice(last));
  return el("pre", { class: "json" }, code);
}

function pathLabel(path) {
  return path === "" ? "(whole input)" : path;
}

/** One issue: a button that calls onIssue(issue). */
function issueItem(issue, severity, onIssue) {
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: `issue issue-${severity}`,
        dataset: { path: issue.path, code: issue.code },
        title: "Select this value in the editor",
        onclick: () => onIssue(issue),
      },
      el(
        "span",
        { class: "issue-head" },
        el("span", { class: `sev sev-${severity}`, text: severity }),
        el("code", { class: "issue-code", text: issue.code }),
        el("code", { class: "issue-path", text: pathLabel(issue.path) }),
      ),
      el("span", { class: "issue-message", text: issue.message }),
      // How to fix it, when the package says (issues may carry an optional hint).
      typeof issue.hint === "string" && issue.hint !== "" ? el("span", { class: "issue-hint", text: issue.hint }) : null,
    ),
  );
}

function issueList(outcome, onIssue) {
  const items = [
    ...(outcome.reason ? [issueItem(outcome.reason, "skipped", onIssue)] : []),
    ...(outcome.errors ?? []).map((issue) => issueItem(issue, "error", onIssue)),
    ...(outcome.warnings ?? []).map((issue) => issueItem(issue, "warning", onIssue)),
  ];
  return items.length ? el("ul", { class: "issues" }, items) : null;
}

function opCard(operation) {
  const { op, ...fields } = operation;
  return el(
    "article",
    { class: "op-card", dataset: { op } },
    el("header", { class: "op-head" }, el("h4", { class: "op-name", text: op }), el("span", { class: "op-note", text: OP_NOTES[op] ?? "" })),
    jsonBlock(fields),
  );
}

function counts(outcome) {
  const parts = [plural(outcome.operations.length, "operation")];
  parts.push(plural(outcome.errors.length, "error"));
  parts.push(plural(outcome.warnings.length, "warning"));
  return parts.join(" · ");
}

function section(title, ...children) {
  return el("section", { class: "result-section" }, el("h3", { class: "section-title", text: title }), ...children);
}

function renderSingle(outcome, onIssue) {
  const nodes = [
    el("div", { class: "status-line" }, badge(outcome.status), el("span", { class: "counts", text: counts(outcome) })),
  ];
  const issues = issueList(outcome, onIssue);
  if (issues) nodes.push(section("Issues", issues));
  if (outcome.operations.length) {
    nodes.push(section("Operations", el("div", { class: "op-cards" }, outcome.operations.map(opCard))));
  } else if (outcome.status !== "mapped") {
    nodes.push(
      el("p", {
        class: "empty",
        text: outcome.status === "skipped" ? "Nothing is sent to Astrolabe for this message." : "No operations: fix the errors above first.",
      }),
    );
  }
  return nodes;
}

function renderBatch(result, onIssue) {
  const tally = { mapped: 0, skipped: 0, invalid: 0 };
  for (const o of result.outcomes) tally[o.status] = (tally[o.status] ?? 0) + 1;
  const status = result.errors.length ? "invalid" : tally.invalid ? "invalid" : "mapped";
  const nodes = [
    el(
      "div",
      { class: "status-line" },
      el("span", { class: "badge badge-batch", text: "batch" }),
      el("span", {
        class: "counts",
        text: `${plural(result.outcomes.length, "item")}: ${tally.mapped} mapped · ${tally.skipped} skipped · ${tally.invalid} invalid`,
      }),
    ),
  ];
  if (result.errors.length) {
    nodes.push(
      section(
        "Batch errors",
        el("ul", { class: "issues" }, result.errors.map((issue) => issueItem(issue, "error", onIssue))),
      ),
    );
  }
  if (result.outcomes.length) {
    const rows = result.outcomes.map((outcome, index) =>
      el(
        "li",
        { class: `batch-row batch-row-${outcome.status}`, dataset: { index: String(index), status: outcome.status } },
        el(
          "div",
          { class: "row-head" },
          el("span", { class: "row-index", text: `#${index}` }),
          badge(outcome.status),
          el(
            "span",
            { class: "row-ops" },
            outcome.operations.length
              ? outcome.operations.map((operation) => el("code", { class: "op-chip", text: operation.op }))
              : el("span", { class: "muted", text: outcome.status === "skipped" ? "nothing sent" : "no operations" }),
          ),
        ),
        issueList(outcome, onIssue),
        outcome.operations.length
          ? el(
              "details",
              { class: "row-details", open: result.outcomes.length <= 10 },
              el("summary", { text: `Operations (${outcome.operations.length})` }),
              el("div", { class: "op-cards" }, outcome.operations.map(opCard)),
            )
          : null,
      ),
    );
    nodes.push(section("Items", el("ol", { class: "batch-rows" }, rows)));
  }
  return { nodes, status };
}

/** True when the result is a batch outcome ({outcomes, errors}). */
export const isBatch = (result) => Array.isArray(result?.outcomes);

/**
 * Fills `container` with the result and returns a one-line summary for the live region.
 * `onIssue(issue)` is called when an issue is chosen.
 */
export function renderResult(container, result, onIssue) {
  if (isBatch(result)) {
    const { nodes } = renderBatch(result, onIssue);
    container.replaceChildren(...nodes);
    const tally = result.outcomes.map((o) => o.status);
    const batchErrors = result.errors.length ? `, ${plural(result.errors.length, "batch error")}` : "";
    return `Batch of ${plural(result.outcomes.length, "item")}: ${tally.filter((s) => s === "mapped").length} mapped, ${tally.filter((s) => s === "skipped").length} skipped, ${tally.filter((s) => s === "invalid").length} invalid${batchErrors}.`;
  }
  container.replaceChildren(...renderSingle(result, onIssue));
  const ops = result.operations.map((o) => o.op).join(", ");
  const what =
    result.status === "mapped"
      ? `Mapped to ${plural(result.operations.length, "operation")}${ops ? ` (${ops})` : ""}`
      : result.status === "skipped"
        ? `Skipped: ${result.reason?.message ?? "not sent"}`
        : "Invalid";
  return `${what}. ${plural(result.errors.length, "error")}, ${plural(result.warnings.length, "warning")}.`;
}

/** A message instead of a result (the package failed to load, the config was refused). */
export function renderNotice(container, title, detail, kind = "notice") {
  container.replaceChildren(el("div", { class: kind === "hint" ? "notice notice-hint" : "notice" }, el("strong", { text: title }), el("p", { text: detail })));
}

/** All operations of a result, in order (a batch's flattened item by item). */
export function operationsOf(result) {
  return isBatch(result) ? result.outcomes.flatMap((o) => o.operations) : (result?.operations ?? []);
}
