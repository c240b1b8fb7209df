import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';

/** The token the secured mock requires; made up for the run, never a real credential. */
export const E2E_TOKEN = `e2e-token-${Math.random().toString(36).slice(2, 10)}`;

export interface Mocks {
  /** The default scenario, paused at 0: the API page's examples. */
  main: MockServer;
  /** The same, behind a token. */
  secured: MockServer;
  /** POST /seek?ms=N moves `main`'s timeline, for the suite inside the extension host. */
  controlUrl: string;
  close(): Promise<void>;
}

export async function startMocks(): Promise<Mocks> {
  const main = await startMockServer({ port: 0, logger: false, paused: true });
  const secured = await startMockServer({ port: 0, logger: false, paused: true, token: E2E_TOKEN });

  const control = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ms = Number(url.searchParams.get('ms'));
    if (req.method !== 'POST' || url.pathname !== '/seek' || !Number.isFinite(ms)) {
      res.writeHead(404).end();
      return;
    }
    main.replay.seek(ms);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

  return {
    main,
    secured,
    controlUrl,
    close: async () => {
      await closeServer(control);
      await Promise.all([main.close(), secured.close()]);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
