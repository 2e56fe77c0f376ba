// A plain <textarea> made into a small JSON editor: a line-number gutter kept in step with the
// text and its scrolling, lines flagged with issues, each issue's value marked in the text itself
// (a layer under the transparent textarea, holding the same text with <mark>s), auto-indent on
// Enter, and selecting a range with the view scrolled to it. The markup is in index.html: <div data-editor><div class="gutter">
// <textarea>. Tab is left alone, so the keyboard can still leave the editor.

import { lineColumnOf } from "./locate.js";

export class Editor {
  constructor(container, { onChange } = {}) {
    this.container = container;
    this.textarea = container.querySelector("textarea");
    this.gutter = container.querySelector(".gutter");
    this.lines = 0;
    this.marked = new Map(); // line -> "error" | "warning"
    this.ranges = []; // [{ start, end, severity }] offsets in the text
    // The marks' layer: the textarea's twin (same box, font and scroll), under it.
    this.layer = document.createElement("div");
    this.layer.className = "editor-marks";
    this.layer.setAttribute("aria-hidden", "true");
    const field = document.createElement("div");
    field.className = "editor-field";
    this.textarea.before(field);
    field.append(this.layer, this.textarea);
    this.textarea.addEventListener("input", () => {
      // The old ranges no longer fit the text: gone until the next check marks it again.
      this.ranges = [];
      this.renderGutter();
      this.renderMarks();
      onChange?.(this.value);
    });
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    this.textarea.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.renderGutter();
  }

  get value() {
    return this.textarea.value;
  }

  /** Replaces the text (no change event: the caller knows). */
  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.ranges = [];
    this.renderGutter();
    this.renderMarks();
  }

  /**
   * Flags lines in the gutter (a Map of line number to "error" or "warning") and marks `ranges`
   * ([{ start, end, severity }]) in the text.
   */
  mark(lines, ranges = []) {
    this.marked = lines;
    this.ranges = ranges;
    this.renderGutter(true);
    this.renderMarks();
  }

  renderMarks() {
    const text = this.textarea.value;
    const fragment = document.createDocumentFragment();
    let at = 0;
    const sorted = this.ranges
      .filter((r) => Number.isInteger(r.start) && r.start >= 0 && r.start <= text.length)
      .sort((a, b) => a.start - b.start || (a.severity === "error" ? -1 : 1));
    for (const range of sorted) {
      if (range.start < at) continue; // overlapping: the first (an error before a warning) shows
      const end = Math.min(text.length, Math.max(range.end ?? range.start, range.start));
      fragment.append(text.slice(at, range.start));
      const mark = document.createElement("mark");
      mark.className = `mark-${range.severity === "error" ? "error" : "warning"}`;
      // An empty range (the end of the text) still shows, as one cell.
      mark.textContent = end > range.start ? text.slice(range.start, end) : " ";
      fragment.append(mark);
      at = end;
    }
    // A line more than the text, so the layer can scroll as far as the textarea.
    fragment.append(text.slice(at) + "\n ");
    this.layer.replaceChildren(fragment);
    this.syncScroll();
  }

  renderGutter(force = false) {
    let count = 1;
    const text = this.textarea.value;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
    if (count === this.lines && !force) return;
    this.lines = count;
    const fragment = document.createDocumentFragment();
    for (let line = 1; line <= count; line++) {
      const span = document.createElement("span");
      span.textContent = String(line);
      const flag = this.marked.get(line);
      if (flag) span.className = `mark-${flag}`;
      fragment.append(span);
    }
    // Room for the horizontal scrollbar, so the last numbers can scroll as far as the text.
    const tail = document.createElement("span");
    tail.className = "gutter-tail";
    fragment.append(tail);
    this.gutter.replaceChildren(fragment);
    this.syncScroll();
  }

  syncScroll() {
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.layer.scrollTop = this.textarea.scrollTop;
    this.layer.scrollLeft = this.textarea.scrollLeft;
  }

  onKeyDown(event) {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    const { selectionStart, selectionEnd, value } = this.textarea;
    const lineStart = value.lastIndexOf("\n", selectionStart - 1) + 1;
    const indent = /^[ \t]*/.exec(value.slice(lineStart, selectionStart))[0];
    const before = value.slice(lineStart, selectionStart).trimEnd().at(-1);
    const after = value.slice(selectionEnd).trimStart()[0];
    const opens = before === "{" || before === "[";
    let insert = "\n" + indent + (opens ? "  " : "");
    let caret = insert.length;
    if (opens && ((before === "{" && after === "}") || (before === "[" && after === "]"))) {
      insert += "\n" + indent;
    }
    event.preventDefault();
    this.insert(insert, caret);
  }

  /** Types text at the selection (undoable where the browser allows), caret `caret` chars in. */
  insert(text, caret = text.length) {
    const ta = this.textarea;
    const start = ta.selectionStart;
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    const done = document.queryCommandSupported?.("insertText") && document.execCommand("insertText", false, text);
    if (!done) {
      ta.setRangeText(text, start, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
    ta.setSelectionRange(start + caret, start + caret);
  }

  /**
   * Replaces the whole text as an edit the browser can undo (Ctrl+Z in the editor brings the old
   * text back), then gives the focus back to where it was (the Example menu, say).
   */
  replaceAll(text) {
    const ta = this.textarea;
    const focused = document.activeElement;
    ta.focus({ preventScroll: true });
    ta.select();
    const done = document.queryCommandSupported?.("insertText") && document.execCommand("insertText", false, text);
    if (!done || ta.value !== text) this.value = text;
    ta.setSelectionRange(0, 0);
    ta.scrollTop = 0;
    ta.scrollLeft = 0;
    this.renderGutter();
    this.renderMarks();
    if (focused && focused !== ta && typeof focused.focus === "function") focused.focus({ preventScroll: true });
  }

  /** Selects [start, end), focuses the editor and scrolls the selection into view. */
  select(start, end) {
    const ta = this.textarea;
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(start, end);
    const style = getComputedStyle(ta);
    const lineHeight = parseFloat(style.lineHeight) || 20;
    const { line, column } = lineColumnOf(ta.value, start);
    const top = (line - 1) * lineHeight;
    if (top < ta.scrollTop || top + lineHeight > ta.scrollTop + ta.clientHeight) {
      ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
    }
    const charWidth = measureCharWidth(style);
    const left = (column - 1) * charWidth;
    if (left < ta.scrollLeft || left > ta.scrollLeft + ta.clientWidth - 4 * charWidth) {
      ta.scrollLeft = Math.max(0, left - ta.clientWidth / 3);
    }
    this.syncScroll();
    const box = this.container.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) {
      this.container.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
}

let measured = null;
function measureCharWidth(style) {
  const font = `${style.fontSize} ${style.fontFamily}`;
  if (measured?.font !== font) {
    const context = document.createElement("canvas").getContext("2d");
    context.font = font;
    measured = { font, width: context.measureText("0000000000").width / 10 || 8 };
  }
  return measured.width;
}
