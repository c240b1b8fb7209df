import assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import WebSocket from 'ws';
import { wsUrl } from '../helpers/ws-client';

const V1 = '/api/tasks/running';
const V1_WS = '/api/tasks/running/realtime';
const ORIGIN = 'http://localhost:5173';

/** The handshake's answer: the 101's headers, or the refusal's status. */
function handshake(
  url: string,
  origin: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('upgrade', (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
    });
    ws.once('error', reject);
  });
}

function preflight(
  server: MockServer,
  origin: string,
  path = V1,
  method = 'GET',
): Promise<Response> {
  return fetch(server.url + path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  });
}

describe('CORS, reflecting every origin (the default)', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
  });
  after(() => server.close());

  it('reflects the origin with credentials on answers, never a wildcard', async () => {
    const res = await fetch(server.url + V1, {
      headers: { Origin: ORIGIN, Authorization: 'Bearer x' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(res.headers.get('vary'), 'Origin');
    for (const [name, value] of res.headers) {
      if (name.startsWith('access-control-')) assert.notEqual(value.trim(), '*', name);
    }
  });

  it('answers a preflight with the requested headers named, never a wildcard', async () => {
    const res = await preflight(server, ORIGIN);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /GET/);

    const controlRoute = await preflight(server, ORIGIN, '/__mock/clock/seek', 'POST');
    assert.match(controlRoute.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('puts the same headers on the websocket handshake', async () => {
    const { status, headers } = await handshake(wsUrl(server.url, V1_WS), ORIGIN);
    assert.equal(status, 101);
    assert.equal(headers['access-control-allow-origin'], ORIGIN);
    assert.equal(headers['access-control-allow-credentials'], 'true');
  });

  it('reflects the origin on errors too, so a page can read them', async () => {
    const res = await fetch(server.url + V1, { headers: { Origin: ORIGIN, Prefer: 'code=400' } });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  });

  it('puts each CORS header once on every kind of answer, whichever stage writes it', async () => {
    const cases: [string, RequestInit, number][] = [
      [`${V1}?shape=cors`, {}, 200], // through Prism, which teaches the fast path
      [`${V1}?shape=cors`, {}, 200], // the fast path
      [`${V1}?shape=cors`, { method: 'HEAD' }, 405], // the contract has no HEAD
      [V1, { headers: { Prefer: 'code=400' } }, 400],
      [V1, { headers: { Prefer: 'fault=500' } }, 500],
      [`${V1}?__fault=truncated`, {}, 200],
      [V1_WS, {}, 426],
      ['/api/nothing-here', {}, 404],
      [`${V1}?__delay=bogus`, {}, 400],
      ['/__mock/state', {}, 200],
    ];
    const hitsBefore = server.stats().fastPathHits;
    for (const [path, init, status] of cases) {
      const what = `${init.method ?? 'GET'} ${path} ${JSON.stringify(init.headers ?? {})}`;
      const res = await fetch(server.url + path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Origin: ORIGIN },
      });
      await res.arrayBuffer();
      assert.equal(res.status, status, what);
      // Headers sent twice would read here as "a, a".
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, what);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true', what);
      assert.equal(res.headers.get('vary'), 'Origin', what);
      assert.match(res.headers.get('content-length') ?? '', /^\d+$/, what);
    }
    assert.equal(server.stats().fastPathHits, hitsBefore + 1, 'the fast path answered one');
  });
});

describe('CORS limited to a list of origins', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({
      port: 0,
      paused: true,
      heartbeatMs: 0,
      logger: false,
      cors: [ORIGIN],
    });
  });
  after(() => server.close());

  it('reflects a listed origin and gives an unlisted one no CORS headers', async () => {
    const listed = await fetch(server.url + V1, { headers: { Origin: ORIGIN } });
    assert.equal(listed.headers.get('access-control-allow-origin'), ORIGIN);
    const other = await fetch(server.url + V1, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('refuses the preflight and the websocket handshake of an unlisted origin', async () => {
    const res = await preflight(server, 'https://elsewhere.example');
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'RT_CORS_ORIGIN_REFUSED');

    assert.equal(
      (await handshake(wsUrl(server.url, V1_WS), 'https://elsewhere.example')).status,
      403,
    );
    assert.equal((await handshake(wsUrl(server.url, V1_WS), ORIGIN)).status, 101);
  });

  it('refuses an entry that is not an origin', async () => {
    await assert.rejects(
      startMockServer({ port: 0, logger: false, cors: ['localhost:5173/app'] }),
      { name: 'SettingError' },
    );
  });
});

describe('CORS turned off', () => {
  it('sends no CORS headers and answers no preflight', async () => {
    const server = await startMockServer({ port: 0, paused: true, logger: false, cors: false });
    try {
      const res = await fetch(server.url + V1, { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('vary'), null);
      const pre = await preflight(server, ORIGIN);
      assert.equal(pre.headers.get('access-control-allow-origin'), null);
      assert.notEqual(pre.status, 204);

      const { status, headers } = await handshake(wsUrl(server.url, V1_WS), ORIGIN);
      assert.equal(status, 101);
      assert.equal(headers['access-control-allow-origin'], undefined);
    } finally {
      await server.close();
    }
  });
});
