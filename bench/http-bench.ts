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
  /** Requests per second in each round, in order; the other figures are the median round's. */
  roundsRps: number[];
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

/**
 * Runs every case against every target, all servers up at once: each case
 * is warmed up for 1 s, then the cases take turns for `rounds` rounds, so
 * that a slow minute of a shared machine hits every target alike rather
 * than whichever ran in it. A case's figures are those of its median round.
 */
export async function benchHttp(
  cases: HttpCase[],
  seconds: number,
  rounds: number,
  progress: (line: string) => void = () => {},
): Promise<HttpResult[]> {
  const targets = [...new Set(cases.map((c) => c.target))];
  const servers = new Map<TargetName, OwnedProcess>();
  try {
    for (const target of targets) {
      progress(`http: starting ${target}`);
      servers.set(target, await startTarget(target));
    }
    const urlOf = (c: HttpCase): string => servers.get(c.target)!.url + c.route;
    for (const c of cases) await load(urlOf(c), c.headers, 1);

    const runs = new Map<HttpCase, LoadResult[]>(cases.map((c) => [c, []]));
    for (let round = 1; round <= rounds; round++) {
      progress(`http: round ${round} of ${rounds}`);
      for (const c of cases) runs.get(c)!.push(await load(urlOf(c), c.headers, seconds));
    }
    return cases.map((c) => {
      const results = runs.get(c)!;
      const median = [...results].sort((x, y) => x.rps - y.rps)[Math.floor(results.length / 2)];
      return { ...median, target: c.target, label: c.label, roundsRps: results.map((r) => r.rps) };
    });
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}
