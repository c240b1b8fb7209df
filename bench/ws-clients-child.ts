/**
 * The websocket fan-out benchmark's clients: N connections to the V1 route
 * in one process. Reports, for each expected message, when the last client
 * received it (monotonic ns).
 */
import WebSocket from 'ws';

const ROUTE = '/api/tasks/running/realtime';

async function main(): Promise<void> {
  const [url, countText] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !/^ws:\/\/127\.0\.0\.1:\d+$/.test(url))
    throw new Error(`refusing ${url}: loopback only`);

  const received: number[] = new Array<number>(count).fill(0);
  const lastArrival = new Map<number, bigint>();
  const sockets: WebSocket[] = [];
  let waiting: { index: number; resolve: () => void } | undefined;

  const onMessage = (client: number): void => {
    const index = received[client];
    received[client] = index + 1;
    const now = process.hrtime.bigint();
    const prev = lastArrival.get(index);
    if (prev === undefined || now > prev) lastArrival.set(index, now);
    if (waiting && received.every((n) => n > waiting!.index)) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  };

  // Connect in batches so the handshakes do not all land at once.
  for (let start = 0; start < count; start += 250) {
    const batch = Array.from({ length: Math.min(250, count - start) }, (_, i) => {
      const client = start + i;
      return new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(url + ROUTE, { perMessageDeflate: false });
        ws.on('message', () => onMessage(client));
        ws.once('open', () => resolve());
        ws.once('error', reject);
        sockets.push(ws);
      });
    });
    await Promise.all(batch);
  }

  const waitFor = (index: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (received.every((n) => n > index)) return resolve(true);
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve(false);
      }, timeoutMs);
      waiting = {
        index,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });

  process.on('message', (message: { await?: number; close?: boolean }) => {
    if (message.await !== undefined) {
      const index = message.await;
      void waitFor(index, 10_000).then((complete) => {
        process.send?.({
          index,
          complete,
          lastArrival: (lastArrival.get(index) ?? 0n).toString(),
          received: Math.min(...received),
        });
      });
    } else if (message.close) {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
  process.send?.({ ready: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
