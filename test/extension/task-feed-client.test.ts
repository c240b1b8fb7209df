import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { ERROR_CODES, type ApiError, type BadPayloadError } from '../../extension/src/core/errors';
import { MemoryLogger } from '../../extension/src/core/logger';
import {
  TaskFeedClient,
  type FeedOptions,
  type FeedSnapshot,
  type FeedState,
} from '../../extension/src/core/task-feed-client';
import { writeScenario } from '../helpers/temp-scenario';
import { backendAt, FAST_TIMING } from './helpers/feed';
import { listen, startNoWebsocketProxy, startRawBackend } from './helpers/raw-servers';
import { manyV2Tasks, v2Task } from './helpers/task-fixtures';
import { nextEvent, waitUntil } from './helpers/wait';

const TOKEN = 'k3y-for-tests-only';

describe('TaskFeedClient', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function mock(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
    const server = await startMockServer({ port: 0, logger: false, paused: true, ...options });
    cleanups.push(() => server.close());
    return server;
  }

  function client(options: Partial<FeedOptions> & Pick<FeedOptions, 'backend'>): TaskFeedClient {
    const feed = new TaskFeedClient({ timing: FAST_TIMING, ...options });
    cleanups.push(() => feed.dispose());
    return feed;
  }

  function live(transport: 'websocket' | 'polling') {
    return (s: FeedState) => s.kind === 'live' && s.transport === transport;
  }

  it('receives the full snapshot on connect over the websocket', async () => {
    const server = await mock();
    const feed = client({ backend: backendAt(server.url, 'v2') });

    const snapshot = nextEvent(feed.onSnapshot);
    feed.start();
    const { tasks, transport } = await snapshot;

    assert.equal(transport, 'websocket');
    assert.deepEqual(
      tasks.map((t) => [t.key, t.pipeline, t.status]),
      [['v2:1', 'test-pipeline', 'running']],
    );
    assert.deepEqual(feed.state, { kind: 'live', transport: 'websocket' });
  });

  it('reads the V1 route when the backend is set to V1', async () => {
    const server = await mock();
    const feed = client({ backend: backendAt(server.url, 'v1') });

    const snapshot = nextEvent(feed.onSnapshot);
    feed.start();
    const { tasks } = await snapshot;

    assert.deepEqual(
      tasks.map((t) => [t.key, t.pipeline, t.stages.map((s) => s.name).join()]),
      [['v1:39', 'demo-pipeline', 'build,test,deploy,distribute']],
    );
  });

  it('delivers a live update when the mock timeline moves', async () => {
    const server = await mock();
    const feed = client({ backend: backendAt(server.url, 'v2') });
    const first = nextEvent(feed.onSnapshot);
    feed.start();
    const before = await first;
    assert.equal(before.tasks[0]?.stages[0]?.status, undefined);

    const update = nextEvent(feed.onSnapshot);
    server.replay.seek(3500);
    const after = await update;

    assert.equal(after.tasks[0]?.stages[0]?.status, 'running');
    assert.equal(after.transport, 'websocket');
  });

  it('does not fire again for a heartbeat that repeats the same snapshot', async () => {
    const body = JSON.stringify([v2Task()]);
    const backend = await startRawBackend(body);
    cleanups.push(() => backend.close());
    const feed = client({ backend: backendAt(backend.url, 'v2') });
    const snapshots: FeedSnapshot[] = [];
    feed.onSnapshot((s) => snapshots.push(s));

    const first = nextEvent(feed.onSnapshot);
    feed.start();
    await first;
    backend.setBody(body);
    backend.setBody(body);
    const changed = nextEvent(feed.onSnapshot);
    backend.setBody(JSON.stringify([v2Task({ status: 'passed' })]));
    await changed;

    // Frames arrive in order, so the two repeats were seen before the change and dropped.
    assert.deepEqual(
      snapshots.map((s) => s.tasks[0]?.status),
      ['running', 'passed'],
    );
  });

  it('reconnects after the server restarts', async () => {
    const first = await startMockServer({ port: 0, logger: false, paused: true });
    const port = first.port;
    const feed = client({ backend: backendAt(first.url, 'v2') });
    const states: FeedState['kind'][] = [];
    feed.onState((s) => states.push(s.kind));

    const connected = nextEvent(feed.onState, live('websocket'));
    feed.start();
    await connected;

    const failing = nextEvent(feed.onState, (s) => s.kind === 'failing');
    await first.close();
    const failure = await failing;
    assert.equal(failure.kind === 'failing' && failure.error.code, ERROR_CODES.UNREACHABLE);

    const back = nextEvent(feed.onState, live('websocket'), 8000);
    await mock({ port });
    await back;
    assert.deepEqual(states.slice(0, 2), ['connecting', 'live']);
    assert.ok(states.lastIndexOf('failing') < states.lastIndexOf('live'));
  });

  it('falls back to polling the HTTP route when the websocket upgrade is refused', async () => {
    const server = await mock();
    const proxy = await startNoWebsocketProxy(server.url, 404);
    cleanups.push(() => proxy.close());
    const feed = client({ backend: backendAt(proxy.url, 'v2') });

    const polling = nextEvent(feed.onState, live('polling'));
    const snapshot = nextEvent(feed.onSnapshot);
    feed.start();
    await polling;
    assert.equal((await snapshot).transport, 'polling');
    assert.equal(proxy.upgrades, 1);

    const update = nextEvent(feed.onSnapshot, (s) => s.tasks[0]?.stages[0]?.status === 'running');
    server.replay.seek(3500);
    await update;
  });

  it('polls HTTP when the websocket cannot get through but HTTP can', async () => {
    const server = await mock();
    const proxy = await startNoWebsocketProxy(server.url);
    // This gateway does not even answer the upgrade: it drops the connection.
    proxy.server.removeAllListeners('upgrade');
    proxy.server.on('upgrade', (_req, socket: import('node:net').Socket) => socket.destroy());
    cleanups.push(() => proxy.close());
    const feed = client({ backend: backendAt(proxy.url, 'v2') });

    const polling = nextEvent(feed.onState, live('polling'));
    feed.start();
    await polling;

    assert.equal(feed.transport, 'polling');
  });

  it('goes back to the websocket once it works again', async () => {
    const server = await mock();
    const proxy = await startNoWebsocketProxy(server.url, 404);
    cleanups.push(() => proxy.close());
    const feed = client({
      backend: backendAt(proxy.url, 'v2'),
      timing: { ...FAST_TIMING, websocketRetryMs: 50 },
    });
    const polling = nextEvent(feed.onState, live('polling'));
    feed.start();
    await polling;

    // The gateway learns websocket: upgrades now reach the mock.
    proxy.server.removeAllListeners('upgrade');
    proxy.server.on('upgrade', (req, socket, head) =>
      server.server.emit('upgrade', req, socket, head),
    );
    await nextEvent(feed.onState, live('websocket'), 3000);

    assert.equal(feed.transport, 'websocket');
  });

  it('reports 401 without a token and connects once the token is set', async () => {
    const server = await mock({ token: TOKEN });
    const logger = new MemoryLogger();
    const feed = client({ backend: backendAt(server.url, 'v2'), logger });

    const refused = nextEvent(feed.onState, (s) => s.kind === 'failing');
    feed.start();
    const state = await refused;
    assert.equal(state.kind === 'failing' && state.error.code, ERROR_CODES.AUTH_FAILED);

    const connected = nextEvent(feed.onSnapshot);
    feed.setToken(TOKEN);
    assert.equal((await connected).tasks.length, 1);
    assert.ok(!logger.text().includes(TOKEN), 'the token must not reach the log');
  });

  it('sends the token as X-API-KEY when the backend asks for that style', async () => {
    const server = await mock({ token: TOKEN });
    const feed = client({ backend: backendAt(server.url, 'v1', 'x-api-key'), token: TOKEN });

    const snapshot = nextEvent(feed.onSnapshot);
    feed.start();

    assert.equal((await snapshot).tasks[0]?.id, 39);
  });

  it('reports 401 on the polling route too', async () => {
    const server = await mock({ token: TOKEN });
    const feed = client({
      backend: backendAt(server.url, 'v2'),
      token: 'wrong',
      transport: 'polling',
    });

    const refused = nextEvent(feed.onState, (s) => s.kind === 'failing');
    feed.start();
    const state = await refused;

    assert.equal(state.kind === 'failing' && state.error.code, ERROR_CODES.AUTH_FAILED);
    assert.ok(
      state.kind === 'failing' && state.retryAt - Date.now() > 10_000,
      'no hammering after 401',
    );
  });

  it('passes an unknown status through as its raw text, with a warning', async () => {
    const scenario = await writeScenario({
      'scenario.yaml': 'name: odd\nduration: 60\nv2:\n  - fixture: odd.json\n    enter: 0\n',
      'odd.json': v2Task({ task_id: 7, status: 'levitating' }),
    });
    cleanups.push(scenario.remove);
    const server = await mock({ scenario: scenario.dir });
    const feed = client({ backend: backendAt(server.url, 'v2') });

    const snapshot = nextEvent(feed.onSnapshot);
    feed.start();
    const { tasks, warnings } = await snapshot;

    assert.equal(tasks[0]?.status, 'levitating');
    assert.match(warnings.map((w) => w.message).join(), /levitating/);
  });

  it('delivers a 1,000-task snapshot', async () => {
    const scenario = await writeScenario({
      'scenario.yaml': 'name: busy\nduration: 60\nv2:\n  - fixture: many.json\n    enter: 0\n',
      'many.json': manyV2Tasks(1000),
    });
    cleanups.push(scenario.remove);
    const server = await mock({ scenario: scenario.dir });
    const feed = client({ backend: backendAt(server.url, 'v2') });

    const snapshot = nextEvent(feed.onSnapshot, undefined, 10_000);
    feed.start();
    const { tasks } = await snapshot;

    assert.equal(tasks.length, 1000);
    assert.equal(new Set(tasks.map((t) => t.key)).size, 1000);
  });

  it('reports a malformed payload and keeps the last good snapshot', async () => {
    const good = JSON.stringify([v2Task()]);
    const backend = await startRawBackend(good);
    cleanups.push(() => backend.close());
    const feed = client({ backend: backendAt(backend.url, 'v2') });
    const snapshots: FeedSnapshot[] = [];
    feed.onSnapshot((s) => snapshots.push(s));

    const first = nextEvent(feed.onSnapshot);
    feed.start();
    await first;

    const problem = nextEvent(feed.onProblem);
    backend.setBody(JSON.stringify([{ ...v2Task(), task_id: 'one' }]));
    const error = (await problem) as BadPayloadError;

    assert.equal(error.code, ERROR_CODES.BAD_PAYLOAD);
    assert.equal(error.diagnostics[0]?.path, '$[0].task_id');
    assert.equal(snapshots.length, 1, 'the bad payload is not applied');
    assert.equal(feed.state.kind, 'live');

    const recovered = nextEvent(feed.onSnapshot);
    backend.setBody(JSON.stringify([v2Task({ status: 'passed' })]));
    assert.equal((await recovered).tasks[0]?.status, 'passed');
  });

  it('reports a body that is not JSON as a bad payload', async () => {
    const backend = await startRawBackend('<html>gateway error</html>');
    cleanups.push(() => backend.close());
    const feed = client({ backend: backendAt(backend.url, 'v2'), transport: 'polling' });

    const problem = nextEvent(feed.onProblem);
    feed.start();
    const error = (await problem) as BadPayloadError;

    assert.equal(error.diagnostics[0]?.keyword, 'json');
  });

  it('reports the API error envelope with its application code', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"message":"List Running Tasks Error","code":"6808","description":"db down"}');
    });
    const started = await listen(server);
    cleanups.push(() => started.close());
    const feed = client({ backend: backendAt(started.url, 'v2'), transport: 'polling' });

    const failing = nextEvent(feed.onState, (s) => s.kind === 'failing');
    feed.start();
    const state = await failing;
    const error = state.kind === 'failing' ? (state.error as ApiError) : undefined;

    assert.equal(error?.code, ERROR_CODES.API_ERROR);
    assert.equal(error?.apiCode, '6808');
    assert.equal(error?.description, 'db down');
  });

  it('fails with a retry time when nothing listens', async () => {
    const closed = await listen(createServer());
    await closed.close();
    const feed = client({ backend: backendAt(closed.url, 'v2') });

    const failing = nextEvent(feed.onState, (s) => s.kind === 'failing');
    feed.start();
    const state = await failing;

    assert.equal(state.kind === 'failing' && state.error.code, ERROR_CODES.UNREACHABLE);
    assert.ok(state.kind === 'failing' && state.retryAt > Date.now());
  });

  it('slows polling to the idle rate while the user is not looking', async () => {
    const backend = await startRawBackend(JSON.stringify([v2Task()]));
    cleanups.push(() => backend.close());
    const feed = client({ backend: backendAt(backend.url, 'v2'), transport: 'polling' });
    feed.start();
    await waitUntil(() => backend.requests >= 3, 3000);

    feed.setActive(false);
    const idleFrom = backend.requests;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(backend.requests - idleFrom <= 1, `${backend.requests - idleFrom} polls while idle`);

    feed.setActive(true);
    const activeFrom = backend.requests;
    await waitUntil(() => backend.requests >= activeFrom + 2, 3000);
  });
});
