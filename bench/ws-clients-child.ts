/**
 * The websocket fan-out benchmark's clients: N connections to the V1 route
 * in one process. Reports, for each expected message, when the last client
 * received it (monotonic ns) and whether every client got the same bytes.
 *
 * All N clients share one process and one core here, where real ones would
 * each have their own, so the work per message is kept to what receiving
 * takes: the frame reader of ws-frame-reader.ts (which allocates nothing
 * per read), a counter and a byte comparison. A third argument of `ws` uses the ws library's client instead.
 */
import WebSocket from 'ws';
import { connectFrameReader } from './ws-frame-reader';

const ROUTE = '/api/tasks/running/realtime';
const TEXT = 0x1;

interface Arrivals {
  /** Clients that have received this message. */
  count: number;
  /** The first client's bytes; every other client's must equal them. */
  bytes: Buffer;
  mismatched: number;
  /** When the count reached N. */
  lastAt: bigint;
}

async function main(): Promise<void> {
  const [url, countText, kind] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !/^ws:\/\/127\.0\.0\.1:\d+$/.test(url))
    throw new Error(`refusing ${url}: loopback only`);

  const received = new Array<number>(count).fill(0);
  const arrivals: Arrivals[] = [];
  const closers: (() => void)[] = [];
  let waiting: { index: number; done: () => void } | undefined;

  const onMessage = (client: number, data: Buffer): void => {
    const index = received[client]++;
    // The lean reader's payload is a view of a shared buffer: the first is copied to compare with.
    const seen = (arrivals[index] ??= {
      count: 0,
      bytes: Buffer.from(data),
      mismatched: 0,
      lastAt: 0n,
    });
    if (++seen.count === count) seen.lastAt = process.hrtime.bigint();
    if (!seen.bytes.equals(data)) seen.mismatched++;
    if (seen.count === count && waiting?.index === index) waiting.done();
  };

  // Pongs are written together, at most 2 ms after the first of them: the
  // mock paces each client by them, but in this process one client's pong
  // would hold up the reads of all the others, which real clients, each in a
  // process of its own, would not. (Postponing them until 2 ms after the
  // last ping instead let back-to-back changes starve them: the window of a
  // group of clients filled, and the mock rightly held their snapshots.)
  const pongs: (() => void)[] = [];
  let pongTimer: NodeJS.Timeout | undefined;
  const deferPong = (write: () => void): void => {
    pongs.push(write);
    pongTimer ??= setTimeout(() => {
      pongTimer = undefined;
      for (const send of pongs.splice(0)) send();
    }, 2);
  };

  const connect = async (client: number): Promise<void> => {
    if (kind === 'ws') {
      const ws = new WebSocket(url + ROUTE, { perMessageDeflate: false });
      ws.on('message', (data: Buffer) => onMessage(client, data));
      closers.push(() => ws.terminate());
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return;
    }
    const socket = await connectFrameReader({
      port: Number(new URL(url).port),
      path: ROUTE,
      deferPong,
      onMessage: (opcode, payload) => {
        if (opcode === TEXT) onMessage(client, payload);
      },
    });
    closers.push(() => socket.destroy());
  };

  // Connect in batches so the handshakes do not all land at once.
  for (let start = 0; start < count; start += 250) {
    const size = Math.min(250, count - start);
    await Promise.all(Array.from({ length: size }, (_, i) => connect(start + i)));
  }

  const waitFor = (index: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (arrivals[index]?.count === count) return resolve(true);
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve(false);
      }, timeoutMs);
      waiting = {
        index,
        done: () => {
          waiting = undefined;
          clearTimeout(timer);
          resolve(true);
        },
      };
    });

  process.on('message', (message: { await?: number; close?: boolean }) => {
    if (message.await !== undefined) {
      const index = message.await;
      void waitFor(index, 10_000).then((complete) => {
        const seen = arrivals[index];
        process.send?.({
          index,
          complete,
          lastArrival: (seen?.lastAt ?? 0n).toString(),
          mismatched: seen?.mismatched ?? 0,
          received: seen?.count ?? 0,
        });
      });
    } else if (message.close) {
      for (const close of closers) close();
      process.exit(0);
    }
  });
  process.send?.({ ready: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
