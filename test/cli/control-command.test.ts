import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { pageExamples } from '../helpers/page-examples';
import { runCli as run } from '../helpers/cli';

describe('running-tasks control', () => {
  let server: MockServer;
  let dir: string;
  const control = (...args: string[]): ReturnType<typeof run> =>
    run(['control', '--url', server.url, ...args]);

  before(async () => {
    server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
    dir = await mkdtemp(path.join(tmpdir(), 'rt-control-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.control.reset());

  it('seeks and steps the clock and prints where it stands', async () => {
    const seek = await control('--seek', '6.5s');
    assert.equal(seek.code, 0, seek.stderr);
    assert.match(seek.stdout, /paused at 6\.500 s \(pass 0\), speed 1, next change at 10\.000 s/);

    const step = await control('--step');
    assert.match(step.stdout, /paused at 10\.000 s/);
    assert.equal(server.replay.elapsedMs(), 10_000);
  });

  it('adds, patches and removes tasks', async () => {
    const file = path.join(dir, 'task.json');
    await writeFile(file, JSON.stringify({ ...(pageExamples().v2[0] as object), task_id: 321 }));
    const added = await control('--add-task', file);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(
      (server.snapshot('v2').tasks as { task_id: number }[]).some((t) => t.task_id === 321),
      'v2 inferred from task_id',
    );

    const patched = await control(
      '--patch-task',
      '321',
      '--api',
      'v2',
      '--set',
      '{"status":"failed"}',
    );
    assert.equal(patched.code, 0, patched.stderr);
    const task = (server.snapshot('v2').tasks as { task_id: number; status: string }[]).find(
      (t) => t.task_id === 321,
    );
    assert.equal(task?.status, 'failed');

    const removed = await control('--remove-task', '321', '--api', 'v2');
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(server.snapshot('v2').tasks.length, 1);
  });

  it('sets latency per route and adds a fault rule', async () => {
    const latency = await control('--latency', '150ms', '--route', '/api/v2/tasks/running');
    assert.equal(latency.code, 0, latency.stderr);
    assert.deepEqual(server.control.latency().routes['/api/v2/tasks/running'], {
      distribution: 'fixed',
      ms: 150,
    });

    const fault = await control('--fault', '500', '--count', '1');
    assert.equal(fault.code, 0, fault.stderr);
    assert.match(fault.stdout, /fault added: .*"kind":"500"/);
    assert.equal((await fetch(`${server.url}/api/tasks/running`)).status, 500);
    assert.equal((await fetch(`${server.url}/api/tasks/running`)).status, 200);
  });

  it('prints the whole state as JSON', async () => {
    const state = await control('--state');
    const parsed = JSON.parse(state.stdout) as {
      scenario: { name: string };
      lists: { v1: { count: number } };
    };
    assert.equal(parsed.scenario.name, 'default');
    assert.equal(parsed.lists.v1.count, 1);
  });

  it("shows the server's refusal and exits 1", async () => {
    const result = await control('--patch-task', '12345', '--api', 'v1', '--set', '{"updated":1}');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no v1 task 12345 is running \[RT_CONTROL_NOT_FOUND\]/);
  });

  it('exits 2 on flags that do not fit together', async () => {
    const set = await control('--set', '{}');
    assert.equal(set.code, 2);
    assert.match(set.stderr, /--set goes with --patch-task/);
    const api = await control('--remove-task', '39');
    assert.equal(api.code, 2);
    assert.match(api.stderr, /--remove-task needs --api/);
  });

  it('exits 2 when the mock refuses a value, as for a bad flag', async () => {
    const fault = await control('--fault', 'bogus');
    assert.equal(fault.code, 2, fault.stderr);
    assert.match(fault.stderr, /unknown fault kind "bogus".*\[RT_SETTING_INVALID\]/);
    const latency = await control('--latency', '99h');
    assert.equal(latency.code, 2, latency.stderr);
    const scenario = await control('--scenario', 'nope');
    assert.equal(scenario.code, 2, scenario.stderr);
    assert.equal(scenario.stderr.match(/no such scenario/g)?.length, 1, 'each problem said once');
  });

  it('pauses before it seeks, so --pause --seek stops exactly there', async () => {
    assert.equal((await control('--resume')).code, 0);
    const result = await control('--pause', '--seek', '6.5s');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /paused at 6\.500 s/);
  });

  it('says so when no mock answers, with exit 3', async () => {
    const result = await run(['control', '--url', 'http://127.0.0.1:1', '--pause']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /no mock answers at http:\/\/127\.0\.0\.1:1/);
  });

  it('sends the control token', async () => {
    const guarded = await startMockServer({
      port: 0,
      paused: true,
      logger: false,
      controlToken: 'ctl',
    });
    try {
      const without = await run(['control', '--url', guarded.url]);
      assert.equal(without.code, 1);
      assert.match(without.stderr, /control token/);
      const withToken = await run([
        'control',
        '--url',
        guarded.url,
        '--control-token',
        'ctl',
        '--pause',
      ]);
      assert.equal(withToken.code, 0, withToken.stderr);
    } finally {
      await guarded.close();
    }
  });
});
