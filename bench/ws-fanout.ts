import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { percentile } from './stats';

/** How the clients read: the lean frame reader (ws-frame-reader.ts) or the ws library. */
export type FanoutClient = 'lean' | 'ws';

export interface FanoutResult {
  clients: number;
  client: FanoutClient;
  changes: number;
  /** Changes made first and not measured, so that both sides run warm, as in the HTTP runs. */
  warmup: number;
  /** Time from the state change to its arrival at the last client, ms. */
  p50: number;
  p99: number;
  max: number;
  /** The server's share: from the state change until the last socket write returned, ms. */
  serverP50: number;
  serverP99: number;
  serverRssMb: number;
  /** The server's resident memory once started, before any client connected. */
  idleRssMb: number;
}

function forkTs(file: string, args: string[]): ChildProcess {
  return fork(path.join(__dirname, file), args, {
    // tsx's CommonJS hook only: its ESM loader would add a thread (and about
    // 30 MB) to the server's resident memory that the mock does not have.
    execArgv: ['--require', 'tsx/cjs'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

interface Arrival {
  index?: number;
  complete: boolean;
  /** Monotonic ns at which the last client received the message. */
  lastArrival: string;
  /** Clients whose bytes differed from the first client's. */
  mismatched: number;
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
 * another), then changes the state `warmup` times unmeasured and `changes`
 * times measured: how long each change takes to reach the last client.
 */
export async function measureFanout(
  clients: number,
  changes: number,
  client: FanoutClient = 'lean',
  warmup = 5,
): Promise<FanoutResult> {
  const server = forkTs('ws-server-child.ts', []);
  let clientsProcess: ChildProcess | undefined;
  try {
    const { url, idleRss } = await nextMessage<{ url?: string; idleRss: number }>(
      server,
      (m) => m.url !== undefined,
      20_000,
    );
    clientsProcess = forkTs('ws-clients-child.ts', [
      url!.replace('http', 'ws'),
      String(clients),
      client,
    ]);
    await nextMessage<{ ready?: boolean }>(clientsProcess, (m) => m.ready === true, 60_000);

    const latencies: number[] = [];
    const serverTimes: number[] = [];
    for (let k = 1; k <= warmup + changes; k++) {
      const arrival = nextMessage<Arrival>(clientsProcess, (m) => m.index === k, 15_000);
      clientsProcess.send({ await: k });
      server.send({ seek: k % 2 === 1 ? 6_500 : 0 });
      const { changedAt, sentAt } = await nextMessage<{ changedAt?: string; sentAt: string }>(
        server,
        (m) => m.changedAt !== undefined,
        5_000,
      );
      const result = await arrival;
      if (!result.complete) throw new Error(`change ${k} did not reach all ${clients} clients`);
      if (result.mismatched > 0)
        throw new Error(`change ${k}: ${result.mismatched} clients got different bytes`);
      if (k <= warmup) continue;
      latencies.push(Number(BigInt(result.lastArrival) - BigInt(changedAt!)) / 1e6);
      serverTimes.push(Number(BigInt(sentAt) - BigInt(changedAt!)) / 1e6);
    }

    server.send({ rss: true });
    const { rss } = await nextMessage<{ rss?: number }>(server, (m) => m.rss !== undefined, 5_000);
    return {
      clients,
      client,
      changes,
      warmup,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      serverP50: percentile(serverTimes, 50),
      serverP99: percentile(serverTimes, 99),
      serverRssMb: rss! / 2 ** 20,
      idleRssMb: idleRss / 2 ** 20,
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
