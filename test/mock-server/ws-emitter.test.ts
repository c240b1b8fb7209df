import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, * as ws from 'ws';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../mock-server/src/ws/ws-emitter';
import { captureLog } from '../helpers/log-capture';
import { pageExamples } from '../helpers/page-examples';
import { writeScenario } from '../helpers/temp-scenario';
import { RecordingClient, wsUrl } from '../helpers/ws-client';

const V1_WS = '/api/tasks/running/realtime';
const V2_WS = '/api/v2/tasks/ws/running';

describe('mock server over websocket', () => {
  let server: MockServer;
  const clients: RecordingClient[] = [];
  const connect = async (
    route: string,
    options?: WebSocket.ClientOptions,
  ): Promise<RecordingClient> => {
    const client = await RecordingClient.connect(wsUrl(server.url, route), options);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
  });
  after(() => server.close());
  beforeEach(() => server.replay.seek(0));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it('sends the full snapshot on connect', async () => {
    const v1 = await connect(V1_WS);
    const v2 = await connect(V2_WS);
    assert.deepEqual(JSON.parse(await v1.message(0)), pageExamples().v1);
    assert.deepEqual(JSON.parse(await v2.message(0)), pageExamples().v2);
  });

  it('sends a new snapshot when the timeline moves, valid against the contract', async () => {
    const v = compileValidators(await loadSchemaSet());
    const client = await connect(V1_WS);
    const first = await client.message(0);

    server.replay.seek(6_500);
    const second = await client.message(1);
    assert.notEqual(second, first);
    const tasks = JSON.parse(second) as { id: number }[];
    assert.deepEqual(
      tasks.map((t) => t.id),
      [39, 40],
    );
    assert.deepEqual(v.v1TaskList(tasks).diagnostics, []);
  });

  it('agrees with HTTP at the same instant', async () => {
    const client = await connect(V2_WS);
    for (const t of [0, 31_000, 95_000, 151_000]) {
      server.replay.seek(t);
      const fromHttp = await (await fetch(`${server.url}/api/v2/tasks/running`)).text();
      const fromWs = client.messages.at(-1);
      assert.equal(fromWs, fromHttp, `at ${t} ms`);
    }
  });

  it("sends nothing to a route's clients when only the other version changed", async () => {
    const v2 = await connect(V2_WS);
    await v2.message(0);
    // At 4 s task 40 enters V1; V2 stays as it was since 3 s.
    server.replay.seek(3_500);
    await v2.message(1);
    server.replay.seek(4_500);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(v2.messages.length, 2);
  });

  it('ignores what a client sends, and closes with 1009 on a message too big to buffer', async () => {
    const client = await connect(V1_WS);
    await client.message(0);
    const raw = new WebSocket(wsUrl(server.url, V1_WS));
    await new Promise((resolve, reject) => raw.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => raw.once('close', resolve));
    raw.send('hello');
    // Sent as fragments, as a client streaming a large message would: the total is what counts.
    const part = Buffer.alloc(MAX_CLIENT_MESSAGE_BYTES / 2, 0x61);
    raw.send(part, { fin: false });
    raw.send(part, { fin: false });
    raw.send('a', { fin: true });
    assert.equal(await closed, 1009);

    // The other client is untouched and still gets changes.
    server.replay.seek(6_500);
    assert.ok((await client.message(1)).startsWith('[{"id":39'));
    const small = await connect(V1_WS);
    await small.message(0);
    small.ws.send('x'.repeat(MAX_CLIENT_MESSAGE_BYTES));
    server.replay.seek(0);
    assert.ok((await small.message(1)).startsWith('[{"id":39'));
  });

  it('refuses a handshake without the token with 401 and an unknown route with 404', async () => {
    const guarded = await startMockServer({ port: 0, paused: true, token: 'tkn', logger: false });
    try {
      await assert.rejects(
        RecordingClient.connect(wsUrl(guarded.url, V1_WS)),
        /handshake answered 401/,
      );
      const byQuery = await RecordingClient.connect(wsUrl(guarded.url, `${V1_WS}?token=tkn`));
      const byHeader = await RecordingClient.connect(wsUrl(guarded.url, V2_WS), {
        headers: { Authorization: 'Bearer tkn' },
      });
      clients.push(byQuery, byHeader);
      assert.ok((await byQuery.message(0)).startsWith('[{"id":39'));
      assert.ok((await byHeader.message(0)).startsWith('[{"task_id":1'));
      await assert.rejects(
        RecordingClient.connect(wsUrl(guarded.url, '/api/nope')),
        /handshake answered 404/,
      );
      assert.deepEqual(await refusal(`${guarded.url}/api/nope?token=tkn`), {
        status: 404,
        type: 'application/problem+json',
        body: {
          type: 'about:blank',
          title: 'Not Found',
          detail: 'No websocket route at /api/nope.',
          status: 404,
        },
      });
      assert.deepEqual(await refusal(`${guarded.url}${V1_WS}`), {
        status: 401,
        type: 'application/json',
        body: { message: 'auth failed' },
      });
      const badDelay = await refusal(`${guarded.url}${V1_WS}?token=tkn&__delay=abc`);
      assert.equal(badDelay.type, 'application/problem+json');
      assert.equal((badDelay.body as { code?: string }).code, 'RT_SETTING_INVALID');
      assert.match((badDelay.body as { detail?: string }).detail ?? '', /"abc"/);
    } finally {
      await guarded.close();
    }
  });
});

describe('refused websocket handshakes', () => {
  it('answers problem+json for a request that is no handshake, and logs every refusal', async () => {
    const { logger, lines } = captureLog();
    const server = await startMockServer({ port: 0, paused: true, token: 'tkn', logger });
    try {
      const noKey = { ...UPGRADE_HEADERS, 'Sec-WebSocket-Key': 'short' };
      const oldVersion = { ...UPGRADE_HEADERS, 'Sec-WebSocket-Version': '8' };
      const answers = [
        await refusal(`${server.url}${V1_WS}?token=tkn`, noKey),
        await refusal(`${server.url}${V1_WS}?token=tkn`, oldVersion),
        await refusal(`${server.url}/api/nope?token=tkn`),
        await refusal(`${server.url}${V1_WS}?token=tkn&__delay=abc`),
        await refusal(`${server.url}${V1_WS}?token=wrong`),
        await refusal(`${server.url}${V1_WS}`),
      ];
      assert.deepEqual(
        answers.map((a) => [a.status, a.type]),
        [
          [400, 'application/problem+json'],
          [426, 'application/problem+json'],
          [404, 'application/problem+json'],
          [400, 'application/problem+json'],
          [401, 'application/json'],
          [401, 'application/json'],
        ],
      );
      assert.match((answers[0].body as { detail: string }).detail, /Sec-WebSocket-Key/);
      assert.equal(answers[1].version, '13', 'a 426 names the version the server speaks');

      await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = lines.filter((l) => l.msg === 'websocket refused');
      assert.deepEqual(
        refused.map((l) => [l.status, l.url]),
        [
          [400, `${V1_WS}?token=***`],
          [426, `${V1_WS}?token=***`],
          [404, '/api/nope?token=***'],
          [400, `${V1_WS}?token=***&__delay=abc`],
          [401, `${V1_WS}?token=***`],
          [401, V1_WS],
        ],
      );
      assert.deepEqual(
        refused.slice(4).map((l) => l.reason),
        ['wrong token', 'no token'],
      );
      assert.ok(refused.every((l) => typeof l.remote === 'string'));
    } finally {
      await server.close();
    }
  });
});

describe('websocket heartbeat and keepalive', () => {
  it('repeats the snapshot every heartbeat period', async () => {
    const server = await startMockServer({ port: 0, paused: true, heartbeatMs: 40, logger: false });
    try {
      const client = await RecordingClient.connect(wsUrl(server.url, V2_WS));
      await client.message(3, 2000);
      assert.equal(new Set(client.messages).size, 1);
      await client.close();
    } finally {
      await server.close();
    }
  });

  it('answers pings and drops a peer that stops answering', async () => {
    const server = await startMockServer({
      port: 0,
      paused: true,
      heartbeatMs: 0,
      keepaliveMs: 50,
      logger: false,
    });
    try {
      const ws = new WebSocket(wsUrl(server.url, V1_WS), { autoPong: false });
      let pings = 0;
      ws.on('ping', () => pings++);
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      const code = await closed;
      assert.ok(pings >= 1, 'the server pinged');
      assert.equal(code, 1006, 'the server terminated the silent peer');
    } finally {
      await server.close();
    }
  });

  it('closes clients with 1001 when the server stops', async () => {
    const server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
    const client = await RecordingClient.connect(wsUrl(server.url, V1_WS));
    const code = new Promise<number>((resolve) => client.ws.on('close', (c) => resolve(c)));
    await server.close();
    assert.equal(await code, 1001);
  });
});

/** A handshake the server refuses: its status, media type and JSON body. */
function refusal(
  url: string,
  headers: Record<string, string> = UPGRADE_HEADERS,
): Promise<{ status: number; type?: string; body: unknown; version?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers });
    req.on('upgrade', () => reject(new Error(`${url} was accepted`)));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body: JSON.parse(text) as unknown,
          ...(res.headers['sec-websocket-version'] === undefined
            ? {}
            : { version: res.headers['sec-websocket-version'] }),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const UPGRADE_HEADERS = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
};

/**
 * A websocket client whose reading the test controls: a raw handshake, the
 * socket paused until `read()`, frames parsed by ws's own Receiver, and pings
 * answered with pongs as a websocket client must (RFC 6455 section 5.5.2).
 */
async function stalledClient(
  url: string,
): Promise<{ messages: string[]; read(): void; close(): void }> {
  const { socket, head } = await new Promise<{ socket: Duplex; head: Buffer }>(
    (resolve, reject) => {
      const req = request(url, { headers: UPGRADE_HEADERS });
      req.on('upgrade', (_res, sock, rest) => resolve({ socket: sock, head: rest }));
      req.on('error', reject);
      req.end();
    },
  );
  socket.pause();

  const messages: string[] = [];
  const receiver = new (
    ws as unknown as {
      Receiver: new (o: { isServer: boolean }) => {
        on(e: string, l: (d: Buffer) => void): void;
        write(c: Buffer): void;
      };
    }
  ).Receiver({ isServer: false });
  receiver.on('message', (data) => messages.push(data.toString()));
  receiver.on('ping', (data) => {
    // A client's frames are masked; a zero mask leaves the payload as it is.
    socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | data.length, 0, 0, 0, 0]), data]));
  });
  return {
    messages,
    read() {
      // Bytes that came with the 101 answer are frames already.
      receiver.write(head);
      socket.on('data', (chunk: Buffer) => receiver.write(chunk));
      socket.resume();
    },
    close: () => socket.destroy(),
  };
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('a slow websocket client', () => {
  it('gets the latest snapshot when it reads again, never a backlog (large lists)', async () => {
    const big = Array.from({ length: 1000 }, (_, i) => ({
      ...(pageExamples().v2[0] as object),
      task_id: i + 1,
    }));
    const s = await writeScenario({
      'scenario.yaml': [
        'name: slow-client',
        'duration: 100',
        'v2:',
        '  - fixture: tasks.json',
        '    enter: 0',
        '    changes:',
        '      - at: 1',
        '        set: { status: passed }',
      ].join('\n'),
      'tasks.json': big,
    });
    const server = await startMockServer({
      port: 0,
      paused: true,
      heartbeatMs: 0,
      scenario: s.dir,
      logger: false,
    });
    try {
      const client = await stalledClient(`${server.url}${V2_WS}`);
      const changes = 60;
      for (let i = 1; i <= changes; i++) server.replay.seek(i % 2 === 1 ? 1_500 : 0);
      const latest = server.snapshot('v2').body.toString();

      client.read();
      await until(() => client.messages.at(-1) === latest, 5_000);
      client.close();

      assert.equal(client.messages.at(-1), latest, 'the last message is the latest snapshot');
      assert.ok(
        client.messages.length < changes / 4,
        `${client.messages.length} messages for ${changes} changes: a backlog`,
      );
    } finally {
      await server.close();
      await s.remove();
    }
  });

  it('finds at most a window of stale snapshots, whatever the kernel buffers', async () => {
    // The page's lists are about 1 KB: without pacing by pongs, the socket
    // buffers would hold thousands of them for a client that stopped reading.
    const server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
    try {
      const client = await stalledClient(`${server.url}${V1_WS}`);
      const changes = 3000;
      for (let i = 1; i <= changes; i++) server.replay.seek(i % 2 === 1 ? 6_500 : 0);
      const latest = server.snapshot('v1').body.toString();

      client.read();
      await until(() => client.messages.at(-1) === latest, 5_000);
      await new Promise((r) => setTimeout(r, 100));
      client.close();

      assert.equal(client.messages.at(-1), latest, 'the last message is the latest snapshot');
      assert.ok(
        client.messages.length <= 36,
        `${client.messages.length} messages for ${changes} changes: a backlog`,
      );
    } finally {
      await server.close();
    }
  });

  it('still gets every change when it keeps up', async () => {
    const server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
    try {
      // ws answers the pings itself, so the window keeps opening: 100
      // changes, each one received, well past any window.
      const client = await RecordingClient.connect(wsUrl(server.url, V1_WS));
      await client.message(0);
      for (let i = 1; i <= 100; i++) {
        server.replay.seek(i % 2 === 1 ? 6_500 : 0);
        assert.equal(await client.message(i), server.snapshot('v1').body.toString(), `change ${i}`);
      }
      await client.close();
    } finally {
      await server.close();
    }
  });
});
