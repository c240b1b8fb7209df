import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';

const CHILD = path.join(__dirname, 'helpers/line-sink-child.ts');

interface Run {
  code: number | null;
  lines: string[];
  stderr: string;
}

/** Runs the child; the parent starts reading its stdout only after `readAfterMs`. */
function runChild(args: string[], readAfterMs = 0): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, ...args]);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), readAfterMs);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString();
      resolve({ code, lines: text === '' ? [] : text.replace(/\n$/, '').split('\n'), stderr });
    });
  });
}

function assertNumbered(lines: string[], count: number): void {
  assert.equal(lines.length, count, 'every line, once');
  lines.forEach((line, i) => assert.equal((JSON.parse(line) as { n: number }).n, i, `line ${i}`));
}

describe('the log line sink', function () {
  this.timeout(30_000);

  it('writes every line, whole and in order, when the process ends by itself', async () => {
    const run = await runChild(['20000', 'natural']);
    assert.equal(run.code, 0, run.stderr);
    assertNumbered(run.lines, 20000);
  });

  it('refills written buffers without mixing up lines, as a busy server logs', async () => {
    // 4 MB: each of the 256 KB buffers is written and filled again several times.
    // The reader starts late, so writes wait on a full pipe while lines keep coming.
    const run = await runChild(['40000', 'paced', '100'], 200);
    assert.equal(run.code, 0, run.stderr);
    assertNumbered(run.lines, 40000);
  });

  it('writes what is left at process.exit()', async () => {
    const run = await runChild(['500', 'exit']);
    assert.equal(run.code, 0, run.stderr);
    assertNumbered(run.lines, 500);
  });

  it('waits out a full pipe (EAGAIN) without losing or splitting lines', async () => {
    // About 6 MB against a pipe of 64 KB that nobody reads for half a second.
    const run = await runChild(['30000', 'natural', '200'], 500);
    assert.equal(run.code, 0, run.stderr);
    assertNumbered(run.lines, 30000);
  });

  it('stops quietly when the reader has gone (EPIPE)', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, '50000', 'natural']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
  });

  for (const ending of ['natural', 'linger']) {
    it(`says once on stderr when the output fails (a full disk), and goes on (${ending})`, async function () {
      if (!existsSync('/dev/full')) this.skip();
      const full = openSync('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, '1000', ending], {
          stdio: ['ignore', full, 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        assert.equal(code, 0, stderr);
        assert.equal(stderr.match(/the log could not be written/g)?.length, 1, stderr);
        assert.match(stderr, /ENOSPC/);
      } finally {
        closeSync(full);
      }
    });
  }
});
