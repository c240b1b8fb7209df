import assert from 'node:assert/strict';
import {
  EXIT_CODES,
  loadContracts,
  runContract,
  startValidationProxy,
  type Contracts,
} from '@running-tasks/contract-tester';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import { checkOf, failingChecks } from './helpers/report-queries';

const ROUTES = [
  'GET /api/tasks/running',
  'WS /api/tasks/running/realtime',
  'GET /api/v2/tasks/running',
  'WS /api/v2/tasks/ws/running',
];

describe('contract run against the mock', function () {
  let contracts: Contracts;
  let mock: MockServer;

  before(async () => {
    contracts = await loadContracts();
    // Fast replay, so the lists change while the streams are watched.
    mock = await startMockServer({
      port: 0,
      logger: false,
      token: 'T',
      heartbeatMs: 100,
      speed: 10,
    });
  });

  after(async () => {
    await mock.close();
  });

  it('passes every check on every route, with a token and an origin', async () => {
    const report = await runContract(
      { baseUrl: mock.url, token: 'T', origin: 'http://localhost:5173', wsDurationMs: 600 },
      { contracts },
    );

    assert.deepEqual(failingChecks(report), []);
    assert.equal(report.totals.skipped, 0, 'every check ran');
    assert.equal(report.totals.passed, report.totals.checks);
    assert.deepEqual(
      report.routes.map((r) => r.route),
      ROUTES,
    );
    assert.equal(report.exitCode, EXIT_CODES.PASSED);
  });

  it('honours the documented error envelope when asked with Prefer: code=400', async () => {
    const report = await runContract(
      { baseUrl: mock.url, token: 'T', api: 'v1', wsDurationMs: 300 },
      { contracts },
    );

    const envelope = checkOf(report, 'GET /api/tasks/running', 'http.error-envelope');
    assert.equal(envelope.status, 'passed');
    assert.deepEqual(envelope.notes, ['400 for "Prefer: code=400"']);
  });

  for (const authScheme of ['x-api-key', 'query'] as const) {
    it(`passes with the token sent as ${authScheme}`, async () => {
      const report = await runContract(
        { baseUrl: mock.url, token: 'T', authScheme, wsDurationMs: 300 },
        { contracts },
      );
      assert.deepEqual(failingChecks(report), []);
    });
  }

  it('fails the auth checks when the token it is given is not the one the mock wants', async () => {
    const report = await runContract(
      { baseUrl: mock.url, token: 'wrong', api: 'v2', wsDurationMs: 300 },
      { contracts },
    );

    assert.ok(failingChecks(report).includes('GET /api/v2/tasks/running http.status'));
    assert.equal(
      checkOf(report, 'GET /api/v2/tasks/running', 'http.status').diagnostics[0]?.actual,
      401,
    );
    assert.equal(
      checkOf(report, 'WS /api/v2/tasks/ws/running', 'ws.handshake').diagnostics[0]?.actual,
      401,
    );
  });

  it('passes through the validation proxy, which sees no violation', async () => {
    const proxy = await startValidationProxy({
      upstream: mock.url,
      port: 0,
      logger: false,
      contracts,
    });
    try {
      const report = await runContract(
        { baseUrl: proxy.url, token: 'T', origin: 'http://localhost:5173', wsDurationMs: 400 },
        { contracts },
      );
      assert.deepEqual(failingChecks(report), []);
      assert.equal(proxy.violations.total, 0);
    } finally {
      await proxy.close();
    }
  });

  it("does not forward the mock's control API, which would face the network through it", async () => {
    const proxy = await startValidationProxy({
      upstream: mock.url,
      port: 0,
      logger: false,
      contracts,
    });
    try {
      const res = await fetch(`${proxy.url}/__mock/clock/pause`, { method: 'POST' });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: string }).code, 'RT_PROXY_CONTROL_NOT_FORWARDED');
      assert.equal(mock.replay.clock.paused, false);
    } finally {
      await proxy.close();
    }
  });
});
