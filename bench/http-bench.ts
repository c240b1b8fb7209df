import path from 'node:path';
import type { LoadJob, LoadResult } from './load-worker';
import { freePort, ROOT, runScript, startServerProcess, type OwnedProcess } from './processes';

export type TargetName = 'ours' | 'prism' | 'prism -m' | 'raw node';

export interface HttpCase {
  target: TargetName;
  route: string;
  label: string;
  headers?: Record<string, string>;
}

export interface HttpResult extends LoadResult {
  target: TargetName;
  label: string;
}

const OPENAPI = path.join(ROOT, 'openapi/running-tasks.yaml');
const PRISM_CLI = path.join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');
const OUR_CLI = path.join(ROOT, 'cli/bin/running-tasks.js');

/** Starts one of the servers under comparison on a free loopback port. */
export async function startTarget(target: TargetName): Promise<OwnedProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const probe = '/api/tasks/running';
  switch (target) {
    case 'ours':
      return startServerProcess(
        process.execPath,
        [OUR_CLI, 'mock', '--port', String(port), '--paused', '--heartbeat', '0'],
        url,
        probe,
      );
    case 'prism':
      return startServerProcess(
        process.execPath,
        [PRISM_CLI, 'mock', '-p', String(port), '-h', '127.0.0.1', OPENAPI],
        url,
        probe,
        60_000,
      );
    case 'prism -m':
      return startServerProcess(
        process.execPath,
        [PRISM_CLI, 'mock', '-m', '-p', String(port), '-h', '127.0.0.1', OPENAPI],
        url,
        probe,
        60_000,
      );
    case 'raw node':
      return startServerProcess(
        process.execPath,
        ['--require', 'tsx/cjs', path.join(__dirname, 'raw-server.ts'), String(port)],
        url,
        probe,
      );
  }
}

/**
 * Loads `url` from a separate process for `seconds`; the process is killed if it overruns by 30 s.
 */
export async function load(
  url: string,
  headers: Record<string, string> | undefined,
  seconds: number,
): Promise<LoadResult> {
  const job: LoadJob = { url, headers, connections: 20, duration: seconds };
  const out = await runScript('load-worker.ts', [JSON.stringify(job)], (seconds + 30) * 1000);
  return JSON.parse(out) as LoadResult;
}

/** Runs every case of one target against a fresh server, warming it up first. */
export async function benchTarget(
  target: TargetName,
  cases: HttpCase[],
  seconds: number,
): Promise<HttpResult[]> {
  const server = await startTarget(target);
  try {
    const results: HttpResult[] = [];
    for (const c of cases.filter((x) => x.target === target)) {
      await load(server.url + c.route, c.headers, 1);
      results.push({
        ...(await load(server.url + c.route, c.headers, seconds)),
        target,
        label: c.label,
      });
    }
    return results;
  } finally {
    await server.stop();
  }
}
