import { write, writeSync } from 'node:fs';

/** The size of the buffers lines are encoded into. */
const CHUNK_BYTES = 256 * 1024;

/** Bytes held while the output does not keep up; beyond this, lines are counted and dropped. */
const MAX_PENDING_BYTES = 32 * 2 ** 20;

/** Written buffers kept for reuse: at 50,000 lines a second a buffer fills about every 50 ms. */
const MAX_SPARE = 2;

/** How long lines gather before they are written: short to a reader, long to a busy server. */
const GATHER_MS = 10;

/** How long to wait before writing again to a non-blocking pipe that is full. */
const RETRY_MS = 5;

/** A last word on stderr, for a log that cannot go on. */
function tellStderr(message: string): void {
  try {
    writeSync(2, `running-tasks: ${message}\n`);
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/** Every sink, so that one exit handler writes what each has left. */
const OPEN = new Set<LineSink>();

function flushAllSync(): void {
  for (const sink of OPEN) sink.flushSync();
}

/**
 * The destination of the mock's JSON log lines when stdout is not a
 * terminal. A busy server logs a line per request, so a line costs no more
 * than its encoding into a buffer: lines logged within a few milliseconds
 * go out in one write (batching per turn of the event loop is not enough,
 * as under load a turn handles one or two requests), and no line is kept
 * as a string for the garbage collector to copy.
 *
 * Writes run off the main thread. A full pipe (EAGAIN) is retried and never
 * blocks the server; a reader that has gone (EPIPE) stops the output; a
 * reader that falls far behind loses lines, counted in a notice, rather
 * than the server's memory growing without bound.
 */
export class LineSink {
  /** The buffer lines are encoded into, and how much of it is used. */
  private current: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  /** Filled buffers, oldest first, waiting to be written. */
  private readonly queue: Buffer[] = [];
  /** Buffers already written, to fill again rather than allocate (and fault in) new ones. */
  private readonly spare: Buffer[] = [];
  private queuedBytes = 0;
  private dropped = 0;
  private scheduled = false;
  /** A buffer is being written; the next waits for it. */
  private writing = false;
  /** The rest of that buffer, when a full pipe made it wait for a retry rather than the system. */
  private waiting: { chunk: Buffer; offset: number } | undefined;
  private broken = false;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly fd: number) {
    if (OPEN.size === 0) process.once('exit', flushAllSync);
    OPEN.add(this);
  }

  /** Takes one line (with its newline), as pino writes them. */
  write(line: string): boolean {
    if (this.broken) return true;
    if (this.queuedBytes > MAX_PENDING_BYTES) {
      this.dropped++;
      return true;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (line.length * 3 > CHUNK_BYTES - this.used) {
      this.seal();
      if (line.length * 3 > CHUNK_BYTES) this.enqueue(Buffer.from(line));
      else this.used += this.current.write(line, this.used);
    } else {
      this.used += this.current.write(line, this.used);
    }
    if (!this.scheduled && !this.writing) this.schedule();
    return true;
  }

  /** Calls back once every line taken so far has been written (or the output is gone). */
  flush(callback?: (err?: Error) => void): void {
    if (!this.scheduled && !this.writing && this.used === 0 && this.queue.length === 0) {
      callback?.();
      return;
    }
    if (callback) this.idle.push(() => callback());
  }

  /**
   * Writes what is left synchronously, for at most a second: at exit, when
   * no later turn of the loop will. A buffer already with the system is
   * left to it (it may be stuck on a reader that stopped, and a synchronous
   * write behind it could block the exit); one waiting for a retry goes first.
   */
  flushSync(): void {
    if (this.broken || (this.writing && this.waiting === undefined)) return;
    this.seal();
    const deadline = Date.now() + 1000;
    const pending = this.queue.splice(0);
    if (this.waiting !== undefined)
      pending.unshift(this.waiting.chunk.subarray(this.waiting.offset));
    this.waiting = undefined;
    for (const chunk of pending) {
      let offset = 0;
      while (offset < chunk.length && Date.now() < deadline) {
        try {
          offset += writeSync(this.fd, chunk, offset);
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'EAGAIN') continue;
          if (e.code !== 'EPIPE') tellStderr(`the log could not be written (${e.message})`);
          return;
        }
      }
    }
    this.queuedBytes = 0;
  }

  private schedule(): void {
    this.scheduled = true;
    // Unreferenced: a pending write never keeps the process alive; at exit
    // what is left is written synchronously.
    setTimeout(this.drain, GATHER_MS).unref();
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    this.seal();
    const chunk = this.queue.shift();
    if (chunk === undefined) {
      this.settle();
      return;
    }
    this.writing = true;
    this.send(chunk, 0);
  };

  private send(chunk: Buffer, offset: number): void {
    write(this.fd, chunk, offset, chunk.length - offset, null, (err, written) => {
      if (err) {
        if (err.code === 'EAGAIN') {
          // Unreferenced too: a reader that stopped reading must not keep the process alive.
          this.waiting = { chunk, offset };
          setTimeout(() => {
            this.waiting = undefined;
            this.send(chunk, offset);
          }, RETRY_MS).unref();
          return;
        }
        // EPIPE: nobody reads the output any more. Anything else (a full
        // disk) is said once on stderr; either way the server goes on.
        if (err.code !== 'EPIPE')
          tellStderr(`the log could not be written (${err.message}); logging stopped`);
        this.broken = true;
        this.queue.length = 0;
        this.queuedBytes = 0;
        this.used = 0;
        this.writing = false;
        this.settle();
        return;
      }
      if (offset + written < chunk.length) {
        this.send(chunk, offset + written);
        return;
      }
      this.writing = false;
      this.queuedBytes -= chunk.length;
      this.recycle(chunk);
      if (this.queue.length > 0) this.drain();
      else if (this.used > 0 || this.dropped > 0) this.schedule();
      else this.settle();
    });
  }

  /** Moves the lines encoded so far (and a notice of any dropped) to the queue. */
  private seal(): void {
    if (this.dropped > 0) {
      const msg = `${this.dropped} log lines dropped: the output did not keep up`;
      const notice = `${JSON.stringify({ level: 40, time: Date.now(), msg })}\n`;
      this.dropped = 0;
      if (this.used > 0) this.seal();
      this.enqueue(Buffer.from(notice));
    }
    if (this.used === 0) return;
    this.enqueue(this.current.subarray(0, this.used));
    this.current = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  /** Keeps a written chunk's whole buffer for reuse, if it is one of ours. */
  private recycle(chunk: Buffer): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== CHUNK_BYTES) return;
    if (this.spare.length < MAX_SPARE) this.spare.push(Buffer.from(chunk.buffer, 0, CHUNK_BYTES));
  }

  private enqueue(chunk: Buffer): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
  }

  private settle(): void {
    for (const callback of this.idle.splice(0)) callback();
  }
}
