// The progress line of a long run, on standard error when it is a terminal: shown once the run
// has taken a second, rewritten in place a few times a second, cleared before the report is printed.

const INTERVAL_MS = 250;
const FIRST_MS = 1000;

export class Progress {
  /** @param {NodeJS.WriteStream} stream @param {boolean} enabled @param {() => string} describe */
  constructor(stream, enabled, describe) {
    this.stream = stream;
    this.describe = describe;
    this.shown = false;
    this.started = Date.now();
    this.timer = enabled ? setInterval(() => this.show(), INTERVAL_MS) : undefined;
    this.timer?.unref();
  }

  show() {
    if (Date.now() - this.started < FIRST_MS) return;
    const columns = this.stream.columns || 100;
    this.stream.write(`\r\x1b[K${this.describe().slice(0, columns - 1)}`);
    this.shown = true;
  }

  stop() {
    clearInterval(this.timer);
    if (this.shown) this.stream.write("\r\x1b[K");
  }
}

/** `1.2 GB`. */
export function bytes(count) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = count;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
