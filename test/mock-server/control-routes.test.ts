import assert from 'node:assert/strict';
import { request } from 'node:http';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import {
  CONTROL_OPENAPI_FILE,
  isLoopbackAddress,
  isLoopbackHost,
  startMockServer,
  type ClockView,
  type MockServer,
} from '@running-tasks/mock-server';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';
import { RecordingClient, wsUrl } from '../helpers/ws-client';
import { control, list, usePausedMock } from './helpers/control';

const V1_WS = '/api/tasks/running/realtime';

describe('control API: clock', () => {
  let server: MockServer;
  usePausedMock((s) => (server = s));

  it('pauses and resumes the clock', async () => {
    await control(server, 'POST', '/clock/resume');
    const paused = await control<ClockView>(server, 'POST', '/clock/pause');
    assert.equal(paused.status, 200);
    assert.equal(paused.body.paused, true);

    await new Promise((r) => setTimeout(r, 30));
    const later = await control<ClockView>(server, 'GET', '/clock');
    assert.equal(later.body.elapsedMs, paused.body.elapsedMs, 'a paused clock stands still');

    const resumed = await control<ClockView>(server, 'POST', '/clock/resume');
    assert.equal(resumed.body.paused, false);
    await new Promise((r) => setTimeout(r, 30));
    const moving = await control<ClockView>(server, 'GET', '/clock');
    assert.ok(moving.body.elapsedMs > resumed.body.elapsedMs, 'a running clock moves');
  });

  it('seeks to a time given in ms or as text, and serves the state of that time', async () => {
    const seek = await control<ClockView>(server, 'POST', '/clock/seek', { to: '6.5s' });
    assert.equal(seek.body.elapsedMs, 6500);
    assert.deepEqual(
      (await list<{ id: number }>(server, 'v1')).map((t) => t.id),
      [39, 40],
    );

    const byMs = await control<ClockView>(server, 'POST', '/clock/seek', { to: 0 });
    assert.equal(byMs.body.elapsedMs, 0);
    assert.deepEqual(await list(server, 'v1'), pageExamples().v1);
  });

  it('steps to the next moment on the timeline and stays paused there', async () => {
    await control(server, 'POST', '/clock/seek', { to: 6500 });
    const first = await control<ClockView>(server, 'POST', '/clock/step');
    assert.equal(first.body.elapsedMs, 10_000);
    assert.equal(first.body.paused, true);
    assert.equal(first.body.nextChangeMs, 16_000);

    const v1 = await list<{ id: number; current_status: string }>(server, 'v1');
    assert.ok(
      v1.some((t) => t.id === 41),
      'task 41 enters at 10 s',
    );
    const second = await control<ClockView>(server, 'POST', '/clock/step');
    assert.equal(second.body.elapsedMs, 16_000);
  });

  it('sets the speed and refuses one out of range', async () => {
    const fast = await control<ClockView>(server, 'POST', '/clock/speed', { speed: 4 });
    assert.equal(fast.body.speed, 4);
    const bad = await control<{ code: string }>(server, 'POST', '/clock/speed', { speed: 0 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'RT_CONTROL_BAD_REQUEST');
    assert.equal(bad.headers.get('content-type'), 'application/problem+json');
  });

  it('resets clock, speed, edits, faults and latency to how the server started', async () => {
    await control(server, 'POST', '/clock/seek', { to: 50_000 });
    await control(server, 'POST', '/clock/speed', { speed: 3 });
    await control(server, 'POST', '/faults', { kind: '500' });
    await control(server, 'PUT', '/latency', { default: '10ms' });
    await control(server, 'DELETE', '/tasks/v2/1');

    const reset = await control<ClockView>(server, 'POST', '/reset');
    assert.deepEqual([reset.body.elapsedMs, reset.body.speed, reset.body.paused], [0, 1, true]);
    const state = await control<{ faults: unknown[]; latency: { default: unknown } }>(
      server,
      'GET',
      '/state',
    );
    assert.deepEqual(state.body.faults, []);
    assert.equal(state.body.latency.default, null);
    assert.deepEqual(await list(server, 'v1'), pageExamples().v1);
  });

  it('sends the new snapshot to websocket clients before answering', async () => {
    const client = await RecordingClient.connect(wsUrl(server.url, V1_WS));
    try {
      await client.message(0);
      await control(server, 'POST', '/clock/seek', { to: 6500 });
      const text = await client.message(1, 1000);
      assert.deepEqual(
        (JSON.parse(text) as { id: number }[]).map((t) => t.id),
        [39, 40],
      );
    } finally {
      await client.close();
    }
  });
});

describe('control API: tasks', () => {
  let server: MockServer;
  usePausedMock((s) => (server = s));

  const extraTask = (): Record<string, unknown> => ({
    ...(pageExamples().v2[0] as object),
    task_id: 900,
  });

  it('adds a task, valid against the contract, and streams it at once', async () => {
    const client = await RecordingClient.connect(wsUrl(server.url, '/api/v2/tasks/ws/running'));
    try {
      await client.message(0);
      const added = await control(server, 'POST', '/tasks/v2', extraTask());
      assert.equal(added.status, 201);
      const streamed = JSON.parse(await client.message(1, 1000)) as { task_id: number }[];
      assert.deepEqual(
        streamed.map((t) => t.task_id),
        [1, 900],
      );
      assert.deepEqual(
        (await list<{ task_id: number }>(server, 'v2')).map((t) => t.task_id),
        [1, 900],
      );
    } finally {
      await client.close();
    }
  });

  it('refuses a task that breaks the contract with the JSON path of the problem', async () => {
    const bad = { ...extraTask(), create_time: 'yesterday' };
    const res = await control<{ code: string; diagnostics: { path: string }[] }>(
      server,
      'POST',
      '/tasks/v2',
      bad,
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'RT_TASK_INVALID');
    assert.ok(res.body.diagnostics.some((d) => d.path === '$.create_time'));
    assert.equal((await list(server, 'v2')).length, 1);
  });

  it('refuses a task whose id is already running', async () => {
    const res = await control<{ code: string }>(server, 'POST', '/tasks/v2', {
      ...extraTask(),
      task_id: 1,
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'RT_CONTROL_CONFLICT');
  });

  it('patches a running task, keeps the patch as the replay moves on, and checks it', async () => {
    const patched = await control<{ build_task: { status: string }; updated: number }>(
      server,
      'PATCH',
      '/tasks/v1/39',
      { set: { 'build_task.status': 'failed', updated: '$now' } },
    );
    assert.equal(patched.status, 200);
    assert.equal(patched.body.build_task.status, 'failed');
    assert.ok(Math.abs(patched.body.updated - Date.now() / 1000) < 5, '$now is the current time');

    // At 16 s the replay moves task 39 on (test passed, deploy running); the patch still holds.
    await control(server, 'POST', '/clock/seek', { to: 16_500 });
    const task = (
      await list<{ id: number; build_task: { status: string }; deploy_task: { status: string } }>(
        server,
        'v1',
      )
    ).find((t) => t.id === 39);
    assert.equal(task?.build_task.status, 'failed');
    assert.equal(task?.deploy_task.status, 'running');

    const invalid = await control(server, 'PATCH', '/tasks/v1/39', {
      set: { 'build_task.project_id': 'x' },
    });
    assert.equal(invalid.status, 422);
    const nowhere = await control(server, 'PATCH', '/tasks/v1/39', { set: { 'no_such.field': 1 } });
    assert.equal(nowhere.status, 400);
    const missing = await control(server, 'PATCH', '/tasks/v1/12345', { set: { updated: 1 } });
    assert.equal(missing.status, 404);
  });

  it('removes a task, and reset brings it back', async () => {
    assert.equal((await control(server, 'DELETE', '/tasks/v2/1')).status, 204);
    assert.deepEqual(await list(server, 'v2'), []);
    const state = await control<{ overlay: { v2: { removed: number[] } } }>(
      server,
      'GET',
      '/state',
    );
    assert.deepEqual(state.body.overlay.v2.removed, [1]);

    await control(server, 'POST', '/reset');
    assert.deepEqual(await list(server, 'v2'), pageExamples().v2);
  });
});

describe('control API: scenarios', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
  });
  after(() => server.close());

  it('lists the built-in scenarios and switches to another one from its start', async () => {
    const listed = await control<{ current: { name: string }; builtIn: { name: string }[] }>(
      server,
      'GET',
      '/scenarios',
    );
    assert.equal(listed.body.current.name, 'default');
    assert.ok(listed.body.builtIn.some((s) => s.name === 'default'));

    const task = { ...(pageExamples().v2[0] as object), task_id: 77 };
    const s = await writeScenario({
      'scenario.yaml': 'name: tiny\nduration: 10\nv2:\n  - fixture: t.json\n    enter: 0\n',
      't.json': task,
    });
    try {
      await control(server, 'POST', '/clock/seek', { to: 30_000 });
      const switched = await control<{ name: string }>(server, 'PUT', '/scenario', {
        scenario: s.dir,
      });
      assert.equal(switched.status, 200);
      assert.equal(switched.body.name, 'tiny');
      assert.deepEqual(
        (await list<{ task_id: number }>(server, 'v2')).map((t) => t.task_id),
        [77],
      );
      assert.equal((await control<ClockView>(server, 'GET', '/clock')).body.elapsedMs, 0);
    } finally {
      await s.remove();
      await control(server, 'PUT', '/scenario', { scenario: 'default' });
    }
  });

  it('refuses an invalid scenario with its issues and keeps serving the current one', async () => {
    const s = await writeScenario({
      'scenario.yaml': 'name: bad\nduration: 10\nv1:\n  - fixture: t.json\n    enter: 0\n',
      't.json': { id: 'x' },
    });
    try {
      const res = await control<{ code: string; issues: { file: string; path: string }[] }>(
        server,
        'PUT',
        '/scenario',
        {
          scenario: s.dir,
        },
      );
      assert.equal(res.status, 422);
      assert.equal(res.body.code, 'RT_SCENARIO_INVALID');
      assert.ok(res.body.issues.some((i) => i.file.endsWith('t.json') && i.path === '$.id'));
      assert.equal(
        (await control<{ name: string }>(server, 'GET', '/scenario')).body.name,
        'default',
      );
    } finally {
      await s.remove();
    }
  });
});

describe('control API: the HTTP surface', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({
      port: 0,
      paused: true,
      heartbeatMs: 0,
      logger: false,
      token: 'api-token',
    });
  });
  after(() => server.close());

  it('answers without the API token, which guards the API only', async () => {
    assert.equal((await control(server, 'GET', '/clock')).status, 200);
    assert.equal((await fetch(`${server.url}/api/tasks/running`)).status, 401);
  });

  it('answers 404 for an unknown route, 405 with Allow for a wrong method, 415 for a non-JSON body', async () => {
    const missing = await control<{ code: string }>(server, 'GET', '/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'RT_CONTROL_NOT_FOUND');

    const wrong = await control(server, 'DELETE', '/clock');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');

    const res = await fetch(`${server.url}/__mock/clock/seek`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"to": 5}',
    });
    assert.equal(res.status, 415);
  });

  it('answers as its OpenAPI document describes', async () => {
    const valid = (await SwaggerParser.validate(CONTROL_OPENAPI_FILE)) as { openapi: string };
    assert.equal(valid.openapi, '3.1.0');
    const doc = (await SwaggerParser.dereference(CONTROL_OPENAPI_FILE)) as unknown as {
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { content?: Record<string, { schema: object }> }> }
        >
      >;
    };
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const check = async (
      method: string,
      path: string,
      status: string,
      body?: unknown,
    ): Promise<void> => {
      const answer = await control(server, method.toUpperCase(), path, body);
      const template = path.replace(/\/tasks\/v[12]/, '/tasks/{api}');
      const schema =
        doc.paths[`/__mock${template}`]?.[method]?.responses[status]?.content?.['application/json']
          ?.schema;
      assert.ok(schema, `the document describes ${method} ${path} ${status}`);
      assert.equal(String(answer.status), status, `${method} ${path}`);
      const validate = ajv.compile(schema);
      assert.ok(validate(answer.body), `${method} ${path}: ${JSON.stringify(validate.errors)}`);
    };

    await check('get', '/state', '200');
    await check('post', '/clock/step', '200');
    await check('get', '/scenarios', '200');
    await check('get', '/tasks/v1', '200');
    await check('put', '/latency', '200', {
      default: '100ms-300ms',
      routes: { '/api/tasks/running': 'longtail:5ms-20ms' },
    });
    await check('post', '/faults', '201', { kind: 'close', code: 4000, target: 'next' });
    await check('get', '/faults', '200');
    await check('get', '/reload', '200');

    const index = await control<{ routes: string[] }>(server, 'GET', '');
    for (const entry of index.body.routes) {
      const [method = '', path = ''] = entry.split(' ');
      assert.ok(doc.paths[path]?.[method.toLowerCase()], `the document describes ${entry}`);
    }

    const yaml = await fetch(`${server.url}/__mock/openapi.yaml`);
    assert.match(yaml.headers.get('content-type') ?? '', /yaml/);
    assert.match(await yaml.text(), /^openapi: 3\.1\.0/);
  });
});

describe('control API: who may use it', () => {
  it('recognises loopback addresses and Host headers', () => {
    for (const a of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1'])
      assert.ok(isLoopbackAddress(a), a);
    for (const a of ['10.0.0.1', '192.168.1.9', '::ffff:10.0.0.1', 'fe80::1', undefined])
      assert.ok(!isLoopbackAddress(a), String(a));
    for (const h of ['127.0.0.1:4010', 'localhost:4010', '[::1]:4010', 'app.localhost'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['evil.example:4010', '10.0.0.1', undefined])
      assert.ok(!isLoopbackHost(h), String(h));
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign browser origin', async () => {
    const server = await startMockServer({ port: 0, paused: true, logger: false });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${server.url}/__mock/clock`,
          { headers: { Host: `evil.example:${server.port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 403);

      const page = await control<{ code: string }>(
        server,
        'POST',
        '/clock/seek',
        { to: 1 },
        { Origin: 'https://evil.example' },
      );
      assert.equal(page.status, 403);
      assert.equal(page.body.code, 'RT_CONTROL_FORBIDDEN');
      const local = await control(
        server,
        'POST',
        '/clock/seek',
        { to: 1 },
        { Origin: 'http://localhost:5173' },
      );
      assert.equal(local.status, 200);
    } finally {
      await server.close();
    }
  });

  it('with a control token, answers only requests that carry it', async () => {
    const server = await startMockServer({
      port: 0,
      paused: true,
      logger: false,
      controlToken: 'ctl',
    });
    try {
      assert.equal((await control(server, 'GET', '/clock')).status, 403);
      assert.equal(
        (await control(server, 'GET', '/clock', undefined, { Authorization: 'Bearer nope' }))
          .status,
        403,
      );
      assert.equal(
        (await control(server, 'GET', '/clock', undefined, { Authorization: 'Bearer ctl' })).status,
        200,
      );
    } finally {
      await server.close();
    }
  });
});

describe('control from code', () => {
  it('exposes the same operations on the server object', async () => {
    const v = compileValidators(await loadSchemaSet());
    const server = await startMockServer({ port: 0, paused: true, logger: false });
    try {
      server.control.seek(95_000);
      const added = server.control.tasks.add('v1', {
        ...(pageExamples().v1[0] as object),
        id: 5000,
      });
      assert.equal(added.id, 5000);
      const tasks = server.snapshot('v1').tasks as { id: number }[];
      assert.ok(tasks.some((t) => t.id === 5000));
      assert.deepEqual(v.v1TaskList(tasks).diagnostics, []);
    } finally {
      await server.close();
    }
  });
});
