// The lines of a file, read a chunk at a time: nothing holds more than one chunk and one line, so
// a file of any size can be read (V8 cannot make a string past 512 MB, and should not have to).

/** How much is read at once. */
const CHUNK = 1 << 20;
/** Lines longer than this are skipped (given with `text: null`), never gathered. */
export const MAX_LINE = 16 << 20;

/**
 * The lines of `handle` (a FileHandle) from byte `start` to byte `end`, as
 * `{ text, offset, length, complete }`: `offset` is where the line starts, `length` its bytes with
 * its newline, `complete` false for a last line without one (cut short by a crash), `text` null for
 * a line over MAX_LINE.
 * @param {import("node:fs/promises").FileHandle} handle
 */
export async function* linesOf(handle, start, end) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  /** The current line's bytes from earlier chunks (copies: the buffer is read into again). */
  let pieces = [];
  let pieceBytes = 0;
  let tooLong = false;
  let lineStart = start;
  let position = start;
  while (position < end) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let from = 0;
    for (;;) {
      const newline = buffer.indexOf(10, from);
      if (newline === -1 || newline >= bytesRead) {
        const rest = bytesRead - from;
        if (!tooLong && pieceBytes + rest > MAX_LINE) {
          tooLong = true;
          pieces = [];
        }
        if (!tooLong && rest > 0) pieces.push(Buffer.from(buffer.subarray(from, bytesRead)));
        pieceBytes += rest;
        break;
      }
      const length = pieceBytes + newline + 1 - from;
      let text = null;
      if (!tooLong && length - 1 <= MAX_LINE) {
        const last = buffer.subarray(from, newline);
        text = (pieces.length === 0 ? last : Buffer.concat([...pieces, last])).toString("utf8");
      }
      yield { text, offset: lineStart, length, complete: true };
      lineStart += length;
      pieces = [];
      pieceBytes = 0;
      tooLong = false;
      from = newline + 1;
    }
  }
  if (pieceBytes > 0) {
    yield { text: tooLong ? null : Buffer.concat(pieces).toString("utf8"), offset: lineStart, length: pieceBytes, complete: false };
  }
}
