import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  loadContracts,
  startValidationProxy,
  type Contracts,
  type ValidationProxy,
  type ViolationRecord,
} from '@running-tasks/contract-tester';
import pino from 'pino';
import WebSocket from 'ws';
import { closedPort } from './helpers/closed-port';
import {
  startFakeBackend,
  type FakeBackend,
  type FakeBackendOptions,
} from './helpers/fake-backend';
import { v1Task, without } from './helpers/task-fixtures';

interface Raw {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** A GET that keeps the raw header list, so header order and repeats can be compared. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
  });
}

/** Headers Node writes itself on each hop; everything else must pass unchanged. */
const PER_HOP = new Set(['date', 'connection', 'keep-alive']);
const endToEnd = (raw: Raw) => raw.headers.filter(([name]) => !PER_HOP.has(name.toLowerCase()));

function firstMessage(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('message', (data: Buffer, isBinary: boolean) => {
      ws.close();
      resolve({ data, isBinary });
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`handshake answered ${res.statusCode}`)),
    );
  });
}

describe('validation proxy', function () {
  let contracts: Contracts;
  const open: { close: () => Promise<void> }[] = [];

  before(async () => {
    contracts = await loadContracts();
  });

  afterEach(async () => {
    for (const server of open.splice(0).reverse()) await server.close();
  });

  async function start(
    backend: FakeBackendOptions,
    proxyOptions: { errors?: boolean; reportFile?: string; logger?: pino.Logger } = {},
  ): Promise<{ upstream: FakeBackend; proxy: ValidationProxy }> {
    const upstream = await startFakeBackend(backend);
    open.push(upstream);
    const proxy = await startValidationProxy({
      upstream: upstream.url,
      port: 0,
      logger: false,
      contracts,
      ...proxyOptions,
    });
    open.push(proxy);
    return { upstream, proxy };
  }

  it('passes a good answer through byte for byte, headers and all', async () => {
    const odd = (list: unknown) => `${JSON.stringify(list, null, 3)}\n`;
    const { upstream, proxy } = await start({
      httpFault: (_req, res, ctx) => {
        res.writeHead(200, [
          'Content-Type',
          'application/json; charset=utf-8',
          'X-Upstream',
          'yes',
          'Set-Cookie',
          'a=1',
          'Set-Cookie',
          'b=2',
        ]);
        res.end(odd(ctx.list));
      },
    });

    const direct = await rawGet(`${upstream.url}/api/tasks/running`);
    const proxied = await rawGet(`${proxy.url}/api/tasks/running`);

    assert.equal(proxied.status, 200);
    assert.ok(proxied.body.equals(direct.body), 'the body bytes are the upstream’s');
    assert.ok(proxied.body.toString().startsWith('[\n   {\n      "id": 39'), 'not re-serialised');
    assert.deepEqual(
      endToEnd(proxied).filter(([n]) => n !== 'Content-Length'),
      endToEnd(direct).filter(([n]) => n !== 'Transfer-Encoding'),
    );
    assert.equal(proxy.violations.total, 0);
  });

  it('relays websocket frames unchanged', async () => {
    const text = '[ ]';
    const { proxy } = await start({ lists: { v2: () => [] }, wsMessage: () => text });

    const frame = await firstMessage(`${proxy.url.replace('http', 'ws')}/api/v2/tasks/ws/running`);
    assert.equal(frame.isBinary, false);
    assert.equal(frame.data.toString(), text);
    assert.equal(proxy.violations.total, 0);
  });

  it('reports a violating answer to the log, the event and the report file, and still passes it on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rt-proxy-'));
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    try {
      const reportFile = path.join(dir, 'violations.ndjson');
      const broken = [without(v1Task(), 'current_status')];
      const { proxy } = await start({ lists: { v1: () => broken } }, { reportFile, logger });
      const seen: ViolationRecord[] = [];
      proxy.violations.on('violation', (v) => seen.push(v));

      const answer = await rawGet(`${proxy.url}/api/tasks/running?token=secret`);
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body.toString()), broken);

      assert.equal(seen.length, 1);
      assert.deepEqual(
        seen[0]?.diagnostics.map((d) => `${d.route} ${d.check} ${d.path} ${d.keyword}`),
        ['GET /api/tasks/running proxy.http $[0].current_status required'],
      );
      assert.equal(seen[0]?.target, '/api/tasks/running?token=REDACTED');

      await proxy.close();
      const records = (await readFile(reportFile, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ViolationRecord);
      assert.deepEqual(
        records.map((r) => [r.kind, r.route, r.status, r.replaced]),
        [['http', 'GET /api/tasks/running', 200, false]],
      );

      const warning = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string; route?: string })
        .find((l) => l.level === 40);
      assert.equal(warning?.msg, 'response violates the contract');
      assert.ok(!lines.join('').includes('secret'), 'the token stays out of the log');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with errors on, replaces a violating answer with a problem+json 502 and passes good ones', async () => {
    const { proxy } = await start(
      { lists: { v1: () => [v1Task({ id: 'x' as unknown as number })] } },
      { errors: true },
    );

    const bad = await rawGet(`${proxy.url}/api/tasks/running`);
    assert.equal(bad.status, 502);
    assert.equal(
      bad.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1],
      'application/problem+json',
    );
    const problem = JSON.parse(bad.body.toString()) as {
      code: string;
      status: number;
      upstreamStatus: number;
      violations: { path: string; keyword: string }[];
    };
    assert.equal(problem.code, 'RT_PROXY_CONTRACT_VIOLATION');
    assert.equal(problem.upstreamStatus, 200);
    assert.deepEqual(
      problem.violations.map((v) => `${v.path} ${v.keyword}`),
      ['$[0].id type'],
    );

    const good = await rawGet(`${proxy.url}/api/v2/tasks/running`);
    assert.equal(good.status, 200);
  });

  it('reports a violating websocket frame and still relays it', async () => {
    const { proxy } = await start({
      wsMessage: (api, list, i) => (api === 'v1' && i === 0 ? 'hello' : JSON.stringify(list)),
    });
    const seen = new Promise<ViolationRecord>((resolve) =>
      proxy.violations.once('violation', resolve),
    );

    const frame = await firstMessage(
      `${proxy.url.replace('http', 'ws')}/api/tasks/running/realtime`,
    );
    assert.equal(frame.data.toString(), 'hello');

    const record = await seen;
    assert.equal(record.kind, 'ws');
    assert.equal(record.message, 0);
    assert.deepEqual(
      record.diagnostics.map((d) => `${d.route} ${d.location} ${d.keyword}`),
      ['WS /api/tasks/running/realtime message #0 json'],
    );
  });

  it("relays the upstream's refusal of a handshake, and the token when given", async () => {
    const { proxy } = await start({ token: 'T' });
    const wsUrl = `${proxy.url.replace('http', 'ws')}/api/v2/tasks/ws/running`;

    const status = await new Promise<{ code: number | undefined; body: string }>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          ws.terminate();
          resolve({ code: res.statusCode, body });
        });
      });
      ws.on('error', () => undefined);
    });
    assert.deepEqual(status, { code: 401, body: '{"message":"auth failed"}' });

    const frame = await firstMessage(wsUrl, { headers: { authorization: 'Bearer T' } });
    assert.equal(Array.isArray(JSON.parse(frame.data.toString())), true);
  });

  it('relays a close code from the upstream to the client', async () => {
    const { proxy } = await start({
      onWsOpen: (_api, ws) => setTimeout(() => ws.close(4001, 'bye'), 30),
    });

    const closed = await new Promise<[number, string]>((resolve) => {
      const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}/api/tasks/running/realtime`);
      ws.on('close', (code, reason) => resolve([code, reason.toString()]));
    });
    assert.deepEqual(closed, [4001, 'bye']);
  });

  it('answers 502 problem+json when the upstream is down', async () => {
    const proxy = await startValidationProxy({
      upstream: `http://127.0.0.1:${await closedPort()}`,
      port: 0,
      logger: false,
      contracts,
    });
    open.push(proxy);

    const answer = await rawGet(`${proxy.url}/api/tasks/running`);
    assert.equal(answer.status, 502);
    assert.equal(
      (JSON.parse(answer.body.toString()) as { code: string }).code,
      'RT_PROXY_UPSTREAM_UNREACHABLE',
    );
  });

  it('passes routes the contract does not describe without checking them', async () => {
    const { proxy } = await start({});
    const answer = await rawGet(`${proxy.url}/health`);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.toString(), '{"message":"not found"}');
    assert.equal(proxy.violations.total, 0);
  });
});
