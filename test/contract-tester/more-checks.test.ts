import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EXIT_CODES,
  formatHumanReport,
  loadContracts,
  runContract,
  type ContractRunOptions,
  type Contracts,
} from '@running-tasks/contract-tester';
import type WebSocket from 'ws';
import { closedPort } from './helpers/closed-port';
import { startFakeBackend, type FakeBackendOptions } from './helpers/fake-backend';
import { checkOf, failingChecks, V1, V2, WS1, WS2 } from './helpers/report-queries';
import { v1Task, v2Task } from './helpers/task-fixtures';

const FAST: Partial<ContractRunOptions> = {
  wsDurationMs: 300,
  firstMessageTimeoutMs: 250,
  pingTimeoutMs: 250,
  closeTimeoutMs: 400,
};

describe('contract checks beyond the payload', function () {
  let contracts: Contracts;

  before(async () => {
    contracts = await loadContracts();
  });

  async function run(backend: FakeBackendOptions, options: Partial<ContractRunOptions> = {}) {
    const server = await startFakeBackend(backend);
    try {
      return await runContract({ baseUrl: server.url, ...FAST, ...options }, { contracts });
    } finally {
      await server.close();
    }
  }

  it('requires 401 without a token on every route when a token is given', async () => {
    const report = await run({}, { token: 'T' });

    assert.deepEqual(failingChecks(report), [
      `${V1} http.auth`,
      `${WS1} ws.auth`,
      `${V2} http.auth`,
      `${WS2} ws.auth`,
    ]);
    const http1 = checkOf(report, V1, 'http.auth').diagnostics;
    assert.deepEqual(
      http1.map((d) => [d.location, d.keyword, d.actual]),
      [
        ['status (without a token)', 'auth', 200],
        ['status (with a wrong token)', 'auth', 200],
      ],
    );
    assert.equal(
      checkOf(report, WS1, 'ws.auth').diagnostics[0]?.message,
      'upgraded without a token; expected 401',
    );
  });

  it('passes the auth checks on a backend that requires the token', async () => {
    const report = await run({ token: 'T' }, { token: 'T', authScheme: 'x-api-key' });
    assert.deepEqual(failingChecks(report), []);
    assert.equal(checkOf(report, WS2, 'ws.auth').status, 'passed');
  });

  it('fails a stream whose server does not answer pings', async () => {
    const report = await run({ autoPong: false });

    assert.deepEqual(failingChecks(report), [`${WS1} ws.ping`, `${WS2} ws.ping`]);
    assert.match(
      checkOf(report, WS1, 'ws.ping').diagnostics[0]?.message ?? '',
      /RFC 6455 §5\.5\.2/,
    );
  });

  it('fails a server that drops the connection instead of answering the close frame', async () => {
    const report = await run({
      onWsOpen: (api, ws: WebSocket, socket) => {
        if (api !== 'v1') return;
        // ws answers a close frame by calling close(); cut the TCP connection instead.
        ws.close = () => socket.destroy();
      },
    });

    assert.deepEqual(failingChecks(report), [`${WS1} ws.close`]);
    const d = checkOf(report, WS1, 'ws.close').diagnostics[0];
    assert.equal(d?.keyword, 'close');
    assert.equal(d?.actual, 1006);
  });

  it('warns about an unknown status, and fails on it only with --fail-on warning', async () => {
    const lists = { v2: () => [v2Task({ status: 'paused_by_admin' })] };
    const lenient = await run({ lists });
    assert.deepEqual(failingChecks(lenient), []);
    assert.equal(lenient.exitCode, EXIT_CODES.PASSED);

    const body = checkOf(lenient, V2, 'http.body');
    assert.equal(body.status, 'passed');
    assert.deepEqual(
      body.diagnostics.map((d) => [d.severity, d.path, d.keyword]),
      [['warning', '$[0].status', 'enum']],
    );

    const strict = await run({ lists }, { failOn: 'warning' });
    assert.deepEqual(failingChecks(strict), [`${V2} http.body`, `${WS2} ws.messages`]);
    assert.equal(strict.exitCode, EXIT_CODES.VIOLATIONS);
  });

  it('fails CORS when the backend does not allow the origin', async () => {
    const report = await run({ cors: false }, { origin: 'http://localhost:5173', api: 'v1' });

    assert.deepEqual(failingChecks(report), [`${V1} http.cors`]);
    assert.deepEqual(
      checkOf(report, V1, 'http.cors').diagnostics.map((d) => d.location),
      [
        'header Access-Control-Allow-Origin (preflight)',
        'header Access-Control-Allow-Origin (GET)',
      ],
    );
  });

  it('requires the server to agree on an offered sub-protocol', async () => {
    const refused = await run({}, { wsProtocols: ['rt.v1'], api: 'v1' });
    assert.deepEqual(failingChecks(refused), [`${WS1} ws.handshake`]);
    assert.equal(checkOf(refused, WS1, 'ws.handshake').diagnostics[0]?.keyword, 'handshake');
    assert.equal(checkOf(refused, WS1, 'ws.messages').skipReason, 'the handshake failed');

    const agreed = await run({ wsProtocol: 'rt.v1' }, { wsProtocols: ['rt.v1'], api: 'v1' });
    assert.deepEqual(failingChecks(agreed), []);
    assert.match(checkOf(agreed, WS1, 'ws.handshake').notes[0] ?? '', /sub-protocol rt\.v1/);
  });

  it('holds a documented error to the error envelope', async () => {
    const report = await run({
      httpFault: (req, res, ctx) => {
        if (req.headers.prefer !== 'code=400') return ctx.answer();
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end('{"error":"boom"}');
      },
    });

    assert.deepEqual(failingChecks(report), [
      `${V1} http.error-envelope`,
      `${V2} http.error-envelope`,
    ]);
    const paths = checkOf(report, V1, 'http.error-envelope').diagnostics.map(
      (d) => `${d.path} ${d.keyword}`,
    );
    assert.deepEqual(paths, ['$.message required', '$.code required']);
  });

  it('skips the error envelope on a backend that ignores Prefer, saying why', async () => {
    const report = await run({ honourPrefer: false }, { api: 'v2' });
    const envelope = checkOf(report, V2, 'http.error-envelope');
    assert.equal(envelope.status, 'skipped');
    assert.equal(envelope.skipReason, 'the backend ignored "Prefer: code=400" and answered 200');
  });

  it('reports a reset HTTP connection as a transport failure of the route', async () => {
    const report = await run({
      httpFault: (req, _res, ctx) => {
        if (ctx.api === 'v2' && req.headers.prefer === undefined) req.socket.destroy();
        else ctx.answer();
      },
    });

    assert.ok(failingChecks(report).includes(`${V2} http.status`));
    const d = checkOf(report, V2, 'http.status').diagnostics[0];
    assert.equal(d?.keyword, 'transport');
    assert.equal(d?.actual, 'ECONNRESET');
  });

  it('explains each failed anyOf branch and cuts no value silently in the summary', async () => {
    const long = 'x'.repeat(400);
    const report = await run(
      {
        lists: {
          v1: () => [
            v1Task({
              current_status: 5 as unknown as string,
              pipeline_name: 7 as unknown as string,
              stack_name: { long } as unknown as string,
            }),
          ],
        },
      },
      { api: 'v1' },
    );
    const text = formatHumanReport(report);

    assert.match(
      text,
      /error at \$\[0\]\.current_status in body: must match a schema in anyOf \[anyOf\]/,
    );
    assert.match(
      text,
      /branch 0 failed because:\n\s+error at \$\[0\]\.current_status: must be string, is integer \[type\]/,
    );
    assert.match(text, /branch 1 failed because:/);
    assert.match(text, /… \(\d+ more characters; the --json report has the whole value\)/);
    assert.match(text, /in \d+ messages: #0–#\d+/);
    assert.match(text, /^FAILED: 13 checks: /m);
  });

  it('exits 3 when nothing listens at the base URL', async () => {
    const port = await closedPort();

    const report = await runContract(
      { baseUrl: `http://127.0.0.1:${port}`, ...FAST },
      { contracts },
    );
    assert.equal(report.outcome, 'unreachable');
    assert.equal(report.exitCode, EXIT_CODES.UNREACHABLE);
    assert.match(report.unreachable ?? '', /ECONNREFUSED/);
    assert.deepEqual(report.routes, []);
    assert.match(
      formatHumanReport(report),
      /^UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.* · exit 3$/m,
    );
  });

  it('bounds a backend that accepts connections and never answers', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = http.createServer(() => undefined);
    silent.on('connection', (socket) => sockets.add(socket));
    silent.on('upgrade', () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;

    try {
      const report = await runContract(
        { baseUrl: `http://127.0.0.1:${port}`, ...FAST, api: 'v1', requestTimeoutMs: 200 },
        { contracts },
      );
      assert.equal(report.outcome, 'failed', 'a backend that accepts connections is reachable');
      assert.deepEqual(
        [
          checkOf(report, V1, 'http.status').diagnostics[0]?.actual,
          checkOf(report, WS1, 'ws.handshake').diagnostics[0]?.actual,
        ],
        ['ETIMEDOUT', 'ETIMEDOUT'],
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses options it cannot use, naming the option', async () => {
    await assert.rejects(runContract({ baseUrl: 'ftp://x' }, { contracts }), {
      name: 'InvalidOptionError',
      code: 'RT_CONTRACT_INVALID_OPTION',
      option: '--base-url',
    });
    await assert.rejects(
      runContract({ baseUrl: 'http://127.0.0.1:1', origin: 'http://a/b' }, { contracts }),
      {
        option: '--origin',
      },
    );
    await assert.rejects(
      runContract({ baseUrl: 'http://127.0.0.1:1', wsDurationMs: 0 }, { contracts }),
      {
        option: '--ws-duration',
      },
    );
  });

  it('keeps the token out of the report', async () => {
    const report = await run(
      { token: 'sekret' },
      { token: 'sekret', authScheme: 'query', api: 'v1' },
    );
    assert.deepEqual(failingChecks(report), []);
    assert.ok(!JSON.stringify(report).includes('sekret'));
    assert.equal(report.options.token, true);
  });
});
