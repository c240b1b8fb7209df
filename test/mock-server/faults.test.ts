import assert from 'node:assert/strict';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import { NON_JSON_MESSAGE, type MockServer } from '@running-tasks/mock-server';
import WebSocket from 'ws';
import { pageExamples } from '../helpers/page-examples';
import { wsUrl } from '../helpers/ws-client';
import { control, pause, usePausedMock } from './helpers/control';

const V1 = '/api/tasks/running';
const V2 = '/api/v2/tasks/running';
const V1_WS = '/api/tasks/running/realtime';
const V2_WS = '/api/v2/tasks/ws/running';

/** A websocket client that records what happens to it: messages, errors, the close code. */
class Observer {
  readonly messages: string[] = [];
  readonly errors: { code?: string; message: string }[] = [];
  readonly closed: Promise<number>;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.messages.push(data.toString('utf8')));
    ws.on('error', (err: Error & { code?: string }) =>
      this.errors.push({ code: err.code, message: err.message }),
    );
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`handshake answered ${res.statusCode}`)),
      );
    });
  }

  static async connect(url: string): Promise<Observer> {
    const observer = new Observer(new WebSocket(url));
    await observer.opened;
    return observer;
  }

  /** Waits until `count` messages arrived, at most `ms`. */
  async received(count: number, ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.messages.length < count) {
      if (Date.now() > deadline)
        throw new Error(`got ${this.messages.length} of ${count} messages`);
      await pause(10);
    }
  }

  /** The close code, or 'open' if the connection is still open after `ms`. */
  async closeCode(ms = 2000): Promise<number | 'open'> {
    return Promise.race([this.closed, pause(ms).then(() => 'open' as const)]);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.terminate();
  }
}

describe('HTTP faults', () => {
  let server: MockServer;
  usePausedMock((s) => (server = s));

  it('answers with the 6808 error as the contract documents it, HTTP 400', async () => {
    const v = compileValidators(await loadSchemaSet());
    await control(server, 'POST', '/faults', { kind: '6808' });
    const res = await fetch(server.url + V1);
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.deepEqual(body, {
      message: 'List Running Tasks Error',
      code: '6808',
      description: 'error details',
    });
    assert.equal(v.apiError(body).valid, true);
  });

  it("answers 401 with the API's body, and 500 with a plain-text body", async () => {
    const rule = await control<{ id: string }>(server, 'POST', '/faults', { kind: '401' });
    const denied = await fetch(server.url + V1);
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { message: 'auth failed' });

    await control(server, 'DELETE', `/faults/${rule.body.id}`);
    await control(server, 'POST', '/faults', { kind: '500' });
    const failed = await fetch(server.url + V1);
    assert.equal(failed.status, 500);
    assert.match(failed.headers.get('content-type') ?? '', /^text\/plain/);
  });

  it('sends an empty body, and a body cut in half that no JSON parser accepts', async () => {
    const full = await (await fetch(server.url + V2)).text();
    const empty = await control<{ id: string }>(server, 'POST', '/faults', { kind: 'empty' });
    const res = await fetch(server.url + V2);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '0');
    assert.equal(await res.text(), '');

    await control(server, 'DELETE', `/faults/${empty.body.id}`);
    await control(server, 'POST', '/faults', { kind: 'truncated' });
    const cut = await fetch(server.url + V2);
    const text = await cut.text();
    assert.equal(cut.status, 200);
    assert.equal(text, full.slice(0, Math.floor(full.length / 2)));
    assert.throws(() => JSON.parse(text) as unknown, SyntaxError);
  });

  it('hits the next N requests only, then serves normally', async () => {
    await control(server, 'POST', '/faults', { kind: '500', count: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(server.url + V1)).status);
    assert.deepEqual(statuses, [500, 500, 200, 200]);
    assert.deepEqual((await control(server, 'GET', '/faults')).body, []);
  });

  it('hits a share of requests', async () => {
    await control(server, 'POST', '/faults', { kind: '500', share: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => fetch(server.url + V1).then((r) => r.status)),
    );
    const failed = statuses.filter((s) => s === 500).length;
    assert.ok(failed > 60 && failed < 140, `${failed} of 200 failed`);
    assert.equal(failed + statuses.filter((s) => s === 200).length, 200);
  });

  it('hits one route and leaves the other alone', async () => {
    await control(server, 'POST', '/faults', { kind: '6808', route: V2 });
    assert.equal((await fetch(server.url + V2)).status, 400);
    assert.equal((await fetch(server.url + V1)).status, 200);
  });

  it('injects a fault asked for by a single request, in the header or the query', async () => {
    const byHeader = await fetch(server.url + V1, { headers: { Prefer: 'fault=500' } });
    assert.equal(byHeader.status, 500);
    const byQuery = await fetch(`${server.url}${V1}?__fault=empty`);
    assert.equal(await byQuery.text(), '');
    const next = await fetch(server.url + V1);
    assert.deepEqual(await next.json(), pageExamples().v1, 'the next request is served normally');

    const unknown = await fetch(`${server.url}${V1}?__fault=explode`);
    assert.equal(unknown.status, 400);
  });

  it('refuses a rule it cannot read with a problem naming the field', async () => {
    const bad = await control<{ code: string; detail: string }>(server, 'POST', '/faults', {
      kind: '500',
      share: 2,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'RT_SETTING_INVALID');
    assert.match(bad.body.detail, /share/);
    const code = await control(server, 'POST', '/faults', { kind: 'close', code: 1006 });
    assert.equal(code.status, 400, '1006 may never be sent in a close frame');
  });

  it('delays a faulted answer like any other', async () => {
    await control(server, 'PUT', '/latency', { default: 150 });
    await control(server, 'POST', '/faults', { kind: '500' });
    const started = performance.now();
    const res = await fetch(server.url + V1);
    assert.equal(res.status, 500);
    assert.ok(performance.now() - started >= 145);
  });
});

describe('websocket faults', () => {
  let server: MockServer;
  const observers: Observer[] = [];
  const connect = async (route = V1_WS): Promise<Observer> => {
    const observer = await Observer.connect(wsUrl(server.url, route));
    observers.push(observer);
    return observer;
  };

  usePausedMock((s) => (server = s), { heartbeatMs: 30 });
  afterEach(() => {
    for (const o of observers.splice(0)) o.close();
  });

  it('closes the next connection with the given code after its first snapshot', async () => {
    await control(server, 'POST', '/faults', { kind: 'close', code: 4001, reason: 'go away' });
    const hit = await connect();
    assert.equal(await hit.closeCode(), 4001);
    assert.equal(hit.messages.length, 1, 'the snapshot came first');
    assert.deepEqual(JSON.parse(hit.messages[0] ?? ''), pageExamples().v1);

    const spared = await connect();
    assert.equal(await spared.closeCode(200), 'open', 'only the next connection is hit');
  });

  it('drops the TCP connection without a close frame (the client sees 1006)', async () => {
    await control(server, 'POST', '/faults', { kind: 'drop' });
    const hit = await connect();
    assert.equal(await hit.closeCode(), 1006);
  });

  it('stalls: the socket stays open and nothing more arrives', async () => {
    const control_ = await connect();
    await control(server, 'POST', '/faults', { kind: 'stall', afterMessages: 2 });
    const hit = await connect();
    await hit.received(2);
    await control_.received(8);
    const count = hit.messages.length;
    await pause(200);
    assert.equal(hit.messages.length, count, 'no message after the stall');
    assert.ok(control_.messages.length > 8, 'heartbeats go on elsewhere');
    assert.equal(hit.ws.readyState, WebSocket.OPEN);
  });

  it('sends a malformed frame, which makes the client fail the connection', async () => {
    await control(server, 'POST', '/faults', { kind: 'malformed' });
    const hit = await connect();
    // RFC 6455 section 7.1.7: the client fails the connection; having read no
    // close frame after the bad one, it reports 1006.
    assert.equal(await hit.closeCode(), 1006);
    assert.deepEqual(
      hit.errors.map((e) => e.code),
      ['WS_ERR_INVALID_OPCODE'],
    );
    assert.equal(hit.messages.length, 1, 'the snapshot before it arrived intact');
  });

  it('sends a message that is not JSON, then carries on', async () => {
    await control(server, 'POST', '/faults', { kind: 'non-json' });
    const hit = await connect();
    await hit.received(3);
    assert.equal(hit.messages[1], NON_JSON_MESSAGE);
    assert.throws(() => JSON.parse(hit.messages[1] ?? '') as unknown, SyntaxError);
    assert.doesNotThrow(() => JSON.parse(hit.messages[2] ?? '') as unknown);
  });

  it('fires after N messages', async () => {
    await control(server, 'POST', '/faults', { kind: 'close', code: 4002, afterMessages: 4 });
    const hit = await connect();
    assert.equal(await hit.closeCode(), 4002);
    assert.equal(hit.messages.length, 4);
  });

  it('hits every open connection at once with target open, and no later one', async () => {
    const a = await connect(V1_WS);
    const b = await connect(V2_WS);
    await a.received(1);
    await b.received(1);
    await control(server, 'POST', '/faults', { kind: 'close', code: 4003, target: 'open' });
    assert.deepEqual([await a.closeCode(), await b.closeCode()], [4003, 4003]);

    const later = await connect();
    assert.equal(await later.closeCode(200), 'open');
  });

  it('hits open and new connections with target all, until the rule goes', async () => {
    const open = await connect();
    await open.received(1);
    const rule = await control<{ id: string }>(server, 'POST', '/faults', {
      kind: 'close',
      code: 4004,
      target: 'all',
    });
    assert.equal(await open.closeCode(), 4004);
    const next = await connect();
    assert.equal(await next.closeCode(), 4004);

    await control(server, 'DELETE', `/faults/${rule.body.id}`);
    const after = await connect();
    assert.equal(await after.closeCode(200), 'open');
  });

  it('hits a connection again after an earlier fault on it has fired', async () => {
    await control(server, 'POST', '/faults', { kind: 'non-json' });
    const hit = await connect();
    await hit.received(3);
    assert.equal(hit.messages[1], NON_JSON_MESSAGE);
    await control(server, 'POST', '/faults', { kind: 'close', code: 4006, target: 'open' });
    assert.equal(await hit.closeCode(), 4006);
  });

  it('takes a fault from the websocket URL of a single connection', async () => {
    const hit = await connect(`${V1_WS}?__fault=close&__fault_code=4005&__fault_after=2`);
    assert.equal(await hit.closeCode(), 4005);
    assert.equal(hit.messages.length, 2);
    await assert.rejects(
      Observer.connect(wsUrl(server.url, `${V1_WS}?__fault=500`)),
      /handshake answered 400/,
    );
  });

  it('hits only the route a rule names', async () => {
    await control(server, 'POST', '/faults', { kind: 'drop', route: V2_WS, target: 'all' });
    const spared = await connect(V1_WS);
    const hit = await connect(V2_WS);
    assert.equal(await hit.closeCode(), 1006);
    assert.equal(await spared.closeCode(100), 'open');
  });
});
