import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';

/** A server on 127.0.0.1:0 and its URL; `close()` also drops open connections. */
export interface TestServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function listen(server: Server, port = 0): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A reverse proxy in front of `target` that passes plain GETs and refuses every websocket
 * upgrade with `status`, as a gateway that does not speak websocket does.
 */
export async function startNoWebsocketProxy(
  target: string,
  status = 404,
): Promise<TestServer & { upgrades: number }> {
  const server = createServer((req, res) => {
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const state = { upgrades: 0 };
  server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    state.upgrades += 1;
    socket.end(`HTTP/1.1 ${status} Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const started = await listen(server);
  return {
    ...started,
    get upgrades() {
      return state.upgrades;
    },
  };
}

/**
 * A backend that serves whatever body the test sets, over HTTP and as the websocket's
 * message, for payloads the mock would refuse to serve (it validates everything).
 */
export async function startRawBackend(
  initialBody: string,
): Promise<TestServer & { setBody(body: string): void; requests: number }> {
  let body = initialBody;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.send(body));

  const started = await listen(server);
  return {
    ...started,
    setBody(next: string) {
      body = next;
      for (const client of wss.clients) client.send(next);
    },
    get requests() {
      return requests;
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await started.close();
    },
  };
}
