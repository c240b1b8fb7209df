/**
 * The contract tester's figures for `npm run bench`: how long one contract
 * run against the mock takes, and what the validation proxy adds to a GET.
 * Everything runs in this process on 127.0.0.1, port 0; every loop is
 * bounded by a count.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { loadContracts, runContract, startValidationProxy } from '@running-tasks/contract-tester';
import { startMockServer } from '@running-tasks/mock-server';
import { percentile } from './stats';

const RUNS = Number(process.env.BENCH_CONTRACT_RUNS ?? 5);
const WS_DURATION_MS = 500;
const PROXY_REQUESTS = 500;

interface Figure {
  name: string;
  value: number;
  unit: string;
}

export async function benchContractRun(): Promise<Figure[]> {
  const loadStarted = performance.now();
  const contracts = await loadContracts();
  const loadMs = performance.now() - loadStarted;

  const mock = await startMockServer({ port: 0, logger: false, token: 'bench', heartbeatMs: 100 });
  const proxy = await startValidationProxy({
    upstream: mock.url,
    port: 0,
    logger: false,
    contracts,
  });
  try {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const report = await runContract(
        { baseUrl: mock.url, token: 'bench', wsDurationMs: WS_DURATION_MS },
        { contracts },
      );
      runs.push(performance.now() - started);
      if (report.exitCode !== 0)
        throw new Error(`the contract run failed against the mock (exit ${report.exitCode})`);
    }

    const direct = await latencies(`${mock.url}/api/v2/tasks/running`);
    const proxied = await latencies(`${proxy.url}/api/v2/tasks/running`);
    if (proxy.violations.total > 0) throw new Error('the proxy saw violations from the mock');

    return [
      { name: 'contract: load contracts and compile validators', value: round(loadMs), unit: 'ms' },
      {
        name: `contract: full run vs mock, ws ${WS_DURATION_MS} ms, p50 of ${RUNS}`,
        value: round(percentile(runs, 50)),
        unit: 'ms',
      },
      {
        name: `contract: run time beyond the ws watch, p50 of ${RUNS}`,
        value: round(percentile(runs, 50) - WS_DURATION_MS),
        unit: 'ms',
      },
      {
        name: `proxy: GET V2 direct, p50 of ${PROXY_REQUESTS}`,
        value: round(percentile(direct, 50), 3),
        unit: 'ms',
      },
      {
        name: `proxy: GET V2 through the proxy, p50 of ${PROXY_REQUESTS}`,
        value: round(percentile(proxied, 50), 3),
        unit: 'ms',
      },
      {
        name: 'proxy: added latency, p50',
        value: round(percentile(proxied, 50) - percentile(direct, 50), 3),
        unit: 'ms',
      },
      // Tails are shown side by side: a difference of two p99s is no one request's added time.
      {
        name: `proxy: GET V2 direct, p99 of ${PROXY_REQUESTS}`,
        value: round(percentile(direct, 99), 3),
        unit: 'ms',
      },
      {
        name: `proxy: GET V2 through the proxy, p99 of ${PROXY_REQUESTS}`,
        value: round(percentile(proxied, 99), 3),
        unit: 'ms',
      },
    ];
  } finally {
    await proxy.close();
    await mock.close();
  }
}

/** Sequential GETs on one kept-alive connection: latency, not throughput. */
async function latencies(url: string): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: number[] = [];
  try {
    for (let i = 0; i < PROXY_REQUESTS; i++) {
      const started = performance.now();
      await get(url, agent);
      out.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return out;
}

function get(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: 'Bearer bench' } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`GET answered ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
  });
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (require.main === module) {
  benchContractRun().then(
    (figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
