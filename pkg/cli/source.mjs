// Where an input's bytes come from, read into buffers the caller gives (so that a long run makes
// no garbage per chunk, which would let memory grow until the collector runs): a file or standard
// input read straight into them, or, for gzip (and standard input that is non-blocking), a
// stream's chunks copied in. Errors carry the problem code the report counts them under:
// `unreadable_file`, or `broken_gzip` when the gzip data is broken or cut short.
import { read as readFd } from "node:fs";
import { open } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";

/** An input that could not be read (from some point on). */
export class InputError extends Error {
  constructor(problem, cause) {
    super(describe(cause));
    this.problem = problem;
  }
}

/** `ENOENT: no such file or directory` without the path (the report names the file). */
export function describe(error) {
  return String(error?.message ?? error).replace(/, (open|read|scandir) '[^']*'$/, "");
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Opens an input: `{ readInto(target, offset) → bytes read (0 at the end), close() }`, un-gzipping
 * it when it starts with gzip's magic bytes. `stdin` is the stream to fall back on for standard
 * input that cannot be read directly.
 */
export async function openSource(path, stdin) {
  const raw = path === "-" ? new StdinSource(stdin) : await FileSource.open(path);
  // The first bytes say whether it is gzip; they are read into a buffer of their own and given
  // back to whoever reads next.
  const first = new Uint8Array(64 * 1024);
  const length = await raw.readInto(first, 0);
  const head = first.subarray(0, length);
  if (!(head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1])) return new Prefixed(head, raw);
  async function* compressed() {
    yield Buffer.from(head);
    for (;;) {
      const chunk = new Uint8Array(256 * 1024);
      const read = await raw.readInto(chunk, 0);
      if (read === 0) return;
      yield chunk.subarray(0, read);
    }
  }
  const gunzip = pipeline(Readable.from(compressed(), { objectMode: false }), createGunzip({ chunkSize: 256 * 1024 }), () => {});
  return new ChunkSource(gunzip[Symbol.asyncIterator](), raw, "broken_gzip");
}

class FileSource {
  static async open(path) {
    try {
      return new FileSource(await open(path, "r"));
    } catch (error) {
      throw new InputError("unreadable_file", error);
    }
  }

  constructor(handle) {
    this.handle = handle;
  }

  async readInto(target, offset) {
    try {
      return (await this.handle.read(target, offset, target.length - offset, null)).bytesRead;
    } catch (error) {
      throw new InputError("unreadable_file", error);
    }
  }

  async close() {
    await this.handle.close().catch(() => {});
  }
}

/** Standard input: read from file descriptor 0, or from the stream when that would block. */
class StdinSource {
  constructor(stream) {
    this.stream = stream;
    this.chunks = undefined;
  }

  readInto(target, offset) {
    if (this.chunks) return this.chunks.readInto(target, offset);
    return new Promise((resolve, reject) => {
      readFd(0, target, offset, target.length - offset, null, (error, read) => {
        if (!error) return resolve(read);
        if (error.code !== "EAGAIN") return reject(new InputError("unreadable_file", error));
        // A non-blocking descriptor (a parent set O_NONBLOCK): Node's stream waits for it.
        this.chunks = new ChunkSource(this.stream[Symbol.asyncIterator](), undefined, "unreadable_file");
        resolve(this.chunks.readInto(target, offset));
      });
    });
  }

  async close() {}
}

/** A stream's chunks, copied into the buffers given. */
class ChunkSource {
  constructor(iterator, underlying, problem) {
    this.iterator = iterator;
    this.underlying = underlying;
    this.problem = problem;
    this.chunk = undefined;
    this.at = 0;
  }

  async readInto(target, offset) {
    while (!this.chunk || this.at >= this.chunk.length) {
      let step;
      try {
        step = await this.iterator.next();
      } catch (error) {
        throw error instanceof InputError ? error : new InputError(this.problem, error);
      }
      if (step.done) return 0;
      this.chunk = step.value;
      this.at = 0;
    }
    const count = Math.min(target.length - offset, this.chunk.length - this.at);
    target.set(this.chunk.subarray(this.at, this.at + count), offset);
    this.at += count;
    return count;
  }

  async close() {
    await this.iterator.return?.().catch(() => {});
    await this.underlying?.close();
  }
}

/** Bytes already read, then the rest of a source. */
class Prefixed {
  constructor(head, rest) {
    this.head = head;
    this.rest = rest;
  }

  readInto(target, offset) {
    if (this.head.length === 0) return this.rest.readInto(target, offset);
    const count = Math.min(target.length - offset, this.head.length);
    target.set(this.head.subarray(0, count), offset);
    this.head = this.head.subarray(count);
    return Promise.resolve(count);
  }

  close() {
    return this.rest.close();
  }
}
