import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';
import { BIN, runCli as run } from '../helpers/cli';

/** Starts `running-tasks mock` and resolves with its URL once it logs that it listens. */
function startMock(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', ...args], {
      env: { ...process.env, ...env },
    });
    const lines: string[] = [];
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the mock did not report listening within 15 s'));
    }, 15_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'mock server listening' && entry.url) {
        clearTimeout(timer);
        resolve({ child, url: entry.url, lines });
      }
    });
    child.on('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
}

describe('running-tasks mock', () => {
  it('serves the page examples, logs one line per request, and stops cleanly on SIGTERM', async () => {
    const { child, url, lines } = await startMock(['--paused']);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/api/tasks/running?token=abc`);
      assert.deepEqual(await res.json(), pageExamples().v1);
      await new Promise((r) => setTimeout(r, 50));
      const request = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((e) => e.msg === 'request');
      assert.equal(request?.component, 'http');
      assert.equal(request?.status, 200);
      assert.equal(request?.url, '/api/tasks/running?token=***');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('takes flags from environment variables', async () => {
    const { child, url } = await startMock(['--paused'], { RUNNING_TASKS_TOKEN: 'from-env' });
    try {
      assert.equal((await fetch(`${url}/api/tasks/running`)).status, 401);
      const ok = await fetch(`${url}/api/tasks/running`, {
        headers: { Authorization: 'Bearer from-env' },
      });
      assert.equal(ok.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 2 naming the flag when a value is wrong', async () => {
    const result = await run(['mock', '--speed', 'fast']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--speed: expected a number from 0\.001 to 10000, got "fast"/);

    const fromEnv = await run(['mock'], { RUNNING_TASKS_HEARTBEAT: 'often' });
    assert.equal(fromEnv.code, 2);
    assert.match(fromEnv.stderr, /\$RUNNING_TASKS_HEARTBEAT: expected a duration/);
  });

  it('refuses to start on an invalid scenario and says where the problem is', async () => {
    const s = await writeScenario({
      'scenario.yaml': 'name: t\nduration: 10\nv1:\n  - fixture: t.json\n    enter: 0\n',
      't.json': { id: 'thirty-nine' },
    });
    try {
      const result = await run(['mock', '--port', '0', '--scenario', s.dir]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /t\.json:2: \$\.id: must be integer, is string/);
      assert.match(result.stderr, /required property "task_creator" is missing/);
    } finally {
      await s.remove();
    }
  });

  it('lists its commands and rejects an unknown one', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /mock\s+Serve the running-tasks API/);
    const unknown = await run(['mok']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "mok"/);
  });
});

describe('running-tasks mock, refusals', () => {
  it('exits 2 naming --host when the host does not resolve, and refuses an empty token', async () => {
    const host = await run(['mock', '--port', '0', '--host', 'no-such-host.invalid']);
    assert.equal(host.code, 2);
    assert.match(host.stderr, /--host: cannot resolve "no-such-host\.invalid"/);

    const token = await run(['mock', '--port', '0', '--token', '']);
    assert.equal(token.code, 2);
    assert.match(token.stderr, /--token: expected a token, got an empty string/);
  });
});
