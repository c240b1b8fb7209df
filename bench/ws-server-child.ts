/**
 * The websocket fan-out benchmark's server: the mock in a process of its
 * own, told over IPC when to change state. It reports the monotonic time of
 * each change, which the clients' process compares with arrival times
 * (process.hrtime reads CLOCK_MONOTONIC, shared by every process).
 */
import { startMockServer } from '@running-tasks/mock-server';

async function main(): Promise<void> {
  const server = await startMockServer({
    port: 0,
    paused: true,
    heartbeatMs: 0,
    keepaliveMs: 0,
    logger: false,
  });
  let changed = false;
  server.store.on('change', (api) => {
    if (api === 'v1') changed = true;
  });

  process.on('message', (message: { seek?: number; rss?: boolean; stop?: boolean }) => {
    if (message.seek !== undefined) {
      // The clock starts before the seek: the figure includes computing,
      // checking and serialising the new state, not just the sends.
      changed = false;
      const changedAt = process.hrtime.bigint();
      server.replay.seek(message.seek);
      // The broadcast is synchronous: every socket write has returned here.
      const sentAt = process.hrtime.bigint();
      if (!changed) throw new Error(`seeking to ${message.seek} ms changed nothing`);
      process.send?.({
        changedAt: changedAt.toString(),
        sentAt: sentAt.toString(),
        version: server.snapshot('v1').version,
      });
    } else if (message.rss) {
      process.send?.({ rss: process.memoryUsage().rss });
    } else if (message.stop) {
      void server.close().then(() => process.exit(0));
    }
  });
  global.gc?.();
  process.send?.({ url: server.url, idleRss: process.memoryUsage().rss });
}

void main();
