import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONTRACTS_ROOT } from '@running-tasks/contracts';
import { startMockServer, type MockServer, type ReloadStatus } from '@running-tasks/mock-server';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';
import { RecordingClient, wsUrl } from '../helpers/ws-client';
import { control, list, pause } from './helpers/control';

const V2_WS = '/api/v2/tasks/ws/running';

const task = (id: number, pipeline: string): Record<string, unknown> => ({
  ...(pageExamples().v2[0] as object),
  task_id: id,
  pipeline_name: pipeline,
});

const SCENARIO = 'name: reloading\nduration: 60\nv2:\n  - fixture: t.json\n    enter: 0\n';

/** Polls the reload status until `accept` holds, at most `ms`. */
async function reloadStatus(
  server: MockServer,
  accept: (s: ReloadStatus) => boolean,
  ms = 1500,
): Promise<ReloadStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = (await control<ReloadStatus>(server, 'GET', '/reload')).body;
    if (accept(status)) return status;
    if (Date.now() > deadline)
      throw new Error(`reload status not reached: ${JSON.stringify(status.last)}`);
    await pause(20);
  }
}

/** Polls the V2 list until `accept` holds, at most `ms`. */
async function v2Until(
  server: MockServer,
  accept: (names: string[]) => boolean,
  ms = 1500,
): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const names = (await list<{ pipeline_name: string }>(server, 'v2')).map((t) => t.pipeline_name);
    if (accept(names)) return names;
    if (Date.now() > deadline)
      throw new Error(`list never became as expected: ${JSON.stringify(names)}`);
    await pause(20);
  }
}

describe('reload of a scenario', () => {
  let scenario: { dir: string; remove: () => Promise<void> };
  let server: MockServer;
  beforeEach(async () => {
    scenario = await writeScenario({ 'scenario.yaml': SCENARIO, 't.json': task(77, 'before') });
    server = await startMockServer({
      port: 0,
      scenario: scenario.dir,
      watch: true,
      heartbeatMs: 0,
      logger: false,
    });
  });
  afterEach(async () => {
    await server.close();
    await scenario.remove();
  });

  it('picks up an edited fixture within a second and streams it', async () => {
    const client = await RecordingClient.connect(wsUrl(server.url, V2_WS));
    try {
      assert.match(await client.message(0), /"before"/);
      const edited = Date.now();
      await writeFile(path.join(scenario.dir, 't.json'), JSON.stringify(task(77, 'after')));
      const streamed = await client.nextMatching((m) => m.includes('"after"'), 1000);
      assert.ok(Date.now() - edited < 1000);
      assert.equal(streamed, await (await fetch(`${server.url}/api/v2/tasks/running`)).text());
    } finally {
      await client.close();
    }
  });

  it('keeps serving the last good state on a broken edit, says where, and takes the fix', async () => {
    const fixture = path.join(scenario.dir, 't.json');
    await writeFile(fixture, '{ "task_id": 77,\n  "pipeline_name": oops }');
    const failed = await reloadStatus(server, (s) => s.last?.ok === false);
    const [issue] = failed.last?.issues ?? [];
    assert.equal(issue?.file, fixture);
    assert.match(issue?.message ?? '', /not valid JSON/);
    assert.deepEqual(await v2Until(server, () => true), ['before']);

    await writeFile(fixture, JSON.stringify({ ...task(77, 'fixed'), create_time: 'now' }));
    const invalid = await reloadStatus(
      server,
      (s) => s.last?.issues?.[0]?.path === '$.create_time',
    );
    assert.equal(invalid.last?.ok, false);

    await writeFile(fixture, JSON.stringify(task(77, 'fixed')));
    await reloadStatus(server, (s) => s.last?.ok === true);
    assert.deepEqual(await v2Until(server, (n) => n[0] === 'fixed'), ['fixed']);
  });

  it('watches a file the scenario starts to reference, even before it exists', async () => {
    const yaml = `${SCENARIO}  - fixture: more/u.json\n    enter: 0\n`;
    await writeFile(path.join(scenario.dir, 'scenario.yaml'), yaml);
    const missing = await reloadStatus(server, (s) => s.last?.ok === false);
    // Reported where the scenario names it, since the file itself is not there.
    assert.match(missing.last?.issues?.[0]?.file ?? '', /scenario\.yaml$/);
    assert.match(missing.last?.issues?.[0]?.message ?? '', /more[/\\]u\.json \(ENOENT\)/);

    await cp(path.join(scenario.dir, 't.json'), path.join(scenario.dir, 'more', 'u.json'));
    await writeFile(
      path.join(scenario.dir, 'more', 'u.json'),
      JSON.stringify(task(78, 'new file')),
    );
    assert.deepEqual(await v2Until(server, (n) => n.length === 2), ['before', 'new file']);

    await writeFile(path.join(scenario.dir, 'more', 'u.json'), JSON.stringify(task(78, 'edited')));
    assert.deepEqual(await v2Until(server, (n) => n[1] === 'edited'), ['before', 'edited']);
  });

  it('keeps the scenario clock where it was', async () => {
    await control(server, 'POST', '/clock/pause');
    await control(server, 'POST', '/clock/seek', { to: 12_345 });
    await writeFile(path.join(scenario.dir, 't.json'), JSON.stringify(task(77, 'after')));
    await v2Until(server, (n) => n[0] === 'after');
    assert.equal(
      (await control<{ elapsedMs: number }>(server, 'GET', '/clock')).body.elapsedMs,
      12_345,
    );
  });
});

describe('reload of the contracts', () => {
  let root: string;
  let server: MockServer;
  let openapiFile: string;
  let schemasDir: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rt-contracts-'));
    await cp(path.join(CONTRACTS_ROOT, 'openapi'), path.join(root, 'openapi'), { recursive: true });
    await cp(path.join(CONTRACTS_ROOT, 'schemas'), path.join(root, 'schemas'), { recursive: true });
    openapiFile = path.join(root, 'openapi', 'running-tasks.yaml');
    schemasDir = path.join(root, 'schemas');
    server = await startMockServer({
      port: 0,
      paused: true,
      watch: true,
      heartbeatMs: 0,
      logger: false,
      contracts: { openapiFile, schemasDir },
    });
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  const error6808 = async (): Promise<string> =>
    (
      (await (
        await fetch(`${server.url}/api/tasks/running`, { headers: { Prefer: 'code=400' } })
      ).json()) as { description: string }
    ).description;

  it('rebuilds the Prism engine on an OpenAPI edit, and keeps the old one on a broken edit', async () => {
    const original = await readFile(openapiFile, 'utf8');
    try {
      await editOpenapi(original);
    } finally {
      await writeFile(openapiFile, original);
    }
    await reloadStatus(server, (s) => s.last?.ok === true);
    assert.equal(await error6808(), 'error details');
  });

  async function editOpenapi(original: string): Promise<void> {
    await writeFile(
      openapiFile,
      original.replace('description: error details', 'description: reloaded details'),
    );
    await reloadStatus(server, (s) => s.last?.ok === true && s.last.changed.includes(openapiFile));
    assert.equal(await error6808(), 'reloaded details');

    await writeFile(openapiFile, `${original}\n  broken: [unclosed\n`);
    const failed = await reloadStatus(server, (s) => s.last?.ok === false);
    assert.equal(failed.last?.issues?.[0]?.file, openapiFile);
    assert.ok((failed.last?.issues?.[0]?.line ?? 0) > 200);
    assert.equal(await error6808(), 'reloaded details', 'the last good engine keeps serving');
  }

  it('recompiles the validators on a schema edit and revalidates the scenario', async () => {
    const schema = path.join(schemasDir, 'v2', 'task.yaml');
    const original = await readFile(schema, 'utf8');
    try {
      await editSchema(schema, original);
    } finally {
      await writeFile(schema, original);
    }
    await reloadStatus(server, (s) => s.last?.ok === true);
    assert.deepEqual(await list(server, 'v2'), pageExamples().v2);
  });

  async function editSchema(schema: string, original: string): Promise<void> {
    await writeFile(
      schema,
      original.replace(
        '  pipeline_name:\n    type: string',
        '  pipeline_name:\n    type: string\n    maxLength: 3',
      ),
    );
    const refused = await reloadStatus(server, (s) => s.last?.ok === false);
    const issues = refused.last?.issues ?? [];
    assert.ok(issues.length > 0);
    assert.ok(
      issues.every(
        (i) => i.path.endsWith('pipeline_name') && /more than 3 characters/.test(i.message),
      ),
      JSON.stringify(issues[0]),
    );
    assert.ok(issues.some((i) => /v2[/\\]page-example\.json$/.test(i.file)));

    await writeFile(
      schema,
      original.replace('    type: string\n  status:', '    type: strng\n  status:'),
    );
    const broken = await reloadStatus(server, (s) => s.last?.issues?.[0]?.file === schema);
    assert.equal(broken.last?.issues?.[0]?.path, '$.properties.pipeline_name.type');
    assert.deepEqual(
      await list(server, 'v2'),
      pageExamples().v2,
      'the last good state keeps serving',
    );
  }

  it('never drops an open connection, nor a request in flight', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (p: string): Promise<{ status: number; port: number }> =>
      new Promise((resolve, reject) => {
        const req = request(`${server.url}${p}`, { agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, port: req.socket?.localPort ?? -1 }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get('/api/tasks/running');
      const inFlight = get('/api/tasks/running?__delay=400');
      await pause(50);
      const answer = await control<ReloadStatus>(server, 'POST', '/reload');
      assert.equal(answer.status, 200);
      assert.equal(answer.body.last?.ok, true);
      const held = await inFlight;
      const after = await get('/api/tasks/running');
      assert.deepEqual([first.status, held.status, after.status], [200, 200, 200]);
      assert.equal(held.port, first.port, 'the same keep-alive connection');
      assert.equal(after.port, first.port, 'the same keep-alive connection');
    } finally {
      agent.destroy();
    }
  });
});

describe('reload without watching', () => {
  it('reloads on request only', async () => {
    const scenario = await writeScenario({
      'scenario.yaml': SCENARIO,
      't.json': task(77, 'before'),
    });
    const server = await startMockServer({
      port: 0,
      scenario: scenario.dir,
      logger: false,
      heartbeatMs: 0,
    });
    try {
      assert.equal((await control<ReloadStatus>(server, 'GET', '/reload')).body.watching, false);
      await writeFile(path.join(scenario.dir, 't.json'), JSON.stringify(task(77, 'after')));
      await pause(300);
      assert.deepEqual(await v2Until(server, () => true), ['before']);

      await writeFile(path.join(scenario.dir, 't.json'), '{');
      const refused = await control<{ code: string; issues: { file: string }[] }>(
        server,
        'POST',
        '/reload',
      );
      assert.equal(refused.status, 422);
      assert.equal(refused.body.code, 'RT_RELOAD_FAILED');

      await writeFile(path.join(scenario.dir, 't.json'), JSON.stringify(task(77, 'after')));
      assert.equal((await control(server, 'POST', '/reload')).status, 200);
      assert.deepEqual(await v2Until(server, () => true), ['after']);
    } finally {
      await server.close();
      await scenario.remove();
    }
  });
});
