import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A logger whose JSON lines are parsed into `lines` as they are written. */
export function captureLog<T = Record<string, unknown>>(): { logger: Logger; lines: T[] } {
  const lines: T[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as T);
      done();
    },
  });
  return { logger: pino({ base: undefined }, stream), lines };
}
