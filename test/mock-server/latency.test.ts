import assert from 'node:assert/strict';
import {
  formatDelaySpec,
  parseDelaySpec,
  parsePrefer,
  sampleDelay,
  startMockServer,
  type MockServer,
} from '@running-tasks/mock-server';
import WebSocket from 'ws';
import { RecordingClient, wsUrl } from '../helpers/ws-client';
import { control, usePausedMock } from './helpers/control';

const V1 = '/api/tasks/running';
const V2 = '/api/v2/tasks/running';

/** Wall ms a GET takes to answer completely. */
async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

describe('delay specs', () => {
  it('reads fixed, uniform and long-tail delays and writes them back', () => {
    assert.deepEqual(parseDelaySpec('250'), { distribution: 'fixed', ms: 250 });
    assert.deepEqual(parseDelaySpec('1.5s'), { distribution: 'fixed', ms: 1500 });
    assert.deepEqual(parseDelaySpec('100ms-400ms'), {
      distribution: 'uniform',
      minMs: 100,
      maxMs: 400,
    });
    assert.deepEqual(parseDelaySpec('uniform:1-2'), {
      distribution: 'uniform',
      minMs: 1,
      maxMs: 2,
    });
    assert.deepEqual(parseDelaySpec('longtail:80ms-2s'), {
      distribution: 'long-tail',
      medianMs: 80,
      p99Ms: 2000,
    });
    for (const text of ['250ms', '100ms-400ms', 'longtail:80ms-2000ms'])
      assert.equal(formatDelaySpec(parseDelaySpec(text)), text);
  });

  it('refuses unreadable, negative, inverted and over-long delays', () => {
    for (const text of [
      'soon',
      '-5',
      '400-100',
      'longtail:2s-80ms',
      '61s',
      'fixed:1-2',
      'longtail:5',
    ])
      assert.throws(() => parseDelaySpec(text), { name: 'SettingError' }, text);
  });

  it('draws uniform delays inside their bounds and long-tail delays around their median', () => {
    const uniform = parseDelaySpec('100-200');
    const longTail = parseDelaySpec('longtail:50-500');
    const u = Array.from({ length: 2000 }, () => sampleDelay(uniform));
    const l = Array.from({ length: 2000 }, () => sampleDelay(longTail)).sort((a, b) => a - b);
    assert.ok(u.every((d) => d >= 100 && d <= 200));
    const median = l[1000] ?? 0;
    const p99 = l[1980] ?? 0;
    assert.ok(median > 35 && median < 70, `median ${median}`);
    assert.ok(p99 > 250 && p99 < 1000, `p99 ${p99}`);
    assert.ok(l.every((d) => d > 0));
  });

  it('reads Prefer preferences as RFC 7240 writes them', () => {
    const prefs = parsePrefer('code=400, delay=300; foo=bar, fault="empty", delay=5');
    assert.equal(prefs.get('code'), '400');
    assert.equal(prefs.get('delay'), '300', 'the first occurrence wins');
    assert.equal(prefs.get('fault'), 'empty');
    assert.equal(parsePrefer(['respond-async', 'delay=7']).get('delay'), '7');
  });
});

describe('latency', () => {
  let server: MockServer;
  usePausedMock((s) => (server = s));

  it('delays a hundred concurrent requests side by side, not one after another', async () => {
    await control(server, 'PUT', '/latency', { default: 200 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 100 }, () => timed(server.url + V1)));
    const total = performance.now() - started;

    assert.ok(results.every((r) => r.status === 200));
    assert.ok(
      results.every((r) => r.ms >= 195),
      `fastest ${Math.min(...results.map((r) => r.ms))} ms`,
    );
    assert.ok(total < 800, `all 100 took ${Math.round(total)} ms`);
  });

  it('delays one route and not another', async () => {
    await control(server, 'PUT', '/latency', { routes: { [V2]: '150ms' } });
    const slow = await timed(server.url + V2);
    const quick = await timed(server.url + V1);
    assert.ok(slow.ms >= 145, `slow ${slow.ms}`);
    assert.ok(quick.ms < 100, `quick ${quick.ms}`);
  });

  it('refuses a delay for a path the API does not have, naming the routes it has', async () => {
    const typo = await control<{ code: string; detail: string }>(server, 'PUT', '/latency', {
      routes: { '/api/task/running': '1s' },
    });
    assert.equal(typo.status, 400);
    assert.equal(typo.body.code, 'RT_SETTING_INVALID');
    assert.match(typo.body.detail, /"\/api\/task\/running" is not one of the API's routes/);
    assert.deepEqual((await control(server, 'GET', '/latency')).body, {
      default: null,
      routes: {},
    });
  });

  it('honours a delay asked for per request, beside Prism preferences', async () => {
    const preferred = await timed(server.url + V1, { headers: { Prefer: 'code=400, delay=150' } });
    assert.equal(preferred.status, 400, "Prism's own preference still works");
    assert.ok(preferred.ms >= 145, `Prefer: ${preferred.ms}`);

    const query = await timed(`${server.url}${V1}?__delay=150`);
    assert.equal(query.status, 200);
    assert.ok(query.ms >= 145, `__delay: ${query.ms}`);

    // The request's own delay wins over the server's.
    await control(server, 'PUT', '/latency', { default: '1s' });
    const override = await timed(`${server.url}${V1}?__delay=0`);
    assert.ok(override.ms < 500, `override: ${override.ms}`);
  });

  it('answers 400 with a problem to an unreadable per-request delay', async () => {
    const res = await fetch(`${server.url}${V1}?__delay=forever`);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await res.json()) as { code: string }).code, 'RT_SETTING_INVALID');
  });

  it('keeps uniform delays within their bounds on the wire', async () => {
    await control(server, 'PUT', '/latency', {
      default: { distribution: 'uniform', minMs: 50, maxMs: 150 },
    });
    const results = await Promise.all(Array.from({ length: 30 }, () => timed(server.url + V1)));
    for (const r of results) assert.ok(r.ms >= 48 && r.ms < 400, `${r.ms}`);
    const spread = Math.max(...results.map((r) => r.ms)) - Math.min(...results.map((r) => r.ms));
    assert.ok(spread > 20, `the delays vary (spread ${spread} ms)`);
  });

  it('stops waiting for a client that goes away', async () => {
    await control(server, 'PUT', '/latency', { default: '5s' });
    const abort = new AbortController();
    const pending = fetch(server.url + V1, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(pending, { name: 'AbortError' });
    // The server is still free to answer others at once.
    const quick = await timed(`${server.url}${V1}?__delay=0`);
    assert.ok(quick.ms < 500);
  });

  it('delays the websocket handshake and each message of a delayed route', async () => {
    await control(server, 'PUT', '/latency', {
      routes: { '/api/tasks/running/realtime': '150ms' },
    });
    const started = performance.now();
    const ws = new WebSocket(wsUrl(server.url, '/api/tasks/running/realtime'));
    try {
      const opened = await new Promise<number>((resolve, reject) => {
        ws.once('open', () => resolve(performance.now() - started));
        ws.once('error', reject);
      });
      const first = await new Promise<number>((resolve) =>
        ws.once('message', () => resolve(performance.now() - started)),
      );
      assert.ok(opened >= 145, `handshake after ${opened} ms`);
      assert.ok(first - opened >= 145, `first message ${first - opened} ms after the handshake`);
    } finally {
      ws.close();
    }
  });
});

describe('latency from the start options', () => {
  it('applies --latency and per-route delays given at start', async () => {
    const server = await startMockServer({
      port: 0,
      paused: true,
      logger: false,
      latency: '120ms',
      routeLatency: { [V2]: 0 },
    });
    try {
      const slow = await timed(server.url + V1);
      const quick = await timed(server.url + V2);
      assert.ok(slow.ms >= 115, `${slow.ms}`);
      assert.ok(quick.ms < 100, `${quick.ms}`);
      // Control routes are never delayed.
      const clock = await timed(`${server.url}/__mock/clock`);
      assert.ok(clock.ms < 100, `${clock.ms}`);
    } finally {
      await server.close();
    }
  });
});

describe('latency of a websocket handshake of its own', () => {
  it('holds the handshake for ?__delay and refuses an unreadable one', async () => {
    const server = await startMockServer({ port: 0, paused: true, heartbeatMs: 0, logger: false });
    try {
      const url = `${server.url.replace('http', 'ws')}/api/v2/tasks/ws/running`;
      const started = Date.now();
      const client = await RecordingClient.connect(`${url}?__delay=300`);
      await client.message(0);
      assert.ok(Date.now() - started >= 280, `answered after ${Date.now() - started} ms`);
      await client.close();

      await assert.rejects(
        RecordingClient.connect(`${url}?__delay=soon`),
        /handshake answered 400/,
      );
    } finally {
      await server.close();
    }
  });
});
