import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { closedPort } from './helpers/closed-port';
import { startFakeBackend } from './helpers/fake-backend';
import { v2Task } from './helpers/task-fixtures';
import { BIN, runCli as run } from '../helpers/cli';

const FAST = ['--ws-duration', '300ms', '--first-message-timeout', '250ms'];

describe('running-tasks contract and proxy', function () {
  let dir: string;
  let mock: MockServer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rt-cli-'));
    mock = await startMockServer({ port: 0, logger: false, token: 'T', heartbeatMs: 100 });
  });

  after(async () => {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 against the mock and writes both reports, taking the token from the environment', async () => {
    const junit = path.join(dir, 'ok', 'junit.xml');
    const json = path.join(dir, 'ok', 'report.json');
    const result = await run(
      [
        'contract',
        '--base-url',
        mock.url,
        ...FAST,
        '--origin',
        'http://localhost:5173',
        '--junit',
        junit,
        '--json',
        json,
      ],
      {
        RUNNING_TASKS_TOKEN: 'T',
      },
    );

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^PASSED: 26 checks: 26 passed, 0 failed, 0 skipped/m);
    assert.match(
      await readFile(junit, 'utf8'),
      /<testsuites name="running-tasks contract" tests="26" failures="0"/,
    );
    assert.equal((JSON.parse(await readFile(json, 'utf8')) as { exitCode: number }).exitCode, 0);
    assert.ok(!result.stdout.includes('token=T'));
  });

  it('exits 1 on a broken backend, printing the route, path and keyword', async () => {
    const backend = await startFakeBackend({
      lists: { v2: () => [v2Task({ create_time: 1507107936000 })] },
    });
    try {
      const junit = path.join(dir, 'broken', 'junit.xml');
      const result = await run([
        'contract',
        '--base-url',
        backend.url,
        '--api',
        'v2',
        ...FAST,
        '--junit',
        junit,
      ]);

      assert.equal(result.code, 1);
      assert.match(result.stdout, /GET \/api\/v2\/tasks\/running\n {2}PASS {2}http\.status/);
      assert.match(
        result.stdout,
        / {2}FAIL {2}http\.body .*\n {8}error at \$\[0\]\.create_time in body: .* \[maximum\]/,
      );
      assert.match(
        await readFile(junit, 'utf8'),
        /<testcase name="http\.body: [^"]*" classname="GET \/api\/v2\/tasks\/running"[^>]*>\s*<failure /,
      );
    } finally {
      await backend.close();
    }
  });

  it('exits 3 when the backend cannot be reached, and still writes the JUnit report', async () => {
    const junit = path.join(dir, 'down', 'junit.xml');
    const result = await run([
      'contract',
      '--base-url',
      `http://127.0.0.1:${await closedPort()}`,
      '--junit',
      junit,
    ]);

    assert.equal(result.code, 3);
    assert.match(result.stdout, /^UNREACHABLE: /m);
    assert.match(await readFile(junit, 'utf8'), /<error message="cannot reach/);
  });

  it('exits 2 naming the option when one is missing or wrong', async () => {
    const missing = await run(['contract'], { RUNNING_TASKS_BASE_URL: '' });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /running-tasks contract: --base-url is required/);

    const wrong = await run(['contract', '--base-url', mock.url, '--api', 'v3']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--api: expected one of v1, v2, all, got "v3"/);

    const origin = await run(['contract', '--base-url', mock.url, '--origin', 'http://a/b']);
    assert.equal(origin.code, 2);
    assert.match(origin.stderr, /--origin: must be an origin like http:\/\/a, is http:\/\/a\/b/);
  });

  it('runs the proxy until SIGTERM, forwarding and writing its report', async () => {
    const report = path.join(dir, 'proxy', 'violations.ndjson');
    const child = spawn(process.execPath, [
      BIN,
      'proxy',
      '--upstream',
      mock.url,
      '--port',
      '0',
      '--report',
      report,
    ]);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await listening(child);
      const res = await fetch(`${url}/api/v2/tasks/running`, {
        headers: { authorization: 'Bearer T' },
      });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(await res.json()));
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.equal(await readFile(report, 'utf8'), '');
  });
});

/** Resolves with the proxy's URL once it logs that it listens. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the proxy did not report listening within 15 s')),
      15_000,
    );
    if (!child.stdout) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg !== 'validation proxy listening' || !entry.url) return;
      clearTimeout(timer);
      resolve(entry.url);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the proxy exited with ${code}`));
    });
  });
}
