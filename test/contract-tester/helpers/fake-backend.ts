import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { v1Task, v2Task } from './task-fixtures';

export type Api = 'v1' | 'v2';

const HTTP_ROUTES: Record<string, Api> = {
  '/api/tasks/running': 'v1',
  '/api/v2/tasks/running': 'v2',
};
const WS_ROUTES: Record<string, Api> = {
  '/api/tasks/running/realtime': 'v1',
  '/api/v2/tasks/ws/running': 'v2',
};

export interface HttpFaultContext {
  api: Api;
  list: unknown;
  /** Answers as a good backend would. */
  answer: () => void;
}

export interface FakeBackendOptions {
  /** When set, every route requires it (Bearer, X-API-KEY or ?token=). */
  token?: string;
  /** Period of the websocket snapshots. */
  heartbeatMs?: number;
  /** The current lists; called on every answer so a test can change them over time. */
  lists?: Partial<Record<Api, () => unknown>>;
  /**
   * Replaces the answer to an authorised GET of a running list; call `answer()` for the good one.
   */
  httpFault?: (req: IncomingMessage, res: ServerResponse, ctx: HttpFaultContext) => void;
  /** The text (or binary) of websocket message `index`; `undefined` sends nothing. */
  wsMessage?: (api: Api, list: unknown, index: number) => string | Buffer | undefined;
  /** Called once a websocket is open, with its raw socket, to misbehave later. */
  onWsOpen?: (api: Api, ws: WebSocket, socket: Duplex) => void;
  /** Whether the server answers pings (RFC 6455 §5.5.2); on by default. */
  autoPong?: boolean;
  /** Whether preflights and GETs carry CORS headers; on by default. */
  cors?: boolean;
  /** Whether a GET honours `Prefer: code=400` as the mock does; on by default. */
  honourPrefer?: boolean;
  /** The sub-protocol the server picks when the client offers it (RFC 6455 §4.2.2). */
  wsProtocol?: string;
}

export interface FakeBackend {
  url: string;
  port: number;
  /** How many websocket connections were opened. */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * A backend that honours both contracts on all four routes unless a test
 * breaks one thing through the hooks. Starts on 127.0.0.1, port 0.
 */
export async function startFakeBackend(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  const lists: Record<Api, () => unknown> = {
    v1: options.lists?.v1 ?? (() => [v1Task()]),
    v2: options.lists?.v2 ?? (() => [v2Task()]),
  };
  const wss = new WebSocketServer({
    noServer: true,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) => {
      const wanted = options.wsProtocol;
      return wanted !== undefined && offered.has(wanted) ? wanted : false;
    },
  });
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = HTTP_ROUTES[url.pathname];
    if (options.cors !== false && req.headers.origin) {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Vary', 'Origin');
    }

    if (req.method === 'OPTIONS') return preflight(req, res, options.cors !== false);
    if (api === undefined || req.method !== 'GET') return json(res, 404, { message: 'not found' });
    if (!authorised(req, url, options.token)) return json(res, 401, { message: 'auth failed' });

    const list = lists[api]();
    const answer = () => {
      if (options.honourPrefer !== false && req.headers.prefer === 'code=400') {
        return json(res, 400, {
          message: 'List Running Tasks Error',
          code: '6808',
          description: 'error details',
        });
      }
      json(res, 200, list);
    };
    if (options.httpFault) options.httpFault(req, res, { api, list, answer });
    else answer();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = WS_ROUTES[url.pathname];
    if (api === undefined) return rejectUpgrade(socket, 404, 'not found');
    if (!authorised(req, url, options.token))
      return rejectUpgrade(socket, 401, '{"message":"auth failed"}');

    wss.handleUpgrade(req, socket, head, (ws) => {
      connections++;
      let index = 0;
      const send = () => {
        const list = lists[api]();
        const message = options.wsMessage
          ? options.wsMessage(api, list, index)
          : JSON.stringify(list);
        index++;
        if (message !== undefined && ws.readyState === ws.OPEN)
          ws.send(message, { binary: Buffer.isBuffer(message) });
      };

      send();
      const timer = setInterval(send, options.heartbeatMs ?? 50);
      timers.add(timer);
      ws.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      options.onWsOpen?.(api, ws, socket);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function authorised(req: IncomingMessage, url: URL, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization;
  return (
    header === `Bearer ${token}` ||
    header === `X-API-KEY ${token}` ||
    url.searchParams.get('token') === token
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function preflight(req: IncomingMessage, res: ServerResponse, cors: boolean): void {
  if (cors) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ?? '',
    );
  }
  res.writeHead(204);
  res.end();
}

function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  const reason = http.STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
