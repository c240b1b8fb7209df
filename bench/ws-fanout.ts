import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
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
  /** The cores the server and the clients ran on, when pinned. */
  cores?: { server: string; clients: string };
}

const TASKSET = '/usr/bin/taskset';

/**
 * The cores the server and the clients are pinned to, or undefined when
 * they cannot be (one core, or no taskset). Pinned, neither process is
 * moved between cores or preempted by the other, which on a 2-core machine
 * is what most of the run-to-run spread of the tail came from; real clients
 * run on other machines altogether.
 */
export function fanoutCores(): { server: string; clients: string } | undefined {
  if (os.availableParallelism() < 2 || !existsSync(TASKSET)) return undefined;
  return { server: '0', clients: '1' };
}

function forkTs(file: string, args: string[], core: string | undefined): ChildProcess {
  // tsx's CommonJS hook only: its ESM loader would add a thread (and about
  // 30 MB) to the server's resident memory that the mock does not have.
  const node = ['--require', 'tsx/cjs'];
  return fork(path.join(__dirname, file), args, {
    // `taskset -c N node …`: the IPC channel passes through the exec.
    execPath: core === undefined ? process.execPath : TASKSET,
    execArgv: core === undefined ? node : ['-c', core, process.execPath, ...node],
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
  const cores = fanoutCores();
  const server = forkTs('ws-server-child.ts', [], cores?.server);
  let clientsProcess: ChildProcess | undefined;
  try {
    const { url, idleRss } = await nextMessage<{ url?: string; idleRss: number }>(
      server,
      (m) => m.url !== undefined,
      20_000,
    );
    clientsProcess = forkTs(
      'ws-clients-child.ts',
      [url!.replace('http', 'ws'), String(clients), client],
      cores?.clients,
    );
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
      cores,
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
