import assert from 'node:assert/strict';
import {
  EXIT_CODES,
  formatJunitReport,
  loadContracts,
  runContract,
  type ContractReport,
  type ContractRunOptions,
  type Contracts,
} from '@running-tasks/contract-tester';
import { startFakeBackend, type FakeBackendOptions } from './helpers/fake-backend';
import {
  checkOf,
  diagnosticsOf,
  failingChecks,
  identity,
  V1,
  V2,
  WS1,
  WS2,
} from './helpers/report-queries';
import { v1Task, v2Task, without } from './helpers/task-fixtures';

/** Short bounds: each run watches each stream for 300 ms. */
const FAST: Partial<ContractRunOptions> = {
  wsDurationMs: 300,
  firstMessageTimeoutMs: 250,
  pingTimeoutMs: 250,
  closeTimeoutMs: 500,
};

interface Scenario {
  name: string;
  backend: FakeBackendOptions;
  /** `route check-id` of every failing check, in report order. */
  failing: string[];
  /** `route check path keyword` of the diagnostic that names the fault. */
  diagnostic: string;
  more?: (report: ContractReport) => void;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a required field missing',
    backend: { lists: { v1: () => [without(v1Task(), 'pipeline_name')] } },
    failing: [`${V1} http.body`, `${WS1} ws.messages`],
    diagnostic: `${V1} http.body $[0].pipeline_name required`,
    more: (report) => {
      const ws = checkOf(report, WS1, 'ws.messages').diagnostics[0];
      assert.equal(ws?.path, '$[0].pipeline_name');
      assert.ok((ws?.messages?.length ?? 0) >= 2, 'the repeat is folded with every message index');
    },
  },
  {
    name: 'a field of the wrong type',
    backend: { lists: { v2: () => [v2Task({ task_id: '1' as unknown as number })] } },
    failing: [`${V2} http.body`, `${WS2} ws.messages`],
    diagnostic: `${V2} http.body $[0].task_id type`,
    more: (report) => {
      const d = checkOf(report, V2, 'http.body').diagnostics[0];
      assert.equal(d?.expected, 'integer');
      assert.equal(d?.actual, '1');
    },
  },
  {
    name: 'a misspelled field',
    backend: {
      lists: {
        v1: () => {
          const task = v1Task();
          const { build_nubmer, ...rest } = task.build_task;
          return [{ ...task, build_task: { ...rest, build_number: build_nubmer } }];
        },
      },
    },
    failing: [`${V1} http.body`, `${WS1} ws.messages`],
    diagnostic: `${V1} http.body $[0].build_task.build_nubmer required`,
  },
  {
    name: 'an object where an array belongs',
    backend: {
      httpFault: (_req, res, ctx) => {
        if (ctx.api === 'v1') return ctx.answer();
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ tasks: ctx.list }));
      },
    },
    failing: [`${V2} http.body`],
    diagnostic: `${V2} http.body $ type`,
    more: (report) => {
      assert.equal(checkOf(report, V2, 'http.body').diagnostics[0]?.expected, 'array');
      assert.equal(checkOf(report, WS2, 'ws.snapshots').status, 'skipped');
    },
  },
  {
    name: 'a websocket that sends a non-JSON frame',
    backend: {
      wsMessage: (api, list, i) => (api === 'v1' && i === 1 ? 'hello' : JSON.stringify(list)),
    },
    failing: [`${WS1} ws.messages`],
    diagnostic: `${WS1} ws.messages $ json`,
    more: (report) => {
      const d = checkOf(report, WS1, 'ws.messages').diagnostics[0];
      assert.equal(d?.location, 'message #1');
      assert.equal(d?.actual, 'hello');
    },
  },
  {
    name: 'a diff instead of a snapshot',
    backend: {
      lists: { v2: () => [v2Task({ task_id: 1 }), v2Task({ task_id: 2 })] },
      wsMessage: (api, list, i) =>
        api === 'v2' && i > 0
          ? JSON.stringify([v2Task({ task_id: 2, status: 'passed' })])
          : JSON.stringify(list),
    },
    failing: [`${WS2} ws.snapshots`],
    diagnostic: `${WS2} ws.snapshots $ snapshot`,
    more: (report) => {
      const d = checkOf(report, WS2, 'ws.snapshots').diagnostics[0];
      assert.equal(d?.location, 'message #1');
      assert.deepEqual(d?.expected, [1, 2]);
      assert.deepEqual(d?.actual, [2]);
    },
  },
  {
    name: 'no first message',
    backend: { wsMessage: (api, list) => (api === 'v1' ? undefined : JSON.stringify(list)) },
    failing: [`${WS1} ws.first-message`],
    diagnostic: `${WS1} ws.first-message $ first-message`,
    more: (report) => assert.equal(checkOf(report, WS1, 'ws.messages').status, 'skipped'),
  },
  {
    name: 'an abrupt reset',
    backend: {
      onWsOpen: (api, _ws, socket) => {
        if (api !== 'v2') return;
        setTimeout(() => (socket as import('node:net').Socket).resetAndDestroy(), 100);
      },
    },
    failing: [`${WS2} ws.close`],
    diagnostic: `${WS2} ws.close $ close`,
    more: (report) => {
      const d = checkOf(report, WS2, 'ws.close').diagnostics[0];
      assert.ok(d?.actual === 'ECONNRESET' || d?.actual === 1006, `actual is ${String(d?.actual)}`);
    },
  },
  {
    name: 'a wrong Content-Type',
    backend: {
      httpFault: (_req, res, ctx) => {
        if (ctx.api === 'v2') return ctx.answer();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(JSON.stringify(ctx.list));
      },
    },
    failing: [`${V1} http.content-type`],
    diagnostic: `${V1} http.content-type $ content-type`,
    more: (report) => {
      const d = checkOf(report, V1, 'http.content-type').diagnostics[0];
      assert.equal(d?.expected, 'application/json');
      assert.equal(d?.actual, 'text/plain; charset=utf-8');
    },
  },
  {
    name: 'a 500',
    backend: {
      httpFault: (_req, res, ctx) => {
        if (ctx.api === 'v2') return ctx.answer();
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"message":"Internal Server Error","code":"500"}');
      },
    },
    failing: [`${V1} http.status`, `${V1} http.error-envelope`],
    diagnostic: `${V1} http.status $ status`,
    more: (report) => {
      const d = checkOf(report, V1, 'http.status').diagnostics[0];
      assert.equal(d?.expected, 200);
      assert.equal(d?.actual, 500);
      assert.equal(checkOf(report, V1, 'http.content-type').status, 'skipped');
    },
  },
];

describe('contract run against broken backends', function () {
  let contracts: Contracts;

  before(async () => {
    contracts = await loadContracts();
  });

  it('passes a backend that honours both contracts on every route', async () => {
    const backend = await startFakeBackend();
    try {
      const report = await runContract({ baseUrl: backend.url, ...FAST }, { contracts });
      assert.deepEqual(failingChecks(report), []);
      assert.equal(report.exitCode, EXIT_CODES.PASSED);
      assert.equal(report.outcome, 'passed');
      assert.deepEqual(
        report.routes.map((r) => r.route),
        [V1, WS1, V2, WS2],
      );
      assert.ok(checkOf(report, WS1, 'ws.messages').notes[0]?.match(/^\d+ messages/));
    } finally {
      await backend.close();
    }
  });

  for (const scenario of SCENARIOS) {
    it(`fails on ${scenario.name}, naming route, path and keyword`, async () => {
      const backend = await startFakeBackend(scenario.backend);
      try {
        const report = await runContract({ baseUrl: backend.url, ...FAST }, { contracts });

        assert.deepEqual(failingChecks(report), scenario.failing);
        assert.equal(report.exitCode, EXIT_CODES.VIOLATIONS);
        assert.ok(
          diagnosticsOf(report).map(identity).includes(scenario.diagnostic),
          `expected ${scenario.diagnostic} among ${diagnosticsOf(report).map(identity).join(' | ')}`,
        );
        scenario.more?.(report);

        const junit = formatJunitReport(report);
        for (const failing of scenario.failing) assertJunitFails(junit, failing);
      } finally {
        await backend.close();
      }
    });
  }
});

/** The JUnit report has a test case for `route check-id` and that case holds a `<failure>`. */
function assertJunitFails(junit: string, failing: string): void {
  const [method, route, id] = failing.split(' ');
  const pattern = new RegExp(
    `<testcase name="${escapeRe(id ?? '')}: [^"]*" classname="${escapeRe(`${method} ${route}`)}"[^>]*>\\s*<failure `,
  );
  assert.match(junit, pattern, `the JUnit report names the failing case ${failing}`);
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
