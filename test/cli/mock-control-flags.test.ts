import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const BIN = path.resolve(__dirname, '../../cli/bin/running-tasks.js');

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Starts `running-tasks mock` and resolves with its URL once it logs that it listens. */
function startMock(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', ...args]);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the mock did not report listening within 15 s'));
    }, 15_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'mock server listening' && entry.url) {
        clearTimeout(timer);
        resolve({ child, url: entry.url });
      }
    });
    child.on('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
}

describe('running-tasks mock: control, latency, CORS, reload and epoch flags', () => {
  it('starts with a shared epoch, an origin list, a latency and without watching', async () => {
    const epoch = new Date(Date.now() - 30_000).toISOString();
    const { child, url } = await startMock([
      '--epoch',
      epoch,
      '--cors-origins',
      'http://localhost:5173',
      '--latency',
      '100ms',
      '--no-watch',
    ]);
    try {
      const clock = (await (await fetch(`${url}/__mock/clock`)).json()) as {
        epochIso: string;
        elapsedMs: number;
      };
      assert.equal(clock.epochIso, epoch);
      assert.ok(Math.abs(clock.elapsedMs - 30_000) < 5000);

      const started = performance.now();
      const res = await fetch(`${url}/api/tasks/running`, {
        headers: { Origin: 'http://localhost:5173' },
      });
      assert.ok(performance.now() - started >= 95);
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
      const other = await fetch(`${url}/api/tasks/running`, {
        headers: { Origin: 'http://other.example' },
      });
      assert.equal(other.headers.get('access-control-allow-origin'), null);

      const reload = (await (await fetch(`${url}/__mock/reload`)).json()) as { watching: boolean };
      assert.equal(reload.watching, false);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('watches by default', async () => {
    const { child, url } = await startMock(['--paused']);
    try {
      const reload = (await (await fetch(`${url}/__mock/reload`)).json()) as {
        watching: boolean;
        files: string[];
      };
      assert.equal(reload.watching, true);
      assert.ok(reload.files.some((f) => f.endsWith('running-tasks.yaml')));
      assert.ok(reload.files.some((f) => f.endsWith('page-example.json')));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 2 naming the flag on a bad epoch or latency', async () => {
    const seconds = await run(['mock', '--epoch', '1700000000']);
    assert.equal(seconds.code, 2);
    assert.match(seconds.stderr, /--epoch: 1700000000 looks like Unix seconds/);

    const future = await run(['mock', '--epoch', new Date(Date.now() + 3_600_000).toISOString()]);
    assert.equal(future.code, 2);
    assert.match(future.stderr, /--epoch: .* is in the future/);

    const paused = await run(['mock', '--epoch', '2026-01-01T00:00:00Z', '--paused']);
    assert.equal(paused.code, 2);
    assert.match(paused.stderr, /--paused and --epoch contradict/);

    const latency = await run(['mock', '--latency', 'soon']);
    assert.equal(latency.code, 2);
    assert.match(latency.stderr, /--latency: cannot read the delay "soon"/);

    const route = await run(['mock', '--route-latency', 'api=1s']);
    assert.equal(route.code, 2);
    assert.match(route.stderr, /--route-latency: expected ROUTE=DELAY/);
  });
});
