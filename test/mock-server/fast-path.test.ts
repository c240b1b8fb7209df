import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';

interface Probe {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a raw request (fetch would add headers of its own) and reads the whole answer. */
function send(base: string, probe: Probe): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Node sends a GET's body with neither Content-Length nor chunked framing
    // unless told, which the server would read as a second request.
    const headers =
      probe.body === undefined
        ? probe.headers
        : { ...probe.headers, 'Content-Length': String(Buffer.byteLength(probe.body)) };
    const req = request(
      base + probe.path,
      { method: probe.method ?? 'GET', headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const headers = { ...res.headers };
          delete headers.date;
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(probe.body);
  });
}

const V1 = '/api/tasks/running';
const V2 = '/api/v2/tasks/running';
const ORIGIN = { Origin: 'http://localhost:3000' };

const CORPUS: Probe[] = [
  { path: V1 },
  { path: V2 },
  { path: `${V1}?foo=bar&foo=baz` },
  { path: `${V2}?page=2` },
  { path: V1, headers: { Authorization: 'Bearer abc' } },
  { path: V1, headers: { Authorization: 'X-API-KEY abc' } },
  { path: V1, headers: { Authorization: 'Basic dXNlcjpwYXNz' } },
  { path: V1, headers: { Authorization: '' } },
  { path: V1, headers: { Authorization: 'Bearer' } },
  { path: V1, headers: { Accept: 'application/json' } },
  { path: V1, headers: { Accept: '*/*' } },
  { path: V1, headers: { Accept: 'application/*' } },
  { path: V1, headers: { Accept: 'application/json, text/plain, */*' } },
  {
    path: V1,
    headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
  },
  { path: V1, headers: { Accept: 'application/xml' } },
  { path: V1, headers: { Accept: 'text/html' } },
  { path: V1, headers: { Accept: 'application/json;q=0.5, text/csv' } },
  { path: V1, headers: { Prefer: 'code=400' } },
  { path: V1, headers: { Prefer: 'code=401' } },
  { path: V1, headers: { Prefer: 'code=500' } },
  { path: V1, headers: { Prefer: 'example=page' } },
  { path: V2, headers: { Prefer: 'example=empty' } },
  { path: V1, headers: { Prefer: 'code=abc' } },
  { path: V1, headers: { Prefer: 'respond-async' } },
  { path: `${V1}?__code=400` },
  { path: `${V2}?__example=empty` },
  { path: V1, headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' },
  { path: V1, headers: { 'Content-Type': 'text/plain' }, body: 'hello' },
  { path: V1, method: 'HEAD' },
  { path: V2, method: 'HEAD', headers: { Accept: 'application/xml' } },
  { path: V1, method: 'POST' },
  { path: V1, method: 'OPTIONS' },
  { path: V1, method: 'OPTIONS', headers: { ...ORIGIN, 'Access-Control-Request-Method': 'GET' } },
  { path: V1, headers: ORIGIN },
  { path: V2, headers: { ...ORIGIN, Authorization: 'Bearer abc', Accept: 'application/json' } },
  { path: `${V1}/` },
  { path: '/api/tasks/../tasks/running' },
  { path: '/API/TASKS/RUNNING' },
  { path: '/api/tasks/running/realtime' },
];

describe('fast path', () => {
  let fast: MockServer;
  let prism: MockServer;
  before(async () => {
    [fast, prism] = await Promise.all([
      startMockServer({ port: 0, paused: true, logger: false }),
      startMockServer({ port: 0, paused: true, logger: false, fastPath: false }),
    ]);
  });
  after(() => Promise.all([fast.close(), prism.close()]));

  it('answers every request of the corpus exactly as the Prism path does', async () => {
    for (const probe of CORPUS) {
      const label = `${probe.method ?? 'GET'} ${probe.path} ${JSON.stringify(probe.headers ?? {})}`;
      const reference = await send(prism.url, probe);
      // The first request of a shape goes through Prism and teaches the fast path; the second may
      // skip it.
      for (const round of [1, 2]) {
        assert.deepEqual(await send(fast.url, probe), reference, `${label}, round ${round}`);
      }
    }
  });

  it('serves repeated plain GETs without Prism, and never the Prism-only server', async () => {
    const before = fast.stats().fastPathHits;
    await send(fast.url, { path: V2, headers: { Accept: 'application/json' } });
    await send(fast.url, { path: V2, headers: { Accept: 'application/json' } });
    assert.ok(fast.stats().fastPathHits > before);
    assert.equal(prism.stats().fastPathHits, 0);
  });

  it('answers from the state of the moment, not the state it learned on', async () => {
    await send(fast.url, { path: V1 });
    fast.replay.seek(6_500);
    prism.replay.seek(6_500);
    try {
      assert.deepEqual(await send(fast.url, { path: V1 }), await send(prism.url, { path: V1 }));
      assert.match((await send(fast.url, { path: V1 })).body, /"id":40/);
    } finally {
      fast.replay.seek(0);
      prism.replay.seek(0);
    }
  });

  it('keeps the token check in front of the fast path', async () => {
    const guarded = await startMockServer({ port: 0, paused: true, logger: false, token: 't0k' });
    try {
      const ok = { path: V1, headers: { Authorization: 'Bearer t0k' } };
      assert.equal((await send(guarded.url, ok)).status, 200);
      assert.equal((await send(guarded.url, ok)).status, 200);
      // Same shape (a Bearer header), wrong token: the learned decision must not leak past the
      // check.
      assert.equal(
        (await send(guarded.url, { path: V1, headers: { Authorization: 'Bearer nope' } })).status,
        401,
      );
    } finally {
      await guarded.close();
    }
  });
});
