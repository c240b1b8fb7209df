import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Exchange } from '../../mock-server/src/http/exchange';
import { createRequestLog } from '../../mock-server/src/http/request-log';
import { LineSink } from '../../mock-server/src/line-sink';

/** An exchange whose answer has been sent: only what the log reads of it is real. */
function answered(url: string, status: number, extra: Partial<Exchange> = {}): Exchange {
  const req = { method: 'GET', url, headers: {} } as IncomingMessage;
  const res = { statusCode: status, writableEnded: true } as ServerResponse;
  return Object.assign(new Exchange(7, req, res), extra);
}

/** Lines written through pino's own serialiser, to compare the built ones with. */
function pinoLines(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ base: undefined }, stream).child({ component: 'http' }), lines };
}

describe('the request log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'request-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Logs `exchanges` through the mock's own JSON logger (a LineSink on a file); returns the lines. */
  function viaLineSink(exchanges: Exchange[], level = 'info'): string[] {
    const file = path.join(dir, 'log.jsonl');
    const fd = openSync(file, 'w');
    const sink = new LineSink(fd);
    const log = pino({ level, base: undefined }, sink).child({ component: 'http' });
    const logRequest = createRequestLog(log);
    for (const x of exchanges) logRequest(x);
    sink.flushSync();
    closeSync(fd);
    const text = readFileSync(file, 'utf8');
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }

  it("builds the line pino would write, field for field and in pino's order", async () => {
    const exchanges = [
      answered('/api/v2/tasks/running', 200),
      answered('/api/tasks/running?token=s3cret&q="quoted"\\path', 401),
      answered('/api/tasks/running', 200, { fault: 'truncated', delayMs: 250 }),
    ];
    const built = viaLineSink(exchanges);

    const reference = pinoLines();
    const generic = createRequestLog(reference.log);
    for (const x of exchanges) generic(x);
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(built.length, 3);
    assert.equal(reference.lines.length, 3);
    built.forEach((line, i) => {
      const ours = JSON.parse(line) as Record<string, unknown>;
      const theirs = JSON.parse(reference.lines[i]) as Record<string, unknown>;
      assert.equal(typeof ours.time, 'number');
      assert.ok(Math.abs((ours.time as number) - (theirs.time as number)) < 5000);
      assert.ok(typeof ours.ms === 'number' && ours.ms >= 0);
      const strip = (o: Record<string, unknown>) => ({ ...o, time: 0, ms: 0 });
      assert.deepEqual(Object.keys(ours), Object.keys(theirs), `line ${i}: key order`);
      assert.deepEqual(strip(ours), strip(theirs), `line ${i}`);
    });
    assert.match(built[1], /"url":"\/api\/tasks\/running\?token=\*\*\*&q=\\"quoted\\"\\\\path"/);
    assert.doesNotMatch(built.join('\n'), /s3cret/);
  });

  it('writes nothing below its logger level', () => {
    assert.deepEqual(viaLineSink([answered('/api/tasks/running', 200)], 'warn'), []);
  });
});
