import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { percentile } from './stats';

export interface FanoutResult {
  clients: number;
  changes: number;
  /** Time from the state change to its arrival at the last client, ms. */
  p50: number;
  p99: number;
  max: number;
  serverRssMb: number;
}

function forkTs(file: string, args: string[]): ChildProcess {
  return fork(path.join(__dirname, file), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function nextMessage<T>(
  child: ChildProcess,
  accept: (m: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: unknown): void => {
      if (!accept(m as T)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
  });
}

/**
 * Connects `clients` websocket clients (in their own process) to the mock (in
 * another), then changes the state `changes` times and measures how long each
 * change takes to reach the last client.
 */
export async function measureFanout(clients: number, changes: number): Promise<FanoutResult> {
  const server = forkTs('ws-server-child.ts', []);
  let clientsProcess: ChildProcess | undefined;
  try {
    const { url } = await nextMessage<{ url?: string }>(server, (m) => m.url !== undefined, 20_000);
    clientsProcess = forkTs('ws-clients-child.ts', [url!.replace('http', 'ws'), String(clients)]);
    await nextMessage<{ ready?: boolean }>(clientsProcess, (m) => m.ready === true, 60_000);

    const latencies: number[] = [];
    for (let k = 1; k <= changes; k++) {
      const arrival = nextMessage<{ index?: number; complete: boolean; lastArrival: string }>(
        clientsProcess,
        (m) => m.index === k,
        15_000,
      );
      clientsProcess.send({ await: k });
      server.send({ seek: k % 2 === 1 ? 6_500 : 0 });
      const { changedAt } = await nextMessage<{ changedAt?: string }>(
        server,
        (m) => m.changedAt !== undefined,
        5_000,
      );
      const result = await arrival;
      if (!result.complete) throw new Error(`change ${k} did not reach all ${clients} clients`);
      latencies.push(Number(BigInt(result.lastArrival) - BigInt(changedAt!)) / 1e6);
    }

    server.send({ rss: true });
    const { rss } = await nextMessage<{ rss?: number }>(server, (m) => m.rss !== undefined, 5_000);
    return {
      clients,
      changes,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      serverRssMb: rss! / 2 ** 20,
    };
  } finally {
    clientsProcess?.send({ close: true });
    server.send({ stop: true });
    setTimeout(() => {
      clientsProcess?.kill('SIGKILL');
      server.kill('SIGKILL');
    }, 2000).unref();
  }
}
