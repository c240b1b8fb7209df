import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildScenario,
  changesBetween,
  loadScenario,
  recordScenario,
  replayMismatches,
  scrub,
  SCRUBBED,
  startMockServer,
  stateAt,
  type MockServer,
  type Recording,
} from '@running-tasks/mock-server';
import {
  compileValidators,
  loadSchemaSet,
  type ContractValidators,
} from '@running-tasks/contracts';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';
import { control } from './helpers/control';

describe('scrubbing', () => {
  it('replaces secret-named values and credentials inside any text, and keeps data', () => {
    const input = {
      token: 'abc123',
      api_key: 'k',
      commit_id: '0c4f2154374accbbdf8e165a4a93209fc972976d',
      kodo_key: 'builds/demo.tar.gz',
      url: 'https://bob:hunter2@jira.example/browse/X-1?token=s3cret&page=2',
      note: 'curl -H "Authorization: Bearer abcdef0123456789abcdef"',
      prose: 'deploy with password=hunter2, then retry',
      message: 'Basic authentication for the token refresh flow',
      jwt: 'id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here',
      nested: [{ password: 'pw', project_id: 7 }],
    };
    const { value, count } = scrub(input);
    const out = value as typeof input;
    assert.equal(out.token, SCRUBBED);
    assert.equal(out.api_key, SCRUBBED);
    assert.equal(out.commit_id, input.commit_id, 'commit ids are data');
    assert.equal(out.kodo_key, input.kodo_key);
    assert.equal(out.url, `https://${SCRUBBED}@jira.example/browse/X-1?token=${SCRUBBED}&page=2`);
    assert.equal(out.note, `curl -H "Authorization: ${SCRUBBED}"`);
    assert.equal(out.message, input.message, 'prose survives');
    assert.equal(out.prose, `deploy with password=${SCRUBBED}, then retry`);
    assert.equal(out.jwt, `id ${SCRUBBED} here`);
    assert.deepEqual(out.nested, [{ password: SCRUBBED, project_id: 7 }]);
    assert.equal(count, 7, 'one per value changed');
  });
});

describe('scenario building', () => {
  let v: ContractValidators;
  before(async () => {
    v = compileValidators(await loadSchemaSet());
  });

  it('describes a change as the leaf fields that moved', () => {
    const before = { a: 1, b: { c: 'x', d: [1, 2] }, e: [{ s: 'r' }] };
    assert.deepEqual(changesBetween(before, { a: 2, b: { c: 'x', d: [1, 3] }, e: [{ s: 'p' }] }), {
      a: 2,
      'b.d[1]': 3,
      'e[0].s': 'p',
    });
    assert.deepEqual(
      changesBetween(before, { ...before, e: [] }),
      { e: [] },
      'a resized list is set whole',
    );
    assert.deepEqual(
      changesBetween(before, { ...before, b: { c: 'x' } }),
      { b: { c: 'x' } },
      'a vanished field: its parent is set',
    );
    assert.equal(
      changesBetween(before, { a: 1, b: before.b }),
      undefined,
      'a vanished top-level field cannot be set',
    );
    assert.equal(
      changesBetween(before, { ...before, a: '$now' }),
      undefined,
      '"$now" would be read as the time',
    );
  });

  it('builds tracks that replay every recorded list, in order, with the timing', async () => {
    const t = (id: number, status: string): Record<string, unknown> => ({
      ...(pageExamples().v2[0] as object),
      task_id: id,
      status,
    });
    const recording: Recording = {
      upstream: 'http://backend.invalid',
      startedAt: Date.now(),
      durationMs: 5000,
      lists: {
        v2: [
          { at: 0, tasks: [t(1, 'running')] },
          { at: 1200, tasks: [t(2, 'waiting'), t(1, 'running')] },
          { at: 2500, tasks: [t(2, 'running'), t(1, 'passed')] },
          { at: 3100, tasks: [t(2, 'running')] },
          { at: 4000, tasks: [t(3, 'created'), t(2, 'running'), t(1, 'running')] },
        ],
      },
    };
    const built = buildScenario(recording, { name: 'built' });
    assert.equal(built.orderExact, true);
    assert.equal(built.tracks.v2, 4, 'task 1 leaves and comes back: two tracks');

    const s = await writeScenario({
      'scenario.yaml': built.yaml,
      ...Object.fromEntries([...built.fixtures].map(([file, task]) => [file, task as object])),
    });
    try {
      const scenario = await loadScenario(s.dir, v);
      assert.deepEqual(replayMismatches(scenario, recording), []);
      assert.deepEqual(
        stateAt(scenario, 2600, 0).v2.map((x) => [x.task_id, x.status]),
        [
          [2, 'running'],
          [1, 'passed'],
        ],
      );
    } finally {
      await s.remove();
    }
  });
});

describe('recording', () => {
  let upstream: MockServer;
  let out: string;
  let v: ContractValidators;
  before(async () => {
    v = compileValidators(await loadSchemaSet());
    upstream = await startMockServer({
      port: 0,
      paused: true,
      speed: 40,
      heartbeatMs: 200,
      logger: false,
      token: 'up-token',
    });
  });
  after(() => upstream.close());
  beforeEach(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'rt-record-'));
    await control(upstream, 'POST', '/reset');
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it("records the mock's websockets at high speed into a scenario that replays the same lists", async () => {
    await control(upstream, 'POST', '/clock/resume');
    const result = await recordScenario({
      upstream: upstream.url,
      out,
      apis: ['v1', 'v2'],
      mode: 'ws',
      intervalMs: 100,
      durationMs: 1200,
      token: 'up-token',
      auth: 'bearer',
      validators: v,
    });

    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.mismatches, []);
    assert.ok(result.snapshots.v1 >= 4, `${result.snapshots.v1} V1 lists`);
    assert.ok(result.snapshots.v2 >= 2, `${result.snapshots.v2} V2 lists`);

    // Serve what was written and compare, list by list, with what was recorded.
    const replay = await startMockServer({
      port: 0,
      scenario: result.file,
      paused: true,
      logger: false,
    });
    try {
      for (const api of ['v1', 'v2'] as const) {
        const route = api === 'v1' ? '/api/tasks/running' : '/api/v2/tasks/running';
        const snapshots = result.recording.lists[api] ?? [];
        for (const [i, snapshot] of snapshots.entries()) {
          const next = snapshots[i + 1]?.at ?? snapshot.at + 2;
          replay.replay.seek((snapshot.at + next) / 2);
          const served = await (await fetch(replay.url + route)).json();
          assert.deepEqual(served, snapshot.tasks, `${api} list #${i + 1}`);
        }
      }
    } finally {
      await replay.close();
    }
  });

  it('polls the HTTP routes when asked to, with the token in the query', async () => {
    await control(upstream, 'POST', '/clock/seek', { to: 3_000 });
    await control(upstream, 'POST', '/clock/resume');
    const result = await recordScenario({
      upstream: `${upstream.url}/api/v2/tasks/running`,
      out: path.join(out, 'polled.yaml'),
      apis: ['v1', 'v2'],
      mode: 'poll',
      intervalMs: 60,
      durationMs: 900,
      token: 'up-token',
      auth: 'query',
      name: 'polled',
      validators: v,
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.snapshots.v1, 0, 'a route URL records that route only');
    assert.ok(result.snapshots.v2 >= 2);
    const yaml = await readFile(result.file, 'utf8');
    assert.match(yaml, /^name: polled$/m);
    assert.doesNotMatch(yaml, /up-token/);
  });

  it('scrubs credentials-looking values from what it writes', async () => {
    await control(upstream, 'PATCH', '/tasks/v2/1', {
      set: {
        'sub_tasks[0].commit_message': 'deploy with token=abcd1234efgh&x=1',
        agent_token: 'tok-123',
      },
    });
    const result = await recordScenario({
      upstream: upstream.url,
      out,
      apis: ['v2'],
      mode: 'ws',
      intervalMs: 100,
      durationMs: 300,
      token: 'up-token',
      auth: 'x-api-key',
      validators: v,
    });
    assert.equal(result.scrubbed, 2);
    const fixture = await readFile(result.fixtures[0] ?? '', 'utf8');
    assert.doesNotMatch(fixture, /abcd1234efgh|tok-123/);
    assert.match(fixture, /"agent_token": "\[scrubbed\]"/);
    assert.deepEqual(result.issues, [], 'a scrubbed task still meets the contract');
  });

  it('stops at once with a clear error when the upstream refuses it', async () => {
    await assert.rejects(
      recordScenario({
        upstream: upstream.url,
        out,
        apis: ['v1'],
        mode: 'ws',
        intervalMs: 100,
        durationMs: 2000,
        token: 'wrong',
        auth: 'bearer',
        validators: v,
      }),
      { code: 'RT_RECORD_FAILED', message: /handshake was answered 401/ },
    );
  });

  it('refuses to overwrite a scenario unless forced', async () => {
    const options = {
      upstream: upstream.url,
      out,
      apis: ['v1'] as const,
      mode: 'poll' as const,
      intervalMs: 50,
      durationMs: 150,
      token: 'up-token',
      auth: 'bearer' as const,
      validators: v,
    };
    await recordScenario({ ...options, apis: [...options.apis] });
    await assert.rejects(recordScenario({ ...options, apis: [...options.apis] }), /exists/);
    const again = await recordScenario({ ...options, apis: [...options.apis], force: true });
    assert.deepEqual(again.issues, []);
  });
});
